package tabular

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
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
// last byte of the file (a last line without a newline may be cut off) and
// stops a record that grows past maxRecord (a quote never closed would
// otherwise pull the rest of the file into memory).
type tail struct {
	r    io.Reader
	n    int64 // bytes delivered
	mark int64 // where the current record starts, as the parser counts
	last byte  // the last byte delivered
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
	}
	return n, err
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
