package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

func (a *app) reportGapsCmd() *cobra.Command {
	var municipality, asOf, target, format, out string
	var squares bool
	cmd := &cobra.Command{
		Use:   "gaps --municipality CODE [--as-of D] [--target ID] --format csv|xlsx|geojson [-o FILE]",
		Short: "A municipality's gap report: every address point lacking a target's speed class",
		Long: `Lists every address point of the municipality lacking the target's speed class,
largest first (households + workplaces), with its address, households,
workplaces, holiday homes, best technology and speed today, operator, planned
build and year, and the nearest point with ≥ 1 Gbit/s and its distance in metres.

CSV and GeoJSON hold one target (default ` + coverage.DefaultGapTarget + `); XLSX holds a summary
sheet and a sheet per target, or only --target's. --squares gives the public
report by 250 m square instead of by address. Address-level reports are
address-level data: each run is written to the audit log.`,
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
			case coverage.FormatCSV, coverage.FormatXLSX, coverage.FormatGeoJSON:
			default:
				return fmt.Errorf("--format %q: want csv, xlsx or geojson", format)
			}
			if format == coverage.FormatXLSX && out == "" && isTerminal(a.stdout) {
				return fmt.Errorf("--format xlsx writes a binary file: give -o FILE")
			}
			level := coverage.LevelAddress
			if squares {
				level = coverage.LevelSquare
			}
			return a.withDB(cmd.Context(), 30*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				store := coverage.NewStore(pool)
				var g *coverage.GapReport
				var rows int64
				// The figures and the points in one transaction (coverage.Store.View).
				err := store.View(ctx, func(ctx context.Context) error {
					var err error
					g, err = store.GapReport(ctx, coverage.GapQuery{Municipality: municipality, AsOf: date, Target: target, Level: level}, format)
					if err != nil {
						return fmt.Errorf("municipality %s: %w", municipality, err)
					}
					return a.writeOut(out, func(w io.Writer) error {
						rows, err = store.WriteGaps(ctx, w, g, format)
						return err
					})
				})
				if err != nil {
					return err
				}
				if level == coverage.LevelAddress {
					day := g.Snapshot.AsOf
					e := auth.Entry{Actor: cliActor(a.getenv), Action: auth.ActionGaps, Municipality: municipality,
						SnapshotAsOf: &day, Target: g.TargetIDs(), Format: format, Rows: rows, Detail: g.FileName(format)}
					if err := auth.NewStore(pool).Audit(ctx, e); err != nil {
						return fmt.Errorf("report written, but the audit log was not: %w", err)
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&municipality, "municipality", "", "the municipality's code, e.g. 0880")
	cmd.Flags().StringVar(&asOf, "as-of", "", "the snapshot's date, YYYY-MM-DD (default: the latest)")
	cmd.Flags().StringVar(&target, "target", "", "a target id, e.g. se-2025-1g (default: "+coverage.DefaultGapTarget+"; XLSX: every target)")
	cmd.Flags().StringVar(&format, "format", "xlsx", "csv, xlsx or geojson")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().BoolVar(&squares, "squares", false, "the public report by 250 m square, without addresses")
	_ = cmd.MarkFlagRequired("municipality")
	return cmd
}
