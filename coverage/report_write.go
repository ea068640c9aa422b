package coverage

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/gigakoll/gigakoll/sheet"
)

// Formats of the targets report.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
)

// WriteTargets writes the report as a terminal table, JSON (the schema of
// spec/targets.md), or CSV/XLSX with one row per area and target.
func WriteTargets(w io.Writer, rep *TargetsReport, format string) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case FormatTable:
		return writeTargetsTable(w, rep)
	case FormatCSV:
		return writeTargetsSheets(sheet.NewCSV(w), rep, false)
	case FormatXLSX:
		return writeTargetsSheets(sheet.NewXLSX(w), rep, true)
	}
	return fmt.Errorf("format %q: want table, json, csv or xlsx", format)
}

// yesNo answers met in the terminal table, which is in English.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func writeTargetsTable(w io.Writer, rep *TargetsReport) error {
	fmt.Fprintf(w, "Targets as of %s (snapshot %d, %s)\n\n", rep.AsOf, rep.Snapshot.ID, rep.Snapshot.Source)
	t := sheet.Table{Right: []bool{false, false, true, true, true, true, true, true, true, true, true}}
	t.Add("area", "target", "threshold", "share", "met", "gap households", "gap workplaces", "forecast¹", "projected²", "urban", "rural")
	for _, a := range rep.Areas {
		t.Add(fmt.Sprintf("%s %s", a.Code, a.Name), fmt.Sprintf("households %s, workplaces %s", sheet.FormatInt(a.HouseholdsTotal), sheet.FormatInt(a.WorkplacesTotal)))
		for i, r := range a.Targets {
			fc, proj, urban, rural := sheet.Undefined, sheet.Undefined, sheet.Undefined, sheet.Undefined
			if r.Forecast != nil {
				fc = sheet.FormatPercent(r.Forecast.Share)
			}
			if r.Projection != nil {
				proj = sheet.FormatPercent(&r.Projection.Share)
			}
			if a.Urban != nil && i < len(a.Urban.Targets) {
				urban = sheet.FormatPercent(a.Urban.Targets[i].Share)
			}
			if a.Rural != nil && i < len(a.Rural.Targets) {
				rural = sheet.FormatPercent(a.Rural.Targets[i].Share)
			}
			t.Add("", r.ID, sheet.FormatPercent(&r.Threshold), sheet.FormatPercent(r.Share), yesNo(r.Met),
				sheet.FormatInt(r.GapHouseholds), sheet.FormatInt(r.GapWorkplaces), fc, proj, urban, rural)
		}
	}
	if _, err := t.WriteTo(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n¹ forecast: the share if every planned build due by the target's year were made; it never decides met\n"+
		"² projection: a straight line through the last snapshots, carried to the end of the target's year\n"+
		"urban/rural: %s\n", UrbanRule)
	return err
}

// targetsColumns are the spreadsheet columns of the targets report (Swedish:
// the people who open it are).
var targetsColumns = []sheet.Column{
	{Header: "Typ", Kind: sheet.Text},
	{Header: "Kod", Kind: sheet.Text, Width: 6},
	{Header: "Namn", Kind: sheet.Text, Width: 18},
	{Header: "Mål", Kind: sheet.Text, Width: 16},
	{Header: "Målår", Kind: sheet.Plain, Width: 8},
	{Header: "Hastighet (Mbit/s)", Kind: sheet.Integer},
	{Header: "Tröskel", Kind: sheet.Percent},
	{Header: "Andel", Kind: sheet.Percent},
	{Header: "Uppfyllt", Kind: sheet.YesNo},
	{Header: "Gap hushåll", Kind: sheet.Integer},
	{Header: "Gap arbetsställen", Kind: sheet.Integer},
	{Header: "Hushåll", Kind: sheet.Integer},
	{Header: "Arbetsställen", Kind: sheet.Integer},
	{Header: "Hushåll med tillgång", Kind: sheet.Integer},
	{Header: "Arbetsställen med tillgång", Kind: sheet.Integer},
	{Header: "Prognos med planerad utbyggnad", Kind: sheet.Percent},
	{Header: "Projektion vid målåret", Kind: sheet.Percent},
	{Header: "Andel tätort", Kind: sheet.Percent},
	{Header: "Andel landsbygd", Kind: sheet.Percent},
}

var kindSV = map[string]string{"municipality": "kommun", "county": "län"}

func writeTargetsSheets(sw sheet.Writer, rep *TargetsReport, history bool) error {
	if err := sw.Sheet("Mål "+rep.AsOf.String(), targetsColumns); err != nil {
		return err
	}
	for _, a := range rep.Areas {
		for i, t := range a.Targets {
			var fc, proj, urban, rural *float64
			if t.Forecast != nil {
				fc = t.Forecast.Share
			}
			if t.Projection != nil {
				p := t.Projection.Share
				proj = &p
			}
			if a.Urban != nil && i < len(a.Urban.Targets) {
				urban = a.Urban.Targets[i].Share
			}
			if a.Rural != nil && i < len(a.Rural.Targets) {
				rural = a.Rural.Targets[i].Share
			}
			h, wp := a.Households.At(Class(t.ClassMbps)), a.Workplaces.At(Class(t.ClassMbps))
			if err := sw.Row(kindSV[a.Kind], a.Code, a.Name, t.ID, t.Year, t.ClassMbps, t.Threshold, t.Share, t.Met,
				t.GapHouseholds, t.GapWorkplaces, a.HouseholdsTotal, a.WorkplacesTotal, h, wp, fc, proj, urban, rural); err != nil {
				return err
			}
		}
	}
	if history {
		cols := []sheet.Column{
			{Header: "Typ", Kind: sheet.Text}, {Header: "Kod", Kind: sheet.Text, Width: 6}, {Header: "Namn", Kind: sheet.Text, Width: 18},
			{Header: "Datum", Kind: sheet.Text, Width: 12}, {Header: "Mål", Kind: sheet.Text, Width: 16},
			{Header: "Andel", Kind: sheet.Percent}, {Header: "Uppfyllt", Kind: sheet.YesNo},
			{Header: "Förändring per år (procentenheter)", Kind: sheet.Decimal, Width: 20},
		}
		if err := sw.Sheet("Historik", cols); err != nil {
			return err
		}
		for _, a := range rep.Areas {
			for _, h := range a.History {
				for _, t := range h.Targets {
					var change *float64
					if t.ChangePerYear != nil {
						c := *t.ChangePerYear * 100
						change = &c
					}
					if err := sw.Row(kindSV[a.Kind], a.Code, a.Name, h.AsOf.String(), t.ID, t.Share, t.Met, change); err != nil {
						return err
					}
				}
			}
		}
	}
	return sw.Close()
}
