package coverage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// viewKey marks a context that carries a View's transaction.
type viewKey struct{}

// readOnlyRepeatable is the transaction of a View: every statement sees the
// database as the first one saw it.
var readOnlyRepeatable = pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}

// ErrSnapshotReplaced says a re-import dropped the address points of a
// snapshot a View had begun to read. View runs fn again once on it.
var ErrSnapshotReplaced = errors.New("coverage: the snapshot was replaced while it was read; ask again")

// View runs fn in one read-only transaction at REPEATABLE READ: every read
// of s that fn makes with the context it is given sees the database as it
// was at the first of them, so that the parts of one answer agree (an OGC
// page's numberMatched and its features, a report's snapshot and its
// figures) even when an import commits meanwhile. A View inside a View is
// the outer one. fn's reads must not run concurrently.
//
// Address points are the exception MVCC cannot cover: a re-import drops
// the replaced snapshot's partition. The store's methods that read them
// pin them first (pinPoints), before they yield a row; if they were
// dropped since the View began, the method fails with ErrSnapshotReplaced
// and View runs fn once more, in a new transaction that reads the new
// snapshot. So fn must write nothing out before its first read of address
// points that it would not write again (set headers, but send no byte).
func (s *Store) View(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(viewKey{}).(pgx.Tx); ok {
		return fn(ctx)
	}
	run := func() error {
		// s.read: on the read replica the request is pinned to, if any, so
		// that the whole answer is that standby's state.
		return pgx.BeginTxFunc(ctx, s.read, readOnlyRepeatable, func(tx pgx.Tx) error {
			return fn(context.WithValue(ctx, viewKey{}, tx))
		})
	}
	err := run()
	if errors.Is(err, ErrSnapshotReplaced) {
		err = run()
	}
	return err
}

// InView returns the transaction of the View ctx carries, if any. Other
// packages' stores read through it (a projects or mobile report, an OGC page
// of their collections), so that the whole answer is one state of one
// database, the request's read replica or the primary.
func InView(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(viewKey{}).(pgx.Tx)
	return tx, ok
}

var sqlPinPoints = mustSQL("pin_points.sql")

// pinPoints keeps the address points of the snapshots for the rest of the
// View that ctx carries (a re-import's DROP of them waits for it), or fails
// with ErrSnapshotReplaced when one of them was dropped since the View
// began. Outside a View it does nothing: a single statement sees one state.
func (s *Store) pinPoints(ctx context.Context, snapshots []int64) error {
	tx, ok := ctx.Value(viewKey{}).(pgx.Tx)
	if !ok || len(snapshots) == 0 {
		return nil
	}
	var dropped int
	if err := tx.QueryRow(ctx, sqlPinPoints, snapshots).Scan(&dropped); err != nil {
		return fmt.Errorf("pin address points: %w", err)
	}
	if dropped > 0 {
		return ErrSnapshotReplaced
	}
	return nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// reader is where a read of s goes: the View's transaction that ctx
// carries, or s.read (the pool, or the read replicas).
func (s *Store) reader(ctx context.Context) querier {
	if tx, ok := ctx.Value(viewKey{}).(pgx.Tx); ok {
		return tx
	}
	return s.read
}

// jitOff turns PostgreSQL's JIT compilation off for the rest of the View
// that ctx carries (SET LOCAL: that read-only transaction only, on a
// replica too), for queries the planner prices far above what they cost.
func jitOff(ctx context.Context) error {
	tx, ok := ctx.Value(viewKey{}).(pgx.Tx)
	if !ok {
		return nil
	}
	if _, err := tx.Exec(ctx, "SET LOCAL jit = off"); err != nil {
		return fmt.Errorf("jit off: %w", err)
	}
	return nil
}
