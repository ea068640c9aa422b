package coverage

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gigakoll/gigakoll/geo"
)

// ReaderOptions configure a Reader.
type ReaderOptions struct {
	Name           string          // the file's name in messages: "coverage-2024.csv"
	Mapping        *Mapping        // other headers and values; nil: the standard ones
	Municipalities map[string]bool // the known kommunkoder; nil: any four digits
	Problems       *Problems       // where errors and warnings go; nil: a new collector
}

// Reader streams the rows of a coverage file (spec/coverage-format.md): CSV,
// plain or gzip (recognised by its magic bytes, so stdin works too), UTF-8
// with or without a BOM, "," or ";" sniffed from the header, columns by name.
// Every bad row is recorded in Problems and skipped; Next yields only rows
// that passed every check a single row can fail. Memory does not grow with
// the file.
type Reader struct {
	opt     ReaderOptions
	csv     *csv.Reader
	cols    map[string]int            // standard column → index in the record
	pos     [len(standardColumns)]int // the same by position in standardColumns; -1: absent
	headers []string                  // the file's headers, for messages
	lonLat  bool                      // positions are WGS 84
	decimal bool                      // "," accepted as the decimal separator
	row     Row
	rows    int64     // rows yielded
	lines   int64     // data records read
	err     error     // a read error that ends the file
	closer  io.Closer // stops the decompressing goroutine, if any
}

// Close releases what the reader holds; it does not close the source.
func (rd *Reader) Close() error {
	if rd.closer != nil {
		return rd.closer.Close()
	}
	return nil
}

// NewReader reads the header of r and returns a Reader positioned on the
// first row. A header that lacks a required column is an error in Problems,
// and NewReader returns an *ImportError.
func NewReader(r io.Reader, opt ReaderOptions) (*Reader, error) {
	if opt.Problems == nil {
		opt.Problems = NewProblems(DefaultProblemLimit)
	}
	if opt.Name == "" {
		opt.Name = "(input)"
	}
	br := bufio.NewReaderSize(r, 256<<10)
	var closer io.Closer
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", opt.Name, err)
		}
		ra := newReadAhead(gz) // decompress on another core
		closer = ra
		br = bufio.NewReaderSize(ra, 256<<10)
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	comma, err := sniffDelimiter(br)
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		return nil, fmt.Errorf("%s: %w", opt.Name, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // checked here, with a message of our own
	rd := &Reader{opt: opt, csv: cr, decimal: comma == ';', closer: closer}
	if err := rd.readHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// sniffDelimiter looks at the header line: ";" when it holds more semicolons
// than commas outside quotes, "," otherwise.
func sniffDelimiter(br *bufio.Reader) (rune, error) {
	var line []byte
	for n := 4096; ; n *= 2 {
		b, err := br.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i]
			break
		}
		if err != nil { // the whole input is one line, or empty
			line = b
			break
		}
		if n >= 1<<20 {
			return 0, errors.New("line 1: the header is longer than 1 MiB: is this a CSV file?")
		}
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return 0, errors.New("line 1: no header row (the file is empty or starts with a blank line)")
	}
	semi, comma, quoted := 0, 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ';':
			semi++
		case c == ',':
			comma++
		}
	}
	if semi > comma {
		return ';', nil
	}
	return ',', nil
}

// required lists the columns a file must have; positions are x/y or lon/lat.
var required = []string{colAddressID, colMunicipality, colHouseholds, colWorkplaces, colTechnology, colStatus, colDown}

func (rd *Reader) readHeader() error {
	rec, err := rd.csv.Read()
	if err != nil {
		return fmt.Errorf("%s: line 1: header: %w", rd.opt.Name, err)
	}
	rd.headers = append([]string(nil), rec...)
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
// of the file or on a read error (see Err).
func (rd *Reader) Next() bool {
	for rd.err == nil {
		rec, err := rd.csv.Read()
		if err == io.EOF {
			return false
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rd.lines++
			rd.opt.Problems.Error(Problem{File: rd.opt.Name, Line: pe.Line, Message: "malformed CSV: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			rd.err = fmt.Errorf("%s: %w", rd.opt.Name, err)
			return false
		}
		rd.lines++
		line, _ := rd.csv.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line, as spreadsheets leave at the end
		}
		if len(rec) != len(rd.headers) {
			rd.opt.Problems.Error(Problem{File: rd.opt.Name, Line: line,
				Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(rd.headers))})
			continue
		}
		if rd.parse(line, rec) {
			rd.rows++
			return true
		}
	}
	return false
}

// Row returns the current row; it is overwritten by the next call to Next.
func (rd *Reader) Row() *Row { return &rd.row }

// Err returns the read error that ended the file early, if any.
func (rd *Reader) Err() error { return rd.err }

// Rows is the number of good rows yielded so far.
func (rd *Reader) Rows() int64 { return rd.rows }

// Problems returns the collected errors and warnings.
func (rd *Reader) Problems() *Problems { return rd.opt.Problems }

// LonLat reports whether the file gives positions in WGS 84.
func (rd *Reader) LonLat() bool { return rd.lonLat }

// field returns the trimmed value of a standard column by its position in
// standardColumns, "" when the file lacks the column.
func (rd *Reader) field(rec []string, i int) string {
	p := rd.pos[i]
	if p < 0 {
		return ""
	}
	return strings.TrimSpace(rec[p])
}

// parse checks one record and fills rd.row; it reports every problem of the
// record, not only the first.
func (rd *Reader) parse(line int, rec []string) bool {
	ok := true
	bad := func(col, value, msg string) {
		rd.opt.Problems.Error(Problem{File: rd.opt.Name, Line: line, Column: rd.headerName(col), Value: value, Message: msg})
		ok = false
	}
	r := &rd.row
	*r = Row{Line: line}

	r.AddressID = rd.field(rec, iAddressID)
	if msg := checkAddressID(r.AddressID); msg != "" {
		bad(colAddressID, r.AddressID, msg)
	}
	r.MunicipalityCode = rd.field(rec, iMunicipality)
	if msg := rd.checkMunicipality(r.MunicipalityCode); msg != "" {
		bad(colMunicipality, r.MunicipalityCode, msg)
	}
	rd.parsePosition(rec, r, bad)

	var err error
	for _, c := range []struct {
		col string
		i   int
		dst *int32
	}{{colHouseholds, iHouseholds, &r.Households}, {colWorkplaces, iWorkplaces, &r.Workplaces}} {
		v := rd.field(rec, c.i)
		if *c.dst, err = parseCount(v); err != nil {
			bad(c.col, v, err.Error())
		}
	}
	if v := rd.field(rec, iHolidayHomes); v != "" {
		n, err := parseCount(v)
		if err != nil {
			bad(colHolidayHomes, v, err.Error())
		}
		r.HolidayHomes = &n
	}

	tech := rd.field(rec, iTechnology)
	r.Technology = Technology(rd.opt.Mapping.value(colTechnology, tech))
	if !technologies[r.Technology] {
		bad(colTechnology, tech, "unknown technology (want fiber, cable, dsl, fixed_wireless, mobile, satellite, other or none)")
	}
	status := rd.field(rec, iStatus)
	switch {
	case r.Technology == NoBroadband && status != "":
		bad(colStatus, status, "must be empty when technology is none")
	case r.Technology == NoBroadband:
	case status == "":
		bad(colStatus, status, "required unless technology is none (want connected, passed or planned)")
	default:
		r.Status = Status(rd.opt.Mapping.value(colStatus, status))
		if !statuses[r.Status] {
			bad(colStatus, status, "unknown status (want connected, passed or planned)")
		}
	}

	down := rd.field(rec, iDown)
	if r.DownMbps, err = parseSpeed(down, rd.decimal); err != nil {
		bad(colDown, down, err.Error())
	} else if r.Technology == NoBroadband && !r.DownMbps.IsZero() {
		bad(colDown, down, "must be 0 when technology is none")
	}
	if up := rd.field(rec, iUp); up != "" {
		if r.UpMbps, err = parseSpeed(up, rd.decimal); err != nil {
			bad(colUp, up, err.Error())
		} else if r.Technology == NoBroadband && !r.UpMbps.IsZero() {
			bad(colUp, up, "must be 0 or empty when technology is none")
		}
	}

	for _, t := range []struct {
		col string
		i   int
		dst *string
	}{{colStreet, iStreet, &r.Street}, {colNumber, iNumber, &r.Number}, {colLocality, iLocality, &r.Locality}, {colOperator, iOperator, &r.Operator}} {
		v := rd.field(rec, t.i)
		if msg := checkText(v, 200); msg != "" {
			bad(t.col, v, msg)
		}
		*t.dst = v
	}
	if v := rd.field(rec, iPostcode); v != "" {
		pc, msg := normalizePostcode(v)
		if msg != "" {
			bad(colPostcode, v, msg)
		}
		r.Postcode = pc
	}
	if v := rd.field(rec, iPlannedYear); v != "" {
		y, err := parseYear(v)
		if err != nil {
			bad(colPlannedYear, v, err.Error())
		} else if r.Status != Planned && ok {
			rd.opt.Problems.Warn(Problem{File: rd.opt.Name, Line: line, Column: rd.headerName(colPlannedYear), Value: v,
				Message: "planned_year on a row that is not planned is ignored"})
		} else {
			r.PlannedYear = &y
		}
	}
	return ok
}

func (rd *Reader) parsePosition(rec []string, r *Row, bad func(col, value, msg string)) {
	if rd.lonLat {
		lonS, latS := rd.field(rec, iLon), rd.field(rec, iLat)
		lon, errLon := parseCoordinate(lonS, rd.decimal)
		lat, errLat := parseCoordinate(latS, rd.decimal)
		if errLon != nil {
			bad(colLon, lonS, errLon.Error())
		}
		if errLat != nil {
			bad(colLat, latS, errLat.Error())
		}
		if errLon != nil || errLat != nil {
			return
		}
		if lon < -180 || lon > 180 {
			bad(colLon, lonS, "longitude must be from -180 to 180 degrees")
			return
		}
		if lat < -90 || lat > 90 {
			bad(colLat, latS, "latitude must be from -90 to 90 degrees")
			return
		}
		p := geo.ToSWEREF([2]float64{lon, lat})
		r.E, r.N = p.E, p.N
		if !geo.InSweden(p) {
			bad(colLon, lonS, fmt.Sprintf("position (%s, %s) is outside Sweden", lonS, latS))
		}
		return
	}
	xs, ys := rd.field(rec, iX), rd.field(rec, iY)
	x, errX := parseCoordinate(xs, rd.decimal)
	y, errY := parseCoordinate(ys, rd.decimal)
	if errX != nil {
		bad(colX, xs, errX.Error())
	}
	if errY != nil {
		bad(colY, ys, errY.Error())
	}
	if errX != nil || errY != nil {
		return
	}
	r.E, r.N = x, y
	swapped := y >= geo.MinE && y <= geo.MaxE && x >= geo.MinN && x <= geo.MaxN
	if x < geo.MinE || x > geo.MaxE {
		msg := "easting outside Sweden's extent in SWEREF 99 TM (180 000–1 000 000 m)"
		if swapped {
			msg += ": x and y look swapped"
		}
		bad(colX, xs, msg)
	}
	if y < geo.MinN || y > geo.MaxN {
		bad(colY, ys, "northing outside Sweden's extent in SWEREF 99 TM (6 100 000–7 700 000 m)")
	}
}

func (rd *Reader) checkMunicipality(code string) string {
	if len(code) != 4 || !allDigits(code) {
		if len(code) == 3 && allDigits(code) {
			return fmt.Sprintf("must be 4 digits (a spreadsheet may have dropped the leading zero: %q)", "0"+code)
		}
		return "must be a kommunkod of 4 digits, e.g. 0880"
	}
	if rd.opt.Municipalities != nil && !rd.opt.Municipalities[code] {
		return "no municipality has this code"
	}
	return ""
}
