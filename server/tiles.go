package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
)

// Vector tiles: /tiles/{layer}/{z}/{x}/{y}.mvt on the Web Mercator grid,
// made by PostGIS (ST_AsMVT). A tile depends on its layer, its address and
// the version of the data it shows (for the coverage layers: the snapshot,
// and the targets); public layers' tiles are cached in process under that
// key, bounded in bytes, and their ETag is the key's hash. An import
// publishes a new snapshot id, so nothing is ever invalidated: old entries
// age out of the LRU.

// tileLayer is one layer of /tiles/. To add one, add an entry to
// Server.tileLayers.
type tileLayer struct {
	name             string
	description      string            // for TileJSON
	fields           map[string]string // the features' attributes and what they mean, for TileJSON
	public           bool              // anyone may fetch it and its tiles are cached; false: allow decides, nothing is cached
	minZoom, maxZoom int               // below minZoom an empty tile (204), past maxZoom none (404): clients overzoom
	// allow refuses a request that may not see a non-public layer (nil: everyone).
	allow func(r *http.Request) error
	// version reads what the tile shows from the request (e.g. ?as_of=).
	version func(ctx context.Context, r *http.Request) (tileVersion, error)
	// tile makes the tile: an MVT, or nil when it has no feature.
	tile func(ctx context.Context, v tileVersion, t geo.Tile) ([]byte, error)
}

// tileVersion is the version of the data a tile shows.
type tileVersion struct {
	ID  int64  // what the layer reads, e.g. a coverage snapshot id
	Key string // everything the tile depends on: part of the cache key and the ETag
}

// tileLayers lists every layer of /tiles/, one entry each.
func (s *Server) tileLayers() []tileLayer {
	return []tileLayer{
		{name: string(coverage.LayerMunicipalities), public: true, minZoom: 0, maxZoom: 14,
			description: "Municipalities with households, workplaces, the shares with access per speed class and which targets are met (public aggregates)",
			fields:      coverageFields(coverage.LayerMunicipalities),
			version:     s.coverageTileVersion(true), tile: s.coverageTile(coverage.LayerMunicipalities)},
		{name: string(coverage.LayerSquares), public: true, minZoom: 0, maxZoom: 14,
			description: "The public squares: 250 m cells with at least 5 households and pooled 1 km rests from zoom 8; below, their sums in squares of 2 to 20 km",
			fields:      coverageFields(coverage.LayerSquares),
			version:     s.coverageTileVersion(false), tile: s.coverageTile(coverage.LayerSquares)},
		s.measurementsTileLayer(), // residents' measurements: server/measurements.go
		s.addressesTileLayer(),    // signed-in users' own address points: server/gaps.go
		s.mobileTileLayer(),       // mobile coverage: server/mobile.go
	}
}

func coverageFields(layer coverage.TileLayer) map[string]string {
	out := map[string]string{}
	for _, f := range coverage.TileFields(layer) {
		out[f.Name] = f.Description
	}
	return out
}

// tileCacheControl: browsers keep a tile five minutes, then revalidate it.
const tileCacheControl = "public, max-age=300"

// tileService holds the layers, the cache and their metrics.
type tileService struct {
	layers   map[string]tileLayer
	cache    *tileCache
	flight   singleflight.Group
	requests *prometheus.CounterVec
	hits     *prometheus.CounterVec
	memo     coverageMemos // per database read from
}

func (s *Server) newTileService(reg *prometheus.Registry, cacheBytes int64) (*tileService, error) {
	ts := &tileService{
		layers: map[string]tileLayer{},
		cache:  newTileCache(cacheBytes),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gigakoll", Name: "tile_requests_total",
			Help: "Tile requests by layer, answered from the cache or not (304s included).",
		}, []string{"layer"}),
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gigakoll", Name: "tile_cache_hits_total",
			Help: "Tile requests by layer answered from the in-process cache.",
		}, []string{"layer"}),
	}
	for _, l := range s.tileLayers() {
		ts.layers[l.name] = l
		ts.requests.WithLabelValues(l.name) // a known, bounded label set
		ts.hits.WithLabelValues(l.name)
	}
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gigakoll", Name: "tile_cache_bytes", Help: "Bytes of tiles held in the in-process cache.",
	}, func() float64 { return float64(ts.cache.size()) })
	for _, c := range []prometheus.Collector{ts.requests, ts.hits, size} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register tile metrics: %w", err)
		}
	}
	return ts, nil
}

// getTile answers /tiles/{layer}/{z}/{x}/{y}.mvt: 200 with the tile (gzipped
// when the client takes it), 204 when it is empty or the zoom is below the
// layer's, 304 when the client holds it.
func (s *Server) getTile(w http.ResponseWriter, r *http.Request) error {
	l, ok := s.tiles.layers[chi.URLParam(r, "layer")]
	if !ok {
		return &apiError{Status: http.StatusNotFound, Field: "layer", Message: "no such layer; there are " + s.tiles.layerNames()}
	}
	t, err := geo.ParseTile(chi.URLParam(r, "z"), chi.URLParam(r, "x"), chi.URLParam(r, "y"))
	var te *geo.TileError
	if errors.As(err, &te) {
		return &apiError{Status: http.StatusNotFound, Field: te.Part, Message: "no such tile: " + te.Part + " must be " + te.Message}
	}
	if int(t.Z) > l.maxZoom {
		return &apiError{Status: http.StatusNotFound, Field: "z",
			Message: fmt.Sprintf("layer %s has tiles from zoom %d to %d; past %[3]d, draw zoom %[3]d larger", l.name, l.minZoom, l.maxZoom)}
	}
	if l.allow != nil {
		if err := l.allow(r); err != nil {
			return err
		}
	}
	s.tiles.requests.WithLabelValues(l.name).Inc()
	v, err := l.version(r.Context(), r)
	if err != nil {
		return err
	}
	key := tileKey{layer: l.name, version: v.Key, tile: t}
	if l.public {
		if notModified(w, r, key.etag(s.version), tileCacheControl) {
			return nil
		}
	} else {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	if int(t.Z) < l.minZoom { // nothing to show this far out: an empty tile
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	tile, hit := cachedTile{}, false
	if l.public {
		tile, hit = s.tiles.cache.get(key)
	}
	if hit {
		s.tiles.hits.WithLabelValues(l.name).Inc()
	} else {
		// Concurrent requests for one tile share one query.
		res, err, _ := s.tiles.flight.Do(key.String(), func() (any, error) {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.queryTimeout)
			defer cancel()
			b, err := l.tile(ctx, v, t)
			if err != nil {
				return cachedTile{}, err
			}
			if !l.public { // compressed on the way out, never kept
				return cachedTile{raw: b}, nil
			}
			c, err := newCachedTile(b)
			if err == nil {
				s.tiles.cache.add(key, c)
			}
			return c, err
		})
		if err != nil {
			return err
		}
		tile = res.(cachedTile)
	}
	if len(tile.raw) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	body := tile.raw
	w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
	if tile.gz != nil && acceptsGzip(r) { // compressed once, when it was cached
		body = tile.gz
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, err = w.Write(body)
	return err // only the client going away; the status is sent
}

func (ts *tileService) layerNames() string {
	var names []string
	for n := range ts.layers {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// coverageTile makes a coverage layer's tile of the version's snapshot.
func (s *Server) coverageTile(layer coverage.TileLayer) func(context.Context, tileVersion, geo.Tile) ([]byte, error) {
	return func(ctx context.Context, v tileVersion, t geo.Tile) ([]byte, error) {
		return s.coverage.Tile(ctx, layer, v.ID, t)
	}
}

// coverageTileVersion picks the snapshot of ?as_of= (default: the latest).
// The municipalities layer shows which targets are met, so its version
// includes the targets too.
func (s *Server) coverageTileVersion(withTargets bool) func(context.Context, *http.Request) (tileVersion, error) {
	return func(ctx context.Context, r *http.Request) (tileVersion, error) {
		p, err := parseReportParams(r.URL.Query())
		if err != nil {
			return tileVersion{}, err
		}
		st, targets, err := s.tiles.memo.read(ctx, s)
		if err != nil {
			return tileVersion{}, err
		}
		sn, err := pickSnapshot(st, p.asOf)
		if err != nil {
			return tileVersion{}, err
		}
		v := tileVersion{ID: sn.ID, Key: "s" + strconv.FormatInt(sn.ID, 10)}
		if withTargets {
			v.Key += "-t" + targets
		}
		return v, nil
	}
}

// coverageMemoTTL is how long tiles go on using the snapshot list read last:
// an import shows on the map's tiles within this time (and one refresh), and
// a busy map reads the list once per interval instead of once per tile.
const coverageMemoTTL = 5 * time.Second

// coverageMemos keeps one coverageMemo per database read from: the
// primary, or a read replica, which may be behind (a tile names a snapshot
// its own database has).
type coverageMemos struct {
	mu   sync.Mutex
	byDB map[string]*coverageMemo
}

// read returns the snapshots and the targets' digest of the database ctx
// reads from (replicas.Set.Pin).
func (ms *coverageMemos) read(ctx context.Context, s *Server) ([]coverage.Snapshot, string, error) {
	db := "primary"
	if s.readers != nil {
		db = s.readers.Target(ctx)
	}
	ms.mu.Lock()
	if ms.byDB == nil {
		ms.byDB = map[string]*coverageMemo{}
	}
	m := ms.byDB[db]
	if m == nil {
		m = &coverageMemo{}
		ms.byDB[db] = m
	}
	ms.mu.Unlock()
	return m.read(ctx, s)
}

// coverageMemo keeps the snapshots and a digest of the targets for a short
// while. No lock is held while the database is read: one refresh runs at a
// time (singleflight), and while it runs every tile goes on with the list
// read last. Only the very first read, with nothing to go on, waits for it.
type coverageMemo struct {
	mu        sync.Mutex // guards the fields below, never held across a read
	at        time.Time  // of the last refresh; zero: none yet
	snapshots []coverage.Snapshot
	targets   string

	flight singleflight.Group
}

func (m *coverageMemo) read(ctx context.Context, s *Server) ([]coverage.Snapshot, string, error) {
	m.mu.Lock()
	at, snaps, targets := m.at, m.snapshots, m.targets
	m.mu.Unlock()
	if !at.IsZero() && time.Since(at) < coverageMemoTTL {
		return snaps, targets, nil
	}
	done := m.flight.DoChan("state", func() (any, error) {
		// Not the asking request's context: its end must not fail the
		// refresh every other tile shares.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.queryTimeout)
		defer cancel()
		return nil, m.refresh(rctx, s)
	})
	if !at.IsZero() {
		return snaps, targets, nil // stale: the refresh goes on without this tile
	}
	select {
	case res := <-done:
		if res.Err != nil {
			return nil, "", res.Err
		}
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snapshots, m.targets, nil
}

// refresh reads the snapshots and the targets, then stores them.
func (m *coverageMemo) refresh(ctx context.Context, s *Server) error {
	var st coverageState
	err := s.coverage.View(ctx, func(ctx context.Context) error {
		var err error
		st, err = s.readCoverageState(ctx, time.Time{})
		return err
	})
	if err != nil && !errors.Is(err, coverage.ErrNoSnapshot) {
		return err
	}
	h := sha256.New()
	for _, t := range st.targets {
		fmt.Fprintf(h, "%+v\x00", t)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.at, m.snapshots, m.targets = time.Now(), st.snapshots, hex.EncodeToString(h.Sum(nil)[:6])
	return nil
}
