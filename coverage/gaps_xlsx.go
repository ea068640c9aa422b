package coverage

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// NewStreamingXLSXSheet writes an XLSX workbook row by row straight into its
// zip: each sheet's XML is compressed as its rows arrive and nothing of it
// is kept, so a report of any size holds only a row and the compressor's
// window in memory. (excelize's StreamWriter keeps up to 16 MiB of each
// sheet's XML in memory until the workbook is closed: about 70 MB for a
// sheet of 50 000 address points.) The sheets have a bold frozen header
// row with an auto-filter over the rows, column widths and number formats,
// like NewXLSXSheet's; the workbook's parts that list the sheets are
// written last.
func NewStreamingXLSXSheet(w io.Writer) SheetWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &streamXLSX{bw: bw, zw: zip.NewWriter(bw)}
}

type streamXLSX struct {
	bw     *bufio.Writer
	zw     *zip.Writer
	out    *bufio.Writer // the current sheet's entry
	sheets []streamSheet
	cols   []Column
	row    int
	buf    []byte
}

// streamSheet is a written sheet: its name and extent, for the workbook.
type streamSheet struct {
	name       string
	rows, cols int
}

// Cell styles, indexes into styles.xml's cellXfs.
const (
	styleGeneral = iota
	styleHeader
	styleInteger
	stylePercent
	styleDecimal
	stylePlain
)

func styleOf(k ColumnKind) int {
	switch k {
	case Integer:
		return styleInteger
	case Percent:
		return stylePercent
	case Decimal:
		return styleDecimal
	case Plain:
		return stylePlain
	}
	return styleGeneral
}

func (s *streamXLSX) Sheet(name string, cols []Column) error {
	if err := s.finishSheet(); err != nil {
		return err
	}
	if name == "" || utf8.RuneCountInString(name) > 31 || strings.ContainsAny(name, `[]:*?/\`) {
		return fmt.Errorf("coverage: sheet name %q: 1 to 31 characters, none of []:*?/\\", name)
	}
	s.sheets = append(s.sheets, streamSheet{name: name, cols: len(cols)})
	entry, err := s.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(s.sheets)))
	if err != nil {
		return err
	}
	s.out, s.cols, s.row = bufio.NewWriterSize(entry, 32<<10), cols, 0
	selected := ""
	if len(s.sheets) == 1 {
		selected = ` tabSelected="1"`
	}
	s.out.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheetViews><sheetView workbookViewId="0"` + selected + `>` +
		`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
		`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, c := range cols {
		width := c.Width
		if width == 0 {
			width = math.Max(10, float64(utf8.RuneCountInString(c.Header))+2)
		}
		fmt.Fprintf(s.out, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, width)
	}
	s.out.WriteString(`</cols><sheetData>`)
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c.Header
	}
	return s.writeRow(head, true)
}

func (s *streamXLSX) Row(values ...any) error {
	if s.out == nil {
		return errors.New("coverage: Row before Sheet")
	}
	if len(values) != len(s.cols) {
		return fmt.Errorf("coverage: row of %d values for %d columns", len(values), len(s.cols))
	}
	return s.writeRow(values, false)
}

func (s *streamXLSX) writeRow(values []any, header bool) error {
	s.row++
	b := append(s.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(s.row), 10)
	b = append(b, `">`...)
	for i, v := range values {
		style := styleHeader
		if !header {
			style = styleOf(s.cols[i].Kind)
		}
		b = appendCell(b, cellRef(i, s.row), style, xlsxValue(v))
	}
	b = append(b, `</row>`...)
	s.buf = b
	_, err := s.out.Write(b)
	return err
}

// appendCell writes one cell: a number as a value, anything else as an
// inline string; an empty value writes nothing.
func appendCell(b []byte, ref string, style int, v any) []byte {
	var num string
	switch x := v.(type) {
	case nil:
		return b
	case int:
		num = strconv.Itoa(x)
	case int32:
		num = strconv.FormatInt(int64(x), 10)
	case int64:
		num = strconv.FormatInt(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return b
		}
		num = strconv.FormatFloat(x, 'g', -1, 64)
	case *int64:
		if x == nil {
			return b
		}
		num = strconv.FormatInt(*x, 10)
	case string:
		if x == "" {
			return b
		}
		b = append(b, `<c r="`+ref+`" s="`+strconv.Itoa(style)+`" t="inlineStr"><is><t xml:space="preserve">`...)
		b = appendEscaped(b, x)
		return append(b, `</t></is></c>`...)
	default:
		return appendCell(b, ref, style, fmt.Sprint(v))
	}
	return append(b, `<c r="`+ref+`" s="`+strconv.Itoa(style)+`"><v>`+num+`</v></c>`...)
}

// appendEscaped escapes text for XML and drops the characters XML 1.0 cannot hold.
func appendEscaped(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// cellRef names a cell: column index 0 and row 1 is "A1".
func cellRef(col, row int) string {
	return colName(col) + strconv.Itoa(row)
}

func colName(col int) string {
	name := ""
	for col++; col > 0; col = (col - 1) / 26 {
		name = string(rune('A'+(col-1)%26)) + name
	}
	return name
}

func (s *streamXLSX) finishSheet() error {
	if s.out == nil {
		return nil
	}
	sh := &s.sheets[len(s.sheets)-1]
	sh.rows = s.row
	fmt.Fprintf(s.out, `</sheetData><autoFilter ref="A1:%s"/></worksheet>`, cellRef(len(s.cols)-1, max(s.row, 1)))
	err := s.out.Flush()
	s.out = nil
	return err
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctBase = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// xmlHeader starts every part.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// styles: the header (bold on light blue) and the number formats: grouped
// integers, a percent with one decimal, one decimal, and plain integers.
const stylesXML = `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0"/><numFmt numFmtId="165" formatCode="0.0%"/><numFmt numFmtId="166" formatCode="0.0"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="6">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

func (s *streamXLSX) Close() error {
	if err := s.finishSheet(); err != nil {
		return err
	}
	var types, sheets, rels, names strings.Builder
	for i, sh := range s.sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%sworksheet+xml"/>`, n, ctBase)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(sh.name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, n, nsRel, n)
		quoted := "'" + strings.ReplaceAll(sh.name, "'", "''") + "'"
		fmt.Fprintf(&names, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s!$A$1:$%s$%d</definedName>`,
			i, escape(quoted), colName(sh.cols-1), max(sh.rows, 1))
	}
	parts := []struct{ name, body string }{
		{"xl/styles.xml", xmlHeader + stylesXML},
		{"xl/workbook.xml", xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews>` +
			`<sheets>` + sheets.String() + `</sheets><definedNames>` + names.String() + `</definedNames></workbook>`},
		{"xl/_rels/workbook.xml.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `">` + rels.String() +
			fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(s.sheets)+1, nsRel) + `</Relationships>`},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + ctBase + `sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="` + ctBase + `styles+xml"/>` + types.String() + `</Types>`},
	}
	for _, p := range parts {
		f, err := s.zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	if err := s.zw.Close(); err != nil {
		return err
	}
	return s.bw.Flush()
}

func escape(s string) string { return string(appendEscaped(nil, s)) }
