package bench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/seeds"
	"github.com/gigakoll/gigakoll/server"
)

// Tile benchmark settings: tilesPerZoom tiles drawn at random (seeded) from
// those over the county, fetched by tileClients clients at once, as a map in
// a browser does (it keeps about six connections to a host).
const (
	tilesPerZoom = 1000
	tileClients  = 4
	tileRounds   = 7 // every pass once a round, in the order below; medians are reported
)

// BenchmarkTiles serves the map's tiles at zoom 8, 10, 12 and 14 over Kalmar
// län from the demo data (ten snapshots, scale 1) and compares them with the
// floor: the same ST_AsMVT query (coverage.TileQuery), run straight through
// pgx on the same pool by the same number of clients, in the same run; and,
// to show what HTTP costs, a minimal handler that runs that query. Two
// sets of tiles per zoom: "data", the tiles over the county that hold a
// feature (what a map of the county draws), and "all", every tile of the
// county's bounding box (sea and forest included, mostly empty at zoom 14).
// Cold is gigakoll with an empty tile cache (a new server each round: every
// tile a query); warm asks the same server for the same tiles again (every
// tile from the cache). Both are measured on the handler in process (what
// the server spends per tile) and over HTTP on loopback (what a client on
// this machine sees; a minimal HTTP handler running the floor's query shows
// what the transport alone costs). It reports tiles/s, p50/p99 latency and
// the ratios. The database gk_bench_tiles is built on the
// first run (about two minutes) and kept for the next.
//
//	make bench-tiles    (or: go test ./bench -run '^$' -bench Tiles -benchtime 1x -v)
func BenchmarkTiles(b *testing.B) {
	ctx := context.Background()
	pool := tilesDB(b)
	h := func() http.Handler {
		srv, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler),
			Registry: prometheus.NewRegistry(), QueryTimeout: 30 * time.Second, Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		return srv
	}
	var snapshot int64
	if err := pool.QueryRow(ctx, "SELECT id FROM snapshots ORDER BY as_of DESC LIMIT 1").Scan(&snapshot); err != nil {
		b.Fatal(err)
	}
	bounds, err := coverage.NewStore(pool).MapBounds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	county := orb.Bound{Min: orb.Point{bounds[0], bounds[1]}, Max: orb.Point{bounds[2], bounds[3]}}

	for _, layer := range []coverage.TileLayer{coverage.LayerMunicipalities, coverage.LayerSquares} {
		for _, z := range []maptile.Zoom{8, 10, 12, 14} {
			all := geo.TilesCovering(county, z)
			withData := nonEmptyTiles(b, pool, layer, snapshot, all)
			for _, set := range []struct {
				name  string
				tiles []geo.Tile
			}{{"data", withData}, {"all", all}} {
				b.Run(fmt.Sprintf("%s/z%d/%s", layer, z, set.name), func(b *testing.B) {
					tiles := sampleTiles(set.tiles, tilesPerZoom)
					// PostgreSQL's buffers and the pool warmed alike for everyone
					floorPass(b, pool, layer, snapshot, tiles)
					minimal := httptest.NewServer(tileFloorHandler(pool, layer, snapshot))
					defer minimal.Close()
					var floor, floorHTTP, cold, warm, coldHTTP, warmHTTP []tilePass
					for range tileRounds {
						floor = append(floor, floorPass(b, pool, layer, snapshot, tiles))
						floorHTTP = append(floorHTTP, httpPass(b, minimal.URL, layer, tiles))
						srv := h() // an empty cache
						cold = append(cold, handlerPass(b, srv, layer, tiles))
						warm = append(warm, handlerPass(b, srv, layer, tiles))
						ts := httptest.NewServer(h())
						coldHTTP = append(coldHTTP, httpPass(b, ts.URL, layer, tiles))
						warmHTTP = append(warmHTTP, httpPass(b, ts.URL, layer, tiles))
						ts.Close()
					}
					// Ratios are taken within each round, between passes run one after
					// the other, then their median: the machine's other load moves
					// between rounds more than within one.
					f, fh := medianPass(floor), medianPass(floorHTTP)
					c, w, ch, wh := medianPass(cold), medianPass(warm), medianPass(coldHTTP), medianPass(warmHTTP)
					rc, rw := medianRatio(cold, floor), medianRatio(warm, floor)
					rch, rwh := medianRatio(coldHTTP, floorHTTP), medianRatio(warmHTTP, floor)
					b.ReportMetric(rc, "cold-x-floor")
					b.ReportMetric(rw, "warm-x-floor")
					b.ReportMetric(rch, "cold-http-x-http-floor")
					b.ReportMetric(rwh, "warm-http-x-floor")
					b.Logf("| %s | %d | %s | %d of %d (%d empty) | %s | %s | **%.2f** | %s | **%.0f** | %s | %s | %.2f | %s | %.1f |",
						layer, z, set.name, len(tiles), len(set.tiles), f.empty, f, c, rc, w, rw, fh, ch, rch, wh, rwh)
				})
			}
		}
	}
}

// nonEmptyTiles keeps the tiles that hold a feature of the layer: those a
// map of the county draws something in.
func nonEmptyTiles(b *testing.B, pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64, tiles []geo.Tile) []geo.Tile {
	b.Helper()
	var out []geo.Tile
	for _, t := range tiles {
		q, args, _ := coverage.TileQuery(layer, snapshot, t)
		var mvt []byte
		if err := pool.QueryRow(context.Background(), q, args...).Scan(&mvt); err != nil {
			b.Fatal(err)
		}
		if len(mvt) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// tilePass is one pass over the tiles: throughput and latency.
type tilePass struct {
	perSecond float64 // tiles per second
	p50, p99  float64 // milliseconds
	empty     int     // tiles without features
}

// medianRatio is the median over rounds of ours[i] / floor[i] in tiles/s.
func medianRatio(ours, floor []tilePass) float64 {
	r := make([]float64, len(ours))
	for i := range ours {
		r[i] = ours[i].perSecond / floor[i].perSecond
	}
	slices.Sort(r)
	return r[len(r)/2]
}

// String is "4 838 (0.40 / 6.71)": tiles/s (p50 / p99 ms).
func (p tilePass) String() string {
	return fmt.Sprintf("%.0f (%.2f / %.2f)", p.perSecond, p.p50, p.p99)
}

func medianPass(ps []tilePass) tilePass {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b tilePass) int { return cmp.Compare(a.perSecond, b.perSecond) })
	return ps[len(ps)/2]
}

// sampleTiles draws n tiles (all of them when there are fewer), the same
// ones every run.
func sampleTiles(all []geo.Tile, n int) []geo.Tile {
	if len(all) <= n {
		return all
	}
	rng := rand.New(rand.NewPCG(11, uint64(all[0].Z)))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:n]
}

// runPass fetches every tile with tileClients workers and times each.
func runPass(b *testing.B, tiles []geo.Tile, fetch func(geo.Tile) (empty bool, err error)) tilePass {
	b.Helper()
	lat := make([]float64, len(tiles))
	var next, empty atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range tileClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(tiles) {
					return
				}
				t0 := time.Now()
				e, err := fetch(tiles[i])
				lat[i] = time.Since(t0).Seconds() * 1000
				if err != nil {
					failed.Store(err)
					return
				}
				if e {
					empty.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	return tilePass{perSecond: float64(len(tiles)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99), empty: int(empty.Load())}
}

// floorPass runs the layer's ST_AsMVT query straight on the database.
func floorPass(b *testing.B, pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64, tiles []geo.Tile) tilePass {
	return runPass(b, tiles, func(t geo.Tile) (bool, error) {
		q, args, _ := coverage.TileQuery(layer, snapshot, t)
		var mvt []byte
		err := pool.QueryRow(context.Background(), q, args...).Scan(&mvt)
		return len(mvt) == 0, err
	})
}

// tileFloorHandler is the least an HTTP tile server does: read z/x/y from the
// path, run the layer's query, write the bytes (a pg_tileserv without its
// catalogue). It shows what HTTP on loopback costs besides the query.
func tileFloorHandler(pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var t geo.Tile
		if _, err := fmt.Sscanf(r.URL.Path, "/tiles/"+string(layer)+"/%d/%d/%d.mvt", &t.Z, &t.X, &t.Y); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		q, args, _ := coverage.TileQuery(layer, snapshot, t)
		var mvt []byte
		if err := pool.QueryRow(r.Context(), q, args...).Scan(&mvt); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if len(mvt) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
		w.Write(mvt) //nolint:errcheck // the client went away
	})
}

// handlerPass asks gigakoll's handler in process, without HTTP on the wire:
// what the server spends per tile.
func handlerPass(b *testing.B, h http.Handler, layer coverage.TileLayer, tiles []geo.Tile) tilePass {
	return runPass(b, tiles, func(t geo.Tile) (bool, error) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/tiles/%s/%s.mvt", layer, geo.TilePath(t)), nil))
		if w.Code != http.StatusOK && w.Code != http.StatusNoContent {
			return false, fmt.Errorf("tile %s/%s: %d %s", layer, geo.TilePath(t), w.Code, w.Body)
		}
		return w.Body.Len() == 0, nil
	})
}

// httpPass fetches the tiles from gigakoll over HTTP on loopback.
func httpPass(b *testing.B, base string, layer coverage.TileLayer, tiles []geo.Tile) tilePass {
	return httpPassEncoded(b, base, layer, tiles, "")
}

// httpPassEncoded is httpPass asking for the tiles in an encoding: "" is Go's
// client as it is (it asks for gzip and unpacks the answer on the same cores
// as the server), "identity" the raw bytes a pg_tileserv-style server sends.
func httpPassEncoded(b *testing.B, base string, layer coverage.TileLayer, tiles []geo.Tile, encoding string) tilePass {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: tileClients}}
	return runPass(b, tiles, func(t geo.Tile) (bool, error) {
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/tiles/%s/%s.mvt", base, layer, geo.TilePath(t)), nil)
		if err != nil {
			return false, err
		}
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		resp, err := client.Do(req)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
			return false, fmt.Errorf("tile %s/%s: %s", layer, geo.TilePath(t), resp.Status)
		}
		return n == 0, err
	})
}

// tilesDB returns a pool on gk_bench_tiles holding the demo's ten snapshots
// (seeds, seed 1, scale 1), building it when it is missing or incomplete.
func tilesDB(b *testing.B) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set: run make bench-tiles")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'gk_bench_tiles')").Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE gk_bench_tiles"); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/gk_bench_tiles"
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = tileClients + 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	years := seeds.Years()
	var have int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM snapshots").Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have == len(years) {
		return pool
	}
	b.Logf("building gk_bench_tiles: the demo's %d snapshots (seed 1, scale 1)", len(years))
	g, err := seeds.New(seeds.Config{Seed: 1, Scale: 1})
	if err != nil {
		b.Fatal(err)
	}
	store := coverage.NewStore(pool)
	for _, y := range years {
		pr, pw := io.Pipe()
		go func() {
			_, err := g.Write(pw, y)
			pw.CloseWithError(err)
		}()
		_, err := store.Import(ctx, pr, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: seeds.AsOf(y), Name: fmt.Sprintf("demo-%d.csv", y)})
		pr.Close()
		if err != nil {
			b.Fatalf("import the demo of %d: %v", y, err)
		}
	}
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return pool
}
