package e2e_test

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/seeds"
)

// mapYears are the snapshots of the map's and the targets page's fixture:
// three, so that the year picker has a choice and the projection a line.
var mapYears = []int{2022, 2023, 2024}

// mapFixture imports the demo data of Kalmar län (package seeds) at a small
// scale, about 2 600 address points a year, as of 1 October of mapYears.
// The tests take every figure they check from the API, never from here.
func mapFixture(ctx context.Context, pool *pgxpool.Pool) error {
	g, err := seeds.New(seeds.Config{Seed: 11, Scale: 0.03})
	if err != nil {
		return err
	}
	store := coverage.NewStore(pool)
	for _, y := range mapYears {
		pr, pw := io.Pipe()
		go func() {
			_, err := g.Write(pw, y)
			pw.CloseWithError(err)
		}()
		_, err := store.Import(ctx, pr, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: seeds.AsOf(y), Name: fmt.Sprintf("demo-%d.csv", y)})
		pr.Close()
		if err != nil {
			return fmt.Errorf("import the demo of %d: %w", y, err)
		}
	}
	return nil
}
