package tabular

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// cutFile is a gzip file of 30 000 data lines whose deflate blocks end at
// line boundaries every 2500 lines from line 5000 (the writer is flushed
// there; the first 64 KiB are read whole when the file is opened): a cut at
// such an offset leaves a stream that decompresses cleanly up to a whole
// line and then stops, which a reader that takes gzip's "unexpected EOF"
// for the end of the file imports in part.
func cutFile(t *testing.T) (data []byte, flushes map[int]int) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	flushes = map[int]int{} // offset → data lines before it
	fmt.Fprint(zw, "id;ort;värde\n")
	for i := 1; i <= 30000; i++ {
		fmt.Fprintf(zw, "P%05d;Växjö %d;%d,%d\n", i, i%97, i*7%1000, i%10)
		if i%2500 == 0 && i >= 5000 && i < 30000 {
			zw.Flush()
			flushes[b.Len()] = i
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), flushes
}

// cutOffsets returns 50 offsets spread over a file of n bytes: inside the
// gzip header, at every flush, inside the trailer, and evenly between.
func cutOffsets(n int, flushes map[int]int) []int {
	set := map[int]bool{2: true, 5: true, 9: true, 10: true, 11: true, n - 8: true, n - 7: true, n - 4: true, n - 1: true}
	for off := range flushes {
		set[off] = true
	}
	for i := 1; len(set) < 50; i++ {
		set[12+i*(n-20)/40] = true
	}
	offs := make([]int, 0, len(set))
	for off := range set {
		offs = append(offs, off)
	}
	slices.Sort(offs)
	return offs
}

func TestGzipCutAnywhereIsRefused(t *testing.T) {
	data, flushes := cutFile(t)
	offs := cutOffsets(len(data), flushes)
	if len(offs) != 50 || len(flushes) != 10 {
		t.Fatalf("%d offsets, %d flushes; want 50 and 10", len(offs), len(flushes))
	}
	// The whole file reads.
	if r := readData(t, data, Options{Name: "f.csv.gz"}); r.err != nil || r.openErr != nil || len(r.records) != 30000 {
		t.Fatalf("the whole file: %d records, err %v %v", len(r.records), r.openErr, r.err)
	}
	for _, cut := range offs {
		r := readData(t, data[:cut], Options{Name: "f.csv.gz"})
		msg := r.refusal(t)
		want := fmt.Sprintf("f.csv.gz: the file ends early: gzip stream truncated after %d bytes of compressed data", cut)
		if !strings.HasPrefix(msg, want) {
			t.Errorf("cut at %d of %d: refusal %q, want %q", cut, len(data), msg, want)
		}
		if lines, ok := flushes[cut]; ok {
			// cut at a line boundary: every line before it read whole, and said so
			if len(r.records) != lines || !strings.HasSuffix(msg, fmt.Sprintf("(after line %d)", lines+1)) {
				t.Errorf("cut at a line boundary after %d data lines: %d records, refusal %q", lines, len(r.records), msg)
			}
		}
	}
}

func TestCorruptGzipIsRefused(t *testing.T) {
	data, _ := cutFile(t)
	n := len(data)
	edit := func(f func(b []byte) []byte) []byte { return f(slices.Clone(data)) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"CRC-32 wrong", edit(func(b []byte) []byte { b[n-8] ^= 0xff; return b }), "the gzip checksum does not match the data"},
		{"length wrong", edit(func(b []byte) []byte { b[n-1] ^= 0x01; return b }), "the gzip checksum does not match the data"},
		{"garbage after the stream", append(slices.Clone(data), "and then some more text"...), fmt.Sprintf("no valid gzip data after %d bytes", n+23)},
		{"compression method wrong", edit(func(b []byte) []byte { b[2] = 7; return b }), "no valid gzip data"},
		{"data overwritten", edit(func(b []byte) []byte { copy(b[n/2:], bytes.Repeat([]byte{0xff}, 64)); return b }), "the file is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := readData(t, tt.data, Options{Name: "f.csv.gz"}).refusal(t)
			if !strings.HasPrefix(msg, "f.csv.gz: the file is damaged: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("refusal %q, want a damaged file: %q", msg, tt.want)
			}
		})
	}
}

// TestDamageIsListedFirst: the damage is the reason for the refusal, and is
// listed even when the list of errors is full.
func TestDamageIsListedFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString("a;b\n")
	for range 20 {
		b.WriteString("1\n") // a field missing: an error each
	}
	for range 30000 { // past what is read when the file is opened
		b.WriteString("1;2\n")
	}
	data := gz(t, b.String())
	r := readData(t, data[:len(data)-4], Options{Name: "f.csv.gz", Problems: NewProblems(5)})
	if msg := r.refusal(t); !strings.Contains(msg, "gzip stream truncated") || r.p.ErrorCount != 21 || len(r.p.Errors) != 6 {
		t.Errorf("first error %q, %d errors, %d listed; want the truncation first, 21 and 6", msg, r.p.ErrorCount, len(r.p.Errors))
	}
}
