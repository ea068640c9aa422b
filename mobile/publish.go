package mobile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gigakoll/gigakoll/tabular"
)

var sqlDuplicates = mustSQL("duplicates.sql")

// FiguresVersion is the version of the rules that build a snapshot's
// figures from its squares; bump it with a rule of sql/build_area_*.sql.
const FiguresVersion = 1

// keyRows builds the unique key of the copied rows (square, operator,
// technology). When it fails, the file repeats some: every repeat is an
// error naming the lines of all its rows, found by a sort on disk, so that
// memory stays flat whatever the order of the file.
func keyRows(ctx context.Context, tx pgx.Tx, rd *Reader) error {
	if _, err := tx.Exec(ctx, "SAVEPOINT rows_key"); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "CREATE UNIQUE INDEX mobile_rows_key ON mobile_rows (e, n, operator, technology)")
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) || pe.Code != "23505" { // unique_violation
		if err != nil {
			return fmt.Errorf("key rows: %w", err)
		}
		// a temporary table has no statistics until asked: the folds that
		// follow need them to stream in key order rather than sort
		if _, err := tx.Exec(ctx, "ANALYZE mobile_rows"); err != nil {
			return fmt.Errorf("key rows: %w", err)
		}
		return nil
	}
	if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT rows_key"); err != nil {
		return err
	}
	p := rd.Problems()
	rows, err := tx.Query(ctx, sqlDuplicates, p.Limit)
	if err != nil {
		return fmt.Errorf("find repeated rows: %w", err)
	}
	defer rows.Close()
	names := map[int16]string{}
	for k, v := range technologies {
		names[v] = string(k)
	}
	var total, listed int
	for rows.Next() {
		var e, n int64
		var op, tech int16
		var lines []int32
		if err := rows.Scan(&e, &n, &op, &tech, &lines, &total); err != nil {
			return fmt.Errorf("find repeated rows: %w", err)
		}
		others := make([]string, 0, len(lines)-1)
		for i, l := range lines {
			if i != 1 {
				others = append(others, fmt.Sprint(l))
			}
		}
		p.Error(tabular.Problem{File: rd.Name(), Line: int(lines[1]), Column: rd.column(4), Value: names[tech],
			Message: fmt.Sprintf("a second row for square (e %d, n %d), this operator and technology: see line %s (one row each)",
				e, n, strings.Join(others, ", ")),
			Code: "mobile-duplicate", Params: tabular.P("e", fmt.Sprint(e), "n", fmt.Sprint(n), "lines", strings.Join(others, ", "))})
		listed++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find repeated rows: %w", err)
	}
	// the ones beyond the limit are counted
	p.ErrorCount += total - listed
	return nil
}

type publishArgs struct {
	id       int64
	asOf     time.Time
	sha256   string
	rows     int64
	size     int64
	src      *rowSource
	warnings int
	log      *slog.Logger
}

// publish folds the keyed rows into the snapshot's squares, computes the
// figures of every area, attaches the squares' partition and drops the
// snapshot it replaces: all in the caller's transaction.
func (s *Store) publish(ctx context.Context, tx pgx.Tx, a publishArgs) (Snapshot, bool, error) {
	t := time.Now()
	if _, err := tx.Exec(ctx, "SELECT mobile_squares_prepare($1)", a.id); err != nil {
		return Snapshot{}, false, fmt.Errorf("prepare squares: %w", err)
	}
	codes := a.src.municipalityCodes()
	tag, err := tx.Exec(ctx, sqlBuildSquares, a.id, codes)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("build squares: %w", err)
	}
	a.log.Info("mobile squares built", "squares", tag.RowsAffected(), "seconds", time.Since(t).Seconds())

	// the counties the squares' centres lie in, and every municipality of
	// them with its squares; Sweden when every county is there
	var held []string
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT municipality_code), '{}') FROM mobile_squares_loading
		WHERE municipality_code IS NOT NULL`).Scan(&held); err != nil {
		return Snapshot{}, false, fmt.Errorf("counties of the squares: %w", err)
	}
	counties := countiesTouched(held)
	national := len(counties) == len(countiesTouched(codes))
	in := map[string]bool{}
	for _, c := range counties {
		in[c] = true
	}
	t = time.Now()
	var munis []string
	var totals []int64
	for _, c := range codes {
		if !in[c[:2]] {
			continue
		}
		n, err := a.src.grid.Squares(ctx, c)
		if err != nil {
			return Snapshot{}, false, err
		}
		munis, totals = append(munis, c), append(totals, n)
	}
	if _, err := tx.Exec(ctx, sqlBuildAreaSquares, a.id, a.src.names, munis, totals, national); err != nil {
		return Snapshot{}, false, fmt.Errorf("build the areas' squares: %w", err)
	}
	a.log.Info("mobile area squares built", "municipalities", len(munis), "seconds", time.Since(t).Seconds())

	t = time.Now()
	if _, err := tx.Exec(ctx, "SELECT mobile_squares_attach($1)", a.id); err != nil {
		return Snapshot{}, false, fmt.Errorf("key and attach squares: %w", err)
	}
	a.log.Info("mobile squares keyed and attached", "seconds", time.Since(t).Seconds())
	if _, err := tx.Exec(ctx, `UPDATE mobile_snapshots SET sha256 = $2, size = $3, rows = $4,
			squares = (SELECT count(*) FROM mobile_squares WHERE snapshot_id = $1), operators = $5, counties = $6,
			warnings = $7, figures_version = $8
		WHERE id = $1`, a.id, a.sha256, a.size, a.rows, a.src.names, counties, a.warnings, FiguresVersion); err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot: %w", err)
	}
	snap, err := readSnapshot(ctx, tx, a.id)
	if err != nil {
		return Snapshot{}, false, err
	}
	t = time.Now()
	if snap, err = s.computePeople(ctx, tx, snap); err != nil {
		return Snapshot{}, false, err
	}
	a.log.Info("mobile figures where people are built", "coverage_as_of", snap.CoverageAsOf.Format(time.DateOnly),
		"seconds", time.Since(t).Seconds())

	rows, err := tx.Query(ctx, "DELETE FROM mobile_snapshots WHERE as_of = $1 AND id <> $2 RETURNING id", a.asOf, a.id)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	for _, o := range old {
		if _, err := tx.Exec(ctx, "SELECT mobile_squares_drop($1)", o); err != nil {
			return Snapshot{}, false, fmt.Errorf("drop replaced squares: %w", err)
		}
	}
	return snap, len(old) > 0, nil
}

func readSnapshot(ctx context.Context, q pgx.Tx, id int64) (Snapshot, error) {
	var sn Snapshot
	if err := q.QueryRow(ctx, "SELECT "+snapshotColumns+" FROM mobile_snapshots WHERE id = $1", id).Scan(snapshotDest(&sn)...); err != nil {
		return Snapshot{}, fmt.Errorf("read snapshot: %w", err)
	}
	return sn, nil
}
