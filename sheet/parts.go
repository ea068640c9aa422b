package sheet

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// The namespaces and content types of the parts of a workbook.
const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctBase = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// xmlHeader starts every part.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// Cell styles: indexes into the cellXfs of stylesXML.
const (
	styleGeneral = iota
	styleHeader
	styleInteger
	stylePercent
	styleDecimal
	stylePlain
)

func styleOf(k Kind) int {
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

// stylesXML holds the header's style (bold on light blue) and the number
// formats. A format code is written in the file's own notation ("," groups
// digits, "." is the decimal point) and shown in the reader's: 31 250 and
// 83,5% in a Swedish Excel or LibreOffice.
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

// tableXML is a sheet's Excel table over its header and rows: a filter on
// every column, striped rows, each column named by its header.
func tableXML(id int, sh xlsxSheet) string {
	var b strings.Builder
	fmt.Fprintf(&b, `%s<table xmlns="%s" id="%d" name="%s" displayName="%s" ref="%s"><autoFilter ref="%s"/><tableColumns count="%d">`,
		xmlHeader, nsMain, id, sh.table, sh.table, sh.ref, sh.ref, len(sh.heads))
	for i, h := range sh.heads {
		fmt.Fprintf(&b, `<tableColumn id="%d" name="%s"/>`, i+1, escape(h))
	}
	b.WriteString(`</tableColumns><tableStyleInfo name="TableStyleLight1" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`)
	return b.String()
}

// Close writes the parts that list the sheets (the workbook, its
// relationships and content types, the tables) and finishes the zip.
func (s *xlsxWriter) Close() error {
	if err := s.finishSheet(); err != nil {
		return err
	}
	if len(s.sheets) == 0 {
		return errors.New("sheet: a workbook needs a sheet")
	}
	type part struct{ name, body string }
	var parts []part
	var types, sheets, rels, names strings.Builder
	tables := 0
	for i, sh := range s.sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%sworksheet+xml"/>`, n, ctBase)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(sh.name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, n, nsRel, n)
		if sh.table == "" { // a header only: its filter needs a name of its own
			quoted := "'" + strings.ReplaceAll(sh.name, "'", "''") + "'"
			fmt.Fprintf(&names, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s!$A$1:$%s$1</definedName>`,
				i, escape(quoted), colName(len(sh.heads)-1))
			continue
		}
		tables++
		fmt.Fprintf(&types, `<Override PartName="/xl/tables/table%d.xml" ContentType="%stable+xml"/>`, tables, ctBase)
		parts = append(parts,
			part{fmt.Sprintf("xl/tables/table%d.xml", tables), tableXML(tables, sh)},
			part{fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", n), xmlHeader + `<Relationships xmlns="` + nsPkg + `">` +
				fmt.Sprintf(`<Relationship Id="rId1" Type="%s/table" Target="../tables/table%d.xml"/>`, nsRel, tables) + `</Relationships>`})
	}
	definedNames := ""
	if names.Len() > 0 {
		definedNames = `<definedNames>` + names.String() + `</definedNames>`
	}
	parts = append(parts,
		part{"xl/styles.xml", xmlHeader + stylesXML},
		part{"xl/workbook.xml", xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews>` +
			`<sheets>` + sheets.String() + `</sheets>` + definedNames + `</workbook>`},
		part{"xl/_rels/workbook.xml.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `">` + rels.String() +
			fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(s.sheets)+1, nsRel) + `</Relationships>`},
		part{"_rels/.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		part{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + ctBase + `sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="` + ctBase + `styles+xml"/>` + types.String() + `</Types>`},
	)
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
