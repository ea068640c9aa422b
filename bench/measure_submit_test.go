package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/server"
)

// measureBody is the submission both servers take: a position in Kalmar.
const measureBody = `{"down_mbps": 250.5, "up_mbps": 40, "latency_ms": 9.5, "lat": 56.6632, "lon": 16.3615, "connection": "fiber", "source": "wrk"}`

// BenchmarkMeasureSubmit drives POST /api/v1/measurements with wrk on
// loopback (2 threads, 16 connections, 10 s a run, three times each, alternating)
// against gigakoll's handler (validation, placing in Go, the rate limiter
// off, the insert, metrics) and against the floor measured in the same run:
// a minimal handler that reads the body and does one pgx INSERT of the same
// row into the same table. Both run in this process, on pools of the same
// size, on a database of their own. It reports gigakoll's requests per
// second over the floor's (the goal is at least 0.8) and p50/p99 of both.
//
//	make bench-measure    (or: go test ./bench -run '^$' -bench MeasureSubmit -benchtime 1x -v)
func BenchmarkMeasureSubmit(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Fatal("wrk is not installed: make bench-measure installs Debian's wrk")
	}
	pool := measureBenchDB(b, "gk_bench_measure")
	h, err := server.New(server.Deps{
		Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "bench", MeasureRate: measure.NoLimit,
	})
	if err != nil {
		b.Fatal(err)
	}
	floorPool := measureBenchPool(b, pool.Config().ConnString())
	ours := serveLoopback(b, h)
	floor := serveLoopback(b, floorHandler(floorPool))
	script := filepath.Join(b.TempDir(), "post.lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", measureBody)
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		var runs [2][]wrkResult
		for range 3 {
			runs[0] = append(runs[0], runWrk(b, wrk, script, floor+"/api/v1/measurements"))
			runs[1] = append(runs[1], runWrk(b, wrk, script, ours+"/api/v1/measurements"))
		}
		f, g := medianWrk(runs[0]), medianWrk(runs[1])
		ratio := g.rps / f.rps
		b.ReportMetric(ratio, "x-floor")
		b.ReportMetric(g.rps, "req/s")
		b.ReportMetric(g.p50.Seconds()*1000, "p50-ms")
		b.ReportMetric(g.p99.Seconds()*1000, "p99-ms")
		b.Logf("floor:    %7.0f req/s, p50 %5.2f ms, p99 %5.2f ms", f.rps, ms(f.p50), ms(f.p99))
		b.Logf("gigakoll: %7.0f req/s, p50 %5.2f ms, p99 %5.2f ms", g.rps, ms(g.p50), ms(g.p99))
		for i := range runs[0] {
			b.Logf("round %d: floor %.0f req/s, gigakoll %.0f req/s", i+1, runs[0][i].rps, runs[1][i].rps)
		}
		b.Logf("ratio %.2f of the medians (goal >= 0.80); wrk -t2 -c16 -d10s --latency, three times each, alternating", ratio)
	}
	var rows int64
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements WHERE source = 'wrk'`).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d rows inserted by both", rows)
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

// floorHandler is the least a submission endpoint must do: read the body
// and insert one row, committed, then answer 201.
func floorHandler(pool *pgxpool.Pool) http.Handler {
	const insert = `INSERT INTO measurements (id, measured_at, square_e, square_n, municipality_code, county_code,
		down_mbps, up_mbps, latency_ms, jitter_ms, connection, subscribed_down_mbps, source)
		VALUES ($1::uuid, date_trunc('hour', now()), 583250, 6280500, '0880', '08', 250.5, 40, 9.5, NULL, 'fiber', NULL, 'wrk')`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if _, err := pool.Exec(r.Context(), insert, newUUID()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"ok":true}`+"\n")
	})
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// serveLoopback serves h on 127.0.0.1 until the benchmark ends.
func serveLoopback(b *testing.B, h http.Handler) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

type wrkResult struct {
	rps      float64
	p50, p99 time.Duration
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkPercent = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// runWrk runs wrk for 10 s against target and reads requests/s and the
// 50th and 99th percentile latencies from its report. Any non-2xx answer
// fails the benchmark: a fast error is no result.
func runWrk(b *testing.B, wrk, script, target string) wrkResult {
	b.Helper()
	out, err := exec.Command(wrk, "-t2", "-c16", "-d10s", "--latency", "-s", script, target).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	text := string(out)
	if m := wrkNon2xx.FindStringSubmatch(text); m != nil {
		b.Fatalf("wrk against %s: %s answers were not 2xx\n%s", target, m[1], text)
	}
	m := wrkRPS.FindStringSubmatch(text)
	if m == nil {
		b.Fatalf("no Requests/sec in wrk's report:\n%s", text)
	}
	var r wrkResult
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPercent.FindAllStringSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[p[3]]))
		if p[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if r.p50 == 0 || r.p99 == 0 {
		b.Fatalf("no latency distribution in wrk's report:\n%s", text)
	}
	return r
}

// medianWrk takes each figure's median over the runs: the machine is
// shared, and one disturbed run should not decide the ratio.
func medianWrk(rs []wrkResult) wrkResult {
	med := func(get func(wrkResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = get(r)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	return wrkResult{
		rps: med(func(r wrkResult) float64 { return r.rps }),
		p50: time.Duration(med(func(r wrkResult) float64 { return float64(r.p50) })),
		p99: time.Duration(med(func(r wrkResult) float64 { return float64(r.p99) })),
	}
}

// measureBenchDB returns a pool on a fresh, migrated database name on the
// server of DATABASE_URL (never the demo's database), dropped at the end.
func measureBenchDB(b *testing.B, name string) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set: run make bench-measure")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
		if _, err := admin.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + name
	pool := measureBenchPool(b, u.String())
	mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := migrations.Migrate(mctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		pool.Close()
		admin, err := pgx.Connect(context.Background(), base)
		if err == nil {
			admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close(context.Background())
		}
	})
	return pool
}

func measureBenchPool(b *testing.B, dbURL string) *pgxpool.Pool {
	b.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}
