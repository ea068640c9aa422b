package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/replicas"
	"github.com/gigakoll/gigakoll/server"
)

// serveConfig holds the settings of gigakoll serve.
type serveConfig struct {
	Addr            string
	QueryTimeout    time.Duration
	ShutdownTimeout time.Duration
	Migrate         bool
	MeasureRate     string // submissions per client: "10/min", or "off"
	SpeedTests      int    // ndt7 subtests at once
	BasemapStyle    string
	ReadURL         string        // read replicas: PostgreSQL URLs, comma-separated
	ReadMaxLag      time.Duration // a replica further behind is skipped
	ReadCheckEvery  time.Duration // how often the replicas are checked
	CORSOrigins     string        // comma-separated; "*": any; "": none
	TrustedProxies  string        // CIDRs whose X-Forwarded-For and X-Forwarded-Proto are believed
	TLS             tlsSettings
}

func (a *app) serveCmd() *cobra.Command {
	var c serveConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the map, the API and the pages over HTTP",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), c)
		},
	}
	ef := newEnvFlags(cmd.Flags(), a.getenv)
	ef.String(&c.Addr, "addr", "GIGAKOLL_ADDR", ":8080", "listen address")
	ef.Duration(&c.QueryTimeout, "query-timeout", "GIGAKOLL_QUERY_TIMEOUT", 10*time.Second, "deadline of every database call made for a request")
	ef.Duration(&c.ShutdownTimeout, "shutdown-timeout", "GIGAKOLL_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may take to finish on SIGINT/SIGTERM")
	ef.Bool(&c.Migrate, "migrate", "GIGAKOLL_MIGRATE", true, "migrate the database at start (false: refuse to start on a lagging schema)")
	ef.String(&c.BasemapStyle, "basemap-style", "GIGAKOLL_BASEMAP_STYLE", "", "URL of a MapLibre style drawn under the map's layers (empty: none, and the map needs no internet)")
	ef.String(&c.MeasureRate, "measure-rate", "GIGAKOLL_MEASURE_RATE", "10/min", "measurements one client may submit: N/s, N/min, N/h, or off (load tests only)")
	ef.Int(&c.SpeedTests, "speed-tests", "GIGAKOLL_SPEED_TESTS", 8, "ndt7 speed tests running at once; more are answered 503")
	// Not through ef.String: --help would print the URLs' passwords as the default.
	cmd.Flags().StringVar(&c.ReadURL, "read-url", a.getenv("GIGAKOLL_READ_URL"),
		"PostgreSQL URLs of hot standbys, comma-separated: the map, tiles, API, OGC and reports read from them (env GIGAKOLL_READ_URL)")
	cmd.Flags().Lookup("read-url").DefValue = ""
	ef.Duration(&c.ReadMaxLag, "read-max-lag", "GIGAKOLL_READ_MAX_LAG", 5*time.Minute, "skip a read replica further behind the primary than this (0: never for its lag)")
	ef.Duration(&c.ReadCheckEvery, "read-check-every", "GIGAKOLL_READ_CHECK_EVERY", 2*time.Second, "how often the read replicas' state and lag are checked")
	ef.String(&c.CORSOrigins, "cors-origins", "GIGAKOLL_CORS_ORIGINS", "*", "origins whose pages may read the public data (/tiles, /ogc, /api/v1; GET and HEAD), comma-separated: * any, empty none")
	ef.String(&c.TrustedProxies, "trusted-proxies", "GIGAKOLL_TRUSTED_PROXIES", "", "reverse proxies (CIDRs, comma-separated) whose X-Forwarded-For names the client for rate limits; ignored from anyone else")
	ef.String(&c.TLS.CertFile, "tls-cert", "GIGAKOLL_TLS_CERT", "", "serve HTTPS with this PEM certificate (chain) file; reloaded when it changes")
	ef.String(&c.TLS.KeyFile, "tls-key", "GIGAKOLL_TLS_KEY", "", "the PEM private key of --tls-cert")
	ef.String(&c.TLS.ACMEDomains, "acme-domains", "GIGAKOLL_ACME_DOMAINS", "", "serve HTTPS with certificates obtained and renewed from an ACME authority (Let's Encrypt) for these host names, comma-separated")
	ef.String(&c.TLS.ACMECache, "acme-cache", "GIGAKOLL_ACME_CACHE", "", "directory keeping the ACME account key and certificates (required with --acme-domains)")
	ef.String(&c.TLS.ACMEEmail, "acme-email", "GIGAKOLL_ACME_EMAIL", "", "contact address of the ACME account, for expiry notices")
	ef.String(&c.TLS.ACMEDirectory, "acme-directory", "GIGAKOLL_ACME_DIRECTORY", "", "ACME directory URL (empty: Let's Encrypt's production directory)")
	ef.String(&c.TLS.RedirectAddr, "http-redirect-addr", "GIGAKOLL_HTTP_REDIRECT_ADDR", "", "with TLS, also listen here for plain HTTP (e.g. :80): redirect to HTTPS and answer ACME's http-01 challenges")
	a.deferErr(ef)
	return cmd
}

func (a *app) serve(ctx context.Context, c serveConfig) error {
	rate, err := measure.ParseRate(c.MeasureRate)
	if err != nil {
		return fmt.Errorf("--measure-rate: %w", err)
	}
	proxies, err := parseTrustedProxies(c.TrustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	var tlsConfig *tls.Config
	var redirect http.Handler
	if c.TLS.enabled() {
		if tlsConfig, redirect, err = c.TLS.build(a.log); err != nil {
			return err
		}
	}
	pool, err := a.connect(ctx)
	if err != nil {
		return err
	}
	// After the last handler (see stop): a download's audit entry is
	// written before the pool goes.
	defer closePool(pool, a.log)

	mctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if c.Migrate {
		res, err := migrations.Migrate(mctx, pool, a.log)
		if err != nil {
			return err
		}
		a.log.Info("database migrated", "version", res.Version, "applied", len(res.Applied), "reference_loaded", res.Reference)
		if _, err := coverage.NewStore(pool).Republish(mctx, a.log); err != nil {
			return err
		}
	} else if err := migrations.Check(mctx, pool); err != nil {
		return err
	}
	// The residents' address suggestions follow the latest snapshot: an
	// import whose refresh failed or was killed is repaired here (nothing
	// to do when they are current), while the server already answers.
	go func() {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		if err := measure.RefreshAddresses(rctx, pool); err != nil && ctx.Err() == nil {
			a.log.Error("address suggestions not refreshed at start", "err", err)
		}
		// The project figures of a snapshot imported by an older binary, or
		// whose build was interrupted (nothing to do when they are current).
		if _, err := projects.NewStore(pool, coverage.NewStore(pool), a.log).Sync(rctx); err != nil && ctx.Err() == nil {
			a.log.Error("project figures not built at start", "err", err)
		}
	}()

	readers, err := replicas.New(ctx, pool, replicas.Options{URLs: splitURLs(c.ReadURL),
		MaxLag: c.ReadMaxLag, CheckEvery: c.ReadCheckEvery, Log: a.log})
	if err != nil {
		return err
	}
	defer readers.Close() // after Shutdown, as the pool
	for i, st := range readers.Status() {
		a.log.Info("read replica", "replica", server.ReplicaName(i), "address", st.Name, "up", st.Up, "reason", st.Reason, "lag_seconds", st.LagSeconds)
	}

	risks, err := measure.LoggingRisks(mctx, pool)
	if err != nil {
		return err
	}
	for _, r := range risks {
		a.log.Warn("PostgreSQL could log what residents type", "setting", r)
	}

	bi := readBuildInfo()
	reg := prometheus.NewRegistry()
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace:   "gigakoll",
		Name:        "build_info",
		Help:        "The version and commit of the running binary; always 1.",
		ConstLabels: prometheus.Labels{"version": bi.Version, "revision": bi.Revision, "goversion": bi.GoVersion},
	})
	buildInfo.Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfo)

	h, err := server.New(server.Deps{
		Pool:           pool,
		Readers:        readers,
		Log:            a.log,
		Registry:       reg,
		QueryTimeout:   c.QueryTimeout,
		Version:        bi.Version,
		MeasureRate:    rate,
		SpeedTests:     c.SpeedTests,
		BasemapStyle:   c.BasemapStyle,
		TrustedProxies: proxies,
		CORSOrigins:    corsOrigins(c.CORSOrigins),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	// Every request's context derives from base: cancelling it cuts what
	// outlives the shutdown deadline.
	base, cut := context.WithCancel(context.Background())
	defer cut()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// The handler's own query deadline fires first; a handler that
		// streams for longer (a report, a speed test) extends its deadline
		// with http.ResponseController.
		WriteTimeout: c.QueryTimeout + 5*time.Second,
		BaseContext:  func(net.Listener) context.Context { return base },
		TLSConfig:    tlsConfig,
	}
	errc := make(chan error, 2)
	if tlsConfig == nil {
		go func() { errc <- srv.Serve(ln) }()
	} else {
		go func() { errc <- srv.ServeTLS(ln, "", "") }() // HTTP/2 and HTTP/1.1
	}
	var plain *http.Server // the redirect to HTTPS, if asked for
	if redirect != nil && c.TLS.RedirectAddr != "" {
		rln, err := net.Listen("tcp", c.TLS.RedirectAddr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", c.TLS.RedirectAddr, err)
		}
		plain = &http.Server{Handler: redirect, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
		go func() { errc <- plain.Serve(rln) }()
		a.log.Info("redirecting plain HTTP to HTTPS", "addr", rln.Addr().String())
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "tls", tlsConfig != nil, "version", bi.Version)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if plain != nil {
		_ = plain.Close()
	}
	stopServing(srv, h, cut, c.ShutdownTimeout, a.log)
	return nil
}

// splitURLs reads GIGAKOLL_READ_URL: URLs separated by commas (a PostgreSQL
// URL has none of its own outside its query, where a comma is escaped).
func splitURLs(s string) []string {
	var urls []string
	for u := range strings.SplitSeq(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			urls = append(urls, u)
		}
	}
	return urls
}

// cutGrace is how long the handlers cut at the deadline have to return:
// their queries are cancelled and their connections closed, so they return
// at once, writing the audit entries of what they served.
const cutGrace = 5 * time.Second

// stopServing stops taking requests and gives those in flight, speed tests
// included, until timeout to finish. What still runs then is cut: its
// context is cancelled (cut) and its connection closed. It returns once
// every handler has returned, or cutGrace after the cut: the process ends
// within timeout + cutGrace whatever a client does.
func stopServing(srv *http.Server, h *server.Handler, cut context.CancelFunc, timeout time.Duration, log *slog.Logger) {
	start := time.Now()
	log.Info("shutting down: finishing in-flight requests", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(sctx) }()
	drained := h.Drain(sctx) // speed tests, and every handler still running
	if err := <-shut; err != nil || drained != nil {
		log.Warn("shutdown deadline reached: cutting what still runs", "timeout", timeout, "err", errors.Join(err, drained))
		cut()
		_ = srv.Close()
		gctx, gcancel := context.WithTimeout(context.Background(), cutGrace)
		defer gcancel()
		if err := h.Drain(gctx); err != nil {
			log.Error("handlers still running after the cut", "err", err)
		}
	}
	log.Info("stopped", "took", time.Since(start).Round(time.Millisecond))
}

// closePool closes the pool, waiting at most cutGrace for connections a
// stuck handler still holds: the process must end; PostgreSQL rolls back
// what an unfinished transaction did.
func closePool(pool *pgxpool.Pool, log *slog.Logger) {
	done := make(chan struct{})
	go func() { pool.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(cutGrace):
		log.Error("database connections still held at exit; PostgreSQL rolls back their transactions")
	}
}

// corsOrigins splits --cors-origins: "" is none.
func corsOrigins(v string) []string {
	var out []string
	for o := range strings.SplitSeq(v, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
