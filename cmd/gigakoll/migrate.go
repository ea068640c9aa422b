package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/projects"
)

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database to this binary's schema and load Sweden's boundaries",
		Long: `Applies the embedded migrations (goose, one transaction each, under a session
lock) and loads the embedded boundaries of Sweden's 290 municipalities and 21
counties, and the urban localities, in SWEREF 99 TM. Snapshots whose figures
were built by older rules are rebuilt from their address points. A second run
does nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), 10*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				res, err := migrations.Migrate(ctx, pool, a.log)
				if err != nil {
					return err
				}
				for _, f := range res.Applied {
					fmt.Fprintf(a.stdout, "applied %s\n", f)
				}
				if res.Reference {
					fmt.Fprintln(a.stdout, "loaded reference data: municipalities, counties, localities")
				}
				rebuilt, err := coverage.NewStore(pool).Republish(ctx, a.log)
				for _, d := range rebuilt {
					fmt.Fprintf(a.stdout, "rebuilt the figures of the snapshot as of %s with this version's rules\n", d.Format(time.DateOnly))
				}
				if err != nil {
					return err
				}
				// the project figures follow rules and snapshots alike
				built, err := projects.NewStore(pool, coverage.NewStore(pool), a.log).Sync(ctx)
				if len(built) > 0 {
					fmt.Fprintf(a.stdout, "built the project figures against %d snapshots\n", len(built))
				}
				if err != nil {
					return err
				}
				if len(res.Applied) == 0 && !res.Reference && len(rebuilt) == 0 && len(built) == 0 {
					fmt.Fprintf(a.stdout, "database is current (schema version %d); nothing to do\n", res.Version)
				}
				return nil
			})
		},
	}
}
