package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/sheet"
)

// xlsxChildEnv names the case a child process of BenchmarkXLSX writes.
const xlsxChildEnv = "GIGAKOLL_BENCH_XLSX_CHILD"

// xlsxWriters are the writers compared.
var xlsxWriters = map[string]func(io.Writer) sheet.Writer{
	"excelize": newExcelizeXLSX,
	"gigakoll": sheet.NewXLSX,
	"none":     func(io.Writer) sheet.Writer { return noWriter{} },
}

// noWriter writes nothing: with it the benchmark measures what making the
// rows costs, and the RSS of the process without a writer.
type noWriter struct{}

func (noWriter) Sheet(string, []sheet.Column) error { return nil }
func (noWriter) Row(...any) error                   { return nil }
func (noWriter) Close() error                       { return nil }

// BenchmarkXLSX writes gap reports of address points (17 columns: the
// address, figures, technology, operator, the nearest gigabit point, the
// coordinates) with gigakoll's XLSX writer (sheet.NewXLSX) and with the
// same writer made with excelize's StreamWriter, each in a child process of
// its own so that its peak RSS is its own, to a sink that counts the bytes
// as an HTTP client's socket would take them; "none" makes the rows and
// writes nothing.
// Shapes: one sheet of 50 000 and of 500 000 rows, and a whole gap report
// (a summary, then five target sheets of that many rows each). It reports
// wall time, the time to the first byte out (a download shows nothing
// before it), peak RSS, peak temporary files on disk and the file's size.
//
//	make bench-xlsx    (or: go test ./bench -run '^$' -bench XLSX -benchtime 1x -v)
func BenchmarkXLSX(b *testing.B) {
	for _, shape := range []struct {
		rows, sheets int
	}{{50_000, 1}, {50_000, 5}, {500_000, 1}, {500_000, 5}} {
		for _, name := range []string{"none", "gigakoll", "excelize"} {
			b.Run(fmt.Sprintf("rows=%d/sheets=%d/%s", shape.rows, shape.sheets, name), func(b *testing.B) {
				var res xlsxResult
				for range b.N {
					res = runXLSXChild(b, name, shape.rows, shape.sheets)
				}
				b.ReportMetric(res.Seconds, "s")
				b.ReportMetric(res.FirstByte, "first-byte-s")
				b.ReportMetric(float64(res.RSS)/(1<<20), "peak-RSS-MB")
				b.ReportMetric(float64(res.PeakTmp)/(1<<20), "peak-tmp-MB")
				b.ReportMetric(float64(res.Bytes)/(1<<20), "file-MB")
				b.Logf("%s, %d sheet(s) of %d rows: %.1f s, first byte after %.1f s, peak RSS %.0f MB, temporary files %.0f MB, file %.1f MB",
					name, shape.sheets, shape.rows, res.Seconds, res.FirstByte, float64(res.RSS)/(1<<20),
					float64(res.PeakTmp)/(1<<20), float64(res.Bytes)/(1<<20))
			})
		}
	}
}

// xlsxResult is what a child reports, with its peak RSS added.
type xlsxResult struct {
	Seconds, FirstByte float64
	Bytes, PeakTmp     int64
	RSS                int64
}

func runXLSXChild(b *testing.B, name string, rows, sheets int) xlsxResult {
	b.Helper()
	tmp := b.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d:%d", xlsxChildEnv, name, rows, sheets), "TMPDIR="+tmp)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", name, err, out)
	}
	var res xlsxResult
	if err := json.Unmarshal(out[bytes.LastIndexByte(out[:len(out)-1], '\n')+1:], &res); err != nil {
		b.Fatalf("child %s: %v\n%s", name, err, out)
	}
	res.RSS = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // kB on Linux
	return res
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(xlsxChildEnv); spec != "" {
		if err := xlsxChild(spec, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// xlsxChild writes the report spec names ("writer:rows:sheets") to a sink
// and prints an xlsxResult as JSON.
func xlsxChild(spec string, out io.Writer) error {
	parts := strings.Split(spec, ":")
	newWriter := xlsxWriters[parts[0]]
	rows, _ := strconv.Atoi(parts[1])
	sheets, _ := strconv.Atoi(parts[2])
	if newWriter == nil || len(parts) != 3 {
		return fmt.Errorf("bad spec %q", spec)
	}
	stop := make(chan struct{})
	var peakTmp int64
	var wg sync.WaitGroup
	wg.Go(func() { peakTmp = watchDir(os.TempDir(), stop) })
	sink := &sinkWriter{start: time.Now()}
	err := writeGapReport(newWriter(sink), rows, sheets)
	elapsed := time.Since(sink.start)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(xlsxResult{Seconds: elapsed.Seconds(), FirstByte: sink.first.Seconds(),
		Bytes: sink.n, PeakTmp: peakTmp})
}

// sinkWriter counts the bytes and notes when the first one came.
type sinkWriter struct {
	start time.Time
	first time.Duration
	n     int64
}

func (s *sinkWriter) Write(p []byte) (int, error) {
	if s.n == 0 && len(p) > 0 {
		s.first = time.Since(s.start)
	}
	s.n += int64(len(p))
	return len(p), nil
}

// watchDir returns the most the files under dir held at any look, every
// 20 ms until stop.
func watchDir(dir string, stop <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		var sum int64
		_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					sum += fi.Size()
				}
			}
			return nil
		})
		peak = max(peak, sum)
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// gapColumns are the gap report's columns of address points.
var gapColumns = []sheet.Column{
	{Header: "Adress-id", Kind: sheet.Text, Width: 16}, {Header: "Gata", Kind: sheet.Text, Width: 20},
	{Header: "Nummer", Kind: sheet.Text, Width: 8}, {Header: "Postnummer", Kind: sheet.Text, Width: 11},
	{Header: "Postort", Kind: sheet.Text, Width: 14}, {Header: "Hushåll", Kind: sheet.Integer, Width: 9},
	{Header: "Arbetsställen", Kind: sheet.Integer}, {Header: "Fritidshus", Kind: sheet.Integer},
	{Header: "Bästa teknik idag", Kind: sheet.Text}, {Header: "Hastighet idag (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Operatör", Kind: sheet.Text, Width: 22}, {Header: "Planerad utbyggnad (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Planerat år", Kind: sheet.Plain}, {Header: "Närmaste punkt med 1 Gbit/s", Kind: sheet.Text, Width: 26},
	{Header: "Avstånd till 1 Gbit/s (m)", Kind: sheet.Integer}, {Header: "Öst (SWEREF 99 TM)", Kind: sheet.Plain},
	{Header: "Nord (SWEREF 99 TM)", Kind: sheet.Plain},
}

// writeGapReport writes a summary sheet and sheets of rows address points,
// as the gap report does.
func writeGapReport(w sheet.Writer, rows, sheets int) error {
	summary := []sheet.Column{{Header: "Mål", Kind: sheet.Text}, {Header: "Andel idag", Kind: sheet.Percent},
		{Header: "Uppfyllt", Kind: sheet.YesNo}, {Header: "Gap hushåll", Kind: sheet.Integer}}
	if sheets > 1 {
		if err := w.Sheet("Sammanfattning", summary); err != nil {
			return err
		}
		for i := range sheets {
			if err := w.Row(fmt.Sprintf("se-2025-%d", i), 0.8345, i%2 == 0, int64(1234*i)); err != nil {
				return err
			}
		}
	}
	streets := []string{"Storgatan", "Kungsgatan", "Norra Vägen", "Järnvägsgatan", "Ölandsvägen", "Byvägen"}
	techs := []string{"DSL", "kabel-tv", "fast radio", "mobilt", "ingen"}
	operators := []string{"Telia Sverige AB", "Kalmar Energi Stadsnät AB", "Tele2 Sverige AB", ""}
	for s := range sheets {
		rng := rand.New(rand.NewPCG(uint64(s), 7))
		if err := w.Sheet(fmt.Sprintf("se-2025-%d", s), gapColumns); err != nil {
			return err
		}
		for i := range rows {
			var planned, year any
			if rng.IntN(4) == 0 {
				planned, year = 1000.0, 2026+rng.IntN(3)
			}
			street := streets[rng.IntN(len(streets))]
			if err := w.Row(fmt.Sprintf("A%08d", i), street, strconv.Itoa(1+rng.IntN(120)), fmt.Sprintf("%d", 39000+rng.IntN(999)),
				"Kalmar", int64(rng.IntN(12)), int64(rng.IntN(3)), int64(rng.IntN(2)), techs[rng.IntN(len(techs))],
				float64(rng.IntN(10000))/100, operators[rng.IntN(len(operators))], planned, year,
				fmt.Sprintf("%s %d (A%08d)", street, rng.IntN(99), rng.IntN(rows)), int64(rng.IntN(5000)),
				int64(500000+rng.IntN(150000)), int64(6200000+rng.IntN(300000))); err != nil {
				return err
			}
		}
	}
	return w.Close()
}
