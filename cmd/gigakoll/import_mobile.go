package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/tabular"
)

func (a *app) importMobileCmd() *cobra.Command {
	var (
		asOf, encoding string
		limit          int
		timeout        time.Duration
	)
	cmd := &cobra.Command{
		Use:   "mobile FILE --as-of YYYY-MM-DD",
		Short: "Import a mobile coverage snapshot (.csv, .csv.gz, or - for stdin), whole or not at all",
		Long: `Imports the operators' mobile coverage in the format of spec/mobile.md (one row
per grid square, operator and technology) as the mobile snapshot for --as-of,
replacing an earlier import of that date and leaving every other untouched. A
file with any error changes nothing: every error is listed as
FILE:LINE: column NAME: value "…": what is wrong, and the command exits 1.

Its figures count the households, workplaces and holiday homes of the coverage
snapshot in force on that date (else the earliest), and follow a coverage
snapshot imported later.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := time.Parse(time.DateOnly, asOf)
			if err != nil {
				return fmt.Errorf("--as-of %q: want a date as YYYY-MM-DD", asOf)
			}
			if err := tabular.CheckEncoding(encoding); err != nil {
				return fmt.Errorf("--encoding: %w", err)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return a.importMobile(ctx, args[0], mobile.ImportOptions{AsOf: date, Limit: limit, Encoding: encoding})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "the snapshot's date, YYYY-MM-DD")
	cmd.Flags().StringVar(&encoding, "encoding", "utf-8", "the file's encoding when not UTF-8: "+strings.Join(tabular.Encodings()[1:], ", "))
	cmd.Flags().IntVar(&limit, "max-errors", tabular.DefaultLimit, "errors and warnings listed in detail; the rest are counted")
	cmd.Flags().DurationVar(&timeout, "timeout", 2*time.Hour, "give up (and change nothing) after this long")
	_ = cmd.MarkFlagRequired("as-of")
	return cmd
}

// importMobile imports the file at path (or stdin for "-") with the progress
// bar of every import.
func (a *app) importMobile(ctx context.Context, path string, opt mobile.ImportOptions) error {
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
	opt.Name, opt.Log = name, a.log
	opt.Audit = auth.Entry{Actor: cliActor(a.getenv)}
	res, err := a.mobileStore(pool).Import(ctx, io.TeeReader(src, progress), opt)
	progress.Finish()
	var ie *tabular.ImportError
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
		verb = "imported (replacing the earlier mobile snapshot of that date)"
	}
	s := res.Snapshot
	against := "no coverage snapshot to count households against"
	if s.CoverageID != 0 {
		against = "households counted at the coverage snapshot of " + s.CoverageAsOf.Format(time.DateOnly)
	}
	fmt.Fprintf(a.stdout, "%s %s as of %s: %d squares of %d m, %d rows, operators %s, %d warnings in %.1f s; %s\n",
		verb, name, s.AsOf.Format(time.DateOnly), s.Squares, s.Size, s.Rows, strings.Join(s.Operators, ", "), s.Warnings,
		res.Duration.Seconds(), against)
	return nil
}
