package tabular

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestTailScansAcrossChunks: a character cut by the end of a chunk is no
// reason for suspicion; a byte that is not UTF-8, a NUL, or a file that ends
// inside a character are, wherever the chunks end.
func TestTailScansAcrossChunks(t *testing.T) {
	text := strings.Repeat("Växjö;Åsa;€ 12;😀\n", 50)
	tests := []struct {
		name    string
		data    string
		suspect bool
	}{
		{"UTF-8", text, false},
		{"U+FFFD itself", text + "\uFFFD\n", false},
		{"a Latin-1 byte", text + "V\xe4xj\xf6\n" + text, true},
		{"a lone continuation byte", text + "\x80" + text, true},
		{"a NUL", text + "\x00" + text, true},
		{"ends inside a character", text + "\xe2\x82", true},
		{"a lead byte then ASCII", text + "\xe2a" + text, true},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"halves":   iotest.HalfReader,
	}
	for _, tt := range tests {
		for rname, wrap := range readers {
			tl := &tail{r: wrap(strings.NewReader(tt.data))}
			got, err := io.ReadAll(tl)
			if err != nil || !bytes.Equal(got, []byte(tt.data)) {
				t.Fatalf("%s, %s: the bytes changed (err %v)", tt.name, rname, err)
			}
			if tl.suspect != tt.suspect {
				t.Errorf("%s, read %s: suspect %v, want %v", tt.name, rname, tl.suspect, tt.suspect)
			}
		}
	}
}
