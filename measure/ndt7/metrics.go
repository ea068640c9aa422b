package ndt7

import "github.com/prometheus/client_golang/prometheus"

// metrics count the subtests by direction and outcome (ok, error, refused
// when the semaphore is full, rejected before the upgrade) and the payload
// bytes moved. The labels are fixed: nothing about a client becomes one.
type metrics struct {
	tests   *prometheus.CounterVec
	bytes   *prometheus.CounterVec
	running *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) (metrics, error) {
	m := metrics{
		tests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gigakoll", Subsystem: "ndt7", Name: "tests_total",
			Help: "ndt7 subtests by direction (download, upload) and outcome (ok, error, refused, rejected).",
		}, []string{"direction", "outcome"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gigakoll", Subsystem: "ndt7", Name: "bytes_total",
			Help: "Payload bytes sent (download) or received (upload) by ndt7 subtests.",
		}, []string{"direction"}),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "gigakoll", Subsystem: "ndt7", Name: "running_tests",
			Help: "ndt7 subtests running now.",
		}, []string{"direction"}),
	}
	for _, d := range []string{"download", "upload"} {
		m.bytes.WithLabelValues(d)
		m.running.WithLabelValues(d)
		for _, o := range []string{"ok", "error", "refused", "rejected"} {
			m.tests.WithLabelValues(d, o)
		}
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.tests, m.bytes, m.running} {
			if err := reg.Register(c); err != nil {
				return m, err
			}
		}
	}
	return m, nil
}
