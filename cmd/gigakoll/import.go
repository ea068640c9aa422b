package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/tabular"
)

func (a *app) importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import data into gigakoll",
	}
	cmd.AddCommand(a.importCoverageCmd())
	cmd.AddCommand(a.importMobileCmd()) // import_mobile.go
	cmd.AddCommand(a.importProjectsCmd())
	return cmd
}

func (a *app) importCoverageCmd() *cobra.Command {
	var (
		asOf, columnsFile string
		encoding          string
		columns           []string
		limit             int
		timeout           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "coverage FILE --as-of YYYY-MM-DD",
		Short: "Import a coverage snapshot (.csv, .csv.gz, or - for stdin), whole or not at all",
		Long: `Imports a coverage file in the format of spec/coverage-format.md as the snapshot
for --as-of, replacing an earlier import of that date and leaving every other
snapshot untouched. A file with any error changes nothing: every error is listed
as FILE:LINE: column NAME: value "…": what is wrong, and the command exits 1.

Files with other headers import without editing through a column mapping:
--columns mapping.json ({"columns": {"households": "Hushåll", …},
"values": {"status": {"Ansluten": "connected", …}}}) or --column households=Hushåll.

A file saved by a spreadsheet as Latin-1 or Windows-1252 rather than UTF-8
is refused, naming the first line where it shows; --encoding windows-1252
reads it as it is.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := coverage.ParseDate(asOf)
			if err != nil {
				return fmt.Errorf("--as-of %w", err)
			}
			if today := coverage.Today(time.Now()); date.After(today) {
				return fmt.Errorf("--as-of %s: %w", asOf, &coverage.FutureDateError{AsOf: date, Today: today})
			}
			mapping, err := readMapping(columnsFile, columns)
			if err != nil {
				return err
			}
			if err := tabular.CheckEncoding(encoding); err != nil {
				return fmt.Errorf("--encoding: %w", err)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return a.importCoverage(ctx, args[0], date, coverage.ImportOptions{Mapping: mapping, Limit: limit, Encoding: encoding})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "the snapshot's date, YYYY-MM-DD (the survey is taken as of 1 October)")
	cmd.Flags().StringVar(&columnsFile, "columns", "", "a JSON column mapping for files with other headers or values")
	cmd.Flags().StringArrayVar(&columns, "column", nil, "map one column: standard=Header in file (repeatable)")
	cmd.Flags().StringVar(&encoding, "encoding", "utf-8", "the file's encoding when not UTF-8: "+strings.Join(tabular.Encodings()[1:], ", "))
	cmd.Flags().IntVar(&limit, "max-errors", coverage.DefaultProblemLimit, "errors and warnings listed in detail; the rest are counted")
	cmd.Flags().DurationVar(&timeout, "timeout", 2*time.Hour, "give up (and change nothing) after this long")
	_ = cmd.MarkFlagRequired("as-of")
	return cmd
}

func readMapping(file string, columns []string) (*coverage.Mapping, error) {
	var m *coverage.Mapping
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--columns: %w", err)
		}
		defer f.Close()
		if m, err = coverage.ReadMapping(f, file); err != nil {
			return nil, err
		}
	}
	for _, c := range columns {
		std, header, ok := strings.Cut(c, "=")
		if !ok {
			return nil, fmt.Errorf("--column %q: want standard=Header, e.g. households=Hushåll", c)
		}
		if m == nil {
			m = &coverage.Mapping{}
		}
		if err := m.Set(strings.TrimSpace(std), strings.TrimSpace(header)); err != nil {
			return nil, fmt.Errorf("--column %q: %w", c, err)
		}
	}
	return m, nil
}

// importCoverage imports the file at path (or stdin for "-") as of asOf;
// opt gives the mapping, the encoding and the error limit.
func (a *app) importCoverage(ctx context.Context, path string, asOf time.Time, opt coverage.ImportOptions) error {
	var (
		src  io.Reader
		size int64 = -1
		name       = path
	)
	if path == "-" {
		src, name = a.stdin, "(stdin)"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		src, name = f, filepath.Base(path)
	}
	pool, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()

	progress := a.progress(size, name)
	opt.AsOf, opt.Name, opt.Log = asOf, name, a.log
	opt.Audit = auth.Entry{Actor: cliActor(a.getenv)}
	res, err := a.coverageStore(pool).Import(ctx, io.TeeReader(src, progress), opt)
	progress.Finish()
	var ie *coverage.ImportError
	if errors.As(err, &ie) {
		fmt.Fprint(a.stderr, ie.Problems.Report())
		fmt.Fprint(a.stderr, ie.Problems.WarningReport())
		return ie // "FILE has N errors; nothing was imported"
	}
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, res.Problems.WarningReport())
	verb := "imported"
	if res.Replaced {
		verb = "imported (replacing the earlier snapshot of that date)"
	}
	s := res.Snapshot
	fmt.Fprintf(a.stdout, "%s %s as of %s: %d address points, %d rows, %d households, %d workplaces, %d warnings in %.1f s\n",
		verb, name, s.AsOf.Format(time.DateOnly), s.Points, s.Rows, s.Households, s.Workplaces, s.Warnings, res.Duration.Seconds())
	if res.FollowUp != nil {
		fmt.Fprintf(a.stderr, "warning: the snapshot landed, but the work after it failed: %v\n"+
			"warning: the next import or the next start of gigakoll serve does it\n", res.FollowUp)
	}
	return nil
}

// progressWriter counts the bytes read: a bar with MB/s and ETA on a
// terminal, a log line per 10 % otherwise.
type progressWriter struct {
	bar    *progressbar.ProgressBar
	a      *app
	name   string
	size   int64
	read   atomic.Int64
	logged int64 // the last tenth logged
}

func (a *app) progress(size int64, name string) *progressWriter {
	p := &progressWriter{a: a, name: name, size: size}
	if isTerminal(a.stderr) {
		p.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("reading "+name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionFullWidth(),
		)
	}
	return p
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n := p.read.Add(int64(len(b)))
	if p.bar != nil {
		_ = p.bar.Add(len(b))
		return len(b), nil
	}
	if p.size > 0 {
		if tenth := n * 10 / p.size; tenth > p.logged {
			p.logged = tenth
			p.a.log.Info("reading", "file", p.name, "percent", tenth*10, "mb", n>>20)
		}
	}
	return len(b), nil
}

// Finish ends the bar; the database work after reading is logged by phase.
func (p *progressWriter) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
