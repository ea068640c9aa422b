package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/maptile"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/server"
)

const (
	loadAtRest      = 60 * time.Second
	loadSubmitters  = 2                     // residents submitting measurements, each waiting between two
	loadTileClients = 2                     // maps fetching tiles, each waiting between two
	loadThink       = 20 * time.Millisecond // a client's pause between two requests
	loadImportAsOf  = "2025-10-01"          // past (a snapshot of a future day is refused) and newer than swedenAsOf: the latest, as a yearly import is
)

// BenchmarkSwedenUnderImport asks whether the public site stalls during the
// yearly import: residents submit measurements and maps fetch tiles (never
// from the cache: every tile a query, the worst case) from a gigakoll server
// in process, first for a minute at rest, then while bin/gigakoll imports
// all of Sweden (6.5 million rows) as another snapshot in a process of its
// own, to its end (the address suggestions' refresh included). It reports
// p50 and p99 of each in both phases, and the ratio of the p99s; the goal is
// at most 2. The snapshot is deleted after.
//
//	make bench-sweden    (or: go test ./bench -run '^$' -bench SwedenUnderImport -benchtime 1x -v)
func BenchmarkSwedenUnderImport(b *testing.B) {
	ctx := context.Background()
	pool, dbURL := swedenDatabase(b, true)
	file, _ := swedenFile(b)
	var snapshot int64
	if err := pool.QueryRow(ctx, "SELECT id FROM snapshots WHERE as_of = $1", swedenAsOf).Scan(&snapshot); err != nil {
		b.Fatal(err)
	}
	var tiles []tileURL
	for _, s := range []struct {
		layer coverage.TileLayer
		z     maptile.Zoom
	}{{coverage.LayerMunicipalities, 8}, {coverage.LayerSquares, 10}, {coverage.LayerSquares, 12}, {coverage.LayerSquares, 14}} {
		for _, t := range swedenTiles(b, pool, s.layer, snapshot, s.z) {
			tiles = append(tiles, tileURL{s.layer, t})
		}
	}
	rows, err := pool.Query(ctx, `SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_Centroid(geom), 4326) AS c
		FROM public_squares WHERE snapshot_id = $1 ORDER BY hashint8(e + n) LIMIT 2000) s`, snapshot)
	if err != nil {
		b.Fatal(err)
	}
	var places [][2]float64
	for rows.Next() {
		var lon, lat float64
		rows.Scan(&lon, &lat)
		places = append(places, [2]float64{lon, lat})
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 30 * time.Second, Version: "bench", MeasureRate: measure.NoLimit,
		TileCacheBytes: 1}) // nothing fits: every tile is made
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	rest := runLoad(b, ts.URL, tiles, places, func() { time.Sleep(loadAtRest) })
	var imp importRun
	before := walNow(b, pool)
	during := runLoad(b, ts.URL, tiles, places, func() {
		var err error
		if imp, err = runImport(b, dbURL, file, loadImportAsOf); err != nil {
			b.Fatal(err)
		}
	})
	defer deleteSnapshot(b, dbURL, loadImportAsOf) // after the figures are logged
	after := walNow(b, pool)

	for _, k := range []struct {
		name       string
		rest, load *latencies
	}{{"measurement submissions", &rest.submit, &during.submit}, {"tiles (no cache)", &rest.tile, &during.tile}} {
		r99, d99 := k.rest.pct(0.99), k.load.pct(0.99)
		b.ReportMetric(d99/r99, "p99-ratio-"+map[string]string{"measurement submissions": "submit", "tiles (no cache)": "tiles"}[k.name])
		b.Logf("| %s | %d in %.0f s, %d failed | %.1f / %.1f ms | %d in %.0f s, %d failed | %.1f / %.1f ms | **%.2f** |",
			k.name, len(k.rest.ms), k.rest.seconds, k.rest.failed, k.rest.pct(0.5), r99,
			len(k.load.ms), k.load.seconds, k.load.failed, k.load.pct(0.5), d99, d99/r99)
	}
	var ph []string
	for _, p := range imp.phases {
		ph = append(ph, fmt.Sprintf("%s %.1f s", p.name, p.seconds))
	}
	b.Logf("the import during the load: %.1f s to its commit, %.1f s in all, peak RSS %.0f MB; its phases: %s",
		imp.landed().Seconds(), imp.wall.Seconds(), float64(imp.rss)/(1<<20), strings.Join(ph, "; "))
	b.Logf("the WAL during the load: %.2f GB written, %d checkpoints (max_wal_size %s, checkpoint_timeout %s, wal_compression %s, wal_writer_delay %s)",
		float64(after.lsn-before.lsn)/(1<<30), after.checkpoints-before.checkpoints, before.maxWAL, before.timeout, before.compression, before.writerDelay)
}

// walState is where the server's WAL stands, how many checkpoints it has
// made, and the settings that decide how often it makes them.
type walState struct {
	lsn, checkpoints                          int64
	maxWAL, timeout, compression, writerDelay string
}

func walNow(b *testing.B, pool *pgxpool.Pool) walState {
	b.Helper()
	var w walState
	if err := pool.QueryRow(context.Background(), `SELECT pg_current_wal_lsn() - '0/0'::pg_lsn,
		(SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
		current_setting('max_wal_size'), current_setting('checkpoint_timeout'), current_setting('wal_compression'), current_setting('wal_writer_delay')`).
		Scan(&w.lsn, &w.checkpoints, &w.maxWAL, &w.timeout, &w.compression, &w.writerDelay); err != nil {
		b.Fatal(err)
	}
	return w
}

type tileURL struct {
	layer coverage.TileLayer
	t     geo.Tile
}

// latencies of one kind of request in one phase.
type latencies struct {
	mu      sync.Mutex
	ms      []float64
	failed  int
	seconds float64
}

func (l *latencies) add(ms float64, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ms = append(l.ms, ms)
	if !ok {
		l.failed++
	}
}

func (l *latencies) pct(p float64) float64 { return percentile(l.ms, p) }

type loadResult struct{ submit, tile latencies }

// runLoad runs the clients until phase returns.
func runLoad(b *testing.B, base string, tiles []tileURL, places [][2]float64, phase func()) *loadResult {
	res := &loadResult{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadSubmitters + loadTileClients}}
	do := func(req *http.Request, want int) (float64, bool) {
		t := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return msSince(t), false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return msSince(t), resp.StatusCode == want || want == http.StatusOK && resp.StatusCode == http.StatusNoContent
	}
	for i := range loadSubmitters {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			for {
				select {
				case <-stop:
					return
				case <-time.After(loadThink):
				}
				p := places[rng.IntN(len(places))]
				body := fmt.Sprintf(`{"down_mbps": %.1f, "up_mbps": %.1f, "latency_ms": 9, "lat": %.5f, "lon": %.5f, "connection": "fiber", "source": "bench"}`,
					10+rng.Float64()*990, 5+rng.Float64()*500, p[1], p[0])
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/measurements", bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				res.submit.add(do(req, http.StatusCreated))
			}
		})
	}
	for i := range loadTileClients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 2))
			for {
				select {
				case <-stop:
					return
				case <-time.After(loadThink):
				}
				t := tiles[rng.IntN(len(tiles))]
				req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/tiles/%s/%s.mvt", base, t.layer, geo.TilePath(t.t)), nil)
				res.tile.add(do(req, http.StatusOK))
			}
		})
	}
	start := time.Now()
	phase()
	close(stop)
	wg.Wait()
	res.submit.seconds = time.Since(start).Seconds()
	res.tile.seconds = res.submit.seconds
	return res
}
