package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/projects"
)

// coverageStore is the coverage store as every command uses it: after an
// import or a deletion it refreshes the address suggestions of the
// residents' form from the latest snapshot.
func (a *app) coverageStore(pool *pgxpool.Pool) *coverage.Store {
	s := coverage.NewStore(pool)
	s.OnChange(func(ctx context.Context) error {
		t := time.Now()
		if err := measure.RefreshAddresses(ctx, pool); err != nil {
			return err
		}
		a.log.Info("address suggestions refreshed", "seconds", time.Since(t).Seconds())
		return nil
	})
	// The project figures follow every snapshot (package projects).
	ps := projects.NewStore(pool, s, a.log)
	s.SetProjectLookup(ps.Lookup) // the gap reports name the project a point is in
	s.OnChange(func(ctx context.Context) error {
		if _, err := ps.Sync(ctx); err != nil {
			return fmt.Errorf("the project figures were not rebuilt (gigakoll projects sync does it): %w", err)
		}
		return nil
	})
	return s
}
