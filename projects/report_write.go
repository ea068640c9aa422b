package projects

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gigakoll/gigakoll/sheet"
)

// Formats of the projects report.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
)

// StatusSV names the statuses in Swedish, for the spreadsheets.
var StatusSV = map[Status]string{Planned: "planerat", InProgress: "pågår", Completed: "klart", Cancelled: "avbrutet"}

// WriteReport writes the report as a terminal table, JSON (the shape of
// spec/projects.md), CSV (one row per project) or XLSX (projects, then the
// municipalities and the county with the forecast, white spots and cost,
// then the cost model's assumptions).
func WriteReport(w io.Writer, rep *Report, format string) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case FormatTable:
		return writeTable(w, rep)
	case FormatCSV:
		sw := sheet.NewCSV(w)
		if err := writeProjectSheet(sw, rep); err != nil {
			return err
		}
		return sw.Close()
	case FormatXLSX:
		sw := sheet.NewXLSX(w)
		if err := writeProjectSheet(sw, rep); err != nil {
			return err
		}
		if err := writeAreaSheet(sw, rep); err != nil {
			return err
		}
		if err := writeCostModelSheet(sw, rep); err != nil {
			return err
		}
		return sw.Close()
	}
	return fmt.Errorf("format %q: want table, json, csv or xlsx", format)
}

var projectColumns = []sheet.Column{
	{Header: "Id", Kind: sheet.Text, Width: 14},
	{Header: "Projekt", Kind: sheet.Text, Width: 30},
	{Header: "Ägare", Kind: sheet.Text, Width: 22},
	{Header: "Status", Kind: sheet.Text},
	{Header: "Startår", Kind: sheet.Plain},
	{Header: "Klart år", Kind: sheet.Plain},
	{Header: "Hastighet (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Kommuner", Kind: sheet.Text, Width: 18},
	{Header: "Kostnad (kr)", Kind: sheet.Integer, Width: 14},
	{Header: "Finansiering (kr)", Kind: sheet.Integer, Width: 14},
	{Header: "Varav offentlig (kr)", Kind: sheet.Integer, Width: 14},
	{Header: "Offentlig andel", Kind: sheet.Percent},
	{Header: "Adresspunkter", Kind: sheet.Integer},
	{Header: "Hushåll", Kind: sheet.Integer},
	{Header: "Arbetsställen", Kind: sheet.Integer},
	{Header: "Fritidshus", Kind: sheet.Integer},
	{Header: "Hushåll utan (gap)", Kind: sheet.Integer},
	{Header: "Arbetsställen utan (gap)", Kind: sheet.Integer},
	{Header: "Kostnad per anslutning (kr)", Kind: sheet.Integer, Width: 14},
	{Header: "Levererat", Kind: sheet.Percent},
	{Header: "Flaggat (under 90 %)", Kind: sheet.YesNo},
	{Header: "Hushållssiffror undanhållna", Kind: sheet.YesNo},
}

func municipalityCodes(p ProjectReport) string {
	codes := make([]string, len(p.Municipalities))
	for i, m := range p.Municipalities {
		codes[i] = m.Code
	}
	return strings.Join(codes, ", ")
}

func writeProjectSheet(sw sheet.Writer, rep *Report) error {
	if err := sw.Sheet("Projekt", projectColumns); err != nil {
		return err
	}
	for _, p := range rep.Projects {
		var perConn any
		if p.CostPerConnectionSEK != nil {
			perConn = int64(*p.CostPerConnectionSEK + 0.5)
		}
		if err := sw.Row(p.ID, p.Name, p.Owner, StatusSV[p.Status], p.StartYear, p.CompletionYear, p.DownMbps,
			municipalityCodes(p), p.CostSEK, p.FundingSEK, p.PublicFundingSEK, p.PublicShare, p.Points, p.Households,
			p.Workplaces, p.HolidayHomes, p.GapHouseholds, p.GapWorkplaces, perConn, p.Delivered,
			p.Delivered != nil && p.Flagged, p.Withheld); err != nil {
			return err
		}
	}
	return nil
}

func markCost(c Curve, bp int64) any {
	for _, m := range c.Marks {
		if m.BasisPoints == bp {
			return m.CostSEK
		}
	}
	return nil
}

func writeAreaSheet(sw sheet.Writer, rep *Report) error {
	cols := []sheet.Column{
		{Header: "Område", Kind: sheet.Text, Width: 18},
		{Header: "Aktiva projekt", Kind: sheet.Integer},
		{Header: "Vita fläckar: adresspunkter", Kind: sheet.Integer},
		{Header: "Vita fläckar: hushåll", Kind: sheet.Integer},
		{Header: "Vita fläckar: arbetsställen", Kind: sheet.Integer},
		{Header: "Uppskattad kostnad (kr)", Kind: sheet.Integer, Width: 16},
		{Header: "Kostnad 98 % (kr)", Kind: sheet.Integer, Width: 16},
		{Header: "Kostnad 99,9 % (kr)", Kind: sheet.Integer, Width: 16},
		{Header: "Kostnad 100 % (kr)", Kind: sheet.Integer, Width: 16},
	}
	for _, t := range rep.Targets {
		cols = append(cols, sheet.Column{Header: t.ID + ": andel", Kind: sheet.Percent},
			sheet.Column{Header: t.ID + ": prognos med projekt", Kind: sheet.Percent})
	}
	if err := sw.Sheet("Kommuner och län", cols); err != nil {
		return err
	}
	for _, a := range rep.Areas {
		row := []any{a.Code + " " + a.Name, a.Projects, a.WhiteSpotPoints, a.WhiteSpotHouseholds, a.WhiteSpotWorkplaces,
			a.EstimatedCostSEK, markCost(a.CostCurve, 9800), markCost(a.CostCurve, 9990), markCost(a.CostCurve, 10000)}
		for _, t := range rep.Targets {
			var share, fc *float64
			for _, x := range a.Targets {
				if x.ID == t.ID {
					share, fc = x.Share, x.ForecastWithProjects
				}
			}
			row = append(row, share, fc)
		}
		if err := sw.Row(row...); err != nil {
			return err
		}
	}
	return nil
}

func writeCostModelSheet(sw sheet.Writer, rep *Report) error {
	if err := sw.Sheet("Kostnadsmodell", []sheet.Column{
		{Header: "Nyckel", Kind: sheet.Text, Width: 24},
		{Header: "Värde", Kind: sheet.Integer},
		{Header: "Enhet", Kind: sheet.Text},
		{Header: "Antagande", Kind: sheet.Text, Width: 80},
	}); err != nil {
		return err
	}
	for _, e := range rep.CostModel {
		if err := sw.Row(e.Key, e.Value, e.Unit, e.AssumptionSV); err != nil {
			return err
		}
	}
	return nil
}

func writeTable(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "Projects of register version %d (%s) against the snapshot of %s (%s figures)\n\n",
		rep.RegisterVersion, rep.Register.Source, rep.AsOf, rep.Audience)
	t := sheet.Table{Right: []bool{false, false, false, true, true, true, true, true, true, true, true}}
	t.Add("id", "name", "status", "year", "points", "households", "gap hh", "gap wp", "cost/conn", "public", "delivered")
	for _, p := range rep.Projects {
		year, perConn, delivered := sheet.Undefined, sheet.Undefined, sheet.Undefined
		if p.CompletionYear != nil {
			year = fmt.Sprint(*p.CompletionYear)
		}
		if p.CostPerConnectionSEK != nil {
			perConn = sheet.FormatInt(int64(*p.CostPerConnectionSEK + 0.5))
		}
		if p.Delivered != nil {
			delivered = sheet.FormatPercent(p.Delivered)
			if p.Flagged {
				delivered += " FLAGGED"
			}
		}
		t.Add(p.ID, p.Name, string(p.Status), year, intOrDash(p.Points), intOrDash(p.Households), intOrDash(p.GapHouseholds),
			sheet.FormatInt(p.GapWorkplaces), perConn, sheet.FormatPercent(p.PublicShare), delivered)
	}
	if _, err := t.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	a := sheet.Table{Right: []bool{false, true, true, true, true, true, true, true}}
	a.Add("area", "projects", "white spot hh", "white spot wp", "estimated cost", "98 %", "99.9 %", "100 %")
	for _, x := range rep.Areas {
		a.Add(x.Code+" "+x.Name, fmt.Sprint(x.Projects), sheet.FormatInt(x.WhiteSpotHouseholds), sheet.FormatInt(x.WhiteSpotWorkplaces),
			sek(x.EstimatedCostSEK), sek(markCost(x.CostCurve, 9800)), sek(markCost(x.CostCurve, 9990)), sek(markCost(x.CostCurve, 10000)))
	}
	if _, err := a.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintln(w, "\ncost model (assumptions):")
	for _, e := range rep.CostModel {
		fmt.Fprintf(w, "  %-24s %10s %-6s %s\n", e.Key, sheet.FormatInt(int64(e.Value)), e.Unit, e.Assumption)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func intOrDash(n *int64) string {
	if n == nil {
		return sheet.Undefined
	}
	return sheet.FormatInt(*n)
}

func sek(v any) string {
	f, ok := v.(float64)
	if !ok {
		return sheet.Undefined
	}
	return sheet.FormatInt(int64(f+0.5)) + " kr"
}
