package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/sheet"
)

// projectsStore is the project register's store over the coverage store
// every command uses.
func (a *app) projectsStore(pool *pgxpool.Pool) *projects.Store {
	return projects.NewStore(pool, a.coverageStore(pool), a.log)
}

func (a *app) importProjectsCmd() *cobra.Command {
	var limit int
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "projects FILE",
		Short: "Import the build-out project register (GeoJSON, as QGIS exports it), whole or not at all",
		Long: `Imports the project register of spec/projects.md: one GeoJSON FeatureCollection
(RFC 7946, WGS 84; a "crs" member naming CRS84 or EPSG:4326 is accepted, any other
CRS refused), a Feature per project with a Polygon or MultiPolygon area. Each
import is a new version of the register and the one in force; earlier versions
stay. A file with any error changes nothing: every error is listed as
FILE: feature N (id "…"): property P: value "…": what is wrong (N counts the
features from 0, as .features[N] does). Overlapping projects are imported with a
warning naming both. The figures against every coverage snapshot are built in the
same transaction. - reads stdin; .gz files are read as they are.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDB(cmd.Context(), timeout, func(ctx context.Context, pool *pgxpool.Pool) error {
				return a.importProjects(ctx, pool, args[0], limit)
			})
		},
	}
	cmd.Flags().IntVar(&limit, "max-errors", projects.DefaultProblemLimit, "errors and warnings listed in detail; the rest are counted")
	cmd.Flags().DurationVar(&timeout, "timeout", time.Hour, "give up (and change nothing) after this long")
	return cmd
}

func (a *app) importProjects(ctx context.Context, pool *pgxpool.Pool, path string, limit int) error {
	var src io.Reader = a.stdin
	name := "(stdin)"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		src, name = f, filepath.Base(path)
	}
	res, err := a.projectsStore(pool).Import(ctx, src, projects.ImportOptions{Name: name, Limit: limit, Log: a.log,
		Audit: auth.Entry{Actor: cliActor(a.getenv)}})
	var ie *projects.ImportError
	if errors.As(err, &ie) {
		fmt.Fprint(a.stderr, ie.Problems.Report())
		fmt.Fprint(a.stderr, ie.Problems.WarningReport())
		return fmt.Errorf("%s: %d errors; nothing was imported", name, ie.Problems.ErrorCount)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, res.Problems.WarningReport())
	r := res.Register
	fmt.Fprintf(a.stdout, "imported %s as project register version %d: %d projects, %d warnings; figures built against %d snapshots in %.1f s\n",
		name, r.Version, r.Projects, r.Warnings, len(res.Built), res.Duration.Seconds())
	return nil
}

func (a *app) reportProjectsCmd() *cobra.Command {
	var asOf, format, out, municipality string
	cmd := &cobra.Command{
		Use:   "projects [--as-of D] [--municipality CODE] --format table|json|csv|xlsx [-o FILE]",
		Short: "The build-out projects, their figures, and per municipality the forecast with projects, white spots and cost",
		Long: `Prints the projects report of spec/projects.md: every project of the register in
force against the coverage snapshot in force on --as-of (the latest without it):
its address points, households, workplaces and holiday homes, the gap it
addresses, cost per connection, public share of its funding, and for completed
projects whether they delivered (flagged below 90 %); per municipality and county
the forecast with projects beside every target, the white spots, the estimated
cost to close the gap and what 98 %, 99.9 % and 100 % would cost. The CLI shows
the coordinator's figures: nothing is withheld.`,
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
			case projects.FormatTable, projects.FormatJSON, projects.FormatCSV, projects.FormatXLSX:
			default:
				return fmt.Errorf("--format %q: want table, json, csv or xlsx", format)
			}
			if format == projects.FormatXLSX && out == "" && isTerminal(a.stdout) {
				return fmt.Errorf("--format xlsx writes a binary file: give -o FILE")
			}
			return a.withDB(cmd.Context(), 10*time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				st := a.projectsStore(pool)
				q := projects.Query{AsOf: date, Municipality: municipality, Full: true}
				rep, err := st.Report(ctx, q)
				if errors.Is(err, projects.ErrBuilding) {
					if _, err := st.Sync(ctx); err != nil {
						return err
					}
					rep, err = st.Report(ctx, q)
				}
				if err != nil {
					return err
				}
				return a.writeOut(out, func(w io.Writer) error { return projects.WriteReport(w, rep, format) })
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "the snapshot in force that day, YYYY-MM-DD (default: the latest)")
	cmd.Flags().StringVar(&format, "format", "table", "table, json, csv or xlsx")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().StringVar(&municipality, "municipality", "", "only the projects reaching into this municipality, e.g. 0881")
	return cmd
}

func (a *app) projectsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projects",
		Short: "The build-out project register: versions, the cost model, rebuilding the figures",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "registers",
		Short: "List the imported versions of the register, the one in force last",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				regs, err := a.projectsStore(pool).Registers(ctx)
				if err != nil {
					return err
				}
				t := sheet.Table{Right: []bool{true, false, false, false, true, true}}
				t.Add("version", "imported", "by", "file", "projects", "warnings")
				for _, r := range regs {
					t.Add(strconv.Itoa(r.Version), r.ImportedAt.Local().Format("2006-01-02 15:04"), r.Actor, r.Source,
						strconv.Itoa(r.Projects), strconv.Itoa(r.Warnings))
				}
				_, err = t.WriteTo(a.stdout)
				return err
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "sync",
		Short: "Build the figures the register in force lacks against the snapshots (serve and migrate do it too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), time.Hour, func(ctx context.Context, pool *pgxpool.Pool) error {
				built, err := a.projectsStore(pool).Sync(ctx)
				fmt.Fprintf(a.stdout, "project figures built against %d snapshots\n", len(built))
				return err
			})
		},
	})
	cmd.AddCommand(a.costModelCmd())
	return cmd
}

func (a *app) costModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cost-model",
		Short: "The cost model of closing the gap: list its assumptions, change one",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the cost model: each value, its default and the assumption it stands for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDB(cmd.Context(), time.Minute, func(ctx context.Context, pool *pgxpool.Pool) error {
				m, err := a.projectsStore(pool).CostModel(ctx)
				if err != nil {
					return err
				}
				t := sheet.Table{Right: []bool{false, true, true, false, false}}
				t.Add("key", "value", "default", "unit", "assumption")
				for _, e := range m.Entries {
					t.Add(e.Key, strconv.FormatFloat(e.Value, 'f', -1, 64), strconv.FormatFloat(e.Default, 'f', -1, 64), e.Unit, e.Assumption)
				}
				_, err = t.WriteTo(a.stdout)
				return err
			})
		},
	})
	set := func(reset bool) func(cmd *cobra.Command, args []string) error {
		return func(cmd *cobra.Command, args []string) error {
			var v float64
			if !reset {
				var err error
				if v, err = strconv.ParseFloat(args[1], 64); err != nil || v < 0 {
					return fmt.Errorf("value %q: want a number of 0 or more, such as 350", args[1])
				}
			}
			return a.withDB(cmd.Context(), time.Hour, func(ctx context.Context, pool *pgxpool.Pool) error {
				e, err := a.projectsStore(pool).SetCost(ctx, args[0], v, reset, auth.Entry{Actor: cliActor(a.getenv)})
				if errors.Is(err, projects.ErrUnknownCostKey) {
					return fmt.Errorf("%s: not in the cost model (gigakoll projects cost-model list names its keys)", args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s = %s %s (default %s); the figures are rebuilt\n", e.Key,
					strconv.FormatFloat(e.Value, 'f', -1, 64), e.Unit, strconv.FormatFloat(e.Default, 'f', -1, 64))
				return nil
			})
		}
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change one figure of the cost model (audited); the figures are rebuilt with it",
		Args:  cobra.ExactArgs(2),
		RunE:  set(false),
	}, &cobra.Command{
		Use:   "reset KEY",
		Short: "Put one figure of the cost model back to its default (audited)",
		Args:  cobra.ExactArgs(1),
		RunE:  set(true),
	})
	return cmd
}

// seedProjects imports the demo's project register unless this demo's is
// the one in force; with it in force, it builds what figures are missing
// (the years loaded now).
func (a *app) seedProjects(ctx context.Context, pool *pgxpool.Pool, g *seeds.Generator, c seedDemoConfig) error {
	st := projects.NewStore(pool, coverage.NewStore(pool), a.log)
	name := seeds.DemoProjectsSource(c.Seed, c.Scale)
	reg, err := st.InForce(ctx)
	switch {
	case err == nil && reg.Source == name && !c.Force:
		built, err := st.Sync(ctx)
		fmt.Fprintf(a.stdout, "project register: the demo's is in force (version %d); figures built against %d more snapshots\n", reg.Version, len(built))
		return err
	case err == nil && reg.Source != name && !c.Force:
		fmt.Fprintf(a.stdout, "project register: %s is in force; leaving it (use --force to import the demo's)\n", reg.Source)
		_, err := st.Sync(ctx)
		return err
	case err != nil && !errors.Is(err, projects.ErrNoRegister):
		return err
	}
	var buf bytes.Buffer
	if _, err := g.WriteProjects(&buf); err != nil {
		return err
	}
	res, err := st.Import(ctx, &buf, projects.ImportOptions{Name: name, Log: a.log,
		Audit: auth.Entry{Actor: cliActor(a.getenv) + " (seed demo)"}})
	var ie *projects.ImportError
	if errors.As(err, &ie) {
		return fmt.Errorf("the demo generator wrote a register gigakoll refuses (a bug):\n%s", ie.Problems.Report())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "project register: version %d in force, %d projects, %d warnings, figures against %d snapshots\n",
		res.Register.Version, res.Register.Projects, res.Register.Warnings, len(res.Built))
	return nil
}
