package migrations_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

func TestMigrateEmptyDatabaseThenNoOp(t *testing.T) {
	t.Parallel()
	pool := dbtest.Empty(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	if err := migrations.Check(ctx, pool); err == nil {
		t.Fatal("Check on an empty database = nil, want an error saying it lags")
	}
	first, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("first Migrate: %v", err)
	}
	if len(first.Applied) == 0 || !first.Reference {
		t.Fatalf("first Migrate = %+v, want migrations applied and reference data loaded", first)
	}
	if err := migrations.Check(ctx, pool); err != nil {
		t.Fatalf("Check after Migrate: %v", err)
	}
	second, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if len(second.Applied) != 0 || second.Reference {
		t.Errorf("second Migrate = %+v, want nothing done", second)
	}
	if second.Version != first.Version {
		t.Errorf("version moved from %d to %d on a no-op run", first.Version, second.Version)
	}
	for _, ext := range []string{"postgis", "pg_trgm"} {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_extension WHERE extname = $1", ext).Scan(&n); err != nil || n != 1 {
			t.Errorf("extension %s: count %d, err %v", ext, n, err)
		}
	}
}

func TestTargetsSeeded(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	// spec/targets.md, "The targets gigakoll follows", and spec/mobile.md's
	// targets: what counts (measure, class; 5G has none) and over whom.
	type target struct {
		year       int
		measure    string
		class      *int
		population string
		threshold  string
	}
	mbps := func(c int) *int { return &c }
	const hw, h, hwh = "households_workplaces", "households", "households_workplaces_holiday_homes"
	want := map[string]target{
		"se-2020-100":    {2020, "fixed", mbps(100), hw, "0.9500"},
		"se-2025-1g":     {2025, "fixed", mbps(1000), hw, "0.9800"},
		"se-2025-100":    {2025, "fixed", mbps(100), hw, "0.9990"},
		"se-2025-30":     {2025, "fixed", mbps(30), hw, "1.0000"},
		"kalmar-2025-1g": {2025, "fixed", mbps(1000), hw, "1.0000"},
		"se-2023-mobile": {2023, "mobile_outdoor", mbps(10), hwh, "1.0000"},
		"eu-2030-5g":     {2030, "fiveg", nil, h, "1.0000"},
		"eu-2030-1g":     {2030, "fixed", mbps(1000), h, "1.0000"},
	}
	rows, err := pool.Query(ctx, "SELECT id, year, measure, class_mbps, population, threshold::text FROM targets")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for rows.Next() {
		var id string
		var g target
		if err := rows.Scan(&id, &g.year, &g.measure, &g.class, &g.population, &g.threshold); err != nil {
			t.Fatal(err)
		}
		w, ok := want[id]
		if !ok {
			t.Errorf("unexpected target %s", id)
			continue
		}
		got++
		if g.year != w.year || g.measure != w.measure || (g.class == nil) != (w.class == nil) ||
			(g.class != nil && *g.class != *w.class) || g.population != w.population || g.threshold != w.threshold {
			t.Errorf("%s = %+v, want %+v", id, g, w)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Errorf("found %d of the %d targets", got, len(want))
	}
}

// TestMigrateTakesAMigrationNumberedBelowTheLatest: branches land their
// migrations in parallel, each in its own range of numbers, so a database
// migrated by a build that had 0100 must take 0060 when it lands later, and
// be current afterwards.
func TestMigrateTakesAMigrationNumberedBelowTheLatest(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pool := dbtest.New(t)
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	// as if 0060 had not landed yet when this database was migrated
	if _, err := p.ApplyVersion(ctx, 60, false); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Check(ctx, pool); err == nil {
		t.Fatal("Check says a database without 0060 is current")
	}
	res, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(res.Applied) != 1 || res.Applied[0] != "0060_projects.sql" {
		t.Errorf("applied %v, want 0060_projects.sql", res.Applied)
	}
	if err := migrations.Check(ctx, pool); err != nil {
		t.Errorf("after the migration: %v", err)
	}
}
