package tabular

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func fuzzSeeds(f *testing.F) [][]byte {
	return [][]byte{
		[]byte("a;b;c\n1;2,5;3\n"),
		[]byte("\uFEFFa,b\r\n\"x,\"\"y\"\"\",2\r\n\r\n"),
		[]byte("a;b\n1;\"2\n3\";4\n5;6"),
		[]byte("a\tb\n1\t2\n"),
		[]byte("a;b\nV\xe4xj\xf6;1\n"),
		[]byte("\xff\xfea\x00;\x00b\x00\n\x00"),
		[]byte("PK\x03\x04\x00\x00"),
		[]byte("a;b\n1;\"2"),
	}
}

// FuzzOpen feeds the reader arbitrary bytes, plain and gzipped: it must
// never panic, yield only records with the header's field count in valid
// UTF-8 without NUL, and every message must be fit to show.
func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if compress {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			data = b.Bytes()
		}
		p := NewProblems(5)
		rd, err := Open(bytes.NewReader(data), Options{Name: "fuzz.csv", Problems: p})
		if err == nil {
			for rd.Next() {
				rec := rd.Record()
				if len(rec) != len(rd.Header()) || rd.Line() < 2 {
					t.Fatalf("record of %d fields on line %d, header %d", len(rec), rd.Line(), len(rd.Header()))
				}
				for _, v := range rec {
					if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
						t.Fatalf("value %q yielded", v)
					}
				}
			}
			rd.Close()
			err = rd.Err()
		}
		var ie *ImportError
		if err != nil && (!errors.As(err, &ie) || p.ErrorCount == 0) {
			t.Fatalf("a byte slice cannot fail to read: %v", err)
		}
		for _, list := range [][]Problem{p.Errors, p.Warnings} {
			for _, pr := range list {
				s := pr.String()
				if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) || utf8.RuneCountInString(s) > 700 {
					t.Fatalf("message not fit to show: %q", s)
				}
			}
		}
	})
}

// FuzzGzipCut: a gzip file cut anywhere short of its end is refused.
func FuzzGzipCut(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, uint16(30))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		gz := b.Bytes()[:int(cut)%b.Len()]
		p := NewProblems(5)
		rd, err := Open(bytes.NewReader(gz), Options{Name: "fuzz.csv.gz", Problems: p})
		if err == nil {
			for rd.Next() {
			}
			rd.Close()
			err = rd.Err()
		}
		var ie *ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("%d of %d bytes of gzip read without a refusal (err %v)", len(gz), b.Len(), err)
		}
	})
}
