package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
)

// coverageStore is the coverage store as every command uses it: after an
// import or a deletion it refreshes the address suggestions of the
// residents' form from the latest snapshot.
func coverageStore(pool *pgxpool.Pool) *coverage.Store {
	s := coverage.NewStore(pool)
	s.OnChange(func(ctx context.Context) error { return measure.RefreshAddresses(ctx, pool) })
	return s
}
