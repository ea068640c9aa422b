package coverage

import (
	"fmt"
	"io"
	"strings"

	"github.com/gigakoll/gigakoll/tabular"
)

// ReaderOptions configure a Reader.
type ReaderOptions struct {
	Name           string          // the file's name in messages: "coverage-2024.csv"
	Mapping        *Mapping        // other headers and values; nil: the standard ones
	Municipalities map[string]bool // the known kommunkoder; nil: any four digits
	Problems       *Problems       // where errors and warnings go; nil: a new collector
	// Encoding names the file's encoding when it is not UTF-8, such as
	// "windows-1252" (tabular.Encodings); empty: UTF-8.
	Encoding string
}

// Reader streams the rows of a coverage file (spec/coverage-format.md) read
// by the conventions of package tabular: CSV, plain or gzip, UTF-8 with or
// without a BOM, "," or ";" sniffed from the header, columns by name. Every
// bad row is recorded in Problems and skipped; Next yields only rows that
// passed every check a single row can fail. A damaged file ends the read
// and Err says so. Memory does not grow with the file.
type Reader struct {
	opt     ReaderOptions
	tab     *tabular.Reader
	cols    map[string]int            // standard column → index in the record
	pos     [len(standardColumns)]int // the same by position in standardColumns; -1: absent
	headers []string                  // the file's headers, for messages
	lonLat  bool                      // positions are WGS 84
	decimal bool                      // "," accepted as the decimal separator
	row     Row
	rows    int64 // rows yielded
}

// Close releases what the reader holds; it does not close the source.
func (rd *Reader) Close() error { return rd.tab.Close() }

// NewReader reads the header of r and returns a Reader positioned on the
// first row. A file refused at its start (not CSV text, not UTF-8, damaged,
// another delimiter) or a header that lacks a required column is an error
// in Problems, and NewReader returns an *ImportError.
func NewReader(r io.Reader, opt ReaderOptions) (*Reader, error) {
	if opt.Problems == nil {
		opt.Problems = NewProblems(DefaultProblemLimit)
	}
	if opt.Name == "" {
		opt.Name = "(input)"
	}
	tab, err := tabular.Open(r, tabular.Options{Name: opt.Name, Problems: opt.Problems, Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	rd := &Reader{opt: opt, tab: tab, decimal: tab.DecimalComma()}
	if err := rd.readHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// required lists the columns a file must have; positions are x/y or lon/lat.
var required = []string{colAddressID, colMunicipality, colHouseholds, colWorkplaces, colTechnology, colStatus, colDown}

func (rd *Reader) readHeader() error {
	rd.headers = rd.tab.Header()
	rd.cols = map[string]int{}
	p := rd.opt.Problems
	for i, h := range rd.headers {
		std := rd.opt.Mapping.standardFor(h)
		switch {
		case std == "" && strings.TrimSpace(h) == "":
			p.Warn(Problem{File: rd.opt.Name, Line: 1, Message: fmt.Sprintf("column %d has no header and is ignored", i+1)})
		case std == "":
			p.Warn(Problem{File: rd.opt.Name, Line: 1, Column: h, Message: "unknown column, ignored"})
		default:
			if j, dup := rd.cols[std]; dup {
				p.Error(Problem{File: rd.opt.Name, Line: 1, Column: h, Message: fmt.Sprintf("column %s appears twice (columns %d and %d)", std, j+1, i+1)})
				continue
			}
			rd.cols[std] = i
		}
	}
	for _, c := range required {
		if _, ok := rd.cols[c]; !ok {
			p.Error(Problem{File: rd.opt.Name, Line: 1, Message: "missing required column " + rd.headerName(c)})
		}
	}
	_, hasX := rd.cols[colX]
	_, hasY := rd.cols[colY]
	_, hasLon := rd.cols[colLon]
	_, hasLat := rd.cols[colLat]
	switch {
	case hasX && hasY:
		if hasLon || hasLat {
			p.Warn(Problem{File: rd.opt.Name, Line: 1, Message: "both x/y and lon/lat given: x/y (SWEREF 99 TM) are used"})
			delete(rd.cols, colLon)
			delete(rd.cols, colLat)
		}
	case hasLon && hasLat:
		rd.lonLat = true
	default:
		p.Error(Problem{File: rd.opt.Name, Line: 1, Message: "missing position: columns x and y (SWEREF 99 TM) or lon and lat (WGS 84) are required"})
	}
	if p.ErrorCount > 0 {
		return &ImportError{File: rd.opt.Name, Problems: p}
	}
	for i, c := range standardColumns {
		rd.pos[i] = -1
		if j, ok := rd.cols[c]; ok {
			rd.pos[i] = j
		}
	}
	return nil
}

// headerName is what the file calls a standard column (its mapped header).
func (rd *Reader) headerName(std string) string {
	if rd.opt.Mapping != nil {
		if h, ok := rd.opt.Mapping.Columns[std]; ok {
			return h
		}
	}
	return std
}

// Next advances to the next row that passes every single-row check,
// recording the problems of the rows it skips. It returns false at the end
// of the file, or when the file turns out damaged or cannot be read (see
// Err).
func (rd *Reader) Next() bool {
	for rd.tab.Next() {
		if rd.parse(rd.tab.Line(), rd.tab.Record()) {
			rd.rows++
			return true
		}
	}
	return false
}

// Row returns the current row; it is overwritten by the next call to Next.
func (rd *Reader) Row() *Row { return &rd.row }

// Err returns what ended the file early: an *ImportError for a damaged file
// (cut short, corrupt gzip, not UTF-8), whose Problems name the damage
// first, or the error of the source. Either way none of the file may be
// imported.
func (rd *Reader) Err() error { return rd.tab.Err() }

// Rows is the number of good rows yielded so far.
func (rd *Reader) Rows() int64 { return rd.rows }

// Problems returns the collected errors and warnings.
func (rd *Reader) Problems() *Problems { return rd.opt.Problems }

// LonLat reports whether the file gives positions in WGS 84.
func (rd *Reader) LonLat() bool { return rd.lonLat }
