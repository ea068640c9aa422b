package coverage

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/replicas"
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

// NoSnapshotError says there is no snapshot as of the date asked for, and
// which dates there are: errors.Is(err, ErrNoSnapshot) holds for it.
type NoSnapshotError struct {
	AsOf  time.Time   // the date asked for
	Dates []time.Time // the dates there are snapshots of, oldest first
}

func (e *NoSnapshotError) Error() string {
	if len(e.Dates) == 0 {
		return "coverage: no snapshot as of " + e.AsOf.Format(time.DateOnly) + "; none is imported yet"
	}
	return "coverage: no snapshot as of " + e.AsOf.Format(time.DateOnly) + "; there are snapshots as of " + e.DateList()
}

// DateList is the dates there are, "2022-10-01, 2023-10-01".
func (e *NoSnapshotError) DateList() string {
	out := make([]string, len(e.Dates))
	for i, d := range e.Dates {
		out[i] = d.Format(time.DateOnly)
	}
	return strings.Join(out, ", ")
}

// Is makes a NoSnapshotError an ErrNoSnapshot.
func (e *NoSnapshotError) Is(target error) bool { return target == ErrNoSnapshot }

// MissingSnapshot is the error for asOf among snaps (any order): a
// *NoSnapshotError naming the dates there are.
func MissingSnapshot(asOf time.Time, snaps []Snapshot) error {
	e := &NoSnapshotError{AsOf: asOf}
	for _, sn := range snaps {
		e.Dates = append(e.Dates, sn.AsOf)
	}
	slices.SortFunc(e.Dates, func(a, b time.Time) int { return a.Compare(b) })
	return e
}

// ErrUnknownArea says no municipality or county has the code asked for.
var ErrUnknownArea = errors.New("coverage: no such municipality or county")

// Store lands coverage snapshots in PostgreSQL and reads their figures.
type Store struct {
	pool     *pgxpool.Pool    // the primary: imports, deletions, and what they read
	read     replicas.Querier // what the map, API, OGC and reports read: pool, or the read replicas
	changed  []func(context.Context) error
	projects ProjectLookup // names the project of a gap report's points; nil: none
}

// OnChange registers work to do after a snapshot was imported or deleted,
// outside the import's transaction: derived data other packages keep from
// the latest snapshot (the address suggestions, say). Its error does not
// undo the import; it is returned as ImportResult.FollowUp.
func (s *Store) OnChange(fn func(context.Context) error) { s.changed = append(s.changed, fn) }

func (s *Store) notifyChanged(ctx context.Context) error {
	ctx = replicas.OnPrimary(ctx) // the work after an import reads what it imported
	var errs []error
	for _, fn := range s.changed {
		if err := fn(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, read: pool}
}

// ReadFrom sends the reads of published figures (the map, its tiles, the
// API, OGC and the reports) to q, a set of read replicas; imports,
// deletions and republishing stay on the primary.
func (s *Store) ReadFrom(q replicas.Querier) *Store {
	s.read = q
	return s
}
