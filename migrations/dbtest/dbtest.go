// Package dbtest gives each test its own migrated PostGIS database, cloned
// from a template that is built once per set of migrations and reference data.
// Packages run in parallel and never touch the demo data.
//
// The server comes from DATABASE_URL (make test provides one): the helper
// connects to it only to create and drop databases. No database fails the
// test; nothing skips.
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations"
)

// New returns a pool on a fresh, migrated database holding Sweden's
// boundaries: dropped when the test passes, kept (its name logged) when it
// fails.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewWithURL(t)
	return pool
}

// NewWithURL is New that also returns the database's URL, for tests that run
// the binary or a second connection.
func NewWithURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := serverURL(t)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v (run the tests with make test)", redact(base), err)
	}
	defer admin.Close(context.Background())
	tmpl, err := ensureTemplate(ctx, admin, base)
	if err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	name := fmt.Sprintf("gk_test_%016x", rand.Uint64())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl); err != nil {
		t.Fatalf("dbtest: create %s: %v", name, err)
	}
	return open(t, base, name), withDatabase(base, name)
}

// open connects to database name and drops it when the test passes.
func open(t testing.TB, base, name string) *pgxpool.Pool {
	t.Helper()
	dbURL := withDatabase(base, name)
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		if t.Failed() {
			t.Logf("dbtest: kept database %s for a look: psql %s", name, redact(dbURL))
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		admin, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
		}
	})
	return pool
}

// Empty returns a pool on a new database with nothing in it, for tests of
// the migrations themselves; dropped when the test passes.
func Empty(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := serverURL(t)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v (run the tests with make test)", redact(base), err)
	}
	defer admin.Close(context.Background())
	name := fmt.Sprintf("gk_test_%016x", rand.Uint64())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: create %s: %v", name, err)
	}
	return open(t, base, name)
}

// ServerURL is the URL of the database server the tests use.
func ServerURL(t testing.TB) string { return serverURL(t) }

func serverURL(t testing.TB) string {
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		t.Fatal("dbtest: DATABASE_URL is not set: run the tests with make test")
	}
	return u
}

// ensureTemplate returns the name of the template database for this
// binary's migrations and reference data, building it under an advisory lock
// when it does not exist yet. It is marked a template only once migrated, so
// a build that failed half-way is never cloned.
func ensureTemplate(ctx context.Context, admin *pgx.Conn, base string) (string, error) {
	name := "gk_tmpl_" + schemaHash()[:16]
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(hashtext('gigakoll dbtest template'))"); err != nil {
		return "", err
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('gigakoll dbtest template'))")

	var isTemplate bool
	err := admin.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&isTemplate)
	switch {
	case err == nil && isTemplate:
		return name, nil
	case err == nil: // left behind by a build that failed
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			return "", err
		}
	case err != pgx.ErrNoRows:
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	pool, err := pgxpool.New(ctx, withDatabase(base, name))
	if err != nil {
		return "", err
	}
	_, err = migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	pool.Close()
	if err != nil {
		return "", fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" IS_TEMPLATE true"); err != nil {
		return "", err
	}
	return name, nil
}

// schemaHash identifies the migrations and reference data; a change to
// either builds a new template.
func schemaHash() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations.FS, "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.FS, n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	h.Write([]byte(geo.ReferenceDigest()))
	return hex.EncodeToString(h.Sum(nil))
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsed URL)"
}
