package measure

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/gigakoll/gigakoll/sheet"
)

// Formats of the measurements report.
const (
	FormatTable = "table"
	FormatCSV   = "csv"
	FormatJSON  = "json"
	FormatXLSX  = "xlsx"
)

// WriteReport writes the report as a terminal table, CSV (one row per area,
// as Swedish spreadsheets open it: ";", decimal comma, UTF-8 with BOM) or
// JSON (the Report as it is).
func WriteReport(w io.Writer, rep Report, format string) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case FormatTable:
		return writeReportTable(w, rep)
	case FormatCSV:
		return writeReportSheets(sheet.NewCSV(w), rep, nil, nil)
	}
	return fmt.Errorf("format %q: want table, csv or json", format)
}

// WriteReportXLSX writes the report as a workbook: the areas and squares on
// one sheet, the areas by connection type on a second, by operator on a
// third.
func WriteReportXLSX(w io.Writer, rep Report, byConnection []ConnectionFigures, byOperator []OperatorFigures) error {
	return writeReportSheets(sheet.NewXLSX(w), rep, byConnection, byOperator)
}

// WriteOperatorsCSV writes the figures by operator as CSV, as the report's
// CSV is written (";", decimal comma, UTF-8 with BOM).
func WriteOperatorsCSV(w io.Writer, byOperator []OperatorFigures) error {
	sw := sheet.NewCSV(w)
	if err := writeGroupSheet(sw, "Per operatör", "Operatör", operatorSheetRows(byOperator)); err != nil {
		return err
	}
	return sw.Close()
}

// groupSheetRow is one line of a sheet of figures by group.
type groupSheetRow struct {
	kind, code, name, group string
	f                       Figures
}

func operatorSheetRows(byOperator []OperatorFigures) []groupSheetRow {
	rows := make([]groupSheetRow, len(byOperator))
	for i, o := range byOperator {
		rows[i] = groupSheetRow{o.Kind, o.Code, o.Name, o.OperatorName, o.Figures}
	}
	return rows
}

// writeGroupSheet writes a sheet of an area's figures by group: the
// report's columns with the group's after the name.
func writeGroupSheet(sw sheet.Writer, name, groupHeader string, rows []groupSheetRow) error {
	cols := append([]sheet.Column{{Header: "Typ", Kind: sheet.Text}, {Header: "Kod", Kind: sheet.Text},
		{Header: "Namn", Kind: sheet.Text}, {Header: groupHeader, Kind: sheet.Text}}, reportColumns[3:13]...)
	if err := sw.Sheet(name, cols); err != nil {
		return err
	}
	for _, r := range rows {
		f := r.f
		var latM, latP any
		if f.LatencyMs != nil {
			latM, latP = f.LatencyMs.Median, f.LatencyMs.P10
		}
		if err := sw.Row(kindSV[r.kind], r.code, r.name, r.group, f.Count, f.DownMbps.Median, f.DownMbps.P10,
			f.UpMbps.Median, f.UpMbps.P10, f.LatencyCount, latM, latP, f.ShareGE100, f.ShareGE1000); err != nil {
			return err
		}
	}
	return nil
}

// mbps writes a speed or a latency in the Swedish way: 95,3.
func mbps(v float64) string { return sheet.FormatDecimal(v, 1) }

func share(v float64) string { return sheet.FormatPercent(&v) }

func latency(f Figures) string {
	if f.LatencyMs == nil {
		return sheet.Undefined
	}
	return mbps(f.LatencyMs.Median)
}

// figureColumns are right-aligned: every column but the area's name.
func figureColumns(text, n int) []bool {
	right := make([]bool, n)
	for i := text; i < n; i++ {
		right[i] = true
	}
	return right
}

func writeReportTable(w io.Writer, rep Report) error {
	fmt.Fprintf(w, "Residents' measurements, period %s: areas with at least %d measurements (fewer are not shown)\n\n", rep.Period, rep.MinCount)
	t := sheet.Table{Right: figureColumns(2, 10)}
	t.Add("area", "name", "count", "down median", "down p10", "up median", "up p10", "latency median (ms)", "≥ 100 Mbit/s", "≥ 1 Gbit/s")
	for _, a := range rep.Areas {
		f := a.Figures
		t.Add(a.Kind+" "+a.Code, a.Name, sheet.FormatInt(f.Count), mbps(f.DownMbps.Median), mbps(f.DownMbps.P10),
			mbps(f.UpMbps.Median), mbps(f.UpMbps.P10), latency(f), share(f.ShareGE100), share(f.ShareGE1000))
	}
	if _, err := t.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n250 m squares: %d, flagged %d (offered ≥ 1 Gbit/s, measured median below %d Mbit/s)\n\n",
		len(rep.Squares), rep.FlaggedSquares, SlowMbps)
	t = sheet.Table{Right: append(figureColumns(1, 6), false, false)}
	t.Add("square", "count", "down median", "down p10", "up median", "latency median (ms)", "offered", "flagged")
	for _, s := range rep.Squares {
		f := s.Figures
		offered := "no snapshot"
		if s.Offered != nil {
			offered = "best " + mbps(s.Offered.BestFixedMbps)
			if s.Offered.Gigabit {
				offered = "≥ 1 Gbit/s"
			}
		}
		flag := ""
		if s.Flagged {
			flag = "FLAGGED"
		}
		t.Add(s.Square, sheet.FormatInt(f.Count), mbps(f.DownMbps.Median), mbps(f.DownMbps.P10),
			mbps(f.UpMbps.Median), latency(f), offered, flag)
	}
	_, err := t.WriteTo(w)
	return err
}

// reportColumns are the CSV columns (Swedish: the people who open it are).
var reportColumns = []sheet.Column{
	{Header: "Typ", Kind: sheet.Text},
	{Header: "Kod", Kind: sheet.Text},
	{Header: "Namn", Kind: sheet.Text},
	{Header: "Antal mätningar", Kind: sheet.Integer},
	{Header: "Median ned (Mbit/s)", Kind: sheet.Decimal},
	{Header: "10:e percentil ned (Mbit/s)", Kind: sheet.Decimal},
	{Header: "Median upp (Mbit/s)", Kind: sheet.Decimal},
	{Header: "10:e percentil upp (Mbit/s)", Kind: sheet.Decimal},
	{Header: "Mätningar med latens", Kind: sheet.Integer},
	{Header: "Median latens (ms)", Kind: sheet.Decimal},
	{Header: "10:e percentil latens (ms)", Kind: sheet.Decimal},
	{Header: "Andel ≥ 100 Mbit/s", Kind: sheet.Percent},
	{Header: "Andel ≥ 1 Gbit/s", Kind: sheet.Percent},
	{Header: "Erbjuds ≥ 1 Gbit/s", Kind: sheet.YesNo},
	{Header: "Bästa erbjudande (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Flaggad", Kind: sheet.YesNo},
}

var kindSV = map[string]string{KindSquare: "ruta", KindMunicipality: "kommun", KindCounty: "län"}

// connectionSV names the connection types in Swedish.
var connectionSV = map[string]string{"fiber": "fiber", "cable": "kabel-tv", "dsl": "DSL", "fixed_wireless": "fast radio",
	"mobile": "mobilt", "satellite": "satellit", "unknown": "okänd"}

// ConnectionSV is the connection type in Swedish, as the pages and sheets name it.
func ConnectionSV(c string) string {
	if s, ok := connectionSV[c]; ok {
		return s
	}
	return c
}

func writeReportSheets(sw sheet.Writer, rep Report, byConnection []ConnectionFigures, byOperator []OperatorFigures) error {
	if err := sw.Sheet("Mätningar", reportColumns); err != nil {
		return err
	}
	row := func(kind, code, name string, f Figures, offered *Offered, flagged any) error {
		var latM, latP any
		if f.LatencyMs != nil {
			latM, latP = f.LatencyMs.Median, f.LatencyMs.P10
		}
		var gigabit, best any
		if offered != nil {
			gigabit, best = offered.Gigabit, offered.BestFixedMbps
		}
		return sw.Row(kindSV[kind], code, name, f.Count, f.DownMbps.Median, f.DownMbps.P10, f.UpMbps.Median, f.UpMbps.P10,
			f.LatencyCount, latM, latP, f.ShareGE100, f.ShareGE1000, gigabit, best, flagged)
	}
	for _, a := range rep.Areas {
		if err := row(a.Kind, a.Code, a.Name, a.Figures, nil, nil); err != nil {
			return err
		}
	}
	for _, s := range rep.Squares {
		if err := row(KindSquare, s.Square, "", s.Figures, s.Offered, s.Flagged); err != nil {
			return err
		}
	}
	if byConnection != nil {
		rows := make([]groupSheetRow, len(byConnection))
		for i, c := range byConnection {
			rows[i] = groupSheetRow{c.Kind, c.Code, c.Name, ConnectionSV(c.Connection), c.Figures}
		}
		if err := writeGroupSheet(sw, "Per anslutning", "Anslutning", rows); err != nil {
			return err
		}
	}
	if byOperator != nil {
		if err := writeGroupSheet(sw, "Per operatör", "Operatör", operatorSheetRows(byOperator)); err != nil {
			return err
		}
	}
	return sw.Close()
}
