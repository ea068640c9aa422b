package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/migrations"
)

// The national benchmarks (make bench-sweden; bench/sweden.md) share one
// file, all of Sweden as of 2024-10-01 (seed generate --scope sweden, seed
// 1, scale 1: about 6.5 million rows, 3.4 million points, 4.9 million
// households), and one database, gk_bench_sweden, holding it.

const (
	swedenAsOf = "2024-10-01"
)

// gigakollBin is the binary make builds; the benchmarks run it as a process
// of its own, as an operator would.
func gigakollBin(b *testing.B) string {
	b.Helper()
	bin, err := filepath.Abs("../bin/gigakoll")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("%s: %v (run make bench-sweden, which builds it)", bin, err)
	}
	return bin
}

// swedenFile returns the national file (bench/out, made by the binary on the
// first run, about 90 s) and its rows.
func swedenFile(b *testing.B) (string, int) {
	b.Helper()
	path := filepath.Join("out", "coverage-sweden-"+swedenAsOf+".csv.gz")
	counted := path + ".rows"
	if n, err := os.ReadFile(counted); err == nil {
		var rows int
		fmt.Sscan(string(n), &rows)
		if _, err := os.Stat(path); err == nil && rows > 0 {
			return path, rows
		}
	}
	b.Logf("generating %s: bin/gigakoll seed generate --scope sweden --out out", path)
	out, err := exec.Command(gigakollBin(b), "seed", "generate", "--scope", "sweden", "--out", "out").CombinedOutput()
	if err != nil {
		b.Fatalf("seed generate --scope sweden: %v\n%s", err, out)
	}
	var rows int
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, path) {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, path)), "%d rows", &rows)
		}
	}
	if rows == 0 {
		b.Fatalf("seed generate: no row count in its output:\n%s", out)
	}
	os.WriteFile(counted, []byte(fmt.Sprint(rows)), 0o644)
	b.Logf("%s", strings.TrimSpace(string(out)))
	return path, rows
}

// swedenDatabaseName is the database the national benchmarks use: gk_bench_sweden, or the name in
// GIGAKOLL_BENCH_SWEDEN_DB (a copy, so that two benchmarks that import do not share one).
func swedenDatabaseName() string {
	if name := os.Getenv("GIGAKOLL_BENCH_SWEDEN_DB"); name != "" {
		return name
	}
	return "gk_bench_sweden"
}

// swedenDatabase returns a pool on that database (created and migrated on
// DATABASE_URL's server when missing) and its URL; with snapshot, it makes
// sure the national snapshot is imported (by the binary, about 3 minutes).
func swedenDatabase(b *testing.B, snapshot bool) (*pgxpool.Pool, string) {
	b.Helper()
	swedenDB := swedenDatabaseName()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set: run make bench-sweden")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", swedenDB).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{swedenDB}.Sanitize()); err != nil {
			b.Fatal(err)
		}
	}
	admin.Close(ctx)
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + swedenDB
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	if snapshot {
		var have bool
		if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT FROM snapshots WHERE as_of = $1)", swedenAsOf).Scan(&have); err != nil {
			b.Fatal(err)
		}
		if !have {
			file, _ := swedenFile(b)
			b.Logf("importing %s into %s", file, swedenDB)
			if _, err := runImport(b, u.String(), file, swedenAsOf); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	return pool, u.String()
}

// importRun is one gigakoll import command: wall time, peak RSS, and the
// phases its log reports.
type importRun struct {
	wall     time.Duration
	followUp time.Duration // after the commit: the address suggestions
	rss      int64         // bytes
	phases   []phase
}

type phase struct {
	name    string
	seconds float64
}

// landed is the time to the commit.
func (r importRun) landed() time.Duration { return r.wall - r.followUp }

// runImport runs bin/gigakoll import coverage FILE --as-of asOf.
func runImport(b *testing.B, dbURL, file, asOf string) (importRun, error) {
	cmd := exec.Command(gigakollBin(b), "import", "coverage", file, "--as-of", asOf, "--log-format", "json")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	run := importRun{wall: time.Since(start)}
	if err != nil {
		return run, fmt.Errorf("gigakoll import: %v\n%s", err, lastLines(string(out), 20))
	}
	run.rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	for _, l := range strings.Split(string(out), "\n") {
		var line struct {
			Msg     string
			Seconds float64
		}
		if json.Unmarshal([]byte(l), &line) != nil || line.Seconds == 0 {
			continue
		}
		if line.Msg == "address suggestions refreshed" {
			run.followUp = time.Duration(line.Seconds * float64(time.Second))
		}
		run.phases = append(run.phases, phase{line.Msg, line.Seconds})
	}
	return run, nil
}

// deleteSnapshot removes a snapshot a benchmark imported.
func deleteSnapshot(b *testing.B, dbURL, asOf string) {
	b.Helper()
	cmd := exec.Command(gigakollBin(b), "snapshots", "delete", asOf, "--yes")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("snapshots delete %s: %v\n%s", asOf, err, out)
	}
}

// percentile of sorted-in-place latencies in milliseconds.
func percentile(ms []float64, p float64) float64 {
	if len(ms) == 0 {
		return 0
	}
	slices.Sort(ms)
	return ms[min(len(ms)-1, int(p*float64(len(ms))))]
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
