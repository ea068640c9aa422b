package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/coverage"
)

func (a *app) reportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Reports from the coverage snapshots",
	}
	cmd.AddCommand(a.reportTargetsCmd())
	cmd.AddCommand(a.reportGapsCmd())
	cmd.AddCommand(a.reportMeasurementsCmd())
	cmd.AddCommand(a.reportMobileCmd()) // report_mobile.go
	cmd.AddCommand(a.reportProjectsCmd())
	return cmd
}

func (a *app) reportTargetsCmd() *cobra.Command {
	var asOf, format, out, county, municipality string
	cmd := &cobra.Command{
		Use:   "targets",
		Short: "Every municipality and county against every target",
		Long: `Prints the targets report of spec/targets.md for one snapshot (the latest
without --as-of): per municipality and county the share of households and
workplaces with access to each target's speed class, whether the target is met,
the gap in households and workplaces, the forecast with planned builds, a
straight-line projection to the target's year, and urban and rural shares.
JSON adds the history over all snapshots; XLSX adds it as a second sheet.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var date time.Time
			if asOf != "" {
				var err error
				if date, err = coverage.ParseDate(asOf); err != nil {
					return fmt.Errorf("--as-of %w", err)
				}
			}
			switch format {
			case coverage.FormatTable, coverage.FormatJSON, coverage.FormatCSV, coverage.FormatXLSX:
			default:
				return fmt.Errorf("--format %q: want table, json, csv or xlsx", format)
			}
			if format == coverage.FormatXLSX && out == "" && isTerminal(a.stdout) {
				return fmt.Errorf("--format xlsx writes a binary file: give -o FILE")
			}
			return a.withDB(cmd.Context(), time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				rep, err := coverage.NewStore(pool).TargetsReport(ctx, coverage.ReportQuery{AsOf: date, County: county, Municipality: municipality})
				if err != nil {
					return err
				}
				return a.writeOut(out, func(w io.Writer) error { return coverage.WriteTargets(w, rep, format) })
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "the snapshot's date, YYYY-MM-DD (default: the latest)")
	cmd.Flags().StringVar(&format, "format", "table", "table, json, csv or xlsx")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().StringVar(&county, "county", "", "only this county, e.g. 08")
	cmd.Flags().StringVar(&municipality, "municipality", "", "only this municipality, e.g. 0880")
	return cmd
}

// writeOut writes to the file (atomically: a temporary file renamed into
// place once complete) or to stdout.
func (a *app) writeOut(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.stdout)
	}
	tmp, err := os.CreateTemp(dirOf(path), ".gigakoll-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote %s\n", path)
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}
