// Package server is gigakoll's HTTP wiring: it decodes requests, calls the
// domain packages, maps their errors to statuses and routes. It computes
// nothing itself.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/measure/ndt7"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/ogc"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/replicas"
	"github.com/gigakoll/gigakoll/web"
)

// Deps is everything the server needs; cmd/gigakoll builds it.
type Deps struct {
	Pool         *pgxpool.Pool
	Log          *slog.Logger
	Registry     *prometheus.Registry // the server registers its collectors here
	QueryTimeout time.Duration        // every database call runs under it
	Version      string
	Pages        *web.Pages      // the HTML pages and their assets; nil loads the embedded ones (web.New)
	Coverage     *coverage.Store // the snapshots and their figures; nil: a store on Pool (reading from Readers)
	Auth         *auth.Store     // tokens, sessions, audit log; nil: a store on Pool
	// Readers sends the reads of the map, tiles, API, OGC and reports to
	// read replicas (each request to one; replicas.Set); nil: Pool.
	Readers  *replicas.Set
	Mobile   *mobile.Store   // mobile coverage; nil: a store on Pool and Coverage (reading from Readers)
	Projects *projects.Store // the build-out project register; nil: a store on Pool and Coverage (reading from Readers)

	// Residents' measurements (/api/v1/measurements, /ndt/v7/…).
	MeasureRate measure.Rate // submissions per client; zero: measure.DefaultRate (10/min)
	SpeedTests  int          // ndt7 subtests running at once; 0: 8

	// The map (/, /tiles).
	BasemapStyle   string // a MapLibre style URL drawn under the map's layers; "": none
	TileCacheBytes int64  // the bound of the in-process tile cache; 0: 64 MiB

	// CORSOrigins may read the public data (/tiles, /ogc, /api/v1) from
	// their pages: "*" any; nil: only this site's pages.
	CORSOrigins []string

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (rate limits) and whose X-Forwarded-Proto says TLS (HSTS);
	// from anyone else both headers are ignored.
	TrustedProxies []netip.Prefix
}

// Server holds the dependencies of the handlers.
type Server struct {
	pool         *pgxpool.Pool
	log          *slog.Logger
	registry     *prometheus.Registry
	queryTimeout time.Duration
	version      string
	metrics      *httpMetrics
	pages        *web.Pages
	coverage     *coverage.Store
	auth         *auth.Store
	readers      *replicas.Set   // nil: every read on pool
	projects     *projects.Store // the build-out project register
	ogc          http.Handler    // OGC API – Features (package ogc)
	mobile       *mobile.Store   // mobile coverage (server/mobile.go)
	mobileMemo   mobileMemo

	measurements *measure.Store        // residents' measurements
	keys         *measure.Keys         // the daily HMAC keys for client addresses
	limiter      *httprate.RateLimiter // submissions per client; nil: no limit
	rateCounter  httprate.LimitCounter // the limiter's counter: stored submissions only
	rate         measure.Rate
	ndt7         *ndt7.Server // the speed test

	labels         labelCache     // the municipalities' label points, for the map page
	basemapStyle   string         // Deps.BasemapStyle
	trustedProxies []netip.Prefix // Deps.TrustedProxies
	tiles          *tileService   // /tiles: layers, cache, metrics
	openapi        *openAPI       // /api/v1/openapi.json

	compress func(http.Handler) http.Handler // gzip and zstd (server/compress.go)
	cors     func(http.Handler) http.Handler // other sites' reads of public data
}

// New returns the HTTP handler of gigakoll.
func New(d Deps) (*Handler, error) {
	s := &Server{
		pool:           d.Pool,
		log:            d.Log,
		registry:       d.Registry,
		queryTimeout:   d.QueryTimeout,
		version:        d.Version,
		pages:          d.Pages,
		coverage:       d.Coverage,
		readers:        d.Readers,
		trustedProxies: d.TrustedProxies,
	}
	if s.coverage == nil {
		// An import by upload refreshes the residents' address suggestions,
		// as the CLI's does (cmd/gigakoll/stores.go).
		s.coverage = coverage.NewStore(d.Pool)
		s.coverage.OnChange(func(ctx context.Context) error { return measure.RefreshAddresses(ctx, d.Pool) })
		if d.Readers != nil && d.Readers.Replicas() {
			s.coverage.ReadFrom(d.Readers)
		}
	}
	if s.auth = d.Auth; s.auth == nil {
		s.auth = auth.NewStore(d.Pool)
	}
	if s.mobile = d.Mobile; s.mobile == nil {
		s.mobile = mobile.NewStore(d.Pool, s.coverage)
		if d.Readers != nil && d.Readers.Replicas() {
			s.mobile.ReadFrom(d.Readers)
		}
		if d.Coverage == nil { // the mobile figures follow an import by upload; the next report would too
			s.coverage.OnChange(func(ctx context.Context) error {
				if _, err := s.mobile.Refresh(ctx); err != nil {
					s.log.WarnContext(ctx, "mobile figures not refreshed; the next mobile report refreshes them", "err", err)
				}
				return nil
			})
		}
	}
	if s.projects = d.Projects; s.projects == nil {
		s.projects = projects.NewStore(d.Pool, s.coverage, d.Log)
		if d.Readers != nil && d.Readers.Replicas() {
			s.projects.ReadFrom(d.Readers)
		}
		if d.Coverage == nil { // the project figures follow an import by upload
			s.coverage.OnChange(func(ctx context.Context) error { _, err := s.projects.Sync(ctx); return err })
		}
	}
	s.coverage.SetProjectLookup(s.projects.Lookup) // the gap reports name the project a point is in
	if s.queryTimeout <= 0 {
		s.queryTimeout = 10 * time.Second
	}
	s.ogc = ogc.New(ogc.Deps{Coverage: s.coverage, Mobile: s.mobile, Projects: s.projects, Auth: s.auth, Log: s.log,
		QueryTimeout: s.queryTimeout, WriteError: s.writeError, Version: d.Version})
	m, err := newHTTPMetrics(d.Registry, d.Pool, d.Readers)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if s.pages == nil {
		if s.pages, err = web.New(); err != nil {
			return nil, err
		}
	}
	if !s.pages.Built() {
		s.log.Warn("the pages were never built: every page answers 500 until you run make web and rebuild")
	}
	s.basemapStyle = d.BasemapStyle
	if s.openapi, err = newOpenAPI(); err != nil {
		return nil, err
	}
	cacheBytes := d.TileCacheBytes
	if cacheBytes <= 0 {
		cacheBytes = 64 << 20
	}
	if s.tiles, err = s.newTileService(d.Registry, cacheBytes); err != nil {
		return nil, err
	}
	if err := s.measureDeps(d); err != nil {
		return nil, err
	}
	if s.compress, err = newCompressor(); err != nil {
		return nil, err
	}
	s.cors = newCORS(d.CORSOrigins)
	return &Handler{Router: s.routes(), s: s}, nil
}

// Handler is gigakoll's HTTP handler: the routing table (its routes can be
// walked, as the contract and authorisation tests do), and what graceful
// shutdown waits for beyond it.
type Handler struct {
	chi.Router
	s        *Server
	inflight atomic.Int64 // requests whose handler has not returned, speed tests included
}

// ServeHTTP serves r, counting it among the requests Drain waits for.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.inflight.Add(1)
	defer h.inflight.Add(-1)
	h.Router.ServeHTTP(w, r)
}

// Drain waits, until ctx ends, for every request still being handled,
// including what http.Server.Shutdown does not see: the speed tests, whose
// connections are taken over from net/http (no new one starts from now
// on). gigakoll serve calls it while Shutdown runs, and again once it has
// cut what outlived the deadline: the pool closes only after the last
// handler, so that a download's audit entry is written.
func (h *Handler) Drain(ctx context.Context) error {
	if err := h.s.ndt7.Wait(ctx); err != nil {
		return err
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for h.inflight.Load() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d requests still running: %w", h.inflight.Load(), ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}
