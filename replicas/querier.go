package replicas

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what a domain store reads through: a *pgxpool.Pool (every read
// on one database) or a *Set (reads on the request's standby). Stores keep
// writing through their primary's pool.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

var _ Querier = (*Set)(nil)

// Query runs a read on ctx's database. When the standby fails before the
// first row (its connection is gone, it is restarting, or it cancelled the
// query for a conflict with recovery), the query runs on the primary.
func (s *Set) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r := s.reader(ctx)
	if r == nil {
		return s.primary.Query(ctx, sql, args...)
	}
	rows, err := r.pool.Query(ctx, sql, args...)
	if err != nil {
		if s.failover(ctx, r, err) {
			return s.primary.Query(ctx, sql, args...)
		}
		return rows, err
	}
	return &failoverRows{Rows: rows, s: s, r: r, ctx: ctx, sql: sql, args: args}, nil
}

// QueryRow is Query for one row, as pgx's: ErrNoRows when there is none.
func (s *Set) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := s.Query(ctx, sql, args...)
	return &row{rows: rows, err: err}
}

// BeginTx begins a transaction on ctx's database, or on the primary when
// the standby cannot begin one. Reads only: a standby refuses writes.
func (s *Set) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	r := s.reader(ctx)
	if r == nil {
		return s.primary.BeginTx(ctx, opts)
	}
	tx, err := r.pool.BeginTx(ctx, opts)
	if err != nil && s.failover(ctx, r, err) {
		return s.primary.BeginTx(ctx, opts)
	}
	return tx, err
}

// failover decides whether a read the standby failed goes to the primary,
// and marks the standby down when its connection failed.
func (s *Set) failover(ctx context.Context, r *replica, err error) bool {
	if ctx.Err() != nil {
		return false // the caller gave up: nobody to answer
	}
	down := connectionLost(err)
	if !down && !standbyRefused(err) {
		return false // the query's own error: the primary would give it too
	}
	r.failovers.Add(1)
	if down {
		s.failed(r, err)
	}
	return true
}

// connectionLost: the standby could not be reached, its connection broke,
// or it is shutting down or starting up.
func connectionLost(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "57P01", "57P02", "57P03": // admin shutdown, crash shutdown, cannot connect now
			return true
		}
		return pg.Code[:2] == "08" // connection exception
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

// standbyRefused: the standby answered but cannot serve this read now; the
// primary can.
func standbyRefused(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	switch pg.Code {
	case "40001", // canceling statement due to conflict with recovery
		"3D000", // the database is not there (yet)
		"53300": // too many connections
		return true
	}
	return false
}

// failoverRows runs the query again on the primary when the standby's
// rows fail before the first one.
type failoverRows struct {
	pgx.Rows
	s        *Set
	r        *replica
	ctx      context.Context
	sql      string
	args     []any
	started  bool // a row was returned: too late to switch
	switched bool
}

func (f *failoverRows) Next() bool {
	if f.Rows.Next() {
		f.started = true
		return true
	}
	if f.started || f.switched {
		return false
	}
	err := f.Rows.Err()
	if err == nil || !f.s.failover(f.ctx, f.r, err) {
		return false
	}
	f.Rows.Close()
	f.switched = true
	f.Rows, _ = f.s.primary.Query(f.ctx, f.sql, f.args...) // an error shows in Err
	if f.Rows.Next() {
		f.started = true
		return true
	}
	return false
}

// row is pgx's QueryRow over Query.
type row struct {
	rows pgx.Rows
	err  error
}

func (r *row) Scan(dest ...any) error {
	if r.err != nil {
		if r.rows != nil {
			r.rows.Close()
		}
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}
