package tabular

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// Options configure a Reader.
type Options struct {
	Name     string    // the file's name in messages: "coverage-2024.csv"; "(input)" when empty
	Problems *Problems // where errors and warnings go; nil: a new collector
	// Encoding names the file's encoding when it is not UTF-8:
	// "windows-1252", "iso-8859-1" or "iso-8859-15" (see Encodings). The
	// file is converted to UTF-8 as it is read. Empty: UTF-8, and a file
	// that is not is refused with the line where it shows.
	Encoding string
}

// Reader reads a CSV file by the conventions of every tabular import: plain
// or gzip (recognised by its magic bytes, so stdin works too), UTF-8 with or
// without a BOM, "," or ";" sniffed from the header. Next yields the records
// that have as many fields as the header, with their physical line numbers;
// it skips blank lines and records a malformed record in Problems. A damaged
// file ends the read (see Err). Memory does not grow with the file.
type Reader struct {
	name     string
	problems *Problems
	src      *counter
	gz       bool
	closer   io.Closer // stops the decompressing goroutine, if any
	tail     *tail
	buf      *bufio.Reader
	base     int64 // bytes of buf consumed before the parser started (the BOM)
	csv      *csv.Reader
	header   []string
	comma    rune
	rec      []string
	line     int // the line of rec
	lastLine int // the last line the parser read whole
	done     bool
	err      error
}

// Open reads the start of r up to and including the header row. A file that
// is no CSV text in UTF-8 (or the declared encoding), or is damaged, is
// refused with an *ImportError whose Problems say why; an error reading r
// is returned as it is.
func Open(r io.Reader, opt Options) (*Reader, error) {
	if opt.Problems == nil {
		opt.Problems = NewProblems(DefaultLimit)
	}
	if opt.Name == "" {
		opt.Name = "(input)"
	}
	enc, err := lookupEncoding(opt.Encoding)
	if err != nil {
		return nil, err
	}
	rd := &Reader{name: opt.Name, problems: opt.Problems, src: &counter{r: r}}
	raw := bufio.NewReaderSize(rd.src, 64<<10)
	var stream io.Reader = raw
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		rd.gz = true
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return nil, rd.refuse(err)
		}
		ra := newReadAhead(gz) // decompress on another core
		rd.closer, stream = ra, ra
	}
	if err := rd.open(stream, enc); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// open checks the encoding, skips a BOM, sniffs the delimiter and reads the
// header.
func (rd *Reader) open(stream io.Reader, enc encoding.Encoding) error {
	// Without an encoding, the parser's buffer is sniffed; with one, the
	// bytes are sniffed before they are converted.
	var sniffed *bufio.Reader
	if enc == nil {
		rd.tail = &tail{r: stream}
		rd.buf = bufio.NewReaderSize(rd.tail, bufSize)
		sniffed = rd.buf
	} else {
		sniffed = bufio.NewReaderSize(stream, sniffSize)
	}
	sample, err := sniffed.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return rd.refuse(err)
	}
	bom := bytes.HasPrefix(sample, []byte("\xef\xbb\xbf"))
	if msg := sniffText(sample); msg != "" {
		return rd.refuseWith(Problem{File: rd.name, Message: msg})
	}
	switch {
	case enc != nil && bom:
		rd.problems.Warn(Problem{File: rd.name, Message: "the file starts with a UTF-8 byte order mark: read as UTF-8, not as the encoding given"})
		enc = nil
	case enc != nil && hasNonASCIIUTF8(sample):
		return rd.refuseWith(Problem{File: rd.name, Message: "the file is UTF-8, not the encoding given: leave the encoding out"})
	}
	if bom {
		sniffed.Discard(3)
	}
	if sniffed != rd.buf { // an encoding was given: convert under the parser's buffer
		var conv io.Reader = sniffed
		if enc != nil {
			conv = transform.NewReader(sniffed, enc.NewDecoder())
		}
		rd.tail = &tail{r: conv}
		rd.buf = bufio.NewReaderSize(rd.tail, bufSize)
	} else if bom {
		rd.base = 3
	}
	line, err := headerLine(rd.buf)
	if err != nil {
		return rd.refuse(err)
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return rd.refuseWith(Problem{File: rd.name, Line: 1, Message: "no header row (the file is empty or starts with a blank line)"})
	}
	comma, msg := sniffDelimiter(line)
	if msg != "" {
		return rd.refuseWith(Problem{File: rd.name, Line: 1, Message: msg})
	}
	rd.comma = comma
	rd.csv = csv.NewReader(rd.buf)
	rd.csv.Comma = comma
	rd.csv.ReuseRecord = true
	rd.csv.FieldsPerRecord = -1 // checked here, with a message of our own
	rec, err := rd.csv.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return rd.refuseWith(Problem{File: rd.name, Line: pe.Line, Message: "header: " + parseMessage(pe)})
	case err != nil:
		return rd.refuse(err)
	}
	rd.header = append([]string(nil), rec...)
	for _, h := range rd.header {
		switch {
		case !utf8.ValidString(h):
			return rd.refuseWith(Problem{File: rd.name, Line: 1, Value: h, Message: notUTF8})
		case strings.IndexByte(h, 0) >= 0:
			return rd.refuseWith(Problem{File: rd.name, Line: 1, Value: h, Message: nulByte})
		}
	}
	rd.lastLine, _ = rd.csv.FieldPos(len(rec) - 1)
	return nil
}

// refuse turns an error met while opening into the refusal of a damaged
// file, or passes on the source's own error.
func (rd *Reader) refuse(err error) error {
	rd.fail(err)
	return rd.err
}

// refuseWith refuses the file for pr.
func (rd *Reader) refuseWith(pr Problem) error {
	rd.problems.Fatal(pr)
	rd.done = true
	rd.err = &ImportError{File: rd.name, Problems: rd.problems}
	return rd.err
}

// headerLine returns the first line (without reading it), looking no
// further than 1 MiB: a longer header is no CSV file of ours.
func headerLine(br *bufio.Reader) ([]byte, error) {
	for n := 4096; ; n *= 2 {
		b, err := br.Peek(min(n, bufSize))
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return b[:i], nil
		}
		switch {
		case err == io.EOF: // the whole input is one line, or empty
			return b, nil
		case err != nil && err != bufio.ErrBufferFull:
			return nil, err
		case n >= bufSize:
			return nil, errHeaderTooLong
		}
	}
}

// nulByte is the message for a NUL inside a value: no text file has one.
const nulByte = "a NUL byte: the file is damaged or holds binary data, not CSV text"

var errHeaderTooLong = errors.New("tabular: header longer than 1 MiB")

// Next advances to the next record with as many fields as the header. It
// returns false at the end of the file, or when the file turns out damaged
// or the source fails (see Err).
func (rd *Reader) Next() bool {
	for !rd.done {
		rd.tail.mark = rd.base + rd.csv.InputOffset()
		rec, err := rd.csv.Read()
		if err != nil {
			rd.readError(err)
			continue
		}
		line, _ := rd.csv.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line, as spreadsheets leave at the end
		}
		if len(rec) != len(rd.header) {
			if len(rec) < len(rd.header) && rd.atEnd() && rd.tail.last != '\n' {
				rd.refuseWith(Problem{File: rd.name, Line: line, Message: fmt.Sprintf(
					"the file ends early: line %d is cut off after %d of %d fields", line, len(rec), len(rd.header))})
				return false
			}
			if rd.done { // the look ahead failed
				return false
			}
			rd.problems.Error(Problem{File: rd.name, Line: line,
				Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(rd.header))})
			rd.lastLine, _ = rd.csv.FieldPos(len(rec) - 1)
			continue
		}
		for i, f := range rec {
			if !rd.tail.suspect {
				break // every byte so far is UTF-8 without a NUL
			}
			msg := ""
			switch {
			case !utf8.ValidString(f):
				msg = notUTF8
			case strings.IndexByte(f, 0) >= 0:
				msg = nulByte
			default:
				continue
			}
			rd.refuseWith(Problem{File: rd.name, Line: line, Column: rd.header[i], Value: f, Message: msg})
			rd.checkGzip()
			return false
		}
		rd.rec, rd.line = rec, line
		rd.lastLine, _ = rd.csv.FieldPos(len(rec) - 1)
		return true
	}
	return false
}

// readError handles an error of the parser: a malformed record is recorded
// and skipped; anything else ends the read.
func (rd *Reader) readError(err error) {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		rd.done = true
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) && rd.atEnd():
		rd.refuseWith(Problem{File: rd.name, Line: pe.StartLine, Message: fmt.Sprintf(
			`the file ends inside a quoted value: the " that opens it on line %d is never closed (the file is cut off, a closing " is missing, or a " inside the value is not doubled)`, pe.StartLine)})
	case errors.As(err, &pe) && !rd.done:
		rd.problems.Error(Problem{File: rd.name, Line: pe.Line, Message: parseMessage(pe)})
	case errors.As(err, &pe): // the look ahead failed
	default:
		rd.fail(err)
	}
}

// parseMessage says what is wrong with a malformed record.
func parseMessage(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`malformed CSV: a " in a value that does not start with one (character %d); a value with quotes must be quoted, its quotes doubled ("")`, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`malformed CSV: a " inside a quoted value that is not doubled ("") nor followed by the delimiter (character %d)`, pe.Column)
	}
	return "malformed CSV: " + pe.Err.Error()
}

// fail ends the read on err: a damaged file becomes a fatal problem and an
// *ImportError; the source's own failure is passed on.
func (rd *Reader) fail(err error) {
	rd.done = true
	if errors.Is(err, errHeaderTooLong) {
		rd.refuseWith(Problem{File: rd.name, Line: 1, Message: "the header is longer than 1 MiB: this is no CSV file"})
		return
	}
	msg := ""
	if !rd.src.failed.Load() {
		msg = damage(err, rd.gz, rd.src.n.Load())
	}
	if msg == "" {
		rd.err = fmt.Errorf("%s: %w", Printable(rd.name, ValueRunes), err)
		return
	}
	if rd.lastLine > 0 {
		msg += fmt.Sprintf(" (after line %d)", rd.lastLine)
	}
	rd.refuseWith(Problem{File: rd.name, Message: msg})
}

// checkGzip reads a gzip file to its end after a refusal in mid-file:
// bytes that are not UTF-8 may be a damaged stream decompressed into
// garbage, which only its checksum at the end tells. The damage is then
// listed as the reason.
func (rd *Reader) checkGzip() {
	if !rd.gz {
		return
	}
	rd.tail.mark = math.MaxInt64 // no record is read any more
	_, err := io.Copy(io.Discard, rd.buf)
	if err != nil && !rd.src.failed.Load() {
		if msg := damage(err, rd.gz, rd.src.n.Load()); msg != "" {
			rd.problems.Fatal(Problem{File: rd.name, Message: msg})
		}
	}
}

// atEnd reports whether the parser has consumed the whole file. An error
// met looking ahead ends the read (the buffer would not say it again).
func (rd *Reader) atEnd() bool {
	_, err := rd.buf.Peek(1)
	if err != nil && err != io.EOF {
		rd.fail(err)
	}
	return err == io.EOF
}

// Record returns the current record; it is overwritten by the next call to
// Next. Its values are valid UTF-8, as they are in the file (not trimmed).
func (rd *Reader) Record() []string { return rd.rec }

// Line returns the physical line the current record starts on; the header
// is line 1.
func (rd *Reader) Line() int { return rd.line }

// Header returns the file's column names as they are in the file.
func (rd *Reader) Header() []string { return rd.header }

// Comma returns the delimiter: ',' or ';'.
func (rd *Reader) Comma() rune { return rd.comma }

// DecimalComma reports whether "," is a decimal separator in numbers: in a
// file separated by ";" (spec/coverage-format.md).
func (rd *Reader) DecimalComma() bool { return rd.comma == ';' }

// Name returns the file's name as messages give it.
func (rd *Reader) Name() string { return rd.name }

// Problems returns the collector the reader records in.
func (rd *Reader) Problems() *Problems { return rd.problems }

// Err returns what ended the read early: an *ImportError when the file is
// damaged (cut short, corrupt, not in its encoding; the damage is the first
// of its Problems), the source's error when reading failed, nil at the end
// of a whole file. After an error nothing of the file is to be trusted:
// import none of it.
func (rd *Reader) Err() error { return rd.err }

// Close stops the decompressing goroutine, if any; it does not close the
// source.
func (rd *Reader) Close() error {
	if rd.closer != nil {
		return rd.closer.Close()
	}
	return nil
}
