package bench

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/sheet"
)

// newExcelizeXLSX is sheet.NewXLSX written with excelize's StreamWriter
// (it was gigakoll's targets report writer until BenchmarkXLSX showed the
// difference), kept here as the peer the benchmark compares with: the same
// sheets, header, widths, number formats and tables.
func newExcelizeXLSX(w io.Writer) sheet.Writer {
	f := excelize.NewFile()
	// The zip goes straight to w: excelize's own WriteTo builds the whole
	// file in a buffer first.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return &xlsxWriter{f: f, out: w}
}

type xlsxWriter struct {
	f      *excelize.File
	out    io.Writer
	sw     *excelize.StreamWriter
	name   string
	cols   []sheet.Column
	row    int
	styles map[sheet.Kind]int
	header int
	cells  []any
	sheets int
}

// numberFormats are the XLSX number formats of the kinds that have one. A
// format code is written in the file's own notation ("," groups, "." is
// the decimal point) and shown in the reader's: 31 250 and 83,5% in a
// Swedish Excel or LibreOffice.
var numberFormats = map[sheet.Kind]string{sheet.Integer: "#,##0", sheet.Percent: "0.0%", sheet.Decimal: "0.0", sheet.Plain: "0"}

func (s *xlsxWriter) Sheet(name string, cols []sheet.Column) error {
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
		if err := sw.SetColWidth(i+1, i+1, width(c)); err != nil {
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

// width is a column's width in characters: its own, or enough for the header.
func width(c sheet.Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	return math.Max(10, float64(utf8.RuneCountInString(c.Header))+2)
}

func (s *xlsxWriter) makeStyles() error {
	s.styles = map[sheet.Kind]int{}
	var err error
	if s.header, err = s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}}); err != nil {
		return err
	}
	for kind, format := range numberFormats {
		id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			return err
		}
		s.styles[kind] = id
	}
	return nil
}

func (s *xlsxWriter) Row(values ...any) error {
	if s.sw == nil {
		return errors.New("row before sheet")
	}
	if len(values) != len(s.cols) {
		return fmt.Errorf("row of %d values for %d columns", len(values), len(s.cols))
	}
	s.row++
	s.cells = s.cells[:0]
	for i, v := range values {
		// a string goes in as an inline string: excelize writes a formula
		// only from Cell.Formula, which is never set here
		s.cells = append(s.cells, excelize.Cell{StyleID: s.styles[s.cols[i].Kind], Value: excelizeValue(v)})
	}
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.cells)
}

// finishSheet makes the written rows a table and flushes the sheet.
func (s *xlsxWriter) finishSheet() error {
	if s.sw == nil {
		return nil
	}
	if s.row >= 2 { // a table needs a row besides its header
		last, _ := excelize.CoordinatesToCellName(len(s.cols), s.row)
		stripes := true
		if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(s.name),
			StyleName: "TableStyleLight1", ShowRowStripes: &stripes}); err != nil {
			return err
		}
	}
	err := s.sw.Flush()
	s.sw = nil
	return err
}

func (s *xlsxWriter) Close() error {
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

// excelizeValue is what sheet.Writer's rows hold, as excelize takes it.
func excelizeValue(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	}
	return v
}
