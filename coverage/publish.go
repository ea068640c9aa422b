package coverage

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

func countText(n int32) string {
	if n < 0 {
		return "(empty)"
	}
	return fmt.Sprint(n)
}

type publishArgs struct {
	id       int64
	asOf     time.Time
	sha256   string
	rows     int64
	outside  int
	problems *Problems
	log      *slog.Logger
}

// FiguresVersion is the version of the rules that build a snapshot's
// derived tables (square and area figures, forecasts, public squares). A
// snapshot built with an older version is rebuilt by Republish, which
// gigakoll migrate runs: a change of rule reaches the snapshots imported
// before it.
const FiguresVersion = 4 // 3: point_counts (issue 22); 4: the sums of public squares for the map's low zooms (issue 19)

// figureSteps build a snapshot's derived tables from address_points_loading,
// in order; $1 is the snapshot id. A step that writes a table later steps
// read names it in analyze: its statistics are refreshed in the transaction
// (ANALYZE samples the transaction's own new rows), so that the planner of
// the next step knows the new snapshot's rows are there. Without it, the
// statistics of the tables as they were (no rows of the new snapshot id)
// planned the public squares' joins as nested loops over what it took for one
// row: a second national import sat in that step for more than 16 minutes.
var figureSteps = []struct{ name, sql, analyze string }{
	{"build square figures and point counts", sqlBuildSquareFigures, "square_figures"}, // first: the urban rule is set here
	{"build municipality and county figures", sqlBuildAreaFigures, "area_figures"},
	{"build planned-build forecasts", sqlBuildAreaGains, ""},
	{"build public squares", sqlBuildPublicSquares, "public_squares"}, // reads the square and area figures
	{"build sums of public squares", sqlBuildPublicSquareSums, ""},    // reads the public squares
}

// figureSettings are the settings of a transaction that builds figures:
// sorts and hash tables of the aggregates in memory where they fit, and no
// JIT compilation. The figure steps are single statements over a few
// hundred thousand squares that the planner costs far above jit_above_cost
// (the public squares' geometry functions: tens of millions), so each was
// compiled with inlining and optimisation first. On the national snapshot
// (bench/sweden.md, "Import") the compilation alone took 5 s of the square
// figures, 4 s of the sums of public squares and 28 s of the public squares
// (EXPLAIN ANALYZE on a loaded machine), more than it saved; their
// arithmetic is the same either way. Two statements: simple protocol only.
const figureSettings = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off"

func buildFigures(ctx context.Context, tx pgx.Tx, id int64, log *slog.Logger) error {
	for _, st := range figureSteps {
		t := time.Now()
		tag, err := tx.Exec(ctx, st.sql, id)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		if st.analyze != "" {
			if _, err := tx.Exec(ctx, "ANALYZE "+st.analyze); err != nil {
				return fmt.Errorf("%s: analyze %s: %w", st.name, st.analyze, err)
			}
		}
		log.Info(st.name, "rows", tag.RowsAffected(), "seconds", time.Since(t).Seconds())
	}
	return nil
}

// publish builds the new snapshot's aggregates from its copied points,
// indexes and attaches its partition and drops the snapshot it replaces: all
// in the caller's transaction.
func (s *Store) publish(ctx context.Context, tx pgx.Tx, a publishArgs) (Snapshot, bool, error) {
	if err := buildFigures(ctx, tx, a.id, a.log); err != nil {
		return Snapshot{}, false, err
	}
	t := time.Now()
	if _, err := tx.Exec(ctx, "SELECT snapshot_points_attach($1)", a.id); err != nil {
		return Snapshot{}, false, fmt.Errorf("index and attach address points: %w", err)
	}
	a.log.Info("indexed and attached address points", "seconds", time.Since(t).Seconds())

	_, err := tx.Exec(ctx, `UPDATE snapshots SET
			sha256 = $2, rows = $3, points = f.points, households = f.households, workplaces = f.workplaces,
			holiday_homes = f.holiday_homes, warnings = $4, outside = $5, figures_version = $6
		FROM (SELECT coalesce(sum(points), 0) AS points, coalesce(sum(households), 0) AS households,
		             coalesce(sum(workplaces), 0) AS workplaces, coalesce(sum(holiday_homes), 0) AS holiday_homes
		      FROM area_figures WHERE snapshot_id = $1 AND kind = 'county' AND part = 'all') f
		WHERE id = $1`, a.id, a.sha256, a.rows, a.problems.WarningCount, a.outside, FiguresVersion)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot totals: %w", err)
	}
	var snap Snapshot
	if err := tx.QueryRow(ctx, "SELECT "+snapshotColumns+" FROM snapshots WHERE id = $1", a.id).Scan(snapshotDest(&snap)...); err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot totals: %w", err)
	}

	// Last, so that the lock on address_points is held for the shortest time.
	rows, err := tx.Query(ctx, "DELETE FROM snapshots WHERE as_of = $1 AND id <> $2 RETURNING id", a.asOf, a.id)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	for _, o := range old {
		if _, err := tx.Exec(ctx, "SELECT snapshot_points_drop($1)", o); err != nil {
			return Snapshot{}, false, fmt.Errorf("drop replaced address points: %w", err)
		}
	}
	return snap, len(old) > 0, nil
}

// Republish rebuilds the derived tables of every snapshot built with older
// rules than this binary's (FiguresVersion), one snapshot per transaction,
// from its address points; it returns the dates it rebuilt. Readers see the
// old figures until each commit.
func (s *Store) Republish(ctx context.Context, log *slog.Logger) ([]time.Time, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rows, err := s.pool.Query(ctx, "SELECT id, as_of FROM snapshots WHERE figures_version < $1 ORDER BY as_of", FiguresVersion)
	if err != nil {
		return nil, fmt.Errorf("coverage: republish: %w", err)
	}
	type old struct {
		id   int64
		asOf time.Time
	}
	olds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (old, error) {
		var o old
		return o, r.Scan(&o.id, &o.asOf)
	})
	if err != nil {
		return nil, fmt.Errorf("coverage: republish: %w", err)
	}
	var done []time.Time
	for _, o := range olds {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// The build steps read address_points_loading, the table an
			// import fills: here a view of the snapshot's partition under
			// that name, in this transaction's temporary schema. One
			// statement each: the extended protocol takes no more.
			if _, err := tx.Exec(ctx, figureSettings); err != nil {
				return err
			}
			for _, q := range []string{
				"SELECT id FROM snapshots WHERE id = %[1]d FOR UPDATE",
				"DELETE FROM public_square_sums WHERE snapshot_id = %[1]d",
				"DELETE FROM public_squares WHERE snapshot_id = %[1]d",
				"DELETE FROM point_counts WHERE snapshot_id = %[1]d",
				"DELETE FROM area_gains WHERE snapshot_id = %[1]d",
				"DELETE FROM area_figures WHERE snapshot_id = %[1]d",
				"DELETE FROM square_figures WHERE snapshot_id = %[1]d",
				"CREATE TEMP VIEW address_points_loading AS SELECT * FROM address_points WHERE snapshot_id = %[1]d",
			} {
				if _, err := tx.Exec(ctx, fmt.Sprintf(q, o.id)); err != nil {
					return err
				}
			}
			if err := buildFigures(ctx, tx, o.id, log); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "DROP VIEW pg_temp.address_points_loading"); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "UPDATE snapshots SET figures_version = $2 WHERE id = $1", o.id, FiguresVersion)
			return err
		})
		if err != nil {
			return done, fmt.Errorf("coverage: republish snapshot %s: %w", o.asOf.Format(time.DateOnly), err)
		}
		log.Info("snapshot figures rebuilt", "as_of", o.asOf.Format(time.DateOnly))
		done = append(done, o.asOf)
	}
	return done, nil
}
