package measure

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/gigakoll/gigakoll/coverage"
)

// Formats of the measurements report.
const (
	FormatTable = "table"
	FormatCSV   = "csv"
	FormatJSON  = "json"
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
		return writeReportCSV(w, rep)
	}
	return fmt.Errorf("format %q: want table, csv or json", format)
}

func mbps(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func share(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + " %" }

func latency(f Figures) string {
	if f.LatencyMs == nil {
		return "–"
	}
	return strconv.FormatFloat(f.LatencyMs.Median, 'f', 1, 64)
}

func writeReportTable(w io.Writer, rep Report) error {
	fmt.Fprintf(w, "Residents' measurements, period %s: areas with at least %d measurements (fewer are not shown)\n\n", rep.Period, rep.MinCount)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "area\tname\tcount\tdown median\tdown p10\tup median\tup p10\tlatency median (ms)\t≥ 100 Mbit/s\t≥ 1 Gbit/s\t")
	for _, a := range rep.Areas {
		f := a.Figures
		fmt.Fprintf(tw, "%s %s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", a.Kind, a.Code, a.Name, f.Count,
			mbps(f.DownMbps.Median), mbps(f.DownMbps.P10), mbps(f.UpMbps.Median), mbps(f.UpMbps.P10), latency(f),
			share(f.ShareGE100), share(f.ShareGE1000))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n250 m squares: %d, flagged %d (offered ≥ 1 Gbit/s, measured median below %d Mbit/s)\n\n",
		len(rep.Squares), rep.FlaggedSquares, SlowMbps)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "square\tcount\tdown median\tdown p10\tup median\tlatency median (ms)\toffered\tflagged\t")
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
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Square, f.Count, mbps(f.DownMbps.Median), mbps(f.DownMbps.P10),
			mbps(f.UpMbps.Median), latency(f), offered, flag)
	}
	return tw.Flush()
}

// reportColumns are the CSV columns (Swedish: the people who open it are).
var reportColumns = []coverage.Column{
	{Header: "Typ", Kind: coverage.Text},
	{Header: "Kod", Kind: coverage.Text},
	{Header: "Namn", Kind: coverage.Text},
	{Header: "Antal mätningar", Kind: coverage.Integer},
	{Header: "Median ned (Mbit/s)", Kind: coverage.Decimal},
	{Header: "10:e percentil ned (Mbit/s)", Kind: coverage.Decimal},
	{Header: "Median upp (Mbit/s)", Kind: coverage.Decimal},
	{Header: "10:e percentil upp (Mbit/s)", Kind: coverage.Decimal},
	{Header: "Mätningar med latens", Kind: coverage.Integer},
	{Header: "Median latens (ms)", Kind: coverage.Decimal},
	{Header: "10:e percentil latens (ms)", Kind: coverage.Decimal},
	{Header: "Andel ≥ 100 Mbit/s", Kind: coverage.Percent},
	{Header: "Andel ≥ 1 Gbit/s", Kind: coverage.Percent},
	{Header: "Erbjuds ≥ 1 Gbit/s", Kind: coverage.YesNo},
	{Header: "Bästa erbjudande (Mbit/s)", Kind: coverage.Mbps},
	{Header: "Flaggad", Kind: coverage.YesNo},
}

var kindSV = map[string]string{KindSquare: "ruta", KindMunicipality: "kommun", KindCounty: "län"}

func writeReportCSV(w io.Writer, rep Report) error {
	sw := coverage.NewCSVSheet(w)
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
	return sw.Close()
}
