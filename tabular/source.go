package tabular

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"unicode/utf8"
)

// counter counts the bytes read from the source and remembers whether the
// source itself failed, so that a failing upload or disk is told apart from
// a damaged file. The decompressing goroutine reads it; hence the atomics.
type counter struct {
	r      io.Reader
	n      atomic.Int64
	failed atomic.Bool
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	if err != nil && err != io.EOF {
		c.failed.Store(true)
	}
	return n, err
}

// tail sits under the buffer the CSV parser reads from: it remembers the
// last byte of the file (a last line without a newline may be cut off),
// stops a record that grows past maxRecord (a quote never closed would
// otherwise pull the rest of the file into memory), and looks at the bytes
// as they pass: while they are all UTF-8 without a NUL, the values need no
// check of their own (suspect turns on at the first chunk that fails, and
// the reader then checks each value to name the line and column).
type tail struct {
	r       io.Reader
	n       int64 // bytes delivered
	mark    int64 // where the current record starts, as the parser counts
	last    byte  // the last byte delivered
	suspect bool  // some byte delivered is not UTF-8, or a NUL
	carry   [utf8.UTFMax]byte
	nc      int // bytes in carry: a character cut by the end of a chunk
}

// maxRecord bounds one record (a line, or several when a quoted value holds
// line breaks); bufSize is the parser's buffer, read ahead of the record.
const (
	maxRecord = 4 << 20
	bufSize   = 1 << 20
)

// errRecordTooLong ends a read whose record grew past maxRecord.
var errRecordTooLong = errors.New("tabular: record longer than 4 MiB")

func (t *tail) Read(p []byte) (int, error) {
	if t.n-t.mark > maxRecord+bufSize {
		return 0, errRecordTooLong
	}
	n, err := t.r.Read(p)
	if n > 0 {
		t.n += int64(n)
		t.last = p[n-1]
		if !t.suspect {
			t.scan(p[:n])
		}
	}
	if err != nil && t.nc > 0 { // the file ends inside a character
		t.suspect = true
	}
	return n, err
}

// scan sets suspect when b, after what the last chunk left in carry, holds
// a NUL or a byte that is not UTF-8.
func (t *tail) scan(b []byte) {
	if bytes.IndexByte(b, 0) >= 0 {
		t.suspect = true
		return
	}
	for t.nc > 0 && len(b) > 0 { // finish the character the last chunk cut
		t.carry[t.nc] = b[0]
		t.nc++
		b = b[1:]
		if utf8.FullRune(t.carry[:t.nc]) {
			if r, size := utf8.DecodeRune(t.carry[:t.nc]); r == utf8.RuneError && size == 1 {
				t.suspect = true
				return
			}
			t.nc = 0
		}
	}
	if t.nc > 0 { // b ended before the character did
		return
	}
	k := len(b) // where a character cut by the end of b starts
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				k = i
			}
			break
		}
	}
	if !utf8.Valid(b[:k]) {
		t.suspect = true
		return
	}
	t.nc = copy(t.carry[:], b[k:])
}

// damage says what a read error means for the file, or "" when it is no
// damage of the file but a failing source (then the error is passed on).
// compressed is how many bytes of the source were read.
func damage(err error, gz bool, compressed int64) string {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, errRecordTooLong):
		return "a record runs over 4 MiB: a quote (\") that opens a value is never closed, or this is no CSV file"
	case !gz:
		return ""
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Sprintf("the file ends early: gzip stream truncated after %d bytes of compressed data", compressed)
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Sprintf("the file is damaged: the gzip checksum does not match the data (after %d bytes of compressed data)", compressed)
	case errors.Is(err, gzip.ErrHeader):
		return fmt.Sprintf("the file is damaged: no valid gzip data after %d bytes of compressed data", compressed)
	case errors.As(err, &corrupt):
		return fmt.Sprintf("the file is damaged: corrupt gzip data at byte %d of the compressed data", int64(corrupt))
	}
	return fmt.Sprintf("the file is damaged: gzip: %v", err)
}
