package coverage

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// refused reads data and returns every error message, failing unless the
// file was refused as a whole (an *ImportError from NewReader or Err).
func refused(t *testing.T, data string, opt ReaderOptions) []string {
	t.Helper()
	p := NewProblems(100)
	opt.Name, opt.Municipalities, opt.Problems = "in.csv", known, p
	rd, err := NewReader(strings.NewReader(data), opt)
	if err == nil {
		for rd.Next() {
		}
		rd.Close()
		err = rd.Err()
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("not refused: %v; problems:\n%s", err, p.Report())
	}
	var msgs []string
	for _, e := range p.Errors {
		s := e.String()
		if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) || len(s) > 400 {
			t.Errorf("message not fit to show (%d bytes): %q", len(s), s)
		}
		msgs = append(msgs, s)
	}
	return msgs
}

const kalmar = "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;locality\n" +
	"A1;0880;582100;6282100;3;1;fiber;connected;1000;Storgatan;Kalmar\n" +
	"A2;0880;582200;6282100;1;0;dsl;connected;24,5;Åvägen;Växjö\n"

// TestATabSeparatedFileGetsOneError: the file names its delimiter once, not
// every column it then seems to lack.
func TestATabSeparatedFileGetsOneError(t *testing.T) {
	msgs := refused(t, strings.ReplaceAll(kalmar, ";", "\t"), ReaderOptions{})
	want := `in.csv:1: the columns are separated by tabs (10 in the header), not by "," or ";"`
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], want) {
		t.Errorf("errors %q, want only %q", msgs, want)
	}
}

func TestWrongEncodingsAreRefused(t *testing.T) {
	utf16, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(kalmar)
	utf16be, _ := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewEncoder().String(kalmar)
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(kalmar)
	for _, tt := range []struct{ name, data, want string }{
		{"UTF-16 LE with BOM", utf16, "in.csv: the file is UTF-16 (little-endian), not UTF-8: save it as UTF-8"},
		{"UTF-16 BE without BOM", utf16be, "in.csv: the file is UTF-16 (big-endian, without a byte order mark), not UTF-8"},
		{"Latin-1", latin1, `in.csv:3: column street: value "\xc5v\xe4gen": the file is not UTF-8`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if msgs := refused(t, tt.data, ReaderOptions{}); len(msgs) != 1 || !strings.HasPrefix(msgs[0], tt.want) {
				t.Errorf("errors %q, want only %q", msgs, tt.want)
			}
		})
	}
}

func TestALatin1FileReadsWithItsEncoding(t *testing.T) {
	latin1, _ := charmap.Windows1252.NewEncoder().String(kalmar)
	p := NewProblems(10)
	rd, err := NewReader(strings.NewReader(latin1), ReaderOptions{Name: "in.csv", Municipalities: known, Problems: p, Encoding: "windows-1252"})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var rows []Row
	for rd.Next() {
		rows = append(rows, *rd.Row())
	}
	if rd.Err() != nil || p.ErrorCount > 0 || len(rows) != 2 {
		t.Fatalf("%d rows, err %v, problems:\n%s", len(rows), rd.Err(), p.Report())
	}
	if rows[1].Locality != "Växjö" || rows[1].Street != "Åvägen" || rows[1].DownMbps.Mant != 245 {
		t.Errorf("row 2: locality %q, street %q, down %v; want Växjö, Åvägen, 24,5", rows[1].Locality, rows[1].Street, rows[1].DownMbps)
	}
}

func TestDamagedPlainFiles(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"cut mid-line", kalmar + "A3;0880;582300;6282", "in.csv:4: the file ends early: line 4 is cut off after 4 of 11 fields"},
		{"quote never closed", kalmar + `A3;0880;582300;6282100;1;0;fiber;connected;1000;"Storgatan;Kalmar` + "\n", `in.csv:4: the file ends inside a quoted value: the " that opens it on line 4 is never closed`},
		{"a zip", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + strings.Repeat("\x00\xff", 100), "in.csv: not a CSV text file: it is a zip archive (an Excel workbook, .xlsx?)"},
		{"a 10 MB header", strings.Repeat("address_id;", 1<<20) + "\n", "in.csv:1: the header is longer than 1 MiB: this is no CSV file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msgs := refused(t, tt.data, ReaderOptions{})
			if !strings.HasPrefix(msgs[0], tt.want) {
				t.Errorf("errors %q, want first %q", msgs, tt.want)
			}
		})
	}
}

func TestCountOverflowNamesTheMaximum(t *testing.T) {
	_, p, err := readAll(t, "in.csv", header+"A1;0880;582100;6282100;2147483648;1;fiber;connected;1000\n", nil)
	if err != nil || p.ErrorCount != 1 {
		t.Fatalf("err %v, problems:\n%s", err, p.Report())
	}
	if got, want := p.Errors[0].String(), `in.csv:2: column households: value "2147483648": too large: at most 2 147 483 647`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

// TestAHugeUnknownColumnIsClipped: the warning for an unknown column of
// 500 000 characters names it in 80.
func TestAHugeUnknownColumnIsClipped(t *testing.T) {
	long := strings.Repeat("ö", 500_000)
	_, p, err := readAll(t, "in.csv", strings.TrimSuffix(header, "\n")+";"+long+"\nA1;0880;582100;6282100;3;1;fiber;connected;1000;x\n", nil)
	if err != nil || p.ErrorCount > 0 || p.WarningCount != 1 {
		t.Fatalf("err %v, %d warnings, problems:\n%s", err, p.WarningCount, p.Report())
	}
	want := "in.csv:1: column " + strings.Repeat("ö", 80) + "…: unknown column, ignored"
	if got := p.Warnings[0].String(); got != want {
		t.Errorf("warning of %d bytes, want %d: %.120q", len(got), len(want), got)
	}
	if !bytes.Contains([]byte(p.WarningReport()), []byte("…: unknown column")) {
		t.Error("the warning report does not clip the column")
	}
}
