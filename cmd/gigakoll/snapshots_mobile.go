package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/mobile"
)

// snapshotsMobileCmd lists and deletes the mobile coverage snapshots.
func (a *app) snapshotsMobileCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "mobile", Short: "List or delete mobile coverage snapshots"}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the mobile snapshots, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				snaps, err := a.mobileStore(pool).Snapshots(ctx)
				if err != nil {
					return err
				}
				if len(snaps) == 0 {
					fmt.Fprintln(a.stdout, "no mobile snapshots yet: gigakoll import mobile FILE --as-of DATE")
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "as of\tsize\tsquares\trows\toperators\tcoverage counted\twarnings\timported\tsource")
				for _, s := range snaps {
					counted := "none"
					if s.CoverageID != 0 {
						counted = s.CoverageAsOf.Format(time.DateOnly)
					}
					fmt.Fprintf(tw, "%s\t%d m\t%d\t%d\t%s\t%s\t%d\t%s\t%s\n", s.AsOf.Format(time.DateOnly), s.Size, s.Squares, s.Rows,
						strings.Join(s.Operators, ", "), counted, s.Warnings, s.ImportedAt.Local().Format("2006-01-02 15:04"), s.Source)
				}
				return tw.Flush()
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "delete YYYY-MM-DD",
		Short: "Delete the mobile snapshot of a date with its squares and figures",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := time.Parse(time.DateOnly, args[0])
			if err != nil {
				return fmt.Errorf("%q: want a date as YYYY-MM-DD", args[0])
			}
			return a.withDB(cmd.Context(), 2*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				s, err := a.mobileStore(pool).DeleteSnapshot(ctx, date, auth.Entry{Actor: cliActor(a.getenv)})
				if errors.Is(err, mobile.ErrNoSnapshot) {
					return fmt.Errorf("no mobile snapshot as of %s", args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "deleted the mobile snapshot as of %s (%d squares, %s)\n", args[0], s.Squares, s.Source)
				return nil
			})
		},
	})
	return cmd
}
