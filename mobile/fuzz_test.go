package mobile

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

const fuzzHeader = "e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor\n"

// FuzzReader feeds the mobile reader arbitrary bytes: it must never panic,
// every row it yields must satisfy every rule of spec/mobile.md's format
// that a row can break (and one size per file), and every problem must be
// located and fit to show. Run it with make fuzz (go test -fuzz FuzzReader).
func FuzzReader(f *testing.F) {
	for _, name := range []string{"testdata/mobile250.csv", "testdata/mobile100.csv"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(fuzzHeader + "582000;6282000;250;Telia;4g;100;30\n"))
	f.Add([]byte(strings.ReplaceAll(fuzzHeader, ";", ",") + "582100,6282100,100,Tre,5G,99.99,\n"))
	f.Add([]byte("\uFEFF" + fuzzHeader + "582000;6282000;250;\"Tele;2\";3g;9,99;10\n\n"))
	f.Add([]byte(fuzzHeader + "582000;6282000;250;Telia;4g;10;\n582100;6282100;100;Telia;4g;10;\n")) // two sizes
	f.Add([]byte("e,n,size,operator,technology\n1,2,3,4,5\n"))                                       // a column missing
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(fuzzHeader + "582000;6282000;250;Telenor;5g;1000;100\n"))
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:gz.Len()-5])                                                  // cut short
	f.Add([]byte(fuzzHeader + "582000;6282000;250;T\xe4lia;4g;10;\n"))              // Latin-1
	f.Add([]byte("\xff\xfee\x00;\x00n\x00"))                                        // UTF-16
	f.Add([]byte(fuzzHeader + "582000;6282000;250;Telia;4g;\"10;\n"))               // a quote never closed
	f.Add([]byte(fuzzHeader + "999999999;99999999999;250;Telia;4g;1e3;-1\n"))       // out of range
	f.Add([]byte(fuzzHeader + "582000;6282000;250;Telia;4g;100000000000000000;\n")) // too fast

	f.Fuzz(func(t *testing.T, data []byte) {
		p := tabular.NewProblems(10)
		rd, err := NewReader(bytes.NewReader(data), ReaderOptions{Name: "fuzz.csv", Problems: p})
		if err == nil {
			var size int64
			for rd.Next() {
				r := rd.Row()
				if size == 0 {
					size = r.Size
				}
				checkFuzzRow(t, r, size)
			}
			rd.Close()
			err = rd.Err()
		}
		// A byte slice cannot fail to read: a file is read whole, or
		// refused with its reasons listed.
		var ie *tabular.ImportError
		if err != nil && (!errors.As(err, &ie) || p.ErrorCount == 0) {
			t.Fatalf("read ended with %v", err)
		}
		for _, list := range [][]tabular.Problem{p.Errors, p.Warnings} {
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

// checkFuzzRow asserts the format's rules on a row the reader accepted.
func checkFuzzRow(t *testing.T, r *Row, size int64) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("accepted a malformed row (line %d): "+format, append([]any{r.Line}, args...)...)
	}
	if r.Line < 2 {
		fail("line number %d", r.Line)
	}
	if r.Size != 100 && r.Size != 250 {
		fail("size %d", r.Size)
	}
	if r.Size != size {
		fail("size %d in a file of %d", r.Size, size)
	}
	if float64(r.E) < geo.MinE || float64(r.E) > geo.MaxE || float64(r.N) < geo.MinN || float64(r.N) > geo.MaxN {
		fail("corner %d, %d outside Sweden", r.E, r.N)
	}
	if r.E%r.Size != 0 || r.N%r.Size != 0 {
		fail("corner %d, %d not on the grid of %d m", r.E, r.N, r.Size)
	}
	if r.Operator == "" || utf8.RuneCountInString(r.Operator) > 64 || !utf8.ValidString(r.Operator) ||
		strings.ContainsFunc(r.Operator, unicode.IsControl) || r.Operator != strings.TrimSpace(r.Operator) {
		fail("operator %q", r.Operator)
	}
	if _, ok := technologies[r.Technology]; !ok {
		fail("technology %q", r.Technology)
	}
	if !r.Outdoor.Valid || r.Outdoor.Mant < 0 {
		fail("outdoor speed %+v", r.Outdoor)
	}
	if r.Indoor.Valid && r.Indoor.Mant < 0 {
		fail("indoor speed %+v", r.Indoor)
	}
}
