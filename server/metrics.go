package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/replicas"
)

// httpMetrics are the request metrics, by route pattern (never the raw path,
// which would let a client grow the label set) and status.
type httpMetrics struct {
	requests *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry, pool *pgxpool.Pool, readers *replicas.Set) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "gigakoll",
			Name:      "http_request_duration_seconds",
			Help:      "HTTP requests by route pattern, method and status: count and latency.",
			Buckets:   []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
	}
	if err := reg.Register(m.requests); err != nil {
		return nil, err
	}
	if pool != nil {
		if err := reg.Register(newPoolCollector(pool)); err != nil {
			return nil, err
		}
	}
	if readers != nil && readers.Replicas() {
		if err := reg.Register(newReplicaCollector(readers)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe records every request's latency by route pattern and status.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, ww := time.Now(), middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := routePattern(r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
		s.log.DebugContext(r.Context(), "request", "method", r.Method, "route", route, "status", status,
			"duration_ms", time.Since(start).Milliseconds())
	})
}

// poolCollector exports pgxpool statistics at scrape time.
type poolCollector struct {
	pool                                                *pgxpool.Pool
	acquired, idle, total, max, constructing            *prometheus.Desc
	acquires, acquireSeconds, canceled, empty, newConns *prometheus.Desc
	lifetimeDestroyed, idleDestroyed                    *prometheus.Desc
}

func newPoolCollector(pool *pgxpool.Pool) *poolCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("gigakoll_db_pool_"+name, help, nil, nil)
	}
	return &poolCollector{
		pool:              pool,
		acquired:          d("acquired_conns", "Connections currently in use."),
		idle:              d("idle_conns", "Idle connections in the pool."),
		total:             d("total_conns", "All connections in the pool."),
		max:               d("max_conns", "The pool's maximum size."),
		constructing:      d("constructing_conns", "Connections being opened."),
		acquires:          d("acquires_total", "Successful acquires."),
		acquireSeconds:    d("acquire_seconds_total", "Time spent waiting to acquire, in seconds."),
		canceled:          d("canceled_acquires_total", "Acquires cancelled by their context."),
		empty:             d("empty_acquires_total", "Acquires that had to wait for a connection."),
		newConns:          d("new_conns_total", "Connections opened."),
		lifetimeDestroyed: d("max_lifetime_destroys_total", "Connections closed for their age."),
		idleDestroyed:     d("max_idle_destroys_total", "Connections closed for idling."),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.acquired, c.idle, c.total, c.max, c.constructing, c.acquires,
		c.acquireSeconds, c.canceled, c.empty, c.newConns, c.lifetimeDestroyed, c.idleDestroyed} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.pool.Stat()
	g := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	k := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	g(c.acquired, float64(st.AcquiredConns()))
	g(c.idle, float64(st.IdleConns()))
	g(c.total, float64(st.TotalConns()))
	g(c.max, float64(st.MaxConns()))
	g(c.constructing, float64(st.ConstructingConns()))
	k(c.acquires, float64(st.AcquireCount()))
	k(c.acquireSeconds, st.AcquireDuration().Seconds())
	k(c.canceled, float64(st.CanceledAcquireCount()))
	k(c.empty, float64(st.EmptyAcquireCount()))
	k(c.newConns, float64(st.NewConnsCount()))
	k(c.lifetimeDestroyed, float64(st.MaxLifetimeDestroyCount()))
	k(c.idleDestroyed, float64(st.MaxIdleDestroyCount()))
}
