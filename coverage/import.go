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

	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlSplitPoints        = mustSQL("split_points.sql")
	sqlMergeSplitPoints   = mustSQL("merge_split_points.sql")
	sqlBuildAreaFigures   = mustSQL("build_area_figures.sql")
	sqlBuildAreaGains     = mustSQL("build_area_gains.sql")
	sqlBuildSquareFigures = mustSQL("build_square_figures.sql")
)

// ImportOptions configure an import.
type ImportOptions struct {
	AsOf    time.Time    // the snapshot's date; an existing snapshot of that date is replaced
	Name    string       // the file's name, for messages and the snapshot record
	Mapping *Mapping     // other headers and values; nil: the standard ones
	Limit   int          // errors and warnings listed in detail; 0: DefaultProblemLimit
	Log     *slog.Logger // phases and timings; nil: silent

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
	FollowUp error // work after the commit that failed (see Store.OnChange); the snapshot landed
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
		// Sorts for the aggregates in memory where they fit; a client that
		// dies (kill -9, a lost network) aborts the transaction within a
		// second rather than at the end of a long statement; imports take
		// turns, as they share the loading table's name.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';
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
		n, err := copyFreeze(ctx, tx, "address_points_loading", pointColumns, &pointSource{f: fold, snapshot: id})
		if err != nil {
			return fmt.Errorf("copy address points: %w", err)
		}
		log.Info("address points copied", "rows", rd.Rows(), "points", n, "seconds", time.Since(t).Seconds())
		if rd.Rows() == 0 && problems.ErrorCount == 0 {
			problems.Error(Problem{File: rd.opt.Name, Message: "the file has no data rows"})
		}
		t = time.Now()
		if err := keyPoints(ctx, tx, id, rd.opt.Name, problems); err != nil {
			return err
		}
		log.Info("address points keyed", "errors", problems.ErrorCount, "seconds", time.Since(t).Seconds())
		if problems.ErrorCount > 0 {
			return &ImportError{File: rd.opt.Name, Problems: problems}
		}
		res.Snapshot, res.Replaced, err = s.publish(ctx, tx, publishArgs{
			id: id, asOf: opt.AsOf, sha256: hex.EncodeToString(digest.Sum(nil)), rows: rd.Rows(),
			outside: fold.outside, problems: problems, log: log,
		})
		return err
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return res, ie
		}
		return res, fmt.Errorf("import %s as of %s: %w", rd.opt.Name, opt.AsOf.Format(time.DateOnly), err)
	}
	res.Duration = time.Since(start)
	res.FollowUp = s.notifyChanged(ctx)
	return res, nil
}

// keyPoints builds the primary key of the copied points. A duplicate key
// means the rows of some address points were not together in the file: their
// pieces are checked against each other and merged, then keyed again.
func keyPoints(ctx context.Context, tx pgx.Tx, id int64, file string, p *Problems) error {
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
	if err := checkSplitPoints(ctx, tx, file, p); err != nil {
		return err
	}
	if p.ErrorCount > 0 {
		return nil // reported; nothing will be written
	}
	if _, err := tx.Exec(ctx, sqlMergeSplitPoints); err != nil {
		return fmt.Errorf("merge address points listed in pieces: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT snapshot_points_key($1)", id); err != nil {
		return fmt.Errorf("key address points: %w", err)
	}
	return nil
}

// checkSplitPoints reports the disagreements between the pieces of address
// points whose rows are scattered in the file, naming the lines.
func checkSplitPoints(ctx context.Context, tx pgx.Tx, file string, p *Problems) error {
	room := max(p.Limit-len(p.Errors), 1)
	rows, err := tx.Query(ctx, sqlSplitPoints, room)
	if err != nil {
		return fmt.Errorf("check address points listed in pieces: %w", err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var g pointRows
		if err := rows.Scan(&g.addressID, &g.lines, &g.techs, &g.households, &g.workplaces,
			&g.holidayHomes, &g.municipalities, &g.es, &g.ns, &g.total); err != nil {
			return fmt.Errorf("check address points listed in pieces: %w", err)
		}
		total = int(g.total)
		g.report(file, p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check address points listed in pieces: %w", err)
	}
	if hidden := total - min(total, room); hidden > 0 {
		p.ErrorCount += hidden // each has at least one error
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
