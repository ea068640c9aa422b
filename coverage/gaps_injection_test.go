package coverage_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// injectionFile is a coverage file whose streets and operator a
// spreadsheet would run as formulas if a report wrote them as they are.
const injectionFile = `address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year
F1;0880;582010;6282010;3;0;0;dsl;connected;24;2;"=HYPERLINK(""http://x"",""y"")";1;39231;Kalmar;Telia;
F2;0880;582060;6282080;2;0;0;dsl;connected;24;2;-2+3;2;39231;Kalmar;Telia;
F3;0880;582200;6282150;1;0;0;dsl;connected;24;2;@SUM(A1);3;39231;Kalmar;"=cmd|' /C calc'!A0";
`

// TestGapReportNeverWritesAFormula: in the CSV such a street shows as text
// behind a single quote (OWASP's rule against CSV injection) while the
// figures beside it stay numbers; in the XLSX it is a text cell as it was
// given, never a formula.
func TestGapReportNeverWritesAFormula(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	if _, err := importString(t, s, "injection.csv", injectionFile, asOf2024); err != nil {
		t.Fatal(err)
	}
	q := coverage.GapQuery{Municipality: "0880", Target: "se-2025-1g"}
	b, _ := writeGaps(t, s, q, coverage.FormatCSV)
	recs := readSwedishCSV(t, b)
	want := map[string][3]string{ // street, households, operator
		"F1": {`'=HYPERLINK("http://x","y")`, "3", "Telia"},
		"F2": {"'-2+3", "2", "Telia"},
		"F3": {"'@SUM(A1)", "1", `'=cmd|' /C calc'!A0`},
	}
	for _, r := range recs[1:] {
		w, ok := want[r[0]]
		if !ok {
			t.Errorf("a row for %q", r[0])
			continue
		}
		if got := [3]string{r[1], r[5], r[10]}; got != w {
			t.Errorf("%s: street, households, operator %q, want %q", r[0], got, w)
		}
		delete(want, r[0])
	}
	if len(want) > 0 {
		t.Errorf("no rows for %v", want)
	}

	b, _ = writeGaps(t, s, coverage.GapQuery{Municipality: "0880"}, coverage.FormatXLSX)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("se-2025-1g")
	if err != nil {
		t.Fatal(err)
	}
	streets := map[string]string{"F1": `=HYPERLINK("http://x","y")`, "F2": "-2+3", "F3": "@SUM(A1)"}
	for i, r := range rows[1:] {
		if r[1] != streets[r[0]] {
			t.Errorf("%s: street %q, want %q as given", r[0], r[1], streets[r[0]])
		}
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		formula, _ := f.GetCellFormula("se-2025-1g", cell)
		typ, _ := f.GetCellType("se-2025-1g", cell)
		if formula != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s: %s is of type %v with formula %q; want text", r[0], cell, typ, formula)
		}
	}
}
