package server

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/replicas"
)

// Read replicas (package replicas): each request reads from one database,
// chosen as it arrives; /readyz and /metrics show every replica's state.

// pinReads chooses the database the request reads from: a read replica
// that is up and not too far behind, or the primary.
func (s *Server) pinReads(next http.Handler) http.Handler {
	if s.readers == nil || !s.readers.Replicas() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(s.readers.Pin(r.Context())))
	})
}

// replicaState is a read replica in /readyz: its public name, whether reads
// go to it, and how far behind it is.
type replicaState struct {
	Name       string  `json:"name"`
	Status     string  `json:"status"` // "up", "lagging" (skipped), "unreachable", "not a standby"
	LagSeconds float64 `json:"lag_seconds"`
	LagBytes   int64   `json:"lag_bytes"`
}

func (s *Server) replicaStates() []replicaState {
	if s.readers == nil || !s.readers.Replicas() {
		return nil
	}
	var out []replicaState
	for i, st := range s.readers.Status() {
		rs := replicaState{Name: ReplicaName(i), Status: st.Reason, LagSeconds: st.LagSeconds, LagBytes: st.LagBytes}
		switch {
		case st.Up && st.Lagging:
			rs.Status = "lagging"
		case st.Up:
			rs.Status = "up"
		}
		out = append(out, rs)
	}
	return out
}

// ReplicaName is a read replica's name in /readyz and /metrics, which anyone
// may ask: its position in GIGAKOLL_READ_URL ("replica-1"), never its host,
// port, user or database (serve logs which is which at start).
func ReplicaName(i int) string { return fmt.Sprintf("replica-%d", i+1) }

// replicaCollector exports the replicas' state at scrape time.
type replicaCollector struct {
	set                            *replicas.Set
	up, lagSeconds, lagBytes       *prometheus.Desc
	reads, failovers, primaryReads *prometheus.Desc
}

func newReplicaCollector(set *replicas.Set) *replicaCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("gigakoll_db_"+name, help, labels, nil)
	}
	return &replicaCollector{
		set:          set,
		up:           d("replica_up", "1 when reads go to the read replica: reachable, a standby, not too far behind.", "replica"),
		lagSeconds:   d("replica_lag_seconds", "How long ago the primary had WAL the replica has not replayed (to the check's interval).", "replica"),
		lagBytes:     d("replica_lag_bytes", "WAL the replica has not replayed, in bytes.", "replica"),
		reads:        d("replica_requests_total", "Requests whose reads went to the replica.", "replica"),
		failovers:    d("replica_failovers_total", "Reads the replica failed that the primary answered.", "replica"),
		primaryReads: d("primary_read_requests_total", "Requests whose reads went to the primary, no replica being up."),
	}
}

func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.lagSeconds, c.lagBytes, c.reads, c.failovers, c.primaryReads} {
		ch <- d
	}
}

func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	for i, st := range c.set.Status() {
		name := ReplicaName(i)
		up := 0.0
		if st.Up && !st.Lagging {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, name)
		ch <- prometheus.MustNewConstMetric(c.lagSeconds, prometheus.GaugeValue, st.LagSeconds, name)
		ch <- prometheus.MustNewConstMetric(c.lagBytes, prometheus.GaugeValue, float64(st.LagBytes), name)
		ch <- prometheus.MustNewConstMetric(c.reads, prometheus.CounterValue, float64(st.Reads), name)
		ch <- prometheus.MustNewConstMetric(c.failovers, prometheus.CounterValue, float64(st.Failovers), name)
	}
	ch <- prometheus.MustNewConstMetric(c.primaryReads, prometheus.CounterValue, float64(c.set.PrimaryReads()))
}
