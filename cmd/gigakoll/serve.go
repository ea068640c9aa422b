package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations"
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
	a.deferErr(ef)
	return cmd
}

func (a *app) serve(ctx context.Context, c serveConfig) error {
	rate, err := measure.ParseRate(c.MeasureRate)
	if err != nil {
		return fmt.Errorf("--measure-rate: %w", err)
	}
	pool, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close() // after Shutdown: in-flight requests have finished

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
	}()

	readers, err := replicas.New(ctx, pool, replicas.Options{URLs: splitURLs(c.ReadURL),
		MaxLag: c.ReadMaxLag, CheckEvery: c.ReadCheckEvery, Log: a.log})
	if err != nil {
		return err
	}
	defer readers.Close() // after Shutdown, as the pool
	for _, st := range readers.Status() {
		a.log.Info("read replica", "replica", st.Name, "up", st.Up, "reason", st.Reason, "lag_seconds", st.LagSeconds)
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
		Pool:         pool,
		Readers:      readers,
		Log:          a.log,
		Registry:     reg,
		QueryTimeout: c.QueryTimeout,
		Version:      bi.Version,
		MeasureRate:  rate,
		SpeedTests:   c.SpeedTests,
		BasemapStyle: c.BasemapStyle,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// The handler's own query deadline fires first; a handler that
		// streams for longer (a report, a speed test) extends its deadline
		// with http.ResponseController.
		WriteTimeout: c.QueryTimeout + 5*time.Second,
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "version", bi.Version)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing in-flight requests", "timeout", c.ShutdownTimeout)
	sctx, scancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := h.Drain(sctx); err != nil { // running speed tests
		return fmt.Errorf("shutdown: %w", err)
	}
	a.log.Info("stopped")
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
