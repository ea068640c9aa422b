package bench

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/geo"
)

// BenchmarkImportMobile imports a national-size mobile coverage file (every
// 250 m square whose centre lies in a Swedish municipality, four operators
// with 4G in each and 5G in about a third: some 8.5 M squares and 45 M rows)
// with the gigakoll binary, and compares its wall time with the coverage
// import's floor measured in the same run on the same file: a raw COPY into
// an unlogged table plus one INSERT … SELECT building the squares'
// geometries into a logged table. It reports the ratio, rows per second and
// gigakoll's peak RSS.
//
// BENCH_MOBILE_COUNTIES (county codes, comma-separated) limits the file to
// those counties, for a machine or a deadline too small for Sweden:
//
//	go test ./bench -run '^$' -bench ImportMobile -benchtime 1x -timeout 3h -v
//	BENCH_MOBILE_COUNTIES=08 go test ./bench -run '^$' -bench ImportMobile -benchtime 1x -v
func BenchmarkImportMobile(b *testing.B) {
	var counties []string
	if s := os.Getenv("BENCH_MOBILE_COUNTIES"); s != "" {
		counties = strings.Split(s, ",")
	}
	file, rows, squares := mobileBenchFile(b, counties)
	pool, dbURL := benchDB(b)
	var floor, ours time.Duration
	var rss int64
	for i := range b.N {
		floor += mobileFloor(b, pool, file)
		d, r := importMobileGigakoll(b, dbURL, file, i)
		ours += d
		rss = max(rss, r)
	}
	ratio := ours.Seconds() / floor.Seconds()
	b.ReportMetric(ratio, "x-floor")
	b.ReportMetric(float64(rows)*float64(b.N)/ours.Seconds(), "rows/s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	n := float64(b.N)
	b.Logf("%d rows, %d squares of 250 m (%s): floor %.1f s; gigakoll import mobile %.1f s (ratio %.2f, %.0f rows/s); peak RSS %.0f MB",
		rows, squares, filepath.Base(file), floor.Seconds()/n, ours.Seconds()/n, ratio, float64(rows)*n/ours.Seconds(), float64(rss)/(1<<20))
}

// mobileBenchFile returns the mobile file of the counties (all: Sweden),
// cached in bench/out, with its rows and squares.
func mobileBenchFile(b *testing.B, counties []string) (string, int, int) {
	b.Helper()
	tag := "sweden"
	if len(counties) > 0 {
		tag = strings.Join(counties, "-")
	}
	path := filepath.Join("out", "mobile-250-"+tag+".csv.gz")
	counted := path + ".rows"
	if s, err := os.ReadFile(counted); err == nil {
		var rows, squares int
		fmt.Sscan(string(s), &rows, &squares)
		return path, rows, squares
	}
	muni, err := geo.LoadMunicipalities()
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll("out", 0o755); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	w := bufio.NewWriterSize(zw, 1<<20)
	fmt.Fprintln(w, "e,n,size,operator,technology,down_mbps_outdoor,down_mbps_indoor")
	const size = 250
	operators := []string{"Telia", "Tele2", "Telenor", "Tre"}
	rows, squares := 0, 0
	for n := int64(geo.MinN); n < int64(geo.MaxN); n += size {
		for e := int64(geo.MinE); e < int64(geo.MaxE); e += size {
			code := muni.Locate(geo.Square{E: e, N: n, Size: size}.Center())
			if code == "" || (len(counties) > 0 && !slices.Contains(counties, code[:2])) {
				continue
			}
			squares++
			h := fnv.New64a()
			fmt.Fprint(h, e, n)
			x := h.Sum64()
			for k, op := range operators {
				v := x >> (8 * k)
				out := int(v % 150)
				fmt.Fprintf(w, "%d,%d,250,%s,4g,%d.%d,%d\n", e, n, op, out, v%10, out/3)
				rows++
				if v%3 == 0 {
					fmt.Fprintf(w, "%d,%d,250,%s,5g,%d,\n", e, n, op, 50+int(v%900))
					rows++
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	os.Rename(path+".tmp", path)
	os.WriteFile(counted, []byte(fmt.Sprint(rows, " ", squares)), 0o644)
	b.Logf("generated %s: %d rows, %d squares", path, rows, squares)
	return path, rows, squares
}

// mobileFloor loads the mobile file the least way, as the coverage import's
// floor does: COPY of the decompressed CSV into an unlogged table, then one
// INSERT … SELECT building each square's polygon into a logged table.
func mobileFloor(b *testing.B, pool *pgxpool.Pool, file string) time.Duration {
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
	exec("DROP TABLE IF EXISTS floor_mobile_raw, floor_mobile")
	exec(`CREATE UNLOGGED TABLE floor_mobile_raw (e int, n int, size int, operator text, technology text,
		down_mbps_outdoor numeric, down_mbps_indoor numeric)`)
	exec(`CREATE TABLE floor_mobile (geom geometry(Polygon, 3006), operator text, technology text,
		down_mbps_outdoor numeric, down_mbps_indoor numeric)`)
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
	if _, err := conn.Conn().PgConn().CopyFrom(ctx, zr, `COPY floor_mobile_raw FROM STDIN (FORMAT csv, HEADER true)`); err != nil {
		b.Fatalf("floor COPY: %v", err)
	}
	exec(`INSERT INTO floor_mobile SELECT ST_MakeEnvelope(e, n, e + size, n + size, 3006), operator, technology,
		down_mbps_outdoor, down_mbps_indoor FROM floor_mobile_raw`)
	d := time.Since(start)
	exec("DROP TABLE floor_mobile_raw, floor_mobile")
	return d
}

// importMobileGigakoll runs gigakoll import mobile on the file and returns
// its wall time and peak resident memory in bytes.
func importMobileGigakoll(b *testing.B, dbURL, file string, i int) (time.Duration, int64) {
	b.Helper()
	bin, err := filepath.Abs("../bin/gigakoll")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("%s: %v (make build first)", bin, err)
	}
	cmd := exec.Command(bin, "import", "mobile", file, "--as-of", fmt.Sprintf("%d-10-01", 2040+i), "--log-format", "json")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("gigakoll import mobile: %v\n%s", err, lastLines(string(out), 20))
	}
	b.Logf("gigakoll: %s", strings.TrimSpace(lastLines(string(out), 1)))
	return d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // kB on Linux
}
