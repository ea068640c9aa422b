package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/user"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
)

func (a *app) auditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "The audit log: every import and every download of address-level data",
	}
	cmd.AddCommand(a.auditListCmd())
	return cmd
}

func (a *app) auditListCmd() *cobra.Command {
	var since, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "list [--since YYYY-MM-DD] [--limit N] [--format table|json]",
		Short: "List audit entries, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var from time.Time
			if since != "" {
				var err error
				if from, err = time.ParseInLocation(time.DateOnly, since, time.Local); err != nil {
					return fmt.Errorf("--since %q: want a date as YYYY-MM-DD", since)
				}
			}
			if format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				entries, err := auth.NewStore(pool).AuditLog(ctx, auth.AuditQuery{Since: from, Limit: limit})
				if err != nil {
					return err
				}
				if format == "json" {
					enc := json.NewEncoder(a.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(entries)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "WHEN\tWHO\tACTION\tMUNICIPALITY\tSNAPSHOT\tTARGET\tFORMAT\tROWS\tPAGES\tDETAIL")
				for _, e := range entries {
					asOf := ""
					if e.SnapshotAsOf != nil {
						asOf = e.SnapshotAsOf.Format(time.DateOnly)
					}
					who := e.Actor
					if e.TokenID != nil {
						who = fmt.Sprintf("%s (token %d)", e.Actor, *e.TokenID)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", e.At.Local().Format("2006-01-02 15:04:05"),
						who, e.Action, e.Municipality, asOf, e.Target, e.Format, e.Rows, e.Pages, e.Detail)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only entries from this day on")
	cmd.Flags().IntVar(&limit, "limit", 1000, "at most this many entries")
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	return cmd
}

// cliActor names the person at the terminal in the audit log: cli:<OS user>.
func cliActor(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	if u := getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli:unknown"
}
