package bench

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// swedenImportRounds alternates the three imports this many times (3, or
// GIGAKOLL_BENCH_IMPORT_ROUNDS: a round takes about 13 minutes); medians are
// reported.
func swedenImportRounds(b *testing.B) int {
	n := 3
	if v := os.Getenv("GIGAKOLL_BENCH_IMPORT_ROUNDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("GIGAKOLL_BENCH_IMPORT_ROUNDS=%q: want a whole number of rounds, at least 1", v)
		}
	}
	return n
}

// BenchmarkSwedenImport imports all of Sweden (6.5 million rows) three ways,
// alternated, in rounds: gigakoll's import (a process of its own, to its
// commit: every row checked, points folded and located, the figures, the
// public squares, the indexes); ogr2ogr into PostGIS, what a GIS team would
// run (Debian's GDAL: the CSV driver guessing the types, one transaction,
// its spatial index; no check, no figure); and the floor, a raw COPY into an
// unlogged table plus one INSERT … SELECT building the point geometries into
// a logged table. It reports the medians, the ratios, gigakoll's peak RSS
// against that of a file 38 times smaller, and the phases of its import.
//
//	make bench-sweden    (or: go test ./bench -run '^$' -bench SwedenImport -benchtime 1x -v)
func BenchmarkSwedenImport(b *testing.B) {
	file, rows := swedenFile(b)
	pool, dbURL := swedenDatabase(b, false)
	var floor, ogr, ours []float64
	var ogrRSS, oursRSS int64
	var runs []importRun
	for round := range swedenImportRounds(b) {
		passes := []func(){
			func() { floor = append(floor, importFloor(b, pool, file).Seconds()) },
			func() {
				d, rss := ogr2ogrImport(b, dbURL, file)
				ogr = append(ogr, d.Seconds())
				ogrRSS = max(ogrRSS, rss)
			},
			func() {
				r, err := runImport(b, dbURL, file, swedenAsOf) // replaces the snapshot of the round before
				if err != nil {
					b.Fatal(err)
				}
				runs = append(runs, r)
				ours = append(ours, r.landed().Seconds())
				oursRSS = max(oursRSS, r.rss)
			},
		}
		for i := range passes { // a different order each round
			passes[(i+round)%len(passes)]()
		}
		b.Logf("round %d: floor %.1f s, ogr2ogr %.1f s, gigakoll %.1f s to the commit (then suggestions %.1f s), peak RSS %.0f MB",
			round+1, floor[round], ogr[round], ours[round], runs[round].followUp.Seconds(), float64(runs[round].rss)/(1<<20))
	}
	small := smallImportRSS(b, dbURL)

	f, o, g := median(floor), median(ogr), median(ours)
	b.ReportMetric(g/o, "x-ogr2ogr")
	b.ReportMetric(g/f, "x-floor")
	b.ReportMetric(float64(rows)/g, "rows/s")
	b.ReportMetric(float64(oursRSS)/(1<<20), "peak-RSS-MB")
	b.Logf("| %d rows | floor %.1f s | ogr2ogr %.1f s (peak RSS %.0f MB) | gigakoll %.1f s (%.0f rows/s, peak RSS %.0f MB; %.0f MB for a file of %s) | **%.2f × ogr2ogr** | **%.2f × the floor** |",
		rows, f, o, float64(ogrRSS)/(1<<20), g, float64(rows)/g, float64(oursRSS)/(1<<20), float64(small.rss)/(1<<20),
		filepath.Base(kalmarFile), g/o, g/f)
	mid := runs[0]
	for _, r := range runs {
		if r.landed().Seconds() == g {
			mid = r
		}
	}
	var ph []string
	for _, p := range mid.phases {
		ph = append(ph, fmt.Sprintf("%s %.1f s", p.name, p.seconds))
	}
	b.Logf("gigakoll's phases (the median run): %s", strings.Join(ph, "; "))
}

// ogr2ogrImport loads the file into PostGIS with ogr2ogr and returns its wall
// time and peak RSS; the table is dropped after.
func ogr2ogrImport(b *testing.B, dbURL, file string) (time.Duration, int64) {
	b.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("ogr2ogr", "-f", "PostgreSQL", pgConnString(b, dbURL), "/vsigzip/"+abs,
		"-nln", "ogr_points", "-overwrite", "-a_srs", "EPSG:3006", "-lco", "GEOMETRY_NAME=geom",
		"-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-oo", "AUTODETECT_TYPE=YES",
		"-gt", "unlimited") // one transaction, as gigakoll's import
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("ogr2ogr (make gis installs it): %v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	drop := exec.Command("ogrinfo", pgConnString(b, dbURL), "-sql", "DROP TABLE ogr_points")
	if out, err := drop.CombinedOutput(); err != nil {
		b.Fatalf("drop ogr_points: %v\n%s", err, out)
	}
	return d, rss
}

// pgConnString is GDAL's PG: connection string for a postgres:// URL.
func pgConnString(b *testing.B, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	pw, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return fmt.Sprintf("PG:host=%s port=%s dbname=%s user=%s password=%s", u.Hostname(), port,
		strings.TrimPrefix(u.Path, "/"), u.User.Username(), pw)
}

// kalmarFile is the demo's 2024 snapshot of Kalmar län (172 000 rows): the
// small file whose import's peak RSS the national one's is compared with.
var kalmarFile = filepath.Join("out", "coverage-2024-10-01.csv.gz")

// smallImportAsOf is the day the small file is imported as, then deleted: a
// day that has passed (a snapshot of a future day is refused) and before
// the national one.
const smallImportAsOf = "2001-10-01"

func smallImportRSS(b *testing.B, dbURL string) importRun {
	b.Helper()
	if out, err := exec.Command(gigakollBin(b), "seed", "generate", "--years", "2024", "--out", "out").CombinedOutput(); err != nil {
		b.Fatalf("seed generate: %v\n%s", err, out)
	}
	r, err := runImport(b, dbURL, kalmarFile, smallImportAsOf)
	if err != nil {
		b.Fatal(err)
	}
	deleteSnapshot(b, dbURL, smallImportAsOf)
	return r
}
