package mobile

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/tabular"
)

// The columns of the format (spec/mobile.md, "Import format").
const (
	colE       = "e"
	colN       = "n"
	colSize    = "size"
	colOp      = "operator"
	colTech    = "technology"
	colOutdoor = "down_mbps_outdoor"
	colIndoor  = "down_mbps_indoor"
)

var columns = [...]string{colE, colN, colSize, colOp, colTech, colOutdoor, colIndoor}

// required lists the columns a file must have: all but the indoor speed.
var required = columns[:6]

// Row is one row of a mobile coverage file: what an operator expects of a
// technology in one grid square.
type Row struct {
	Line       int   // the physical line the row starts on; the header is 1
	E, N       int64 // lower-left corner, SWEREF 99 TM
	Size       int64 // 100 or 250
	Operator   string
	Technology Technology
	Outdoor    coverage.Speed // down_mbps_outdoor
	Indoor     coverage.Speed // down_mbps_indoor; not Valid when empty
}

// ReaderOptions configure a Reader.
type ReaderOptions struct {
	Name     string            // the file's name in messages
	Problems *tabular.Problems // where errors and warnings go; nil: a new collector
	Encoding string            // the file's encoding when not UTF-8 (tabular.Encodings); "": UTF-8
}

// Reader streams the rows of a mobile coverage file read by the conventions
// of package tabular (gzip by magic bytes, a BOM, "," or ";", a decimal
// comma with ";", encodings, damaged files refused). Every bad row is
// recorded in Problems and skipped; Next yields only rows that pass every
// check one row can fail, and the size check across rows (one size per
// file: the first row's). Memory does not grow with the file.
type Reader struct {
	name     string
	problems *tabular.Problems
	tab      *tabular.Reader
	pos      [len(columns)]int // each column's index in the record; -1: absent
	headers  []string
	decimal  bool
	size     int64 // the file's size, set by its first good row
	sizeLine int
	row      Row
	rows     int64
}

// NewReader reads the header of r. A file refused at its start or a header
// without a required column returns a *tabular.ImportError.
func NewReader(r io.Reader, opt ReaderOptions) (*Reader, error) {
	if opt.Problems == nil {
		opt.Problems = tabular.NewProblems(tabular.DefaultLimit)
	}
	if opt.Name == "" {
		opt.Name = "(input)"
	}
	tab, err := tabular.Open(r, tabular.Options{Name: opt.Name, Problems: opt.Problems, Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	rd := &Reader{name: opt.Name, problems: opt.Problems, tab: tab, decimal: tab.DecimalComma()}
	if err := rd.readHeader(); err != nil {
		tab.Close()
		return nil, err
	}
	return rd, nil
}

func (rd *Reader) readHeader() error {
	rd.headers = rd.tab.Header()
	for i := range rd.pos {
		rd.pos[i] = -1
	}
	p := rd.problems
	for i, h := range rd.headers {
		name := strings.ToLower(strings.TrimSpace(h))
		j := -1
		for k, c := range columns {
			if c == name {
				j = k
			}
		}
		switch {
		case j < 0 && name == "":
			p.Warn(tabular.Problem{File: rd.name, Line: 1, Message: fmt.Sprintf("column %d has no header and is ignored", i+1),
				Code: "column-without-header", Params: tabular.P("position", fmt.Sprint(i+1))})
		case j < 0:
			p.Warn(tabular.Problem{File: rd.name, Line: 1, Column: h, Message: "unknown column, ignored", Code: "unknown-column"})
		case rd.pos[j] >= 0:
			p.Error(tabular.Problem{File: rd.name, Line: 1, Column: h,
				Message: fmt.Sprintf("column %s appears twice (columns %d and %d)", columns[j], rd.pos[j]+1, i+1),
				Code:    "column-twice", Params: tabular.P("name", columns[j], "first", fmt.Sprint(rd.pos[j]+1), "second", fmt.Sprint(i+1))})
		default:
			rd.pos[j] = i
		}
	}
	for k, c := range required {
		if rd.pos[k] < 0 {
			p.Error(tabular.Problem{File: rd.name, Line: 1, Message: "missing required column " + c, Code: "missing-column", Params: tabular.P("name", c)})
		}
	}
	if p.ErrorCount > 0 {
		return &tabular.ImportError{File: rd.name, Problems: p}
	}
	return nil
}

// field returns the trimmed value of column k, "" when the file lacks it.
func (rd *Reader) field(rec []string, k int) string {
	if rd.pos[k] < 0 {
		return ""
	}
	return strings.TrimSpace(rec[rd.pos[k]])
}

// column is the file's own name of column k, for messages.
func (rd *Reader) column(k int) string {
	if rd.pos[k] < 0 {
		return columns[k]
	}
	return rd.headers[rd.pos[k]]
}

// Next advances to the next good row, recording the problems of the rows it
// skips. False at the end of the file, or when it turns out damaged or
// cannot be read (see Err).
func (rd *Reader) Next() bool {
	for rd.tab.Next() {
		if rd.parse(rd.tab.Line(), rd.tab.Record()) {
			rd.rows++
			return true
		}
	}
	return false
}

// parse checks one record and fills rd.row, reporting every problem of the
// record.
func (rd *Reader) parse(line int, rec []string) bool {
	ok := true
	bad := func(k int, value, msg, code string, params ...string) {
		rd.problems.Error(tabular.Problem{File: rd.name, Line: line, Column: rd.column(k), Value: value, Message: msg,
			Code: code, Params: tabular.P(params...)})
		ok = false
	}
	r := &rd.row
	*r = Row{Line: line}

	sizeS := rd.field(rec, 2)
	switch sizeS {
	case "100":
		r.Size = 100
	case "250":
		r.Size = 250
	default:
		bad(2, sizeS, "must be 100 or 250 (metres)", "mobile-square-size")
	}
	if r.Size > 0 && rd.size > 0 && r.Size != rd.size {
		bad(2, sizeS, fmt.Sprintf("two sizes in one file: line %d has %d", rd.sizeLine, rd.size), "mobile-two-sizes",
			"line", fmt.Sprint(rd.sizeLine), "size", fmt.Sprint(rd.size))
	}
	r.E = rd.coordinate(rec, 0, r.Size, geo.MinE, geo.MaxE, "easting outside Sweden's extent in SWEREF 99 TM (180 000–1 000 000 m)", "easting", bad)
	r.N = rd.coordinate(rec, 1, r.Size, geo.MinN, geo.MaxN, "northing outside Sweden's extent in SWEREF 99 TM (6 100 000–7 700 000 m)", "northing", bad)

	r.Operator = rd.field(rec, 3)
	if r.Operator == "" {
		bad(3, "", "required: the network operator, e.g. Telia", "required")
	} else if msg, code := tabular.CheckTextCode(r.Operator, 64); msg != "" {
		bad(3, r.Operator, msg, code, "max", "64")
	}
	tech := rd.field(rec, 4)
	r.Technology = Technology(strings.ToLower(tech))
	if _, known := technologies[r.Technology]; !known {
		bad(4, tech, "unknown technology (want 2g, 3g, 4g or 5g)", "mobile-technology")
	}

	var err error
	out := rd.field(rec, 5)
	if r.Outdoor, err = coverage.ParseFileSpeed(out, rd.decimal); err != nil {
		bad(5, out, err.Error(), coverage.CodeOf(err))
	}
	if in := rd.field(rec, 6); in != "" {
		if r.Indoor, err = coverage.ParseFileSpeed(in, rd.decimal); err != nil {
			bad(6, in, err.Error(), coverage.CodeOf(err))
		} else if r.Outdoor.Valid && r.Indoor.Cmp(r.Outdoor) > 0 && ok {
			rd.problems.Warn(tabular.Problem{File: rd.name, Line: line, Column: rd.column(6), Value: in,
				Message: fmt.Sprintf("indoors faster than outdoors (%s Mbit/s): imported as it is", r.Outdoor),
				Code:    "mobile-indoor-faster", Params: tabular.P("outdoor", r.Outdoor.String())})
		}
	}
	if ok && rd.size == 0 {
		rd.size, rd.sizeLine = r.Size, line
	}
	return ok
}

// coordinate parses e or n: a whole number of metres, a multiple of the size,
// within Sweden's extent.
func (rd *Reader) coordinate(rec []string, k int, size int64, lo, hi float64, outside, outsideCode string, bad func(int, string, string, string, ...string)) int64 {
	s := rd.field(rec, k)
	if !tabular.AllDigits(s) || len(s) > 9 {
		if s == "" {
			bad(k, s, "required: a whole number of metres", "required")
		} else {
			bad(k, s, "must be a whole number of metres (SWEREF 99 TM)", "not-metres")
		}
		return 0
	}
	v, _ := strconv.ParseInt(s, 10, 64) // nine digits at most: no overflow
	switch {
	case float64(v) < lo || float64(v) > hi:
		bad(k, s, outside, outsideCode)
	case size > 0 && v%size != 0:
		bad(k, s, fmt.Sprintf("not a multiple of the size (%d): the lower-left corner of a square", size), "mobile-not-corner", "size", fmt.Sprint(size))
	}
	return v
}

// Row returns the current row; it is overwritten by the next call to Next.
func (rd *Reader) Row() *Row { return &rd.row }

// Size is the file's square size, known from its first good row; 0 before.
func (rd *Reader) Size() int64 { return rd.size }

// Rows is the number of good rows yielded so far.
func (rd *Reader) Rows() int64 { return rd.rows }

// Err returns what ended the file early: a *tabular.ImportError for a
// damaged file, or the source's error. Either way none of it is imported.
func (rd *Reader) Err() error { return rd.tab.Err() }

// Problems returns the collected errors and warnings.
func (rd *Reader) Problems() *tabular.Problems { return rd.problems }

// Name is the file's name as messages give it.
func (rd *Reader) Name() string { return rd.name }

// Close releases what the reader holds; it does not close the source.
func (rd *Reader) Close() error { return rd.tab.Close() }
