package coverage

import (
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// mustSQL returns an embedded SQL file; a missing one panics at init, which
// every test of the package catches.
func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(fmt.Sprintf("coverage: %v", err))
	}
	return string(b)
}

// ErrNoSnapshot says there is no snapshot for the date asked for, or none at all.
var ErrNoSnapshot = errors.New("coverage: no snapshot for that date")

// ErrUnknownArea says no municipality or county has the code asked for.
var ErrUnknownArea = errors.New("coverage: no such municipality or county")

// Store lands coverage snapshots in PostgreSQL and reads their figures.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}
