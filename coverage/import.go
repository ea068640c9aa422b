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
)

var (
	sqlStageCreate        = mustSQL("stage_create.sql")
	sqlStageConflicts     = mustSQL("stage_conflicts.sql")
	sqlBuildPoints        = mustSQL("build_points.sql")
	sqlBuildAreaFigures   = mustSQL("build_area_figures.sql")
	sqlBuildAreaGains     = mustSQL("build_area_gains.sql")
	sqlBuildSquareFigures = mustSQL("build_square_figures.sql")
	sqlOutsidePoints      = mustSQL("outside_points.sql")
)

// ImportOptions configure an import.
type ImportOptions struct {
	AsOf    time.Time    // the snapshot's date; an existing snapshot of that date is replaced
	Name    string       // the file's name, for messages and the snapshot record
	Mapping *Mapping     // other headers and values; nil: the standard ones
	Limit   int          // errors and warnings listed in detail; 0: DefaultProblemLimit
	Log     *slog.Logger // phases and timings; nil: silent
}

// ImportResult says what an import did.
type ImportResult struct {
	Snapshot Snapshot
	Replaced bool      // an earlier snapshot of the same date was replaced
	Problems *Problems // the warnings (an import with errors returns *ImportError)
	Duration time.Duration
}

// stagingColumns are the columns the reader's rows are copied into.
var stagingColumns = []string{
	"line", "address_id", "municipality_code", "e", "n", "households", "workplaces", "holiday_homes",
	"technology", "status", "down_mbps", "up_mbps", "street", "number", "postcode", "locality",
	"operator", "planned_year",
}

// Import reads a coverage file and lands it as the snapshot for opt.AsOf,
// replacing an earlier import of that date and leaving every other snapshot
// untouched. It lands whole or not at all: everything happens in one
// transaction, so a file with any error, a cancelled context, a lost
// connection or a killed process leaves the database exactly as it was. A
// file with errors returns an *ImportError listing them.
func (s *Store) Import(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	start := time.Now()
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	problems := NewProblems(opt.Limit)
	digest := sha256.New()
	known, err := s.municipalityCodes(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	rd, err := NewReader(io.TeeReader(src, digest), ReaderOptions{
		Name: opt.Name, Mapping: opt.Mapping, Municipalities: known, Problems: problems,
	})
	if err != nil {
		return ImportResult{}, err
	}

	res := ImportResult{Problems: problems}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Large sorts for the grouping in memory where it fits; and a client
		// that dies (kill -9, a lost network) aborts the transaction within
		// a second rather than at the end of a long statement.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';
			SET LOCAL client_connection_check_interval = '1s'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlStageCreate); err != nil {
			return fmt.Errorf("create staging table: %w", err)
		}
		t := time.Now()
		rows, err := tx.CopyFrom(ctx, pgx.Identifier{"staging"}, stagingColumns, &copySource{rd: rd})
		if err != nil {
			return fmt.Errorf("copy rows: %w", err)
		}
		log.Info("rows staged", "rows", rows, "seconds", time.Since(t).Seconds())
		if rows == 0 && problems.ErrorCount == 0 {
			problems.Error(Problem{File: rd.opt.Name, Message: "the file has no data rows"})
		}
		t = time.Now()
		if err := s.checkConflicts(ctx, tx, rd.opt.Name, problems); err != nil {
			return err
		}
		log.Info("rows checked", "errors", problems.ErrorCount, "seconds", time.Since(t).Seconds())
		if problems.ErrorCount > 0 {
			return &ImportError{File: rd.opt.Name, Problems: problems}
		}
		res.Snapshot, res.Replaced, err = s.publish(ctx, tx, publishArgs{
			asOf: opt.AsOf, name: rd.opt.Name, sha256: hex.EncodeToString(digest.Sum(nil)),
			rows: rows, problems: problems, log: log,
		})
		return err
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return res, ie
		}
		return res, fmt.Errorf("import %s as of %s: %w", opt.Name, opt.AsOf.Format(time.DateOnly), err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// copySource feeds the reader's good rows to COPY.
type copySource struct {
	rd   *Reader
	vals [18]any
}

func (c *copySource) Next() bool { return c.rd.Next() }

func (c *copySource) Values() ([]any, error) {
	r := c.rd.Row()
	v := &c.vals
	v[0], v[1], v[2] = int32(r.Line), r.AddressID, r.MunicipalityCode
	v[3], v[4], v[5], v[6] = r.E, r.N, r.Households, r.Workplaces
	v[7] = r.HolidayHomes
	v[8] = string(r.Technology)
	v[9] = nullString(string(r.Status))
	v[10], v[11] = r.DownMbps, r.UpMbps
	v[12], v[13], v[14] = nullString(r.Street), nullString(r.Number), nullString(r.Postcode)
	v[15], v[16], v[17] = nullString(r.Locality), nullString(r.Operator), r.PlannedYear
	return v[:], nil
}

func (c *copySource) Err() error { return c.rd.Err() }

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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
