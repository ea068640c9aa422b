package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
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
		return writeTargetsSheets(NewCSVSheet(w), rep, false)
	case FormatXLSX:
		return writeTargetsSheets(NewXLSXSheet(w), rep, true)
	}
	return fmt.Errorf("format %q: want table, json, csv or xlsx", format)
}

// percent shows a share to one decimal of a percent, "–" when undefined.
func percent(s *float64) string {
	if s == nil {
		return "–"
	}
	return strconv.FormatFloat(*s*100, 'f', 1, 64) + " %"
}

// thousands groups digits by three with spaces: 31 250.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func writeTargetsTable(w io.Writer, rep *TargetsReport) error {
	fmt.Fprintf(w, "Targets as of %s (snapshot %d, %s)\n\n", rep.AsOf, rep.Snapshot.ID, rep.Snapshot.Source)
	t := textTable{right: []bool{false, false, true, true, true, true, true, true, true, true, true}}
	t.add("area", "target", "threshold", "share", "met", "gap households", "gap workplaces", "forecast¹", "projected²", "urban", "rural")
	for _, a := range rep.Areas {
		t.add(fmt.Sprintf("%s %s", a.Code, a.Name), fmt.Sprintf("households %s, workplaces %s", thousands(a.HouseholdsTotal), thousands(a.WorkplacesTotal)))
		for i, r := range a.Targets {
			fc, proj, urban, rural := "–", "–", "–", "–"
			if r.Forecast != nil {
				fc = percent(r.Forecast.Share)
			}
			if r.Projection != nil {
				proj = percent(&r.Projection.Share)
			}
			if a.Urban != nil && i < len(a.Urban.Targets) {
				urban = percent(a.Urban.Targets[i].Share)
			}
			if a.Rural != nil && i < len(a.Rural.Targets) {
				rural = percent(a.Rural.Targets[i].Share)
			}
			t.add("", r.ID, fmt.Sprintf("%.1f %%", r.Threshold*100), percent(r.Share), yesNo(r.Met),
				thousands(r.GapHouseholds), thousands(r.GapWorkplaces), fc, proj, urban, rural)
		}
	}
	if err := t.write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n¹ forecast: the share if every planned build due by the target's year were made; it never decides met\n"+
		"² projection: a straight line through the last snapshots, carried to the end of the target's year\n"+
		"urban/rural: %s\n", UrbanRule)
	return err
}

// textTable aligns rows for a terminal: text to the left, numbers to the
// right. A row with fewer cells (an area's heading) does not widen the
// columns it spills over.
type textTable struct {
	right []bool
	rows  [][]string
}

func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *textTable) write(w io.Writer) error {
	width := make([]int, len(t.right))
	for _, r := range t.rows {
		if len(r) < len(width) {
			continue
		}
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", max(0, width[i]-utf8.RuneCountInString(c)))
			if len(r) < len(width) && i == len(r)-1 {
				pad = "" // a heading's last cell runs on
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// targetsColumns are the spreadsheet columns of the targets report (Swedish:
// the people who open it are).
var targetsColumns = []Column{
	{Header: "Typ", Kind: Text},
	{Header: "Kod", Kind: Text, Width: 6},
	{Header: "Namn", Kind: Text, Width: 18},
	{Header: "Mål", Kind: Text, Width: 16},
	{Header: "Målår", Kind: Plain, Width: 8},
	{Header: "Hastighet (Mbit/s)", Kind: Integer},
	{Header: "Tröskel", Kind: Percent},
	{Header: "Andel", Kind: Percent},
	{Header: "Uppfyllt", Kind: YesNo},
	{Header: "Gap hushåll", Kind: Integer},
	{Header: "Gap arbetsställen", Kind: Integer},
	{Header: "Hushåll", Kind: Integer},
	{Header: "Arbetsställen", Kind: Integer},
	{Header: "Hushåll med tillgång", Kind: Integer},
	{Header: "Arbetsställen med tillgång", Kind: Integer},
	{Header: "Prognos med planerad utbyggnad", Kind: Percent},
	{Header: "Projektion vid målåret", Kind: Percent},
	{Header: "Andel tätort", Kind: Percent},
	{Header: "Andel landsbygd", Kind: Percent},
}

var kindSV = map[string]string{"municipality": "kommun", "county": "län"}

func writeTargetsSheets(sw SheetWriter, rep *TargetsReport, history bool) error {
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
		cols := []Column{
			{Header: "Typ", Kind: Text}, {Header: "Kod", Kind: Text, Width: 6}, {Header: "Namn", Kind: Text, Width: 18},
			{Header: "Datum", Kind: Text, Width: 12}, {Header: "Mål", Kind: Text, Width: 16},
			{Header: "Andel", Kind: Percent}, {Header: "Uppfyllt", Kind: YesNo},
			{Header: "Förändring per år (procentenheter)", Kind: Decimal, Width: 20},
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
