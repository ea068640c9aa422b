package sheet_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/sheet"
)

var (
	summaryCols = []sheet.Column{
		{Header: "Mål", Width: 16}, {Header: "Målår", Kind: sheet.Plain, Width: 8}, {Header: "Tröskel", Kind: sheet.Percent},
		{Header: "Andel idag", Kind: sheet.Percent}, {Header: "Uppfyllt", Kind: sheet.YesNo}, {Header: "Gap hushåll", Kind: sheet.Integer},
	}
	pointCols = []sheet.Column{
		{Header: "Adress-id", Width: 16}, {Header: "Gata", Width: 20}, {Header: "Hushåll", Kind: sheet.Integer, Width: 9},
		{Header: "Hastighet idag (Mbit/s)", Kind: sheet.Mbps}, {Header: "Avstånd till 1 Gbit/s (m)", Kind: sheet.Decimal},
		{Header: "Öst (SWEREF 99 TM)", Kind: sheet.Plain},
	}
)

// writeWorkbook writes a gap report's shape: a summary, a sheet of points,
// and a sheet with a header only.
func writeWorkbook(t *testing.T) []byte {
	t.Helper()
	share := 0.835
	var b bytes.Buffer
	w := sheet.NewXLSX(&b)
	steps := []func() error{
		func() error { return w.Sheet("Sammanfattning", summaryCols) },
		func() error { return w.Row("se-2025-1g", 2025, 0.98, &share, false, int64(31250)) },
		func() error { return w.Row("se-2020-100", 2020, 0.95, nil, true, 0) },
		func() error { return w.Sheet("se-2025-1g", pointCols) },
		func() error { return w.Row("G1", `=HYPERLINK("http://x","y")`, 3, 99.99, 71.0, int64(582010)) },
		func() error { return w.Row("G2", "-2+3", -2, 24.0, -2.5, 582060) },
		func() error { return w.Row("G3", "@SUM(A1)", nil, nil, nil, nil) },
		func() error { return w.Row("G4", "Åvägen <&> \"x\"\x01", 1, 0.0, 0.0, 1) },
		func() error { return w.Sheet("se-2025-30", pointCols) },
		w.Close,
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return b.Bytes()
}

// TestXLSXOpensAsWritten reads the workbook back with excelize, as a person
// would see it in a spreadsheet: the sheets in order, the header frozen,
// numbers as numbers with their formats, text as text and never a formula.
func TestXLSXOpensAsWritten(t *testing.T) {
	b := writeWorkbook(t)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot open it: %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Sammanfattning", "se-2025-1g", "se-2025-30"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows, err := f.GetRows("se-2025-1g", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Adress-id", "Gata", "Hushåll", "Hastighet idag (Mbit/s)", "Avstånd till 1 Gbit/s (m)", "Öst (SWEREF 99 TM)"},
		{"G1", `=HYPERLINK("http://x","y")`, "3", "99.99", "71", "582010"},
		{"G2", "-2+3", "-2", "24", "-2.5", "582060"},
		{"G3", "@SUM(A1)"},
		{"G4", "Åvägen <&> \"x\"", "1", "0", "0", "1"}, // a control character XML cannot hold is dropped
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("rows\n%q\nwant\n%q", rows, want)
	}

	// Text is text, never a formula, whatever it begins with.
	for _, cell := range []string{"B2", "B3", "B4"} {
		typ, _ := f.GetCellType("se-2025-1g", cell)
		formula, _ := f.GetCellFormula("se-2025-1g", cell)
		if typ != excelize.CellTypeInlineString || formula != "" {
			t.Errorf("%s: type %v, formula %q; want an inline string and no formula", cell, typ, formula)
		}
	}
	// Numbers are numbers, with the format of their column's kind.
	for _, c := range []struct {
		sheet, cell, format string
		numFmt              int // a built-in format, when format is ""
	}{
		{"Sammanfattning", "B2", "", 1},      // a year: no grouping
		{"Sammanfattning", "C2", "0.0%", 0},  // 98,0 %
		{"Sammanfattning", "D2", "0.0%", 0},  // 83,5 %
		{"Sammanfattning", "F2", "#,##0", 0}, // 31 250
		{"se-2025-1g", "C3", "#,##0", 0},     // negative integers stay numbers
		{"se-2025-1g", "D2", "", 0},          // a speed as given: General
		{"se-2025-1g", "E3", "0.0", 0},       // one decimal
	} {
		typ, err := f.GetCellType(c.sheet, c.cell)
		if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
			t.Errorf("%s!%s: type %v (%v), want a number", c.sheet, c.cell, typ, err)
		}
		raw, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			t.Errorf("%s!%s = %q, not a number", c.sheet, c.cell, raw)
		}
		id, _ := f.GetCellStyle(c.sheet, c.cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != c.format || (c.format == "" && st.NumFmt != c.numFmt) {
			t.Errorf("%s!%s: number format %q (built-in %d), want %q (built-in %d)", c.sheet, c.cell, got, st.NumFmt, c.format, c.numFmt)
		}
	}
	if v, _ := f.GetCellValue("Sammanfattning", "E2"); v != "nej" {
		t.Errorf("Uppfyllt = %q, want nej", v)
	}
	if v, _ := f.GetCellValue("Sammanfattning", "D3"); v != "" {
		t.Errorf("an undefined share is shown as %q, want an empty cell", v)
	}
	if v, _ := f.GetCellValue("Sammanfattning", "D2"); v != "83.5%" { // excelize shows formats the en-US way
		t.Errorf("Andel idag is shown as %q, want 83.5%%", v)
	}

	// What a person sees around the figures: the header frozen and bold, the
	// columns as wide as asked, a filter over every column.
	for _, name := range f.GetSheetList() {
		panes, err := f.GetPanes(name)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v (%v), want the header row frozen", name, panes, err)
		}
		id, _ := f.GetCellStyle(name, "A1")
		if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: the header is not bold", name)
		}
	}
	for col, want := range map[string]float64{"A": 16, "B": 20, "C": 9, "D": 25, "F": 20} {
		if w, _ := f.GetColWidth("se-2025-1g", col); w != want {
			t.Errorf("column %s is %v wide, want %v", col, w, want)
		}
	}
	for name, want := range map[string]string{"Sammanfattning": "A1:F3", "se-2025-1g": "A1:F5"} {
		tables, err := f.GetTables(name)
		if err != nil || len(tables) != 1 || tables[0].Range != want || !*tables[0].ShowRowStripes {
			t.Errorf("%s: tables %+v (%v), want one striped table over %s", name, tables, err, want)
		}
	}
	if tables, _ := f.GetTables("se-2025-30"); len(tables) != 0 {
		t.Errorf("a sheet without rows has a table: %+v", tables)
	}
	if !bytes.Contains(part(t, b, "xl/worksheets/sheet3.xml"), []byte(`<autoFilter ref="A1:F1"/>`)) {
		t.Error("a sheet without rows lacks the filter on its header")
	}
}

// part returns a part of the zip.
func part(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer r.Close()
	x, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestXLSXPartsAreWellFormed parses every part of the zip as XML: a
// spreadsheet that finds one broken offers to repair the file.
func TestXLSXPartsAreWellFormed(t *testing.T) {
	b := writeWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		d := xml.NewDecoder(bytes.NewReader(part(t, b, zf.Name)))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", zf.Name, err)
				break
			}
		}
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml",
		"xl/tables/table1.xml", "xl/tables/table2.xml", "xl/worksheets/_rels/sheet2.xml.rels"} {
		if !slices.Contains(names, want) {
			t.Errorf("no part %s in %q", want, names)
		}
	}
}

// TestXLSXStreams checks that the rows leave as they are written, not when
// the file closes: a download starts at once, and a report of any size
// does not wait in memory.
func TestXLSXStreams(t *testing.T) {
	var out bytes.Buffer
	w := sheet.NewXLSX(&out)
	if err := w.Sheet("se-2025-1g", pointCols); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for out.Len() == 0 && rows < 20_000 {
		rows++
		if err := w.Row("A"+strconv.Itoa(rows), "Storgatan "+strconv.Itoa(rows*7919%10007), rows%13, float64(rows%1000)/10, float64(rows), 500000+rows); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() == 0 {
		t.Fatalf("nothing written after %d rows", rows)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestXLSXRefusesWhatExcelWouldRepair(t *testing.T) {
	for _, tt := range []struct {
		name  string
		sheet string
		cols  []sheet.Column
		want  string
	}{
		{"a name too long", strings.Repeat("x", 32), pointCols, "1 to 31 characters"},
		{"a forbidden character", "mål/år", pointCols, "none of"},
		{"a name taken", "SAMMANFATTNING", pointCols, "two sheets"},
		{"two columns of one name", "ok", []sheet.Column{{Header: "Gata"}, {Header: "gata"}}, "twice"},
		{"no columns", "ok", nil, "no columns"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := sheet.NewXLSX(io.Discard)
			if err := w.Sheet("Sammanfattning", summaryCols); err != nil {
				t.Fatal(err)
			}
			if err := w.Sheet(tt.sheet, tt.cols); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Sheet(%q): %v, want an error saying %q", tt.sheet, err, tt.want)
			}
		})
	}
	w := sheet.NewXLSX(io.Discard)
	if err := w.Row(1); err == nil {
		t.Error("a row before the sheet was written")
	}
	if err := w.Close(); err == nil {
		t.Error("a workbook without a sheet was written")
	}
}

func TestXLSXClipsTextToWhatACellHolds(t *testing.T) {
	var b bytes.Buffer
	w := sheet.NewXLSX(&b)
	long := strings.Repeat("å", 40000)
	if err := w.Sheet("a", []sheet.Column{{Header: "Gata"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Row(long); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, _ := f.GetCellValue("a", "A2")
	if v != long[:2*32767] {
		t.Errorf("a cell of %d characters, want 32767", len([]rune(v)))
	}
}
