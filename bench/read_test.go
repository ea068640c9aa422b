package bench

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// BenchmarkRead reads the 1 M-row demo file of BenchmarkImport with the
// coverage reader alone (decompressing, decoding, checking every row), and
// compares it with the floor: gzip and encoding/csv reading every record,
// no checks. No database: this is the part of the import that runs in Go
// before the rows are folded and copied.
//
//	go test ./bench -run '^$' -bench '^BenchmarkRead$' -benchtime 3x -v
func BenchmarkRead(b *testing.B) {
	file, fileRows := benchFile(b, 1_000_000)
	var floor, ours, floorCPU, oursCPU time.Duration
	for range b.N {
		c := cpuTime()
		floor += readFloor(b, file)
		c2 := cpuTime()
		ours += readCoverage(b, file, fileRows)
		floorCPU, oursCPU = floorCPU+c2-c, oursCPU+cpuTime()-c2
	}
	b.ReportMetric(ours.Seconds()/floor.Seconds(), "x-floor")
	b.ReportMetric(oursCPU.Seconds()/floorCPU.Seconds(), "x-floor-cpu")
	b.ReportMetric(float64(fileRows)*float64(b.N)/ours.Seconds(), "rows/s")
	n := float64(b.N)
	b.Logf("%d rows: floor (gzip + encoding/csv) %.2f s, CPU %.2f s; coverage.Reader %.2f s, CPU %.2f s (ratio %.2f, CPU %.2f; %.0f rows/s)",
		fileRows, floor.Seconds()/n, floorCPU.Seconds()/n, ours.Seconds()/n, oursCPU.Seconds()/n,
		ours.Seconds()/floor.Seconds(), oursCPU.Seconds()/floorCPU.Seconds(), float64(fileRows)*n/ours.Seconds())
}

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine it varies less than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func readFloor(b *testing.B, file string) time.Duration {
	b.Helper()
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		b.Fatal(err)
	}
	cr := csv.NewReader(bufio.NewReaderSize(zr, 256<<10))
	cr.Comma = ';'
	cr.ReuseRecord = true
	for {
		if _, err := cr.Read(); err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

func readCoverage(b *testing.B, file string, want int) time.Duration {
	b.Helper()
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	rd, err := coverage.NewReader(f, coverage.ReaderOptions{Name: file})
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	for rd.Next() {
	}
	d := time.Since(start)
	if err := rd.Err(); err != nil {
		b.Fatal(err)
	}
	if p := rd.Problems(); p.ErrorCount > 0 || int(rd.Rows()) != want {
		b.Fatalf("read %d rows of %d, %d errors:\n%s", rd.Rows(), want, p.ErrorCount, p.Report())
	}
	return d
}
