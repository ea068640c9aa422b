// Package migrations holds gigakoll's schema as embedded SQL files, applied in
// name order by goose, one transaction each, and the reference data (Sweden's
// boundaries) loaded after them.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/gigakoll/gigakoll/geo"
)

// FS holds the migrations: 0001_extensions.sql, 0002_boundaries.sql, …
//
//go:embed *.sql
var FS embed.FS

// Result says what Migrate did.
type Result struct {
	Applied   []string // migration files applied now, in order
	Version   int64    // schema version after the run
	Reference bool     // whether the reference data was (re)loaded
}

// Migrate brings the database up to this binary's schema and loads the
// embedded reference data when the database lacks it. A second run does
// nothing. Two processes migrating at once take turns (a session lock).
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (Result, error) {
	var res Result
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := provider(db, log)
	if err != nil {
		return res, err
	}
	applied, err := p.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	for _, a := range applied {
		res.Applied = append(res.Applied, a.Source.Path)
	}
	if res.Version, err = p.GetDBVersion(ctx); err != nil {
		return res, fmt.Errorf("migrate: read version: %w", err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		res.Reference, err = geo.LoadReference(ctx, tx)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("migrate: reference data: %w", err)
	}
	return res, nil
}

// ErrBehind says the database lags this binary.
var ErrBehind = errors.New("migrations: database schema is behind this binary: run gigakoll migrate")

// Check returns an error while the database is unreachable or lags this
// binary (pending migrations or reference data); serve and /readyz use it.
func Check(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := provider(db, nil)
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migrations: read schema version: %w", err)
	}
	if pending {
		return ErrBehind
	}
	loaded, err := geo.LoadedDigest(ctx, pool)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if loaded != geo.ReferenceDigest() {
		return fmt.Errorf("%w (reference data)", ErrBehind)
	}
	return nil
}

func provider(db *sql.DB, log *slog.Logger) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migrations: locker: %w", err)
	}
	// Migrations are written on branches in parallel, each issue in its own
	// range of numbers (0050 mobile, 0060 projects, … 0100 hardening): a
	// database migrated by a build that had 0100 must still take 0060 when it
	// lands. Each migration builds only on those below 0050.
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}
