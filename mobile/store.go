package mobile

import (
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// mustSQL returns an embedded SQL file; a missing one panics at init, which
// every test of the package catches.
func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(fmt.Sprintf("mobile: %v", err))
	}
	return string(b)
}

// ErrNoSnapshot says there is no mobile snapshot for the date asked for, or
// none at all.
var ErrNoSnapshot = errors.New("mobile: no mobile snapshot for that date")

// ErrUnknownArea says no municipality or county of the snapshot has the
// code asked for.
var ErrUnknownArea = errors.New("mobile: no such municipality or county in the snapshot")

// Store lands mobile coverage snapshots in PostgreSQL and reads their
// figures. The households, workplaces and holiday homes it counts are the
// coverage snapshots' address points, read through the coverage store.
type Store struct {
	pool     *pgxpool.Pool
	coverage *coverage.Store
}

// NewStore returns a Store on pool that reads the address points' sums
// through cov.
func NewStore(pool *pgxpool.Pool, cov *coverage.Store) *Store {
	return &Store{pool: pool, coverage: cov}
}
