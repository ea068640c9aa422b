package bench

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations"
	"github.com/gigakoll/gigakoll/seeds"
)

// BenchmarkImport imports generated files of about 1 M and 5 M rows with the
// gigakoll binary and compares the wall time with the floor measured in the
// same run on the same file: a raw COPY into an unlogged table plus one
// INSERT … SELECT that builds the geometries into a logged table (a durable
// import must write its rows to the WAL once; gigakoll does too). It reports
// the ratio, rows per second and gigakoll's peak RSS; at 5 M rows also the
// targets report's latency.
//
//	make bench-import    (or: go test ./bench -run '^$' -bench Import -benchtime 1x)
func BenchmarkImport(b *testing.B) {
	for _, rows := range []int{1_000_000, 5_000_000} {
		b.Run(fmt.Sprintf("rows=%dM", rows/1_000_000), func(b *testing.B) {
			ctx := context.Background()
			file, fileRows := benchFile(b, rows)
			pool, dbURL := benchDB(b)
			var floor, ours, followUp time.Duration
			var rss int64
			for range b.N {
				floor += importFloor(b, pool, file)
				d, f, r := importGigakoll(b, dbURL, file)
				ours += d
				followUp += f
				rss = max(rss, r)
			}
			// The import proper ends at its commit; then the command
			// refreshes the residents' address suggestions from the new
			// latest snapshot (measure.RefreshAddresses): reported apart.
			landed := ours - followUp
			ratio := landed.Seconds() / floor.Seconds()
			b.ReportMetric(ratio, "x-floor")
			b.ReportMetric(ours.Seconds()/floor.Seconds(), "x-floor-with-suggestions")
			b.ReportMetric(float64(fileRows)*float64(b.N)/landed.Seconds(), "rows/s")
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			n := float64(b.N)
			b.Logf("%d rows (%s): floor %.1f s; gigakoll import %.1f s (ratio %.2f, %.0f rows/s), then address suggestions %.1f s (command in all %.1f s, ratio %.2f); peak RSS %.0f MB",
				fileRows, filepath.Base(file), floor.Seconds()/n, landed.Seconds()/n, ratio, float64(fileRows)*n/landed.Seconds(),
				followUp.Seconds()/n, ours.Seconds()/n, ours.Seconds()/floor.Seconds(), float64(rss)/(1<<20))
			if rows == 5_000_000 {
				reportLatency(b, ctx, pool)
			}
		})
	}
}

// benchFile returns a demo file of about rows rows (bench/out, cached).
func benchFile(b *testing.B, rows int) (string, int) {
	b.Helper()
	g1, err := seeds.New(seeds.Config{Seed: 1, Scale: 1})
	if err != nil {
		b.Fatal(err)
	}
	st, err := g1.Write(io.Discard, 2024)
	if err != nil {
		b.Fatal(err)
	}
	scale := float64(rows) / float64(st.Rows)
	path := filepath.Join("out", fmt.Sprintf("coverage-%dM.csv.gz", rows/1_000_000))
	counted := path + ".rows"
	if n, err := os.ReadFile(counted); err == nil {
		var got int
		fmt.Sscan(string(n), &got)
		return path, got
	}
	if err := os.MkdirAll("out", 0o755); err != nil {
		b.Fatal(err)
	}
	g, err := seeds.New(seeds.Config{Seed: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	bw := bufio.NewWriterSize(zw, 1<<20)
	st, err = g.Write(bw, 2024)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	os.Rename(path+".tmp", path)
	os.WriteFile(counted, []byte(fmt.Sprint(st.Rows)), 0o644)
	b.Logf("generated %s: %d rows, %d points (scale %.2f)", path, st.Rows, st.Points, scale)
	return path, st.Rows
}

// benchDB returns a pool on the migrated database gk_bench (created on the
// server of DATABASE_URL when missing; never the demo database).
func benchDB(b *testing.B) (*pgxpool.Pool, string) {
	b.Helper()
	ctx := context.Background()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is not set: run make bench-import")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	var exists bool
	admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'gk_bench')").Scan(&exists)
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE gk_bench"); err != nil {
			b.Fatal(err)
		}
	}
	admin.Close(ctx)
	u, _ := url.Parse(base)
	u.Path = "/gk_bench"
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := migrations.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	return pool, u.String()
}

// importFloor loads the file the least way: COPY of the decompressed CSV into
// an unlogged table, then one INSERT … SELECT building the points.
func importFloor(b *testing.B, pool *pgxpool.Pool, file string) time.Duration {
	b.Helper()
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	exec := func(sql string) {
		if _, err := conn.Exec(ctx, sql); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec("DROP TABLE IF EXISTS floor_raw, floor_points")
	exec(`CREATE UNLOGGED TABLE floor_raw (address_id text, municipality_code text, x float8, y float8,
		households int, workplaces int, holiday_homes int, technology text, status text, down_mbps numeric,
		up_mbps numeric, street text, number text, postcode text, locality text, operator text, planned_year int)`)
	exec(`CREATE TABLE floor_points (address_id text, municipality_code text, geom geometry(Point, 3006),
		households int, workplaces int, holiday_homes int, technology text, status text, down_mbps numeric,
		up_mbps numeric, street text, number text, postcode text, locality text, operator text, planned_year int)`)
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Conn().PgConn().CopyFrom(ctx, zr, `COPY floor_raw FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')`); err != nil {
		b.Fatalf("floor COPY: %v", err)
	}
	exec(`INSERT INTO floor_points SELECT address_id, municipality_code, ST_SetSRID(ST_MakePoint(x, y), 3006),
		households, workplaces, holiday_homes, technology, status, down_mbps, up_mbps, street, number, postcode,
		locality, operator, planned_year FROM floor_raw`)
	d := time.Since(start)
	exec("DROP TABLE floor_raw, floor_points")
	return d
}

// importGigakoll runs gigakoll import coverage on the file and returns its
// wall time, the part of it spent after the commit refreshing the address
// suggestions (from its log), and its peak resident memory in bytes.
func importGigakoll(b *testing.B, dbURL, file string) (time.Duration, time.Duration, int64) {
	b.Helper()
	bin, err := filepath.Abs("../bin/gigakoll")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("%s: %v (run make bench-import, which builds it)", bin, err)
	}
	cmd := exec.Command(bin, "import", "coverage", file, "--as-of", "2025-10-01", "--log-format", "json")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("gigakoll import: %v\n%s", err, lastLines(string(out), 20))
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // kB on Linux
	var followUp time.Duration
	for _, l := range strings.Split(string(out), "\n") {
		var line struct {
			Msg     string
			Seconds float64
		}
		if json.Unmarshal([]byte(l), &line) == nil && line.Msg == "address suggestions refreshed" {
			followUp = time.Duration(line.Seconds * float64(time.Second))
		}
	}
	b.Logf("gigakoll: %s", strings.TrimSpace(lastLines(string(out), 1)))
	return d, followUp, rss
}

// reportLatency times the targets report on the imported 5 M-row snapshot
// against the floor of one trivial query's round trip.
func reportLatency(b *testing.B, ctx context.Context, pool *pgxpool.Pool) {
	store := coverage.NewStore(pool)
	var ours, floor []time.Duration
	for range 30 {
		t := time.Now()
		if _, err := store.TargetsReport(ctx, coverage.ReportQuery{}); err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t))
		t = time.Now()
		var one int
		if err := pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			b.Fatal(err)
		}
		floor = append(floor, time.Since(t))
	}
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	b.ReportMetric(float64(med(ours).Microseconds())/1000, "report-ms")
	b.Logf("targets report at 5 M rows: median %.1f ms over 30 runs (a SELECT 1 round trip: %.2f ms)",
		float64(med(ours).Microseconds())/1000, float64(med(floor).Microseconds())/1000)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
