package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/seeds"
)

func (a *app) seedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Generate and load demo data",
	}
	cmd.AddCommand(a.seedGenerateCmd(), a.seedDemoCmd())
	return cmd
}

// seedGenerateConfig holds the settings of gigakoll seed generate.
type seedGenerateConfig struct {
	Out   string
	Seed  uint64
	Scale float64
	Years string
	Scope string
}

func (a *app) seedGenerateCmd() *cobra.Command {
	var c seedGenerateConfig
	cmd := &cobra.Command{
		Use:   "generate --out DIR",
		Short: "Write demo coverage snapshots, one gzip file per year: Kalmar län, or all of Sweden",
		Long: `Writes DIR/coverage-YYYY-10-01.csv.gz for every year asked for: the demo's
address points of Kalmar län in the import format, as of 1 October, following the
county's published broadband history for 2015–2018 and our extrapolation after.
The same seed and scale give the same bytes. --scale multiplies the number of
address points (1 is the demo, about 90 000 points and 200 000 rows a year).

--scope sweden writes DIR/coverage-sweden-YYYY-10-01.csv.gz instead: all 290
municipalities, households and workplaces around SCB's 2 017 localities and
scattered on land, about 4.9 million households, 1 million workplaces, 3.4 million
points and 6.5 million rows at scale 1 (about 120 MB gzipped; shares of access
are ours), for benchmarks at national size. Each file streams to disk: memory
stays flat whatever the scale. Its years default to 2024.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("years") && c.Scope == string(seeds.ScopeSweden) {
				c.Years = "2024"
			}
			return a.seedGenerate(c)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Out, "out", "", "directory to write the files to (created if missing)")
	f.Uint64Var(&c.Seed, "seed", 1, "seed of the demo data")
	f.Float64Var(&c.Scale, "scale", 1, "multiplies the number of address points")
	f.StringVar(&c.Years, "years", "2015-2024", "years to write: a year, a range 2015-2024, or a comma-separated list of both (sweden: 2024)")
	f.StringVar(&c.Scope, "scope", string(seeds.ScopeKalmar), "the region: kalmar (the demo) or sweden (all 290 municipalities)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) seedGenerate(c seedGenerateConfig) error {
	years, err := parseYears(c.Years)
	if err != nil {
		return err
	}
	start := time.Now()
	scope := seeds.Scope(c.Scope)
	if scope != seeds.ScopeKalmar && scope != seeds.ScopeSweden {
		return fmt.Errorf("--scope %q: want %s or %s", c.Scope, seeds.ScopeKalmar, seeds.ScopeSweden)
	}
	g, err := seeds.New(seeds.Config{Seed: c.Seed, Scale: c.Scale, Scope: scope})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s, seed %d, scale %g: laid out in %.1f s\n", scope, c.Seed, c.Scale, time.Since(start).Seconds())
	prefix := "coverage-"
	if scope == seeds.ScopeSweden {
		prefix = "coverage-sweden-"
	}
	for _, y := range years {
		t := time.Now()
		name := filepath.Join(c.Out, prefix+seeds.AsOf(y).Format(time.DateOnly)+".csv.gz")
		st, size, err := writeSnapshot(g, y, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s  %d rows, %d points, %d households; ≥ 100 Mbit/s %.1f %%, ≥ 1 Gbit/s %.1f %% (rural %.1f %%, %.1f %%); %.1f MB (%.1f MB unpacked) in %.1f s\n",
			name, st.Rows, st.Points, st.Households, st.Share100(), st.Share1G(), st.RuralShare100(), st.RuralShare1G(),
			float64(size)/1e6, float64(st.Bytes)/1e6, time.Since(t).Seconds())
	}
	fmt.Fprintf(a.stdout, "%d files in %.1f s\n", len(years), time.Since(start).Seconds())
	return nil
}

// writeSnapshot writes one year to name through a temporary file, so that
// a failed run leaves no half file. The gzip header has no name and no
// time: the same data gives the same file. Generating and compressing run
// side by side through a pipe, as an importer reading the stream would.
func writeSnapshot(g *seeds.Generator, year int, name string) (seeds.Stats, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".coverage-*.tmp")
	if err != nil {
		return seeds.Stats{}, 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	defer tmp.Close()
	if err := tmp.Chmod(0o644); err != nil {
		return seeds.Stats{}, 0, err
	}

	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		zw := gzip.NewWriter(tmp) // Header zero: no name, zero ModTime
		_, err := io.Copy(zw, pr)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		pr.CloseWithError(err) // unblocks the generator when compressing failed
		done <- err
	}()
	st, err := g.Write(pw, year)
	pw.CloseWithError(err)
	if zerr := <-done; err == nil {
		err = zerr
	}
	if err != nil {
		return st, 0, fmt.Errorf("write %s: %w", name, err)
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return st, 0, err
	}
	if err := tmp.Close(); err != nil {
		return st, 0, err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return st, 0, err
	}
	return st, size, nil
}

// parseYears reads "2015-2024", "2018" or "2015,2017-2018" into sorted,
// distinct years the demo covers.
func parseYears(s string) ([]int, error) {
	valid := seeds.Years()
	var years []int
	for part := range strings.SplitSeq(s, ",") {
		from, to, isRange := strings.Cut(strings.TrimSpace(part), "-")
		lo, err1 := strconv.Atoi(strings.TrimSpace(from))
		hi, err2 := lo, error(nil)
		if isRange {
			hi, err2 = strconv.Atoi(strings.TrimSpace(to))
		}
		if err1 != nil || err2 != nil || hi < lo {
			return nil, fmt.Errorf("--years %q: want a year, a range such as 2015-2024, or a list of them", s)
		}
		for y := lo; y <= hi; y++ {
			if !slices.Contains(valid, y) {
				return nil, fmt.Errorf("--years %q: the demo covers %d–%d", s, valid[0], valid[len(valid)-1])
			}
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return slices.Compact(years), nil
}
