package sheet_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/sheet"
)

// readCSV reads a CSV as a Swedish spreadsheet does: it checks the BOM and
// splits on ";".
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Fatalf("no UTF-8 BOM: %q", b[:min(len(b), 10)])
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read with ';': %v", err)
	}
	return recs
}

func TestCSVWritesSwedishValues(t *testing.T) {
	cols := []sheet.Column{
		{Header: "Namn"}, {Header: "Hushåll", Kind: sheet.Integer}, {Header: "Andel", Kind: sheet.Percent},
		{Header: "Median (Mbit/s)", Kind: sheet.Decimal}, {Header: "Uppfyllt", Kind: sheet.YesNo},
		{Header: "Hastighet (Mbit/s)", Kind: sheet.Mbps}, {Header: "År", Kind: sheet.Plain},
	}
	share, none := 0.835, (*float64)(nil)
	var b bytes.Buffer
	w := sheet.NewCSV(&b)
	if err := w.Sheet("Mål", cols); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Kalmar; län", int64(31250), &share, 2.25, true, 99.99, 2025},
		{"Öland \"norra\"", -12, none, -0.04, false, 1000.0, int32(2030)},
		{nil, nil, nil, nil, nil, nil, nil},
	}
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Namn", "Hushåll", "Andel", "Median (Mbit/s)", "Uppfyllt", "Hastighet (Mbit/s)", "År"},
		// 2.25 is exact in binary: one decimal rounds it half away from zero;
		// a speed below 100 is never rounded up to 100
		{"Kalmar; län", "31250", "83,5", "2,3", "ja", "99,99", "2025"},
		{"Öland \"norra\"", "-12", "", "0,0", "nej", "1000", "2030"},
		{"", "", "", "", "", "", ""},
	}
	got := readCSV(t, b.Bytes())
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestCSVNeutralisesFormulas follows OWASP's rule against CSV injection: a
// street a spreadsheet would run as a formula is shown as text, and numbers,
// negative ones too, are left alone.
func TestCSVNeutralisesFormulas(t *testing.T) {
	cols := []sheet.Column{{Header: "Gata"}, {Header: "Hushåll", Kind: sheet.Integer}, {Header: "Avstånd", Kind: sheet.Decimal}}
	tests := []struct {
		street string
		n      any
		d      any
		want   []string
	}{
		{`=HYPERLINK("http://x","y")`, 3, 1.5, []string{`'=HYPERLINK("http://x","y")`, "3", "1,5"}},
		{"-2+3", -2, -2.5, []string{"'-2+3", "-2", "-2,5"}},
		{"+46 480 123", int64(-7), nil, []string{"'+46 480 123", "-7", ""}},
		{"@SUM(A1)", 0, 0.0, []string{"'@SUM(A1)", "0", "0,0"}},
		{"\t=1+1", 1, nil, []string{"'\t=1+1", "1", ""}},
		{"\r=1+1", 1, nil, []string{"'\r=1+1", "1", ""}},
		{"Storgatan = huvudgatan", 1, nil, []string{"Storgatan = huvudgatan", "1", ""}},
		{"", 1, nil, []string{"", "1", ""}},
	}
	var b bytes.Buffer
	w := sheet.NewCSV(&b)
	if err := w.Sheet("Gap", cols); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if err := w.Row(tt.street, tt.n, tt.d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, b.Bytes())
	for i, tt := range tests {
		if !slices.Equal(got[i+1], tt.want) {
			t.Errorf("street %q: got %q, want %q", tt.street, got[i+1], tt.want)
		}
	}
}

func TestCSVRefusesWhatItCannotWrite(t *testing.T) {
	w := sheet.NewCSV(new(bytes.Buffer))
	if err := w.Row("x"); err == nil {
		t.Error("a row before the sheet was written")
	}
	if err := w.Sheet("a", []sheet.Column{{Header: "A"}, {Header: "B"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Row("x"); err == nil || !strings.Contains(err.Error(), "1 values for 2 columns") {
		t.Errorf("a row of 1 value for 2 columns: %v", err)
	}
	if err := w.Sheet("b", []sheet.Column{{Header: "A"}}); err == nil {
		t.Error("a second sheet went into one CSV file")
	}
}
