package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

func (a *app) snapshotsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshots",
		Short: "List or delete coverage snapshots",
	}
	cmd.AddCommand(a.snapshotsMobileCmd()) // snapshots_mobile.go
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the snapshots, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				snaps, err := coverage.NewStore(pool).Snapshots(ctx)
				if err != nil {
					return err
				}
				if len(snaps) == 0 {
					fmt.Fprintln(a.stdout, "no snapshots yet: gigakoll import coverage FILE --as-of DATE")
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "as of\tpoints\trows\thouseholds\tworkplaces\twarnings\timported\tsource")
				for _, s := range snaps {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", s.AsOf.Format(time.DateOnly), s.Points, s.Rows,
						s.Households, s.Workplaces, s.Warnings, s.ImportedAt.Local().Format("2006-01-02 15:04"), s.Source)
				}
				return tw.Flush()
			})
		},
	})
	var yes bool
	del := &cobra.Command{
		Use:   "delete YYYY-MM-DD [--yes]",
		Short: "Delete the snapshot of a date with its address points and figures (asks first, unless --yes)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := coverage.ParseDate(args[0])
			if err != nil {
				return err
			}
			return a.withDB(cmd.Context(), 2*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				store := a.coverageStore(pool)
				sn, err := store.SnapshotAt(ctx, date)
				if errors.Is(err, coverage.ErrNoSnapshot) {
					return err
				}
				if err != nil {
					return err
				}
				if !yes {
					fmt.Fprintf(a.stdout, "Delete the snapshot as of %s (%d address points, %s, imported %s)? Type yes to delete: ",
						args[0], sn.Points, sn.Source, sn.ImportedAt.Local().Format("2006-01-02 15:04"))
					answer, _ := bufio.NewReader(a.stdin).ReadString('\n')
					if strings.TrimSpace(strings.ToLower(answer)) != "yes" {
						fmt.Fprintln(a.stdout, "nothing deleted")
						return errors.New("not confirmed: nothing deleted (--yes deletes without asking)")
					}
				}
				s, err := store.DeleteSnapshot(ctx, date, auth.Entry{Actor: cliActor(a.getenv)})
				if errors.Is(err, coverage.ErrNoSnapshot) {
					return fmt.Errorf("no snapshot as of %s", args[0])
				}
				var fe *coverage.FollowUpError
				if err != nil && !errors.As(err, &fe) {
					return err
				}
				fmt.Fprintf(a.stdout, "deleted the snapshot as of %s (%d address points, %s)\n", args[0], s.Points, s.Source)
				if fe != nil {
					fmt.Fprintf(a.stderr, "warning: %v\n", fe)
				}
				return nil
			})
		},
	}
	del.Flags().BoolVar(&yes, "yes", false, "delete without asking")
	cmd.AddCommand(del)
	return cmd
}
