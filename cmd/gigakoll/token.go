package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
)

func (a *app) tokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens (coordinator, municipality)",
		Long: `API tokens give the coordinator and the municipalities access beyond the
public aggregates (spec/product.md, "Access"): send one as
"Authorization: Bearer gk_…" to the API and the OGC endpoint, or paste it into
the sign-in page (/logga-in). A token is printed once; only its SHA-256 digest
is stored.`,
	}
	cmd.AddCommand(a.tokenCreateCmd(), a.tokenListCmd(), a.tokenRevokeCmd())
	return cmd
}

func (a *app) tokenCreateCmd() *cobra.Command {
	var role, name, expires string
	var municipalities []string
	cmd := &cobra.Command{
		Use:   "create --role coordinator|municipality [--municipality 0880[,0881]] --name NAME [--expires 90d]",
		Short: "Create a token and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var exp *time.Time
			if expires != "never" {
				d, err := parseDays(expires)
				if err != nil {
					return fmt.Errorf("--expires %q: want days such as 90d, a duration such as 12h, or never", expires)
				}
				t := time.Now().Add(d)
				exp = &t
			}
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				secret, t, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{By: auth.Entry{Actor: cliActor(a.getenv)},
					Name: name, Role: auth.Role(role), Municipalities: municipalities, ExpiresAt: exp,
				})
				if err != nil {
					return err
				}
				// The secret goes to stdout only (never to the log), so that
				// `gigakoll token create … > file` keeps it out of the terminal.
				fmt.Fprintln(a.stdout, secret)
				fmt.Fprintf(a.stderr, "created token %d %q (%s%s), expires %s: it is shown only this once; store it safely\n",
					t.ID, t.Name, t.Role, scopeText(t), timeText(t.ExpiresAt, "never"))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "coordinator or municipality")
	cmd.Flags().StringSliceVar(&municipalities, "municipality", nil, "the municipality codes a municipality token may see, e.g. 0880,0881")
	cmd.Flags().StringVar(&name, "name", "", `who holds the token, e.g. "Kalmar kommun, GIS"`)
	cmd.Flags().StringVar(&expires, "expires", "365d", "lifetime: days (90d), a duration (12h), or never")
	_ = cmd.MarkFlagRequired("role")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

// parseDays reads "90d" as 90 days, else a Go duration.
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("bad days")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration")
	}
	return d, nil
}

func scopeText(t auth.Token) string {
	if t.Role == auth.Coordinator {
		return ", all municipalities"
	}
	return " " + strings.Join(t.Municipalities, ",")
}

func timeText(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.Local().Format("2006-01-02 15:04")
}

func (a *app) tokenListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				tokens, err := auth.NewStore(pool).Tokens(ctx)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tROLE\tMUNICIPALITIES\tTOKEN\tCREATED\tEXPIRES\tSTATUS")
				now := time.Now()
				for _, t := range tokens {
					codes := strings.Join(t.Municipalities, ",")
					if t.Role == auth.Coordinator {
						codes = "all"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, codes, t.Hint,
						t.CreatedAt.Local().Format("2006-01-02 15:04"), timeText(t.ExpiresAt, "never"), t.Status(now))
				}
				return tw.Flush()
			})
		},
	}
}

func (a *app) tokenRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token at once, ending its sign-in sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("token id %q: want the number that token list shows", args[0])
			}
			return a.withDB(cmd.Context(), 30*time.Second, func(ctx context.Context, pool *pgxpool.Pool) error {
				t, err := auth.NewStore(pool).RevokeBy(ctx, id, auth.Entry{Actor: cliActor(a.getenv)})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "revoked token %d %q at %s\n", t.ID, t.Name, timeText(t.RevokedAt, ""))
				return nil
			})
		},
	}
}
