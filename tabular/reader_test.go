package tabular

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// read opens data and reads every record, as an import would.
type read struct {
	header  []string
	records [][]string
	lines   []int
	p       *Problems
	openErr error // from Open
	err     error // from Err, after the last record
	comma   rune
}

func readData(t *testing.T, data []byte, opt Options) read {
	t.Helper()
	if opt.Name == "" {
		opt.Name = "f.csv"
	}
	if opt.Problems == nil {
		opt.Problems = NewProblems(10)
	}
	res := read{p: opt.Problems}
	rd, err := Open(bytes.NewReader(data), opt)
	if err != nil {
		res.openErr = err
		return res
	}
	defer rd.Close()
	res.header, res.comma = rd.Header(), rd.Comma()
	for rd.Next() {
		res.records = append(res.records, slices.Clone(rd.Record()))
		res.lines = append(res.lines, rd.Line())
	}
	res.err = rd.Err()
	return res
}

// refusal returns the error that refused the file (from Open or from Err),
// failing the test when the file was not refused as a damaged file.
func (r read) refusal(t *testing.T) string {
	t.Helper()
	err := r.openErr
	if err == nil {
		err = r.err
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("not refused: err %v, want an *ImportError (records %d, problems:\n%s)", err, len(r.records), r.p.Report())
	}
	if ie.Problems != r.p || len(r.p.Errors) == 0 {
		t.Fatalf("refused without a problem listed: %v", err)
	}
	return r.p.Errors[0].String()
}

func gz(t *testing.T, data string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(data))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReaderConventions(t *testing.T) {
	body := "a,b,c\n1,2,3\n4,\"5,5\",6\n"
	want := [][]string{{"1", "2", "3"}, {"4", "5,5", "6"}}
	for name, data := range map[string]string{
		"comma":               body,
		"BOM and CRLF":        "\uFEFF" + strings.ReplaceAll(body, "\n", "\r\n"),
		"no newline at end":   strings.TrimSuffix(body, "\n"),
		"trailing blank line": body + "\n",
		"gzip":                string(gz(t, "\uFEFF"+body)),
	} {
		t.Run(name, func(t *testing.T) {
			r := readData(t, []byte(data), Options{})
			if r.openErr != nil || r.err != nil || r.p.ErrorCount > 0 {
				t.Fatalf("open %v, err %v, problems:\n%s", r.openErr, r.err, r.p.Report())
			}
			if !slices.Equal(r.header, []string{"a", "b", "c"}) || !slices.EqualFunc(r.records, want, slices.Equal) {
				t.Errorf("header %q, records %q; want a,b,c and %q", r.header, r.records, want)
			}
			if !slices.Equal(r.lines, []int{2, 3}) {
				t.Errorf("lines %v, want 2 and 3", r.lines)
			}
		})
	}
}

func TestReaderSemicolonAndDecimalComma(t *testing.T) {
	r := readData(t, []byte("a;b\n1,5;2\n"), Options{})
	if r.comma != ';' || len(r.records) != 1 || r.records[0][0] != "1,5" {
		t.Errorf("comma %q, records %q; want ';' and 1,5 as one value", r.comma, r.records)
	}
	if f, err := ParseFloat("1,5", true); err != nil || f != 1.5 {
		t.Errorf("ParseFloat(1,5) with a decimal comma = %v, %v", f, err)
	}
}

// TestReaderPhysicalLines: a blank line and a quoted value over two lines
// count as the lines they take in the file, as an editor numbers them.
func TestReaderPhysicalLines(t *testing.T) {
	data := "a;b\n1;2\n\n3;\"x\ny\"\n   \n4;5\n"
	r := readData(t, []byte(data), Options{})
	// line 1 header, 2: 1;2, 3: blank, 4–5: 3;"x\ny", 6: spaces, 7: 4;5
	if !slices.Equal(r.lines, []int{2, 4, 7}) || r.p.ErrorCount != 0 {
		t.Errorf("lines %v, want 2, 4, 7; problems:\n%s", r.lines, r.p.Report())
	}
}

func TestReaderFieldCount(t *testing.T) {
	r := readData(t, []byte("a;b;c\n1;2\n1;2;3\n1;2;3;4\n"), Options{})
	if len(r.records) != 1 || r.p.ErrorCount != 2 || r.err != nil {
		t.Fatalf("%d records, err %v, problems:\n%s", len(r.records), r.err, r.p.Report())
	}
	for i, want := range []string{"f.csv:2: has 2 fields, the header has 3", "f.csv:4: has 4 fields, the header has 3"} {
		if got := r.p.Errors[i].String(); got != want {
			t.Errorf("error %d = %q, want %q", i, got, want)
		}
	}
}

func TestPlainFileCutMidLine(t *testing.T) {
	data := "a;b;c;d\n1;2;3;4\n5;6;7;8\n9;10"
	r := readData(t, []byte(data), Options{})
	msg := r.refusal(t)
	if want := "f.csv:4: the file ends early: line 4 is cut off after 2 of 4 fields"; msg != want {
		t.Errorf("refusal %q, want %q", msg, want)
	}
	// The same line with its newline is an ordinary error, not a cut.
	r = readData(t, []byte(data+"\n"), Options{})
	if r.err != nil || r.p.ErrorCount != 1 || !strings.Contains(r.p.Errors[0].Message, "has 2 fields") {
		t.Errorf("a short last line with its newline: err %v, problems:\n%s", r.err, r.p.Report())
	}
}

func TestUnterminatedQuoteAtTheEnd(t *testing.T) {
	for name, data := range map[string]string{
		"plain": "a;b\n1;2\n3;\"abc\n4;5\n",
		"gzip":  string(gz(t, "a;b\n1;2\n3;\"abc\n4;5\n")),
	} {
		t.Run(name, func(t *testing.T) {
			msg := readData(t, []byte(data), Options{}).refusal(t)
			if !strings.Contains(msg, "f.csv:3: the file ends inside a quoted value") || !strings.Contains(msg, "on line 3 is never closed") {
				t.Errorf("refusal %q, want the quote opened on line 3 named", msg)
			}
		})
	}
}

// TestAQuoteNeverClosedStaysSmall: a stray quote early in a big file would
// pull the rest of it into one value; the reader stops at 4 MiB.
func TestAQuoteNeverClosedStaysSmall(t *testing.T) {
	var b strings.Builder
	b.WriteString("a;b\n1;\"2\n")
	for b.Len() < 7<<20 {
		b.WriteString("3;4\n")
	}
	msg := readData(t, []byte(b.String()+`5;"6`+"\n7;8\n"), Options{}).refusal(t)
	if !strings.Contains(msg, "a record runs over 4 MiB") {
		t.Errorf("refusal %q, want a record over 4 MiB", msg)
	}
}

func TestSourceErrorsPassThrough(t *testing.T) {
	boom := errors.New("disk on fire")
	for name, data := range map[string][]byte{
		"plain": []byte("a;b\n" + strings.Repeat("1;2\n", 100000)),
		"gzip":  gz(t, "a;b\n"+strings.Repeat("1;2\n", 100000)),
	} {
		t.Run(name, func(t *testing.T) {
			src := io.MultiReader(bytes.NewReader(data[:len(data)/2]), iotest.ErrReader(boom))
			rd, err := Open(src, Options{Name: "f.csv"})
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			for rd.Next() {
			}
			var ie *ImportError
			if !errors.Is(rd.Err(), boom) || errors.As(rd.Err(), &ie) {
				t.Errorf("Err() = %v, want the source's error, not a refusal of the file", rd.Err())
			}
		})
	}
}

func TestEmptyAndBlankFirstLine(t *testing.T) {
	for name, data := range map[string]string{"empty": "", "blank first line": "\na;b\n1;2\n"} {
		t.Run(name, func(t *testing.T) {
			if msg := readData(t, []byte(data), Options{}).refusal(t); !strings.Contains(msg, "no header row") {
				t.Errorf("refusal %q, want no header row", msg)
			}
		})
	}
}
