package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/measure"
)

func (a *app) reportMeasurementsCmd() *cobra.Command {
	var period, format, out, county, municipality string
	cmd := &cobra.Command{
		Use:   "measurements",
		Short: "Residents' measurements per county, municipality and 250 m square, against what is offered",
		Long: `Prints what is published of the residents' measurements for a period (all,
a year such as 2026, or a month such as 2026-10, in Swedish time): per county,
municipality and 250 m square with at least 5 measurements, the count, the
median and 10th percentile of download, upload and latency, and the shares
measuring at least 100 Mbit/s and 1 Gbit/s. Areas with fewer measurements are
left out, never shown as zero. Each square is compared with the latest coverage
snapshot and flagged when it is offered at least 1 Gbit/s but its median is
below 100 Mbit/s (spec/targets.md, "Experienced versus offered").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := measure.ParsePeriod(period)
			if err != nil {
				return fmt.Errorf("--period %q: want all, a year such as 2026 or a month such as 2026-10", period)
			}
			var within measure.Area
			switch {
			case county != "" && municipality != "":
				return fmt.Errorf("give --county or --municipality, not both")
			case county != "":
				if within, err = measure.ParseArea("county:" + county); err != nil {
					return fmt.Errorf("--county %q: no such county", county)
				}
			case municipality != "":
				if within, err = measure.ParseArea("municipality:" + municipality); err != nil {
					return fmt.Errorf("--municipality %q: no such municipality", municipality)
				}
			}
			switch format {
			case measure.FormatTable, measure.FormatCSV, measure.FormatJSON:
			default:
				return fmt.Errorf("--format %q: want table, csv or json", format)
			}
			return a.withDB(cmd.Context(), time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				rep, err := measure.NewStore(pool).Report(ctx, p, within)
				if err != nil {
					return err
				}
				return a.writeOut(out, func(w io.Writer) error { return measure.WriteReport(w, rep, format) })
			})
		},
	}
	cmd.Flags().StringVar(&period, "period", "all", "all, a year (2026) or a month (2026-10)")
	cmd.Flags().StringVar(&format, "format", "table", "table, csv or json")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().StringVar(&county, "county", "", "only this county, e.g. 08")
	cmd.Flags().StringVar(&municipality, "municipality", "", "only this municipality, e.g. 0880")
	return cmd
}
