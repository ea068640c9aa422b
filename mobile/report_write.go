package mobile

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/sheet"
)

// WriteReport writes the mobile report as a terminal table, JSON (the shape
// of spec/mobile.md), or CSV/XLSX with one row per area, measure, class and
// operator; XLSX adds the targets and the operators per square as sheets of
// their own.
func WriteReport(w io.Writer, rep *Report, format string) error {
	switch format {
	case coverage.FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case coverage.FormatTable:
		return writeTable(w, rep)
	case coverage.FormatCSV:
		return writeSheets(sheet.NewCSV(w), rep, false)
	case coverage.FormatXLSX:
		return writeSheets(sheet.NewXLSX(w), rep, true)
	}
	return fmt.Errorf("format %q: want table, json, csv or xlsx", format)
}

// share is covered/total, nil when total is 0.
func share(covered, total int64) *float64 { return coverage.Share(covered, total) }

func writeTable(w io.Writer, rep *Report) error {
	against := "no coverage snapshot: no households, workplaces or holiday homes counted"
	if rep.CoverageAsOf != nil {
		against = "people at the address points of the coverage snapshot of " + rep.CoverageAsOf.String()
	}
	fmt.Fprintf(w, "Mobile coverage as of %s (%d m squares, %s); %s\n\n", rep.AsOf, rep.SquareSize, rep.Source, against)
	t := sheet.Table{Right: []bool{false, false, true, true, true, true}}
	t.Add("area", "covered", "households", "workplaces", "holiday homes", "squares")
	for _, a := range rep.Areas {
		t.Add(fmt.Sprintf("%s %s", a.Code, a.Name), "total", sheet.FormatInt(a.HouseholdsTotal), sheet.FormatInt(a.WorkplacesTotal),
			sheet.FormatInt(a.HolidayHomesTotal), sheet.FormatInt(a.SquaresTotal))
		row := func(name string, c Counts) {
			t.Add("", name, sheet.FormatPercent(share(c.Households, a.HouseholdsTotal)), sheet.FormatPercent(share(c.Workplaces, a.WorkplacesTotal)),
				sheet.FormatPercent(share(c.HolidayHomes, a.HolidayHomesTotal)), sheet.FormatPercent(share(c.Squares, a.SquaresTotal)))
		}
		for _, cl := range Classes {
			row(fmt.Sprintf("outdoor ≥ %d Mbit/s", cl), *a.Outdoor.At(cl))
		}
		for _, cl := range Classes {
			row(fmt.Sprintf("indoor ≥ %d Mbit/s", cl), *a.Indoor.At(cl))
		}
		row("5G", a.FiveG)
	}
	if _, err := t.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprint(w, "\nshares of the area's households, workplaces, holiday homes and squares\n\n")
	g := sheet.Table{Right: []bool{false, false, true, false, true, true, true}}
	g.Add("area", "target", "share", "met", "gap households", "gap workplaces", "gap holiday homes")
	for _, a := range rep.Areas {
		for _, r := range a.Targets {
			g.Add(fmt.Sprintf("%s %s", a.Code, a.Name), r.ID, sheet.FormatPercent(r.Share), yesNo(r.Met),
				gapText(r.GapHouseholds), gapText(r.GapWorkplaces), gapText(r.GapHolidayHomes))
		}
	}
	if _, err := g.WriteTo(w); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, "\ngaps over each target's population (– outside it)\n")
	return err
}

// gapText is a gap, or "–" for a group outside the target's population.
func gapText(n *int64) string {
	if n == nil {
		return sheet.Undefined
	}
	return sheet.FormatInt(*n)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// The spreadsheet columns, Swedish as the people who open them.
var (
	figureColumns = []sheet.Column{
		{Header: "Typ", Kind: sheet.Text}, {Header: "Kod", Kind: sheet.Text, Width: 6}, {Header: "Namn", Kind: sheet.Text, Width: 18},
		{Header: "Operatör", Kind: sheet.Text, Width: 14}, {Header: "Täckning", Kind: sheet.Text, Width: 10},
		{Header: "Hastighet (Mbit/s)", Kind: sheet.Integer},
		{Header: "Hushåll", Kind: sheet.Integer}, {Header: "Arbetsställen", Kind: sheet.Integer},
		{Header: "Fritidshus", Kind: sheet.Integer}, {Header: "Rutor", Kind: sheet.Integer},
		{Header: "Hushåll totalt", Kind: sheet.Integer}, {Header: "Arbetsställen totalt", Kind: sheet.Integer},
		{Header: "Fritidshus totalt", Kind: sheet.Integer}, {Header: "Rutor totalt", Kind: sheet.Integer},
		{Header: "Andel hushåll", Kind: sheet.Percent}, {Header: "Andel rutor", Kind: sheet.Percent},
	}
	targetColumns = []sheet.Column{
		{Header: "Typ", Kind: sheet.Text}, {Header: "Kod", Kind: sheet.Text, Width: 6}, {Header: "Namn", Kind: sheet.Text, Width: 18},
		{Header: "Mål", Kind: sheet.Text, Width: 16}, {Header: "Målår", Kind: sheet.Plain, Width: 8},
		{Header: "Tröskel", Kind: sheet.Percent}, {Header: "Andel", Kind: sheet.Percent}, {Header: "Uppfyllt", Kind: sheet.YesNo},
		{Header: "Gap hushåll", Kind: sheet.Integer}, {Header: "Gap arbetsställen", Kind: sheet.Integer},
		{Header: "Gap fritidshus", Kind: sheet.Integer},
	}
	redundancyColumns = []sheet.Column{
		{Header: "Typ", Kind: sheet.Text}, {Header: "Kod", Kind: sheet.Text, Width: 6}, {Header: "Namn", Kind: sheet.Text, Width: 18},
		{Header: "Operatörer med minst 10 Mbit/s utomhus", Kind: sheet.Integer, Width: 16},
		{Header: "Hushåll", Kind: sheet.Integer}, {Header: "Arbetsställen", Kind: sheet.Integer},
		{Header: "Fritidshus", Kind: sheet.Integer}, {Header: "Rutor", Kind: sheet.Integer},
	}
	kindSV = map[string]string{"municipality": "kommun", "county": "län", "country": "land"}
)

func writeSheets(sw sheet.Writer, rep *Report, xlsx bool) error {
	if err := sw.Sheet("Mobiltäckning "+rep.AsOf.String(), figureColumns); err != nil {
		return err
	}
	for _, a := range rep.Areas {
		ops := append([]OperatorCoverage{{Operator: "", Coverage: a.Coverage}}, a.Operators...)
		for _, op := range ops {
			name := op.Operator
			if name == "" {
				name = "Alla"
			}
			row := func(what string, class any, c Counts) error {
				return sw.Row(kindSV[a.Kind], a.Code, a.Name, name, what, class, c.Households, c.Workplaces, c.HolidayHomes,
					c.Squares, a.HouseholdsTotal, a.WorkplacesTotal, a.HolidayHomesTotal, a.SquaresTotal,
					share(c.Households, a.HouseholdsTotal), share(c.Squares, a.SquaresTotal))
			}
			for _, cl := range Classes {
				if err := row("utomhus", int64(cl), *op.Outdoor.At(cl)); err != nil {
					return err
				}
			}
			for _, cl := range Classes {
				if err := row("inomhus", int64(cl), *op.Indoor.At(cl)); err != nil {
					return err
				}
			}
			if err := row("5G", nil, op.FiveG); err != nil {
				return err
			}
		}
	}
	if xlsx {
		if err := sw.Sheet("Mål", targetColumns); err != nil {
			return err
		}
		for _, a := range rep.Areas {
			for _, r := range a.Targets {
				if err := sw.Row(kindSV[a.Kind], a.Code, a.Name, r.ID, r.Year, r.Threshold, r.Share, r.Met,
					r.GapHouseholds, r.GapWorkplaces, r.GapHolidayHomes); err != nil {
					return err
				}
			}
		}
		if err := sw.Sheet("Operatörer per ruta", redundancyColumns); err != nil {
			return err
		}
		for _, a := range rep.Areas {
			for _, r := range a.OperatorsPerSquare {
				if err := sw.Row(kindSV[a.Kind], a.Code, a.Name, r.Operators, r.Households, r.Workplaces, r.HolidayHomes, r.Squares); err != nil {
					return err
				}
			}
		}
	}
	return sw.Close()
}
