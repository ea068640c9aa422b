package coverage

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ColumnKind says how a spreadsheet column's values are written.
type ColumnKind int

// The kinds of spreadsheet columns.
const (
	Text    ColumnKind = iota
	Integer            // int64, int, int32
	Percent            // a share as a fraction (*float64 or float64), shown as 83,5 %
	Decimal            // a float64 with one decimal: a speed, a distance
	YesNo              // bool, shown as ja/nej
	Mbps               // a speed (float64) as given, never rounded up past a class: 99,99
	Plain              // an integer without digit grouping: a year, a coordinate
)

// Column is a column of a spreadsheet report: a Swedish header for the
// people who open it, and how its values look.
type Column struct {
	Header string
	Kind   ColumnKind
	Width  float64 // in characters, for XLSX; 0: from the header
}

// SheetWriter writes the rows of one or more sheets: CSV for any spreadsheet
// (one sheet), XLSX for Excel and LibreOffice (one sheet each).
type SheetWriter interface {
	// Sheet starts a sheet with its columns; CSV takes only one.
	Sheet(name string, cols []Column) error
	// Row writes a row: one value per column, nil for none.
	Row(values ...any) error
	// Close finishes the file.
	Close() error
}

// NewCSVSheet writes CSV as Swedish spreadsheets open it without an import
// dialogue: UTF-8 with a BOM, ";" between fields, decimal comma.
func NewCSVSheet(w io.Writer) SheetWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	c := csv.NewWriter(bw)
	c.Comma = ';'
	return &csvSheet{bw: bw, w: c}
}

type csvSheet struct {
	bw     *bufio.Writer
	w      *csv.Writer
	cols   []Column
	rec    []string
	sheets int
}

func (s *csvSheet) Sheet(name string, cols []Column) error {
	if s.sheets > 0 {
		return errors.New("coverage: a CSV file holds one sheet")
	}
	s.sheets++
	s.cols = cols
	if _, err := s.bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Header
	}
	return s.w.Write(h)
}

func (s *csvSheet) Row(values ...any) error {
	if len(values) != len(s.cols) {
		return fmt.Errorf("coverage: row of %d values for %d columns", len(values), len(s.cols))
	}
	s.rec = s.rec[:0]
	for i, v := range values {
		s.rec = append(s.rec, csvValue(s.cols[i].Kind, v))
	}
	return s.w.Write(s.rec)
}

func (s *csvSheet) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// csvValue formats a value the Swedish way: decimal comma, a share in
// percent with one decimal, ja/nej.
func csvValue(kind ColumnKind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *float64:
		if x == nil {
			return ""
		}
		return csvValue(kind, *x)
	case float64:
		switch kind {
		case Percent:
			return swedishDecimal(x*100, 1)
		case Mbps:
			return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
		default:
			return swedishDecimal(x, 1)
		}
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// swedishDecimal rounds half away from zero to d decimals and writes a
// decimal comma: 83.45 → "83,5".
func swedishDecimal(f float64, d int) string {
	p := math.Pow(10, float64(d))
	r := math.Round(f*p) / p
	return strings.Replace(strconv.FormatFloat(r, 'f', d, 64), ".", ",", 1)
}

// NewXLSXSheet writes an XLSX workbook with excelize's streaming writer, so
// that a large report never sits in memory whole: a bold frozen header row
// with a filter, number formats per column.
func NewXLSXSheet(w io.Writer) SheetWriter {
	f := excelize.NewFile()
	// The zip goes straight to w: excelize's own WriteTo builds the whole
	// file in a buffer first (the sheets' rows wait in its temporary files).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return &xlsxSheet{f: f, out: w}
}

type xlsxSheet struct {
	f      *excelize.File
	out    io.Writer
	sw     *excelize.StreamWriter
	name   string
	cols   []Column
	row    int
	styles map[ColumnKind]int
	header int
	cells  []any
	sheets int
}

func (s *xlsxSheet) Sheet(name string, cols []Column) error {
	if err := s.finishSheet(); err != nil {
		return err
	}
	if s.styles == nil {
		if err := s.makeStyles(); err != nil {
			return err
		}
	}
	if s.sheets == 0 {
		if err := s.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	s.sheets++
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sw, s.name, s.cols, s.row = sw, name, cols, 1
	for i, c := range cols {
		width := c.Width
		if width == 0 {
			width = math.Max(10, float64(len([]rune(c.Header)))+2)
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: s.header, Value: c.Header}
	}
	return sw.SetRow("A1", head)
}

func (s *xlsxSheet) makeStyles() error {
	s.styles = map[ColumnKind]int{}
	var err error
	if s.header, err = s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}}); err != nil {
		return err
	}
	for kind, format := range map[ColumnKind]string{Integer: "# ##0", Percent: "0.0%", Decimal: "0.0", Plain: "0"} {
		id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			return err
		}
		s.styles[kind] = id
	}
	return nil
}

func (s *xlsxSheet) Row(values ...any) error {
	if s.sw == nil {
		return errors.New("coverage: Row before Sheet")
	}
	if len(values) != len(s.cols) {
		return fmt.Errorf("coverage: row of %d values for %d columns", len(values), len(s.cols))
	}
	s.row++
	s.cells = s.cells[:0]
	for i, v := range values {
		s.cells = append(s.cells, excelize.Cell{StyleID: s.styles[s.cols[i].Kind], Value: xlsxValue(v)})
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, s.cells)
}

func xlsxValue(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	case fmt.Stringer:
		return x.String()
	}
	return v
}

// finishSheet adds the filter over the written rows and flushes the sheet.
func (s *xlsxSheet) finishSheet() error {
	if s.sw == nil {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(len(s.cols), max(s.row, 2))
	if s.row >= 2 {
		if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(s.name),
			StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(true)}); err != nil {
			return err
		}
	}
	err := s.sw.Flush()
	s.sw = nil
	return err
}

func (s *xlsxSheet) Close() error {
	if err := s.finishSheet(); err != nil {
		return err
	}
	if _, err := s.f.WriteTo(s.out); err != nil {
		return err
	}
	return s.f.Close()
}

// tableName makes an Excel table name from a sheet name: letters, digits and
// underscores, starting with a letter.
func tableName(sheet string) string {
	var b strings.Builder
	b.WriteString("T_")
	for _, r := range sheet {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'å' || r == 'ä':
			b.WriteRune('a')
		case r == 'ö':
			b.WriteRune('o')
		case r == 'Å' || r == 'Ä':
			b.WriteRune('A')
		case r == 'Ö':
			b.WriteRune('O')
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}

func boolPtr(b bool) *bool { return &b }
