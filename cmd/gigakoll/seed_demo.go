package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/seeds"
)

// seedDemoConfig holds the settings of gigakoll seed demo.
type seedDemoConfig struct {
	Seed        uint64
	Scale       float64
	Years       string
	MobileYears string // seed_mobile.go
	Force       bool
	Timeout     time.Duration
}

func (a *app) seedDemoCmd() *cobra.Command {
	var c seedDemoConfig
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load the demo data: Kalmar län's coverage snapshots 2015–2024, mobile coverage 2019–2024 and residents' measurements",
		Long: `Generates the demo's coverage snapshot of each year and imports it as it is
generated (no temporary file), exactly as gigakoll import coverage would, then
adds some 4 000 residents' measurements of the last two years, then the
mobile coverage of 2019–2024 and residents' mobile measurements where the
operators' claim does not hold. A year already
loaded from the same demo (same seed and scale) is skipped, and the same demo's
measurements are not added twice, so a second run is quick; --force loads the
years again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), c.Timeout)
			defer cancel()
			return a.seedDemo(ctx, c)
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&c.Seed, "seed", 1, "seed of the demo data")
	f.Float64Var(&c.Scale, "scale", 1, "multiplies the number of address points")
	f.StringVar(&c.Years, "years", "2015-2024", "years to load: a year, a range 2015-2024, or a comma-separated list of both")
	f.StringVar(&c.MobileYears, "mobile-years", "2019-2024", "years of mobile coverage to load (2019–2024), as --years; none: no mobile coverage")
	f.BoolVar(&c.Force, "force", false, "load years that are loaded already again")
	f.DurationVar(&c.Timeout, "timeout", time.Hour, "give up (the year being loaded changes nothing) after this long")
	return cmd
}

// demoSource names a demo snapshot in the snapshots table, so that a second
// run recognises what it loaded.
func demoSource(year int, seed uint64, scale float64) string {
	return fmt.Sprintf("demo-%d (seed %d, scale %g)", year, seed, scale)
}

func (a *app) seedDemo(ctx context.Context, c seedDemoConfig) error {
	years, err := parseYears(c.Years)
	if err != nil {
		return err
	}
	pool, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	// The address suggestions follow the latest snapshot: refreshed once,
	// after the last year, not after each (coverageStore would).
	store := coverage.NewStore(pool)
	g, err := seeds.New(seeds.Config{Seed: c.Seed, Scale: c.Scale})
	if err != nil {
		return err
	}
	start := time.Now()
	loaded := 0
	for _, year := range years {
		asOf, name := seeds.AsOf(year), demoSource(year, c.Seed, c.Scale)
		if !c.Force {
			s, err := store.SnapshotAt(ctx, asOf)
			switch {
			case err == nil && s.Source == name:
				fmt.Fprintf(a.stdout, "%s: loaded already (%d address points)\n", asOf.Format(time.DateOnly), s.Points)
				continue
			case err == nil:
				fmt.Fprintf(a.stdout, "%s: a snapshot from %s is there; leaving it (use --force to replace it with the demo)\n",
					asOf.Format(time.DateOnly), s.Source)
				continue
			case !errors.Is(err, coverage.ErrNoSnapshot):
				return err
			}
		}
		pr, pw := io.Pipe()
		go func() {
			_, err := g.Write(pw, year)
			pw.CloseWithError(err)
		}()
		res, err := store.Import(ctx, pr, coverage.ImportOptions{AsOf: asOf, Name: name, Log: a.log,
			Audit: auth.Entry{Actor: cliActor(a.getenv) + " (seed demo)"}})
		pr.CloseWithError(io.ErrClosedPipe) // stops the generator if the import gave up
		var ie *coverage.ImportError
		if errors.As(err, &ie) {
			return fmt.Errorf("the demo generator wrote a file gigakoll refuses (a bug):\n%s", ie.Problems.Report())
		}
		if err != nil {
			return err
		}
		loaded++
		fmt.Fprintf(a.stdout, "%s: imported %d address points, %d rows, %d households, %d workplaces in %.1f s\n",
			asOf.Format(time.DateOnly), res.Snapshot.Points, res.Snapshot.Rows, res.Snapshot.Households,
			res.Snapshot.Workplaces, res.Duration.Seconds())
	}
	t := time.Now()
	if err := measure.RefreshAddresses(ctx, pool); err != nil {
		return err
	}
	a.log.Info("address suggestions refreshed", "seconds", time.Since(t).Seconds())

	// The build-out project register, with its figures against every
	// snapshot; kept when this demo's is in force already.
	if err := a.seedProjects(ctx, pool, g, c); err != nil {
		return fmt.Errorf("demo projects: %w", err)
	}

	// The residents' measurements of the last two years, at the latest
	// snapshot's households; none when this demo's are there already.
	n, err := seeds.LoadMeasurements(ctx, pool, seeds.MeasurementsConfig{Seed: c.Seed})
	if err != nil {
		return fmt.Errorf("demo measurements: %w", err)
	}
	fmt.Fprintf(a.stdout, "demo data: %d of %d years loaded now, %d residents' measurements, in %.1f s\n",
		loaded, len(years), n, time.Since(start).Seconds())
	if c.MobileYears == "none" {
		return nil
	}
	mobileYears, err := parseYears(c.MobileYears)
	if err != nil {
		return fmt.Errorf("--mobile-years: %w", err)
	}
	return a.seedMobile(ctx, pool, c.Seed, mobileYears, c.Force) // seed_mobile.go
}
