package coverage

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"strings"
	"testing"
)

// known is a few municipality codes, for tests without a database.
var known = map[string]bool{"0880": true, "0881": true, "0885": true, "0861": true, "0180": true}

func readAll(t *testing.T, name, data string, m *Mapping) ([]Row, *Problems, error) {
	t.Helper()
	p := NewProblems(100)
	rd, err := NewReader(strings.NewReader(data), ReaderOptions{Name: name, Mapping: m, Municipalities: known, Problems: p})
	if err != nil {
		return nil, p, err
	}
	defer rd.Close()
	var rows []Row
	for rd.Next() {
		rows = append(rows, *rd.Row())
	}
	return rows, p, rd.Err()
}

const header = "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n"

func TestReaderReadsTheRulesFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, p, err := readAll(t, "rules.csv", string(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.ErrorCount != 0 {
		t.Fatalf("errors in a good file:\n%s", p.Report())
	}
	if len(rows) != 21 {
		t.Errorf("read %d rows, want 21", len(rows))
	}
	// The unknown column is a warning, not an error.
	if p.WarningCount != 1 || !strings.Contains(p.Warnings[0].String(), "kommentar") {
		t.Errorf("warnings = %v, want one naming the unknown column kommentar", p.Warnings)
	}
	k2 := rows[2]
	if k2.AddressID != "K2" || k2.DownMbps.Mant != 9999 || k2.DownMbps.Exp != -1 {
		t.Errorf("K2 down_mbps 999,9 read as %v × 10^%d", k2.DownMbps.Mant, k2.DownMbps.Exp)
	}
	if rows[0].Postcode != "39231" {
		t.Errorf("postcode \"392 31\" read as %q, want 39231", rows[0].Postcode)
	}
	if rows[4].HolidayHomes != nil {
		t.Errorf("an empty holiday_homes read as %d, want none", *rows[4].HolidayHomes)
	}
	if rows[6].PlannedYear == nil || *rows[6].PlannedYear != 2025 {
		t.Errorf("planned_year of K4's planned fibre not read")
	}
}

func TestReaderFormats(t *testing.T) {
	body := "A1,0880,582100.5,6282100,3,1,fiber,connected,1000\n"
	comma := strings.ReplaceAll(header, ";", ",") + body
	semi := header + strings.ReplaceAll(strings.ReplaceAll(body, ",", ";"), "582100.5", "582100,5")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\uFEFF" + comma))
	zw.Close()
	for name, data := range map[string]string{
		"comma-separated":                    comma,
		"semicolon-separated, decimal comma": semi,
		"BOM and CRLF":                       "\uFEFF" + strings.ReplaceAll(comma, "\n", "\r\n"),
		"gzip":                               gz.String(),
		"quoted fields":                      strings.Replace(comma, "A1,", `"A1",`, 1),
		"trailing blank line":                comma + "\n",
		"headers in other case and spaced":   strings.Replace(comma, "households,workplaces", " Households , WORKPLACES", 1),
	} {
		t.Run(name, func(t *testing.T) {
			rows, p, err := readAll(t, "f.csv", data, nil)
			if err != nil || p.ErrorCount > 0 {
				t.Fatalf("err %v, problems:\n%s", err, p.Report())
			}
			if len(rows) != 1 || rows[0].AddressID != "A1" || rows[0].E != 582100.5 || rows[0].Households != 3 {
				t.Errorf("rows = %+v", rows)
			}
		})
	}
}

func TestReaderLonLat(t *testing.T) {
	data := "address_id,municipality_code,lon,lat,households,workplaces,technology,status,down_mbps\n" +
		"slott,0880,16.3565,56.6590,1,0,fiber,connected,1000\n"
	rows, p, err := readAll(t, "wgs84.csv", data, nil)
	if err != nil || p.ErrorCount > 0 {
		t.Fatalf("err %v, problems:\n%s", err, p.Report())
	}
	// Kalmar slott in SWEREF 99 TM, as PostGIS (PROJ) gives it.
	if len(rows) != 1 || math.Abs(rows[0].E-583153.641) > 0.01 || math.Abs(rows[0].N-6280250.835) > 0.01 {
		t.Errorf("Kalmar slott at (%.1f, %.1f), want (583153.641, 6280250.835) as PostGIS gives it", rows[0].E, rows[0].N)
	}
}

func TestReaderMapping(t *testing.T) {
	m, err := ReadMapping(strings.NewReader(`{
		"columns": {"address_id": "Adress-ID", "municipality_code": "Kommunkod", "households": "Hushåll",
		            "workplaces": "Arbetsställen", "technology": "Teknik", "status": "Status", "down_mbps": "Nedströms (Mbit/s)"},
		"values": {"technology": {"Fiber": "fiber", "Kabel-tv": "cable"},
		           "status": {"Ansluten": "connected", "I absolut närhet": "passed"}}}`), "sv.json")
	if err != nil {
		t.Fatal(err)
	}
	data := "Adress-ID;Kommunkod;x;y;Hushåll;Arbetsställen;Teknik;Status;Nedströms (Mbit/s)\n" +
		"A1;0880;582100;6282100;3;1;Fiber;Ansluten;1000\n" +
		"A2;0880;582200;6282100;1;0;kabel-TV;i absolut närhet;500\n"
	rows, p, err := readAll(t, "owner.csv", data, m)
	if err != nil || p.ErrorCount > 0 {
		t.Fatalf("err %v, problems:\n%s", err, p.Report())
	}
	if len(rows) != 2 || rows[0].Technology != Fiber || rows[0].Status != Connected || rows[1].Technology != Cable || rows[1].Status != Passed {
		t.Errorf("rows = %+v", rows)
	}
	if _, err := ReadMapping(strings.NewReader(`{"columns": {"hushåll": "X"}}`), "bad.json"); err == nil {
		t.Error("a mapping to a column the format lacks was accepted")
	}
	if _, err := ReadMapping(strings.NewReader(`{"values": {"status": {"Klar": "done"}}}`), "bad.json"); err == nil {
		t.Error("a mapping to a status the format lacks was accepted")
	}
}

// TestReaderErrors checks that each kind of error names the file, the line,
// the column and the value.
func TestReaderErrors(t *testing.T) {
	good := "A1;0880;582100;6282100;3;1;fiber;connected;1000"
	tests := []struct {
		name, row string
		wantLine  int
		column    string
		want      string
	}{
		{"non-numeric x", "A1;0880;58x100;6282100;3;1;fiber;connected;1000", 3, "x", `value "58x100": not a number`},
		{"unknown technology", "A1;0880;582100;6282100;3;1;fibre;connected;1000", 3, "technology", `value "fibre": unknown technology`},
		{"unknown municipality", "A1;0899;582100;6282100;3;1;fiber;connected;1000", 3, "municipality_code", "no municipality has this code"},
		{"leading zero lost", "A1;880;582100;6282100;3;1;fiber;connected;1000", 3, "municipality_code", `"0880"`},
		{"negative households", "A1;0880;582100;6282100;-3;1;fiber;connected;1000", 3, "households", "whole number ≥ 0"},
		{"fractional workplaces", "A1;0880;582100;6282100;3;1,5;fiber;connected;1000", 3, "workplaces", "whole number ≥ 0"},
		{"status missing", "A1;0880;582100;6282100;3;1;fiber;;1000", 3, "status", "required unless technology is none"},
		{"unknown status", "A1;0880;582100;6282100;3;1;fiber;ansluten;1000", 3, "status", "unknown status"},
		{"status on none", "A1;0880;582100;6282100;3;1;none;connected;0", 3, "status", "must be empty when technology is none"},
		{"speed on none", "A1;0880;582100;6282100;3;1;none;;10", 3, "down_mbps", "must be 0 when technology is none"},
		{"negative speed", "A1;0880;582100;6282100;3;1;fiber;connected;-100", 3, "down_mbps", "must be ≥ 0"},
		{"speed with exponent", "A1;0880;582100;6282100;3;1;fiber;connected;1e3", 3, "down_mbps", "not a number"},
		{"speed in bit/s", "A1;0880;582100;6282100;3;1;fiber;connected;1000000000", 3, "down_mbps", "check the unit"},
		{"no speed", "A1;0880;582100;6282100;3;1;fiber;connected;", 3, "down_mbps", "required"},
		{"x outside Sweden", "A1;0880;82100;6282100;3;1;fiber;connected;1000", 3, "x", "outside Sweden's extent"},
		{"x and y swapped", "A1;0880;6282100;582100;3;1;fiber;connected;1000", 3, "x", "look swapped"},
		{"empty address id", ";0880;582100;6282100;3;1;fiber;connected;1000", 3, "address_id", "required"},
		{"address id too long", strings.Repeat("a", 65) + ";0880;582100;6282100;3;1;fiber;connected;1000", 3, "address_id", "longer than 64"},
		{"too few fields", "A1;0880;582100;6282100;3;1;fiber;connected", 3, "", "has 8 fields, the header has 9"},
		{"stray quote", `A"1;0880;582100;6282100;3;1;fiber;connected;1000`, 3, "", "malformed CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// a good first row: the bad one is on line 3
			rows, p, err := readAll(t, "in.csv", header+good+"\n"+tt.row+"\n"+strings.Replace(good, "A1", "A9", 1)+"\n", nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 {
				t.Errorf("yielded %d rows, want the 2 good ones", len(rows))
			}
			if p.ErrorCount < 1 {
				t.Fatalf("no error for %q", tt.row)
			}
			got := p.Errors[0]
			if got.Line != tt.wantLine || got.Column != tt.column || !strings.Contains(got.String(), tt.want) {
				t.Errorf("error = %q (line %d, column %q), want line %d, column %q, containing %q",
					got.String(), got.Line, got.Column, tt.wantLine, tt.column, tt.want)
			}
			if !strings.HasPrefix(got.String(), "in.csv:3: ") {
				t.Errorf("error %q does not start with FILE:LINE", got.String())
			}
		})
	}
}

func TestReaderReportsEveryErrorOfALine(t *testing.T) {
	_, p, err := readAll(t, "in.csv", header+"A1;0899;x;6282100;-1;1;fibre;connected;fast\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]bool{}
	for _, e := range p.Errors {
		cols[e.Column] = true
	}
	for _, c := range []string{"municipality_code", "x", "households", "technology", "down_mbps"} {
		if !cols[c] {
			t.Errorf("no error for column %s; got:\n%s", c, p.Report())
		}
	}
}

func TestReaderHeaderErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"missing required column", "address_id;municipality_code;x;y;households;technology;status;down_mbps\n", "missing required column workplaces"},
		{"missing position", "address_id;municipality_code;households;workplaces;technology;status;down_mbps\n", "missing position"},
		{"column twice", header[:len(header)-1] + ";households\n", "appears twice"},
		{"empty file", "", "no header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p, err := readAll(t, "in.csv", tt.data, nil)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error() + p.Report()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want %q", msg, tt.want)
			}
		})
	}
}

func TestProblemsAreCappedButCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for range 250 {
		b.WriteString("A1;0880;582100;6282100;3;1;fibre;connected;1000\n")
	}
	_, p, err := readAll(t, "in.csv", b.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.ErrorCount != 250 || len(p.Errors) != 100 {
		t.Errorf("%d errors counted, %d listed; want 250 and 100", p.ErrorCount, len(p.Errors))
	}
	if !strings.Contains(p.Report(), "… and 150 more errors (250 in all)") {
		t.Errorf("report does not say how many more:\n%s", p.Report()[len(p.Report())-200:])
	}
}
