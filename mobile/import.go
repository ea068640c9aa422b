package mobile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/tabular"
)

var (
	sqlBuildSquares     = mustSQL("build_squares.sql")
	sqlBuildAreaSquares = mustSQL("build_area_squares.sql")
)

// ImportOptions configure an import.
type ImportOptions struct {
	AsOf  time.Time    // the snapshot's date; an existing mobile snapshot of that date is replaced
	Name  string       // the file's name, for messages and the snapshot record
	Limit int          // errors and warnings listed in detail; 0: tabular.DefaultLimit
	Log   *slog.Logger // phases and timings; nil: silent
	// Audit says who imports: its Actor is required. The entry is written in
	// the import's transaction; a refused file is audited too.
	Audit auth.Entry
	// Encoding names the file's encoding when it is not UTF-8, such as
	// "windows-1252" (tabular.Encodings); empty: UTF-8.
	Encoding string
}

// ImportResult says what an import did.
type ImportResult struct {
	Snapshot Snapshot
	Replaced bool              // an earlier snapshot of the same date was replaced
	Problems *tabular.Problems // the warnings (an import with errors returns *tabular.ImportError)
	Duration time.Duration
}

// Import reads a mobile coverage file (spec/mobile.md) and lands it as the
// mobile snapshot for opt.AsOf, replacing an earlier import of that date and
// leaving every other untouched.
//
// It streams: the reader checks each row, the classes of each row are
// decided in Go, and the rows are copied into a table of the transaction;
// a unique key built after the copy finds the rows that repeat a square,
// operator and technology wherever they are in the file; the rows are folded
// into one per square in the snapshot's own partition, and the figures of
// every area are computed from those and from the address points of the
// coverage snapshot in force. One transaction holds everything, with its
// audit entry: a file with any error, a cancelled context, a lost
// connection or a killed process leaves the database as it was. A file
// with errors returns a *tabular.ImportError listing them.
func (s *Store) Import(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	if opt.Audit.Actor == "" {
		return ImportResult{}, errors.New("mobile: import: who imports is not known (ImportOptions.Audit.Actor)")
	}
	res, err := s.importFile(ctx, src, opt)
	if err != nil {
		s.auditRefused(ctx, opt, err)
		return res, err
	}
	if opt.Log != nil {
		opt.Log.Info("mobile import committed", "as_of", opt.AsOf.Format(time.DateOnly), "squares", res.Snapshot.Squares)
	}
	return res, nil
}

// auditRefused writes the audit entry of an import that changed nothing.
func (s *Store) auditRefused(ctx context.Context, opt ImportOptions, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	e := opt.Audit
	e.Action, e.SnapshotAsOf = auth.ActionImportRefused, &opt.AsOf
	e.Detail = fmt.Sprintf("mobile coverage %s: %s", opt.Name, err)
	var ie *tabular.ImportError
	if errors.As(err, &ie) {
		e.Rows = int64(ie.Problems.ErrorCount)
		e.Detail = fmt.Sprintf("mobile coverage %s: %d errors", opt.Name, ie.Problems.ErrorCount)
	}
	if aerr := auth.Record(ctx, s.pool, e); aerr != nil && opt.Log != nil {
		opt.Log.Error("audit entry of a refused import lost", "file", opt.Name, "err", aerr)
	}
}

func (s *Store) importFile(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	start := time.Now()
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	problems := tabular.NewProblems(opt.Limit)
	digest := sha256.New()
	rd, err := NewReader(io.TeeReader(src, digest), ReaderOptions{Name: opt.Name, Problems: problems, Encoding: opt.Encoding})
	if err != nil {
		return ImportResult{}, err
	}
	defer rd.Close()
	name := rd.Name()

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return ImportResult{}, fmt.Errorf("mobile: import %s: %w", name, err)
	}
	defer conn.Release()

	res := ImportResult{Problems: problems}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Sorts in memory where they fit; a client that dies aborts the
		// transaction within a second; imports take turns, as they share the
		// loading table's name.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';
			SET LOCAL client_connection_check_interval = '1s';
			SELECT pg_advisory_xact_lock(hashtext('gigakoll mobile import'))`); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO mobile_snapshots (as_of, source, sha256, size, rows, squares, operators, counties, warnings)
			VALUES ($1, $2, '', 250, 0, 0, '{}', '{}', 0) RETURNING id`, opt.AsOf, name).Scan(&id); err != nil {
			return fmt.Errorf("record snapshot: %w", err)
		}
		if _, err := tx.Exec(ctx, createRows); err != nil {
			return fmt.Errorf("create the loading table: %w", err)
		}
		t := time.Now()
		rows := newRowSource(ctx, rd, s.pool)
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"mobile_rows"}, rowColumns, rows)
		if rerr := rows.Err(); rerr != nil { // what stopped the reading, not COPY's echo of it
			return rerr
		}
		if err != nil {
			return fmt.Errorf("copy rows: %w", err)
		}
		log.Info("mobile rows copied", "rows", n, "seconds", time.Since(t).Seconds())
		if rd.Rows() == 0 && problems.ErrorCount == 0 {
			problems.Error(tabular.Problem{File: name, Message: "the file has no data rows", Code: "no-rows"})
		}
		if problems.ErrorCount == 0 {
			t = time.Now()
			if err := keyRows(ctx, tx, rd); err != nil {
				return err
			}
			log.Info("mobile rows keyed", "errors", problems.ErrorCount, "seconds", time.Since(t).Seconds())
		}
		if problems.ErrorCount > 0 {
			return &tabular.ImportError{File: name, Problems: problems}
		}
		sum := hex.EncodeToString(digest.Sum(nil))
		res.Snapshot, res.Replaced, err = s.publish(ctx, tx, publishArgs{id: id, asOf: opt.AsOf, sha256: sum,
			rows: rd.Rows(), size: rd.Size(), src: rows, warnings: problems.WarningCount, log: log})
		if err != nil {
			return err
		}
		e := opt.Audit
		e.Action, e.SnapshotAsOf, e.Rows = auth.ActionImport, &res.Snapshot.AsOf, res.Snapshot.Rows
		e.Detail = fmt.Sprintf("mobile coverage %s: %d squares of %d m, %d operators, %d warnings, sha256 %s", name,
			res.Snapshot.Squares, res.Snapshot.Size, len(res.Snapshot.Operators), res.Snapshot.Warnings, sum)
		if res.Replaced {
			e.Detail += " (replaced the mobile snapshot of that date)"
		}
		return auth.Record(ctx, tx, e)
	})
	if err != nil {
		var ie *tabular.ImportError
		if errors.As(err, &ie) {
			return res, ie
		}
		return res, fmt.Errorf("mobile: import %s as of %s: %w", name, opt.AsOf.Format(time.DateOnly), err)
	}
	res.Duration = time.Since(start)
	return res, nil
}
