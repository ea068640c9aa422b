package coverage

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/tabular"
)

// FuzzReader feeds the reader arbitrary bytes: it must never panic, and every
// row it yields must satisfy every rule of spec/coverage-format.md that a
// single row can break. Run it with make fuzz (go test -fuzz FuzzReader).
func FuzzReader(f *testing.F) {
	if b, err := os.ReadFile("testdata/rules.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(header + "A1;0880;582100;6282100;3;1;fiber;connected;1000\n"))
	f.Add([]byte(strings.ReplaceAll(header, ";", ",") + "A1,0880,582100.5,6282100,3,1,fiber,connected,99.99\n"))
	f.Add([]byte("address_id,municipality_code,lon,lat,households,workplaces,technology,status,down_mbps\nA,0880,16.35,56.66,1,0,none,,0\n"))
	f.Add([]byte("\uFEFF" + header + "\"A;1\";0880;582100;6282100;3;1;dsl;passed;24,5\n\n"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(header + "A1;0885;602300;6320110;0;0;none;;0\n"))
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:gz.Len()-5])                                                          // cut short
	f.Add([]byte(strings.ReplaceAll(header, ";", "\t")))                                    // tab-separated
	f.Add([]byte(header + "A1;0880;582100;6282100;3;1;fiber;connected;1000;V\xe4xj\xf6\n")) // Latin-1
	f.Add([]byte("\xff\xfea\x00d\x00d\x00;\x00"))                                           // UTF-16
	f.Add([]byte(header + "A1;0880;582100;6282100;3;1;fiber;\"connected;1000\n"))           // a quote never closed

	f.Fuzz(func(t *testing.T, data []byte) {
		p := NewProblems(10)
		rd, err := NewReader(bytes.NewReader(data), ReaderOptions{Name: "fuzz.csv", Municipalities: known, Problems: p})
		if err == nil {
			for rd.Next() {
				checkRow(t, rd.Row())
			}
			rd.Close()
			err = rd.Err()
		}
		// Reading a byte slice cannot fail: a file is read whole, or
		// refused with its reasons listed.
		var ie *ImportError
		if err != nil && (!errors.As(err, &ie) || p.ErrorCount == 0) {
			t.Fatalf("read ended with %v", err)
		}
		for _, list := range [][]Problem{p.Errors, p.Warnings} {
			for _, e := range list {
				s := e.String()
				if e.File != "fuzz.csv" || e.Message == "" {
					t.Errorf("problem without file or message: %+v", e)
				}
				if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) || utf8.RuneCountInString(s) > 700 {
					t.Errorf("message not fit to show: %q", s)
				}
			}
		}
	})
}

// checkRow asserts the rules of the format on a row the reader accepted.
func checkRow(t *testing.T, r *Row) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("accepted a malformed row (line %d): "+format, append([]any{r.Line}, args...)...)
	}
	if r.Line < 2 {
		fail("line number %d", r.Line)
	}
	if r.AddressID == "" || utf8.RuneCountInString(r.AddressID) > 64 || !printable(r.AddressID) {
		fail("address_id %q", r.AddressID)
	}
	if len(r.MunicipalityCode) != 4 || !tabular.AllDigits(r.MunicipalityCode) || !known[r.MunicipalityCode] {
		fail("municipality_code %q", r.MunicipalityCode)
	}
	if !geo.InSweden(geo.SWEREF{E: r.E, N: r.N}) {
		fail("position (%v, %v) outside Sweden", r.E, r.N)
	}
	if r.Households < 0 || r.Workplaces < 0 || r.HolidayHomes != nil && *r.HolidayHomes < 0 {
		fail("negative count")
	}
	if !technologies[r.Technology] {
		fail("technology %q", r.Technology)
	}
	if (r.Technology == NoBroadband) != (r.Status == "") {
		fail("technology %q with status %q", r.Technology, r.Status)
	}
	if r.Status != "" && !statuses[r.Status] {
		fail("status %q", r.Status)
	}
	if !r.DownMbps.Valid || r.DownMbps.Mant < 0 || r.DownMbps.Exp > 0 || r.DownMbps.Mant >= 1e15 {
		fail("down_mbps %+v", r.DownMbps)
	}
	if r.Technology == NoBroadband && r.DownMbps.Mant != 0 {
		fail("technology none with a speed")
	}
	if r.UpMbps.Valid && r.UpMbps.Mant < 0 {
		fail("up_mbps %+v", r.UpMbps)
	}
	if r.Postcode != "" && (len(r.Postcode) != 5 || !tabular.AllDigits(r.Postcode)) {
		fail("postcode %q", r.Postcode)
	}
	if r.PlannedYear != nil && (*r.PlannedYear < 2000 || *r.PlannedYear > 2100 || r.Status != Planned) {
		fail("planned_year %d on a %s row", *r.PlannedYear, r.Status)
	}
	for _, s := range []string{r.Street, r.Number, r.Locality, r.Operator} {
		if !printable(s) || utf8.RuneCountInString(s) > 200 {
			fail("text %q", s)
		}
	}
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
