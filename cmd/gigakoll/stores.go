package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
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
	return s
}
