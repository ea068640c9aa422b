package mobile

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/replicas"
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
	pool     *pgxpool.Pool    // the primary: imports, deletions, the figures where people are
	read     replicas.Querier // what the map, API, OGC and the reports read: pool, or the read replicas
	coverage *coverage.Store
}

// NewStore returns a Store on pool that reads the address points' sums
// through cov.
func NewStore(pool *pgxpool.Pool, cov *coverage.Store) *Store {
	return &Store{pool: pool, read: pool, coverage: cov}
}

// ReadFrom sends the reads of the snapshots, their squares, tiles and
// figures to q, a set of read replicas; imports, deletions and the
// figures' refresh stay on the primary, and so do the reads they make.
func (s *Store) ReadFrom(q replicas.Querier) *Store {
	s.read = q
	return s
}

// querier is a pool, a set of read replicas or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// reader is where a read of s goes: the coverage View's transaction that
// ctx carries (one state for the whole answer), or s.read.
func (s *Store) reader(ctx context.Context) querier {
	if tx, ok := coverage.InView(ctx); ok {
		return tx
	}
	return s.read
}
