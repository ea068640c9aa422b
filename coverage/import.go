package coverage

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
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlBuildAreaFigures      = mustSQL("build_area_figures.sql")
	sqlBuildAreaGains        = mustSQL("build_area_gains.sql")
	sqlBuildSquareFigures    = mustSQL("build_square_figures.sql")
	sqlBuildPublicSquares    = mustSQL("build_public_squares.sql")
	sqlBuildPublicSquareSums = mustSQL("build_public_square_sums.sql")
)

// ImportOptions configure an import.
type ImportOptions struct {
	AsOf    time.Time    // the snapshot's date; an existing snapshot of that date is replaced
	Name    string       // the file's name, for messages and the snapshot record
	Mapping *Mapping     // other headers and values; nil: the standard ones
	Limit   int          // errors and warnings listed in detail; 0: DefaultProblemLimit
	Log     *slog.Logger // phases and timings; nil: silent
	// Audit says who imports: its Actor (and TokenID) are required. The
	// import's audit entry is written in the import's transaction, so that
	// the snapshot and its entry land together; a refused file is audited too.
	Audit auth.Entry

	// Encoding names the file's encoding when it is not UTF-8, such as
	// "windows-1252" (tabular.Encodings); empty: UTF-8.
	Encoding string
}

// ImportResult says what an import did.
type ImportResult struct {
	Snapshot Snapshot
	Replaced bool      // an earlier snapshot of the same date was replaced
	Problems *Problems // the warnings (an import with errors returns *ImportError)
	Duration time.Duration
	// FollowUp is the work after the commit that failed (see Store.OnChange:
	// the residents' address suggestions). The snapshot landed; the next
	// import or the next start of gigakoll serve repairs what failed.
	FollowUp error
}

// Import reads a coverage file and lands it as the snapshot for opt.AsOf,
// replacing an earlier import of that date and leaving every other snapshot
// untouched.
//
// It streams: the reader checks each row, the rows of an address point are
// folded into the point in Go (its best offers, whether it lies in its
// municipality), and the points are copied straight into the new snapshot's
// partition. One transaction holds everything, so a file with any error, a
// cancelled context, a lost connection or a killed process leaves the
// database exactly as it was. A file with errors returns an *ImportError
// listing them.
func (s *Store) Import(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	if opt.Audit.Actor == "" {
		return ImportResult{}, errors.New("coverage: import: who imports is not known (ImportOptions.Audit.Actor)")
	}
	var res ImportResult
	var err error
	if today := Today(time.Now()); opt.AsOf.After(today) {
		err = &FutureDateError{AsOf: opt.AsOf, Today: today}
	} else {
		res, err = s.importFile(ctx, src, opt)
	}
	if err != nil {
		s.auditRefused(ctx, opt, err)
		return res, err
	}
	if opt.Log != nil {
		opt.Log.Info("import committed", "as_of", opt.AsOf.Format(time.DateOnly), "points", res.Snapshot.Points)
	}
	res.FollowUp = s.notifyChanged(ctx)
	return res, nil
}

// auditRefused writes the audit entry of an import that changed nothing:
// who tried what, and why it was refused. The import's own context may be
// over (a cancelled upload): the entry gets a moment of its own.
func (s *Store) auditRefused(ctx context.Context, opt ImportOptions, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	e := opt.Audit
	e.Action, e.SnapshotAsOf = auth.ActionImportRefused, &opt.AsOf
	e.Detail = fmt.Sprintf("%s: %s", opt.Name, err)
	var ie *ImportError
	if errors.As(err, &ie) {
		e.Rows = int64(ie.Problems.ErrorCount)
		e.Detail = fmt.Sprintf("%s: %d errors", opt.Name, ie.Problems.ErrorCount)
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
	problems := NewProblems(opt.Limit)
	ix, err := geo.LoadMunicipalities()
	if err != nil {
		return ImportResult{}, err
	}
	known, err := s.municipalityCodes(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	digest := sha256.New()
	rd, err := NewReader(io.TeeReader(src, digest), ReaderOptions{
		Name: opt.Name, Mapping: opt.Mapping, Municipalities: known, Problems: problems, Encoding: opt.Encoding,
	})
	if err != nil {
		return ImportResult{}, err
	}
	defer rd.Close()
	fold := newFolder(rd, ix)

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", rd.opt.Name, err)
	}
	defer conn.Release()
	if err := registerTypes(ctx, conn.Conn()); err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", rd.opt.Name, err)
	}

	res := ImportResult{Problems: problems}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Sorts for the aggregates in memory where they fit, and no JIT
		// (figureSettings); a client that dies (kill -9, a lost network)
		// aborts the transaction within a second rather than at the end of
		// a long statement; imports take turns, as they share the loading
		// table's name.
		if _, err := tx.Exec(ctx, figureSettings+`; SET LOCAL maintenance_work_mem = '512MB';
			SET LOCAL client_connection_check_interval = '1s';
			SELECT pg_advisory_xact_lock(hashtext('gigakoll coverage import'))`); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO snapshots (as_of, source, sha256, rows, points, households, workplaces, holiday_homes, warnings, outside)
			VALUES ($1, $2, '', 0, 0, 0, 0, 0, 0, 0) RETURNING id`, opt.AsOf, rd.opt.Name).Scan(&id); err != nil {
			return fmt.Errorf("record snapshot: %w", err)
		}
		if _, err := tx.Exec(ctx, "SELECT snapshot_points_prepare($1)", id); err != nil {
			return fmt.Errorf("prepare partition: %w", err)
		}
		t := time.Now()
		n, err := copyFreeze(ctx, tx, "address_points_loading", pointColumns,
			&pointSource{next: fold.Next, err: rd.Err, snapshot: id})
		if err != nil {
			return fmt.Errorf("copy address points: %w", err)
		}
		log.Info("address points copied", "rows", rd.Rows(), "points", n, "seconds", time.Since(t).Seconds())
		if rd.Rows() == 0 && problems.ErrorCount == 0 {
			problems.Error(Problem{File: rd.opt.Name, Message: "the file has no data rows", Code: "no-rows"})
		}
		if problems.ErrorCount == 0 {
			t = time.Now()
			if err := keyPoints(ctx, tx, id, fold); err != nil {
				return err
			}
			// The figures' joins are planned from its statistics (see figureSteps).
			if _, err := tx.Exec(ctx, "ANALYZE address_points_loading"); err != nil {
				return fmt.Errorf("analyze the new address points: %w", err)
			}
			log.Info("address points keyed", "errors", problems.ErrorCount, "seconds", time.Since(t).Seconds())
		}
		fold.warnOutside()
		if problems.ErrorCount > 0 {
			return &ImportError{File: rd.opt.Name, Problems: problems}
		}
		sum := hex.EncodeToString(digest.Sum(nil))
		res.Snapshot, res.Replaced, err = s.publish(ctx, tx, publishArgs{
			id: id, asOf: opt.AsOf, sha256: sum, rows: rd.Rows(),
			outside: fold.outside, problems: problems, log: log,
		})
		if err != nil {
			return err
		}
		e := opt.Audit
		e.Action, e.SnapshotAsOf, e.Rows = auth.ActionImport, &res.Snapshot.AsOf, res.Snapshot.Rows
		e.Detail = fmt.Sprintf("%s: %d address points, %d warnings, sha256 %s", rd.opt.Name, res.Snapshot.Points, res.Snapshot.Warnings, sum)
		if res.Replaced {
			e.Detail += " (replaced the snapshot of that date)"
		}
		return auth.Record(ctx, tx, e)
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return res, ie
		}
		return res, fmt.Errorf("import %s as of %s: %w", rd.opt.Name, opt.AsOf.Format(time.DateOnly), err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// keyPoints builds the primary key of the copied points. A duplicate key
// means the rows of some address points were not together in the file:
// refold merges their pieces, reporting what disagrees, and they are keyed
// again.
func keyPoints(ctx context.Context, tx pgx.Tx, id int64, f *folder) error {
	if _, err := tx.Exec(ctx, "SAVEPOINT points_key"); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "SELECT snapshot_points_key($1)", id)
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) || pe.Code != "23505" { // unique_violation
		if err != nil {
			return fmt.Errorf("key address points: %w", err)
		}
		return nil
	}
	if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT points_key"); err != nil {
		return err
	}
	if err := refold(ctx, tx, f, id); err != nil {
		return err
	}
	if f.problems.ErrorCount > 0 {
		return nil // reported; nothing will be written
	}
	if _, err := tx.Exec(ctx, "SELECT snapshot_points_key($1)", id); err != nil {
		return fmt.Errorf("key address points: %w", err)
	}
	return nil
}

func (s *Store) municipalityCodes(ctx context.Context) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.pool.Query(ctx, "SELECT code FROM municipalities")
	if err != nil {
		return nil, fmt.Errorf("read municipality codes: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read municipality codes: %w", err)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("the database holds no municipalities: run gigakoll migrate")
	}
	known := make(map[string]bool, len(codes))
	for _, c := range codes {
		known[c] = true
	}
	return known, nil
}
