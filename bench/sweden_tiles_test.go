package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/server"
)

const (
	swedenTilesPerSet = 400 // tiles per layer and zoom, drawn with a fixed seed
	swedenTileRounds  = 5
)

// BenchmarkSwedenTiles serves the map's two layers over all of Sweden, from
// zoom 4 (municipalities) and 8 (squares, the lowest zoom it has) to 14,
// against a pg_tileserv-style server on the same database: the query
// pg_tileserv runs for a table layer (ST_AsMVT over ST_AsMVTGeom of
// ST_Transform of the raw geometry to Web Mercator, computed on every
// request: the municipalities' boundaries in SWEREF 99 TM with their
// figures joined, the public squares' cells), behind a minimal HTTP handler.
// Also against the floor: gigakoll's own SQL straight through pgx in
// process. Everything over HTTP on loopback with tileClients clients; cold is
// a new gigakoll server (an empty tile cache), warm the same server asked
// again. The tiles: at zoom 4–8 every tile over Sweden that holds a feature,
// from zoom 10 the tiles of randomly drawn public squares (where people
// live: what a map of them shows), at most swedenTilesPerSet.
//
//	make bench-sweden    (or: go test ./bench -run '^$' -bench SwedenTiles -benchtime 1x -v)
func BenchmarkSwedenTiles(b *testing.B) {
	ctx := context.Background()
	pool, _ := swedenDatabase(b, true)
	var snapshot int64
	if err := pool.QueryRow(ctx, "SELECT id FROM snapshots WHERE as_of = $1", swedenAsOf).Scan(&snapshot); err != nil {
		b.Fatal(err)
	}
	h := func() http.Handler {
		srv, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler),
			Registry: prometheus.NewRegistry(), QueryTimeout: 30 * time.Second, Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		return srv
	}
	sets := []struct {
		layer coverage.TileLayer
		zooms []maptile.Zoom
	}{
		{coverage.LayerMunicipalities, []maptile.Zoom{4, 6, 8, 10, 12, 14}},
		{coverage.LayerSquares, []maptile.Zoom{8, 10, 12, 14}},
	}
	b.Logf("| layer | z | tiles | peer (pg_tileserv-style) | floor (gigakoll's SQL, in process) | gigakoll cold | cold × peer | cold × floor | gigakoll cold, raw | raw × peer | gigakoll warm | warm × peer | mean tile |")
	for _, set := range sets {
		for _, z := range set.zooms {
			b.Run(fmt.Sprintf("%s/z%d", set.layer, z), func(b *testing.B) {
				tiles := swedenTiles(b, pool, set.layer, snapshot, z)
				peer := httptest.NewServer(peerTileHandler(pool, set.layer, snapshot))
				defer peer.Close()
				httpPass(b, peer.URL, set.layer, tiles) // PostgreSQL's buffers warmed alike for everyone
				var peers, floors, colds, raws, warms []tilePass
				for range swedenTileRounds {
					peers = append(peers, httpPass(b, peer.URL, set.layer, tiles))
					floors = append(floors, floorPass(b, pool, set.layer, snapshot, tiles))
					ts := httptest.NewServer(h())
					colds = append(colds, httpPass(b, ts.URL, set.layer, tiles))
					warms = append(warms, httpPass(b, ts.URL, set.layer, tiles))
					ts.Close()
					// cold again, asking for the peer's raw bytes: no gzip on
					// either side of the loopback
					ts = httptest.NewServer(h())
					raws = append(raws, httpPassEncoded(b, ts.URL, set.layer, tiles, "identity"))
					ts.Close()
				}
				p, f, c, r, w := medianPass(peers), medianPass(floors), medianPass(colds), medianPass(raws), medianPass(warms)
				rcp, rcf, rrp, rwp := medianRatio(colds, peers), medianRatio(colds, floors), medianRatio(raws, peers), medianRatio(warms, peers)
				b.ReportMetric(rcp, "cold-x-peer")
				b.ReportMetric(rrp, "cold-raw-x-peer")
				b.ReportMetric(rwp, "warm-x-peer")
				b.ReportMetric(c.p99, "cold-p99-ms")
				b.Logf("| %s | %d | %d | %s | %s | %s | **%.2f** | %.2f | %s | **%.2f** | %s | **%.1f** | %.1f kB |",
					set.layer, z, len(tiles), p, f, c, rcp, rcf, r, rrp, w, rwp, meanTileKB(b, pool, set.layer, snapshot, tiles))
			})
		}
	}
}

// swedenTiles picks the tiles of a layer and zoom: every non-empty tile
// over Sweden up to zoom 8, the tiles of random public squares above.
func swedenTiles(b *testing.B, pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64, z maptile.Zoom) []geo.Tile {
	b.Helper()
	ctx := context.Background()
	if z <= 8 {
		sweden := orb.Bound{Min: orb.Point{10.9, 55.3}, Max: orb.Point{24.2, 69.1}}
		return sampleTiles(nonEmptyTiles(b, pool, layer, snapshot, geo.TilesCovering(sweden, z)), swedenTilesPerSet)
	}
	rows, err := pool.Query(ctx, `SELECT ST_X(c), ST_Y(c) FROM (
		SELECT ST_Transform(ST_Centroid(geom), 4326) AS c FROM public_squares
		WHERE snapshot_id = $1 ORDER BY hashint8(e::int8 * 7919 + n + $2) LIMIT 3000) s`, snapshot, int64(z))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	seen := map[geo.Tile]bool{}
	var tiles []geo.Tile
	for rows.Next() {
		var lon, lat float64
		if err := rows.Scan(&lon, &lat); err != nil {
			b.Fatal(err)
		}
		t := maptile.At(orb.Point{lon, lat}, z)
		if !seen[t] {
			seen[t] = true
			tiles = append(tiles, t)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, uint64(z)))
	rng.Shuffle(len(tiles), func(i, j int) { tiles[i], tiles[j] = tiles[j], tiles[i] })
	return tiles[:min(len(tiles), swedenTilesPerSet)]
}

// meanTileKB is the mean size of the layer's tiles, uncompressed.
func meanTileKB(b *testing.B, pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64, tiles []geo.Tile) float64 {
	total := 0
	for _, t := range tiles {
		q, args, _ := coverage.TileQuery(layer, snapshot, t)
		var mvt []byte
		if err := pool.QueryRow(context.Background(), q, args...).Scan(&mvt); err != nil {
			b.Fatal(err)
		}
		total += len(mvt)
	}
	return float64(total) / float64(len(tiles)) / 1000
}

// peerTileHandler is a pg_tileserv-style server of the layer: the query a
// table layer gets (pg_tileserv's layer_table.go), the raw geometry
// transformed to Web Mercator and clipped for every tile, the same
// properties as gigakoll's layer bar the targets met.
func peerTileHandler(pool *pgxpool.Pool, layer coverage.TileLayer, snapshot int64) http.Handler {
	sql := peerMunicipalitiesTile
	if layer == coverage.LayerSquares {
		sql = peerSquaresTile
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var z, x, y int
		if _, err := fmt.Sscanf(r.URL.Path, "/tiles/"+string(layer)+"/%d/%d/%d.mvt", &z, &x, &y); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		var mvt []byte
		if err := pool.QueryRow(r.Context(), sql, z, x, y, snapshot).Scan(&mvt); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
		w.Write(mvt) //nolint:errcheck // the client went away
	})
}

// peerMunicipalitiesTile: pg_tileserv's table-layer SQL over municipalities
// (MultiPolygon, 3006) joined with the snapshot's figures.
const peerMunicipalitiesTile = `SELECT ST_AsMVT(mvtgeom, 'municipalities', 4096, 'geom') FROM (
	SELECT ST_AsMVTGeom(ST_Transform(ST_Force2D(t.geom), 3857), bounds.geom_clipped, 4096, 256) AS geom,
	       t.code, t.name, t.county_code, a.households, a.workplaces,
	       (a.households_ge_1000 + a.workplaces_ge_1000)::float8 / nullif(a.households + a.workplaces, 0) AS share_1000,
	       (a.households_ge_100 + a.workplaces_ge_100)::float8 / nullif(a.households + a.workplaces, 0) AS share_100,
	       a.households_ge_1000::float8 / nullif(a.households, 0) AS households_share_1000,
	       a.households_ge_100::float8 / nullif(a.households, 0) AS households_share_100
	FROM municipalities t
	LEFT JOIN area_figures a ON a.snapshot_id = $4 AND a.kind = 'municipality' AND a.code = t.code AND a.part = 'all',
	     (SELECT ST_TileEnvelope($1, $2, $3) AS geom_clipped,
	             ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 256.0 / 4096), 3006) AS geom) bounds
	WHERE ST_Intersects(t.geom, bounds.geom)
	LIMIT 10000) mvtgeom`

// peerSquaresTile: pg_tileserv's table-layer SQL over the public squares'
// cells (MultiPolygon, 3006).
const peerSquaresTile = `SELECT ST_AsMVT(mvtgeom, 'squares', 4096, 'geom') FROM (
	SELECT ST_AsMVTGeom(ST_Transform(ST_Force2D(t.geom), 3857), bounds.geom_clipped, 4096, 256) AS geom,
	       t.size, t.municipality_code, t.households, t.workplaces,
	       (t.households_ge_1000 + t.workplaces_ge_1000)::float8 / (t.households + t.workplaces) AS share_1000,
	       (t.households_ge_100 + t.workplaces_ge_100)::float8 / (t.households + t.workplaces) AS share_100,
	       t.households_ge_1000::float8 / t.households AS households_share_1000,
	       t.households_ge_100::float8 / t.households AS households_share_100
	FROM public_squares t,
	     (SELECT ST_TileEnvelope($1, $2, $3) AS geom_clipped,
	             ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 256.0 / 4096), 3006) AS geom) bounds
	WHERE t.snapshot_id = $4 AND ST_Intersects(t.geom, bounds.geom)
	LIMIT 10000) mvtgeom`
