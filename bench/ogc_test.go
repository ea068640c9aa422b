package bench

import (
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
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/server"
)

// ogcPoints is the size of the OGC benchmark's snapshot: about Sweden's
// address points.
const ogcPoints = 5_000_000

// BenchmarkOGCPage asks the OGC API for the first page (limit=20) of the
// address-level collections, with the nearest point that has 1 Gbit/s and
// its distance for each feature and numberMatched, at 5 M address points:
// as the coordinator (every municipality) and as a municipality, addresses
// and gaps, first pages and a page deep in the list. The floor is the
// page's rows read straight with the same filter and order (coverage's
// address_points, LIMIT 20), with no nearest search and no count, on the
// same pool in the same run: what any implementation of the page must
// read. It reports the median latency over ogcRounds requests and the
// ratio. The database gk_bench_ogc (a demo snapshot generated at about 5 M
// points and imported) is built on the first run, some minutes, and kept.
//
//	make bench-ogc    (or: go test ./bench -run '^$' -bench OGC -benchtime 1x -v)
func BenchmarkOGCPage(b *testing.B) {
	ctx := context.Background()
	pool := ogcDB(b)
	var snapshot, points int64
	if err := pool.QueryRow(ctx, "SELECT id, points FROM snapshots ORDER BY as_of DESC LIMIT 1").Scan(&snapshot, &points); err != nil {
		b.Fatal(err)
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler),
		Registry: prometheus.NewRegistry(), QueryTimeout: 30 * time.Minute, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	a := auth.NewStore(pool)
	coord, _, err := a.CreateToken(ctx, auth.NewToken{Name: "bench coordinator", Role: auth.Coordinator})
	if err != nil {
		b.Fatal(err)
	}
	kalmar, _, err := a.CreateToken(ctx, auth.NewToken{Name: "bench Kalmar", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		b.Fatal(err)
	}
	const floorSQL = `SELECT address_id, ST_AsGeoJSON(ST_Transform(geom, 4326), 7) FROM address_points
		WHERE snapshot_id = $1 AND ($2::text IS NULL OR municipality_code = $2) AND ($3::numeric IS NULL OR best_fixed_mbps < $3)
		ORDER BY households + workplaces DESC, address_id LIMIT 20 OFFSET $4`
	for _, c := range []struct {
		name, token, path string
		municipality      any
		class             any
		offset            int
	}{
		{"coordinator/addresses", coord, "/ogc/collections/addresses/items?limit=20", nil, nil, 0},
		{"coordinator/gaps", coord, "/ogc/collections/gaps/items?limit=20", nil, 1000, 0},
		{"coordinator/addresses-offset-100000", coord, "/ogc/collections/addresses/items?limit=20&offset=100000", nil, nil, 100000},
		{"kalmar/addresses", kalmar, "/ogc/collections/addresses/items?limit=20", "0880", nil, 0},
		{"kalmar/gaps", kalmar, "/ogc/collections/gaps/items?limit=20", "0880", 1000, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ours, floor []time.Duration
			for range b.N * ogcRounds {
				t := time.Now()
				req, _ := http.NewRequest(http.MethodGet, ts.URL+c.path, nil)
				req.Header.Set("Authorization", "Bearer "+c.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d %.300s", c.path, resp.StatusCode, body)
				}
				ours = append(ours, time.Since(t))

				t = time.Now()
				rows, err := pool.Query(ctx, floorSQL, snapshot, c.municipality, c.class, c.offset)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				rows.Close()
				if rows.Err() != nil || n != 20 {
					b.Fatalf("floor: %d rows, %v", n, rows.Err())
				}
				floor = append(floor, time.Since(t))
			}
			o, f := medianDuration(ours), medianDuration(floor)
			b.ReportMetric(float64(o.Microseconds())/1000, "ms/page")
			b.ReportMetric(o.Seconds()/f.Seconds(), "x-floor")
			b.Logf("%s at %d address points: median %.1f ms over %d pages, floor %.1f ms (ratio %.1f)",
				c.path, points, float64(o.Microseconds())/1000, len(ours), float64(f.Microseconds())/1000, o.Seconds()/f.Seconds())
		})
	}
}

// ogcRounds is how many pages each case asks for.
const ogcRounds = 15

func medianDuration(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

// ogcDB returns a pool on gk_bench_ogc, migrated, holding one snapshot of
// about ogcPoints address points (the demo generator, seed 1, 2024, scaled).
func ogcDB(b *testing.B) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set: run make bench-ogc")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'gk_bench_ogc')").Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE gk_bench_ogc"); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/gk_bench_ogc"
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	store := coverage.NewStore(pool)
	if _, err := store.Republish(ctx, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	var have int64
	if err := pool.QueryRow(ctx, "SELECT coalesce(max(points), 0) FROM snapshots").Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have >= ogcPoints*9/10 {
		return pool
	}
	one, err := seeds.New(seeds.Config{Seed: 1, Scale: 1})
	if err != nil {
		b.Fatal(err)
	}
	st, err := one.Write(io.Discard, 2024)
	if err != nil {
		b.Fatal(err)
	}
	g, err := seeds.New(seeds.Config{Seed: 1, Scale: float64(ogcPoints) / float64(st.Points)})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("building gk_bench_ogc: the demo's 2024 snapshot at about %d address points", ogcPoints)
	start := time.Now()
	pr, pw := io.Pipe()
	go func() {
		_, err := g.Write(pw, 2024)
		pw.CloseWithError(err)
	}()
	res, err := store.Import(ctx, pr, coverage.ImportOptions{Audit: auth.Entry{Actor: "bench"},
		AsOf: seeds.AsOf(2024), Name: fmt.Sprintf("demo-2024-%dM-points.csv", ogcPoints/1_000_000)})
	pr.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("imported %d address points in %v", res.Snapshot.Points, time.Since(start).Round(time.Second))
	return pool
}
