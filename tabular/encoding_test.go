package tabular

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

const swedish = "id;ort;hushåll\nA1;Kalmar;3\nA2;Växjö;12\n"

// shown checks that a message can be shown as it is: valid UTF-8, no NUL
// or other control character, and short.
func shown(t *testing.T, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) || utf8.RuneCountInString(msg) > 300 {
		t.Errorf("message not fit to show (%d runes): %q", utf8.RuneCountInString(msg), msg)
	}
}

func TestUTF16IsRefused(t *testing.T) {
	enc := func(e xunicode.Endianness, bom xunicode.BOMPolicy) []byte {
		b, err := xunicode.UTF16(e, bom).NewEncoder().Bytes([]byte(swedish))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"little-endian with BOM", enc(xunicode.LittleEndian, xunicode.UseBOM), "UTF-16 (little-endian)"},
		{"big-endian with BOM", enc(xunicode.BigEndian, xunicode.UseBOM), "UTF-16 (big-endian)"},
		{"little-endian without BOM", enc(xunicode.LittleEndian, xunicode.IgnoreBOM), "UTF-16 (little-endian, without a byte order mark)"},
		{"big-endian without BOM", enc(xunicode.BigEndian, xunicode.IgnoreBOM), "UTF-16 (big-endian, without a byte order mark)"},
		{"gzipped, little-endian with BOM", gz(t, string(enc(xunicode.LittleEndian, xunicode.UseBOM))), "UTF-16 (little-endian)"},
		{"UTF-32", append([]byte("\xff\xfe\x00\x00"), "i\x00\x00\x00"...), "UTF-32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readData(t, tt.data, Options{})
			msg := r.refusal(t)
			if !strings.HasPrefix(msg, "f.csv: the file is "+tt.want+", not UTF-8: save it as UTF-8") {
				t.Errorf("refusal %q, want it named %s", msg, tt.want)
			}
			for _, e := range r.p.Errors {
				shown(t, e.String())
			}
		})
	}
}

func TestLatin1IsRefusedOrReadWhenNamed(t *testing.T) {
	latin1, err := charmap.ISO8859_1.NewEncoder().String(strings.Replace(swedish, "hushåll", "hushall", 1))
	if err != nil {
		t.Fatal(err)
	}
	r := readData(t, []byte(latin1), Options{})
	msg := r.refusal(t)
	want := `f.csv:3: column ort: value "V\xe4xj\xf6": the file is not UTF-8 (saved as Latin-1 or Windows-1252?)`
	if !strings.HasPrefix(msg, want) || !strings.Contains(msg, "--encoding windows-1252") {
		t.Errorf("refusal %q, want %q and the --encoding hint", msg, want)
	}
	shown(t, msg)
	// The same, read a byte at a time: the check does not depend on where
	// the source's reads end.
	rd, err := Open(iotest.OneByteReader(strings.NewReader(latin1)), Options{Name: "f.csv"})
	if err != nil {
		t.Fatal(err)
	}
	for rd.Next() {
	}
	var ie *ImportError
	if !errors.As(rd.Err(), &ie) || !strings.HasPrefix(ie.Problems.Errors[0].String(), want) {
		t.Errorf("read a byte at a time: %v", rd.Err())
	}

	for _, name := range []string{"windows-1252", "ISO-8859-1", "latin1", "iso-8859-15"} {
		r = readData(t, []byte(latin1), Options{Encoding: name})
		if r.openErr != nil || r.err != nil || len(r.records) != 2 || r.records[1][1] != "Växjö" {
			t.Errorf("read as %s: records %q, err %v %v; want Växjö", name, r.records, r.openErr, r.err)
		}
	}

	// A Latin-1 header is refused on line 1.
	header, _ := charmap.Windows1252.NewEncoder().String(swedish)
	if msg := readData(t, []byte(header), Options{}).refusal(t); !strings.HasPrefix(msg, `f.csv:1: value "hush\xe5ll": the file is not UTF-8`) {
		t.Errorf("a Latin-1 header: refusal %q", msg)
	}
}

func TestEncodingGivenForAUTF8File(t *testing.T) {
	if msg := readData(t, []byte(swedish), Options{Encoding: "windows-1252"}).refusal(t); !strings.Contains(msg, "the file is UTF-8, not the encoding given") {
		t.Errorf("UTF-8 read as windows-1252: refusal %q", msg)
	}
	// A BOM says UTF-8 for certain: read as such, with a warning.
	r := readData(t, []byte("\uFEFF"+swedish), Options{Encoding: "windows-1252"})
	if r.err != nil || r.openErr != nil || len(r.records) != 2 || r.records[1][1] != "Växjö" || r.p.WarningCount != 1 {
		t.Errorf("UTF-8 with a BOM and windows-1252 given: records %q, %d warnings, err %v %v", r.records, r.p.WarningCount, r.openErr, r.err)
	}
	_, err := Open(strings.NewReader(swedish), Options{Encoding: "ebcdic"})
	var ie *ImportError
	if err == nil || errors.As(err, &ie) || !strings.Contains(err.Error(), "windows-1252") {
		t.Errorf("an unknown encoding: %v, want an error listing the encodings", err)
	}
}

func TestBinaryFilesAreRefusedWithoutEchoingThem(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	random := func(n int, lo, hi byte) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = lo + byte(rng.IntN(int(hi-lo)+1))
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"PNG", append([]byte("\x89PNG\r\n\x1a\n"), random(5000, 0, 255)...), "it is a PNG image"},
		{"xlsx", append([]byte("PK\x03\x04"), random(5000, 0, 255)...), "it is a zip archive (an Excel workbook, .xlsx?)"},
		{"random bytes", random(100_000, 0, 255), "it holds NUL bytes"},
		{"random bytes without NUL", random(100_000, 1, 255), "it holds control characters"},
		{"random high bytes", random(100_000, 0x80, 0xff), "most of it is neither text nor UTF-8"},
		{"gzipped random bytes", gz(t, string(random(100_000, 0, 255))), "it holds NUL bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readData(t, tt.data, Options{})
			msg := r.refusal(t)
			if !strings.HasPrefix(msg, "f.csv: not a CSV text file: "+tt.want) || r.p.ErrorCount != 1 || r.p.WarningCount != 0 {
				t.Errorf("refusal %q (%d errors, %d warnings), want %q alone", msg, r.p.ErrorCount, r.p.WarningCount, tt.want)
			}
			shown(t, msg)
		})
	}
}

func TestHugeHeader(t *testing.T) {
	header := strings.Repeat("kolumn;", 10<<20/7) + "\n1;2\n"
	r := readData(t, []byte(header), Options{})
	if msg := r.refusal(t); msg != "f.csv:1: the header is longer than 1 MiB: this is no CSV file" {
		t.Errorf("a 10 MB header: refusal %q", msg)
	}
	// A header under 1 MiB with one column name of 900 KB opens; the name
	// is clipped wherever a message names it.
	long := strings.Repeat("x", 900<<10)
	r = readData(t, []byte("a;"+long+"\n1;2\n"), Options{})
	if r.openErr != nil || len(r.records) != 1 {
		t.Fatalf("a 900 KB column name: %v", r.openErr)
	}
	msg := Problem{File: "f.csv", Line: 1, Column: r.header[1], Message: "unknown column, ignored"}.String()
	if want := "f.csv:1: column " + strings.Repeat("x", ValueRunes) + "…: unknown column, ignored"; msg != want {
		t.Errorf("problem naming a 900 KB column: %d bytes, want %d", len(msg), len(want))
	}
}

func TestDelimiters(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"tab", "address_id\tx\ty\thouseholds\n1\t2\t3\t4\n", `f.csv:1: the columns are separated by tabs (3 in the header), not by "," or ";"`},
		{"bar", "a|b|c\n1|2|3\n", `f.csv:1: the columns are separated by "|" (2 in the header), not by "," or ";"`},
		{"none", "address_id\nA1\n", `f.csv:1: the header has no "," or ";" between columns`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readData(t, []byte(tt.data), Options{})
			if msg := r.refusal(t); !strings.HasPrefix(msg, tt.want) || r.p.ErrorCount != 1 {
				t.Errorf("refusal %q (%d errors), want %q alone", msg, r.p.ErrorCount, tt.want)
			}
		})
	}
	// A quoted header may hold the other delimiter.
	if r := readData(t, []byte(`"a;b",c,"d;e"`+"\n1,2,3\n"), Options{}); r.comma != ',' || len(r.records) != 1 {
		t.Errorf(`"a;b",c,"d;e": comma %q, %d records`, r.comma, len(r.records))
	}
}

// TestNULInsideAFile: a NUL past the start of the file (a block of zeros
// left by a crash, say) refuses the file at its line, shown escaped.
func TestNULInsideAFile(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("a;b\n")
	for range 10000 {
		b.WriteString("hello;world\n")
	}
	b.WriteString("x\x00\x00\x00;z\n")
	for _, data := range [][]byte{b.Bytes(), gz(t, b.String())} {
		msg := readData(t, data, Options{}).refusal(t)
		if want := `f.csv:10002: column a: value "x\x00\x00\x00": a NUL byte: the file is damaged or holds binary data, not CSV text`; msg != want {
			t.Errorf("refusal %q, want %q", msg, want)
		}
	}
}

func TestProblemsAreShownPrintable(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "f.csv", Line: 3, Column: "ort", Value: "Växjö", Message: "m"}, `f.csv:3: column ort: value "Växjö": m`},
		{Problem{File: "f.csv", Line: 3, Column: "ort", Value: "a\tb\x07\xff", Message: "m"}, `f.csv:3: column ort: value "a\tb\a\xff": m`},
		{Problem{File: "f.csv", Line: 3, Column: "o\x00rt\n", Value: "", Message: "m"}, `f.csv:3: column o\x00rt\n: value "": m`},
		{Problem{File: "f\x1b[31m.csv", Line: 0, Message: "bad\x00"}, `f\x1b[31m.csv: bad\x00`},
		{Problem{File: "f.csv", Line: 2, Column: "c", Value: strings.Repeat("å", 200), Message: "m"}, `f.csv:2: column c: value "` + strings.Repeat("å", 80) + `…": m`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
		shown(t, tt.p.String())
	}
}
