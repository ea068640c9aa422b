package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/tabular"
)

// mobileDemoSource names a demo mobile snapshot, so that a second run
// recognises what it loaded.
func mobileDemoSource(year int, seed uint64) string {
	return fmt.Sprintf("demo-mobile-%d (seed %d)", year, seed)
}

// seedMobile loads the demo's mobile snapshots of the years (each streamed from
// the generator into the import, as gigakoll import mobile would) and the
// residents' mobile measurements that the check of offered against
// experienced flags. A year loaded already from the same demo is skipped.
func (a *app) seedMobile(ctx context.Context, pool *pgxpool.Pool, seed uint64, years []int, force bool) error {
	store := a.mobileStore(pool)
	var g *seeds.MobileGenerator
	loaded := 0
	for _, year := range years {
		asOf, name := seeds.AsOf(year), mobileDemoSource(year, seed)
		if !force {
			s, err := store.SnapshotAt(ctx, asOf)
			switch {
			case err == nil && s.Source == name:
				fmt.Fprintf(a.stdout, "%s: the demo's mobile coverage is there already (%d squares)\n", asOf.Format(time.DateOnly), s.Squares)
				continue
			case err == nil:
				fmt.Fprintf(a.stdout, "%s: mobile coverage from %s is there; leaving it (use --force to replace it)\n",
					asOf.Format(time.DateOnly), s.Source)
				continue
			case !errors.Is(err, mobile.ErrNoSnapshot):
				return err
			}
		}
		if g == nil {
			var err error
			if g, err = seeds.NewMobile(seed); err != nil {
				return err
			}
		}
		pr, pw := io.Pipe()
		go func() {
			_, err := g.WriteMobile(pw, year)
			pw.CloseWithError(err)
		}()
		res, err := store.Import(ctx, pr, mobile.ImportOptions{AsOf: asOf, Name: name, Log: a.log,
			Audit: auth.Entry{Actor: cliActor(a.getenv) + " (seed demo)"}})
		pr.CloseWithError(io.ErrClosedPipe)
		var ie *tabular.ImportError
		if errors.As(err, &ie) {
			return fmt.Errorf("the demo's mobile generator wrote a file gigakoll refuses (a bug):\n%s", ie.Problems.Report())
		}
		if err != nil {
			return err
		}
		loaded++
		fmt.Fprintf(a.stdout, "%s: mobile coverage imported, %d squares, %d rows in %.1f s\n", asOf.Format(time.DateOnly),
			res.Snapshot.Squares, res.Snapshot.Rows, res.Duration.Seconds())
	}
	n, err := seeds.LoadMobileMeasurements(ctx, pool, seeds.MobileMeasurementsConfig{Seed: seed})
	if err != nil {
		return fmt.Errorf("demo mobile measurements: %w", err)
	}
	fmt.Fprintf(a.stdout, "demo mobile coverage: %d of %d years loaded now, %d residents' mobile measurements\n",
		loaded, len(years), n)
	return nil
}
