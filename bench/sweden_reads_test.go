package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/server"
)

// readRepeats is how many times each read is timed, alternating with its floor.
const readRepeats = 30

// BenchmarkSwedenReads times, on the national snapshot, what the public and
// the municipalities read: the targets report (in process and as the API's
// JSON), one municipality's report, the public gap report by square of
// Stockholm and the address-level gap report of two municipalities (the
// store writing CSV), and OGC API – Features pages. Each against its floor
// in the same run, alternating: the least a server must do to answer (the
// aggregates' rows read straight; the same municipality's points read
// straight, without the nearest-gigabit search; a pg_featureserv-style
// page: ST_AsGeoJSON of the same rows, JSON left to the client). One client,
// readRepeats times each; medians and p99.
//
//	make bench-sweden    (or: go test ./bench -run '^$' -bench SwedenReads -benchtime 1x -v)
func BenchmarkSwedenReads(b *testing.B) {
	ctx := context.Background()
	pool, _ := swedenDatabase(b, true)
	store := coverage.NewStore(pool)
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 60 * time.Second, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	var snapshot, squares int64
	if err := pool.QueryRow(ctx, "SELECT id FROM snapshots WHERE as_of = $1", swedenAsOf).Scan(&snapshot); err != nil {
		b.Fatal(err)
	}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM public_squares WHERE snapshot_id = $1", snapshot).Scan(&squares); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(21, 0))
	offset := func() int64 { return rng.Int64N(max(1, squares-1000)) }
	var lastOffset int64

	cases := []struct {
		id, name, floorName string
		ours, floor         func() error
	}{
		{"targets", "targets report, in process (290 municipalities, 21 counties)", "the snapshot's area figures read straight",
			func() error { _, err := store.TargetsReport(ctx, coverage.ReportQuery{}); return err },
			func() error { return drain(ctx, pool, "SELECT * FROM area_figures WHERE snapshot_id = $1", snapshot) }},
		{"targets-api", "GET /api/v1/targets (JSON)", "the same",
			func() error { return get(ts.URL + "/api/v1/targets") },
			func() error { return drain(ctx, pool, "SELECT * FROM area_figures WHERE snapshot_id = $1", snapshot) }},
		{"municipality", "GET /api/v1/municipalities/0180 (Stockholm: every target, history)", "its area figures read straight",
			func() error { return get(ts.URL + "/api/v1/municipalities/0180") },
			func() error {
				return drain(ctx, pool, "SELECT * FROM area_figures WHERE snapshot_id = $1 AND code IN ('0180', '01')", snapshot)
			}},
		{"gaps-squares", "GET /api/v1/municipalities/0180/gaps?format=csv (public, by square)", "its public squares read straight",
			func() error { return get(ts.URL + "/api/v1/municipalities/0180/gaps?format=csv") },
			func() error {
				return drain(ctx, pool, "SELECT * FROM public_squares WHERE snapshot_id = $1 AND municipality_code = '0180'", snapshot)
			}},
		{"gaps-0880", "gap report by address, CSV, Kalmar 0880", "its points below 1 Gbit/s read straight, largest first",
			func() error { return gapCSV(ctx, store, "0880") },
			func() error { return drain(ctx, pool, floorGapPoints, snapshot, "0880") }},
		{"gaps-0180", "gap report by address, CSV, Stockholm 0180", "the same",
			func() error { return gapCSV(ctx, store, "0180") },
			func() error { return drain(ctx, pool, floorGapPoints, snapshot, "0180") }},
		{"ogc-municipalities", "GET /ogc/collections/municipalities/items?limit=290", "pg_featureserv-style: ST_AsGeoJSON of the 290 rows",
			func() error { return get(ts.URL + "/ogc/collections/municipalities/items?limit=290&f=json") },
			func() error { return drain(ctx, pool, peerMunicipalityFeatures, snapshot) }},
		{"ogc-squares", "GET /ogc/collections/squares/items?limit=1000&offset=N (a random page)", "pg_featureserv-style: ST_AsGeoJSON of the same page",
			func() error {
				lastOffset = offset()
				return get(fmt.Sprintf("%s/ogc/collections/squares/items?limit=1000&offset=%d&f=json", ts.URL, lastOffset))
			},
			func() error { return drain(ctx, pool, peerSquareFeatures, snapshot, lastOffset) }},
	}
	b.Logf("%d public squares in the snapshot", squares)
	b.Logf("| read | gigakoll, median / p99 ms | floor | floor, median / p99 ms | ratio |")
	for _, c := range cases { // one at a time: -bench 'SwedenReads/targets$'
		b.Run(c.id, func(b *testing.B) {
			var ours, floor []float64
			for range readRepeats {
				t := time.Now()
				if err := c.ours(); err != nil {
					b.Fatalf("%s: %v", c.name, err)
				}
				ours = append(ours, msSince(t))
				t = time.Now()
				if err := c.floor(); err != nil {
					b.Fatalf("%s, floor: %v", c.name, err)
				}
				floor = append(floor, msSince(t))
			}
			mo, mf := median(ours), median(floor)
			b.ReportMetric(mo, "median-ms")
			b.ReportMetric(mo/mf, "x-floor")
			b.Logf("| %s | %.1f / %.1f | %s | %.1f / %.1f | **%.2f** |", c.name, mo, percentile(ours, 0.99),
				c.floorName, mf, percentile(floor, 0.99), mo/mf)
		})
	}
}

// get fetches a URL and reads the whole body; anything but 200 is an error.
func get(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

// drain runs a query and reads every row's raw bytes.
func drain(ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) error {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		_ = rows.RawValues()
	}
	return rows.Err()
}

// gapCSV writes a municipality's address-level gap report as CSV, as the
// API does for its users.
func gapCSV(ctx context.Context, store *coverage.Store, code string) error {
	g, err := store.GapReport(ctx, coverage.GapQuery{Municipality: code, Level: coverage.LevelAddress}, coverage.FormatCSV)
	if err != nil {
		return err
	}
	_, err = store.WriteGaps(ctx, io.Discard, g, coverage.FormatCSV)
	return err
}

// floorGapPoints is the least a gap report reads: the municipality's points
// below 1 Gbit/s, largest first, without the nearest gigabit point.
const floorGapPoints = `SELECT address_id, street, number, postcode, locality, households, workplaces, holiday_homes,
	best_fixed_technology, best_fixed_mbps, best_fixed_operator, planned_mbps, planned_year, ST_X(geom), ST_Y(geom)
FROM address_points WHERE snapshot_id = $1 AND municipality_code = $2 AND best_fixed_mbps < 1000
ORDER BY households + workplaces DESC, address_id`

// peerMunicipalityFeatures is what pg_featureserv runs for a table or view of
// the municipalities with their figures: the geometry as GeoJSON in WGS 84
// and the columns, JSON assembled by the server.
const peerMunicipalityFeatures = `SELECT ST_AsGeoJSON(ST_Transform(m.geom, 4326)), m.code, m.name, m.county_code,
	a.households, a.workplaces, a.households_ge_1000, a.households_ge_100, a.households_ge_30
FROM municipalities m
LEFT JOIN area_figures a ON a.snapshot_id = $1 AND a.kind = 'municipality' AND a.code = m.code AND a.part = 'all'
ORDER BY m.code LIMIT 290`

// peerSquareFeatures is pg_featureserv's page of the public squares.
const peerSquareFeatures = `SELECT ST_AsGeoJSON(ST_Transform(q.geom, 4326)), q.municipality_code, q.size, q.e, q.n,
	q.households, q.workplaces, q.households_ge_1000, q.households_ge_100, q.households_ge_30
FROM public_squares q WHERE q.snapshot_id = $1
ORDER BY q.n, q.e, q.size, q.municipality_code LIMIT 1000 OFFSET $2`
