package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/mobile"
)

func (a *app) reportMobileCmd() *cobra.Command {
	var asOf, format, out, county, municipality string
	cmd := &cobra.Command{
		Use:   "mobile",
		Short: "Mobile coverage per municipality, county and Sweden, and the mobile targets",
		Long: `Prints the mobile report of spec/mobile.md for one mobile snapshot (the latest
without --as-of): per municipality, county and (for a national file) Sweden,
outdoors and indoors per class (10, 30, 100 Mbit/s), with 5G, for all operators
and per operator: the households, workplaces and holiday homes in covered
squares (of the coverage snapshot in force, named), the share of the area's
squares covered, the operators per square, and the mobile targets.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var date time.Time
			if asOf != "" {
				var err error
				if date, err = time.Parse(time.DateOnly, asOf); err != nil {
					return fmt.Errorf("--as-of %q: want a date as YYYY-MM-DD", asOf)
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
			return a.withDB(cmd.Context(), 10*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				rep, err := a.mobileStore(pool).Report(ctx, mobile.ReportQuery{AsOf: date, County: county, Municipality: municipality})
				if err != nil {
					return err
				}
				return a.writeOut(out, func(w io.Writer) error { return mobile.WriteReport(w, rep, format) })
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "the mobile snapshot's date, YYYY-MM-DD (default: the latest)")
	cmd.Flags().StringVar(&format, "format", "table", "table, json, csv or xlsx")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().StringVar(&county, "county", "", "only this county, e.g. 08")
	cmd.Flags().StringVar(&municipality, "municipality", "", "only this municipality, e.g. 0880")
	return cmd
}
