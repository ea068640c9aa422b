package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/server"
)

// projectsScale is the demo's scale for 5 M address points (89 000 at 1).
const projectsScale = 56

// BenchmarkProjects answers the projects API and page at 5 M address points:
// the 2024 snapshot of the demo at scale 56 and the demo's register (60
// projects), in the database gk_bench_projects (built on the first run, about
// a quarter of an hour, and kept). It times, median of 30, each against the
// floor of the same run: one query reading the stored figures the answer is
// made of (the least any implementation must read), and reports the
// ratio; the goal is an answer under 50 ms.
//
//	go test ./bench -run '^$' -bench Projects -benchtime 1x -timeout 2h -v
func BenchmarkProjects(b *testing.B) {
	ctx := context.Background()
	pool := projectsDB(b)
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 30 * time.Second, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	var points int64
	if err := pool.QueryRow(ctx, "SELECT points FROM snapshots ORDER BY as_of DESC LIMIT 1").Scan(&points); err != nil {
		b.Fatal(err)
	}
	floor := func() {
		rows, err := pool.Query(ctx, `SELECT f.*, a.* FROM project_figures f, LATERAL (SELECT count(*) FROM project_area_figures a
			WHERE a.register_version = f.register_version AND a.snapshot_id = f.snapshot_id) a
			WHERE f.register_version = (SELECT max(version) FROM project_registers)`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
	}
	get := func(path string) func() {
		return func() {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
		}
	}
	for _, c := range []struct{ name, path string }{
		{"api", "/api/v1/projects"},
		{"api-municipality", "/api/v1/projects?municipality=0881"},
		{"api-one", "/api/v1/projects/P-0881-001"},
		{"page", "/utbyggnad"},
		{"ogc", "/ogc/collections/projects/items?f=json"},
	} {
		b.Run(c.name, func(b *testing.B) {
			get(c.path)() // warm
			ours, fl := timeMedian(30, get(c.path)), timeMedian(30, floor)
			b.ReportMetric(msOf(ours), "ms")
			b.ReportMetric(float64(ours)/float64(fl), "x-floor")
			b.Logf("| %s | %d points | %.1f ms | floor %.2f ms | %.1f × |", c.path, points, msOf(ours), msOf(fl), float64(ours)/float64(fl))
		})
	}
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func timeMedian(n int, fn func()) time.Duration {
	d := make([]time.Duration, n)
	for i := range d {
		t := time.Now()
		fn()
		d[i] = time.Since(t)
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[n/2]
}

// projectsDB returns gk_bench_projects with the snapshot and register
// loaded, building them when missing, with the build's phases logged.
func projectsDB(b *testing.B) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	var exists bool
	admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'gk_bench_projects')").Scan(&exists)
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE gk_bench_projects"); err != nil {
			b.Fatal(err)
		}
	}
	admin.Close(ctx)
	u, _ := url.Parse(base)
	u.Path = "/gk_bench_projects"
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if _, err := migrations.Migrate(ctx, pool, log); err != nil {
		b.Fatal(err)
	}
	cov := coverage.NewStore(pool)
	st := projects.NewStore(pool, cov, log)
	g, err := seeds.New(seeds.Config{Seed: 1, Scale: projectsScale})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cov.SnapshotAt(ctx, seeds.AsOf(2024)); err != nil {
		t := time.Now()
		pr, pw := io.Pipe()
		go func() {
			_, err := g.Write(pw, 2024)
			pw.CloseWithError(err)
		}()
		res, err := cov.Import(ctx, pr, coverage.ImportOptions{AsOf: seeds.AsOf(2024), Name: fmt.Sprintf("demo-2024 scale %d", projectsScale),
			Log: log, Audit: auth.Entry{Actor: "bench"}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("imported %d address points in %.0f s", res.Snapshot.Points, time.Since(t).Seconds())
	}
	if _, err := st.InForce(ctx); err != nil {
		var buf bytes.Buffer
		if _, err := g.WriteProjects(&buf); err != nil {
			b.Fatal(err)
		}
		t := time.Now()
		res, err := st.Import(ctx, &buf, projects.ImportOptions{Name: "demo-projects.geojson", Log: log, Audit: auth.Entry{Actor: "bench"}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("imported the register (%d projects) with its figures in %.0f s (the gap points' nearest-neighbour search included)",
			res.Register.Projects, time.Since(t).Seconds())
	}
	return pool
}
