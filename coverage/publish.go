package coverage

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// checkConflicts finds the errors that only show across rows of one address
// point, naming both lines of each.
func (s *Store) checkConflicts(ctx context.Context, tx pgx.Tx, file string, p *Problems) error {
	room := p.Limit - len(p.Errors)
	rows, err := tx.Query(ctx, sqlStageConflicts, max(room, 1))
	if err != nil {
		return fmt.Errorf("check rows of each address point: %w", err)
	}
	defer rows.Close()
	total, listed := 0, 0
	for rows.Next() {
		var g pointRows
		if err := rows.Scan(&g.addressID, &g.lines, &g.techs, &g.households, &g.workplaces,
			&g.holidayHomes, &g.municipalities, &g.es, &g.ns, &g.total); err != nil {
			return fmt.Errorf("check rows of each address point: %w", err)
		}
		total = int(g.total)
		before := p.ErrorCount
		g.report(file, p)
		listed += p.ErrorCount - before
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check rows of each address point: %w", err)
	}
	// Points beyond the listed ones have at least one error each: count them.
	if hidden := total - min(total, max(room, 1)); hidden > 0 {
		p.ErrorCount += hidden
	}
	return nil
}

// pointRows are the rows of one address point, in file order.
type pointRows struct {
	addressID      string
	lines          []int32
	techs          []string
	households     []int32
	workplaces     []int32
	holidayHomes   []int32 // -1: not given
	municipalities []string
	es, ns         []float64
	total          int64
}

// report records every disagreement of the point's rows with its first row,
// and every duplicate technology, at the line where it shows.
func (g *pointRows) report(file string, p *Problems) {
	first := g.lines[0]
	// "none" says the point has no fixed broadband: a fixed technology
	// beside it contradicts it, mobile and satellite do not.
	noneLine, fixedLine := int32(0), int32(0)
	for i, tech := range g.techs {
		switch {
		case tech == string(NoBroadband) && noneLine == 0:
			noneLine = g.lines[i]
		case Technology(tech).Fixed() && fixedLine == 0:
			fixedLine = g.lines[i]
		}
	}
	if noneLine > 0 && fixedLine > 0 {
		line := max(noneLine, fixedLine)
		p.Error(Problem{File: file, Line: int(line), Column: colTechnology, Value: g.techs[slicesIndex(g.lines, line)],
			Message: fmt.Sprintf("address point %s has technology none (no fixed broadband) on line %d and a fixed technology on line %d",
				g.addressID, noneLine, fixedLine)})
	}
	seen := map[string]int32{}
	for i, line := range g.lines {
		bad := func(col, value, msg string) {
			p.Error(Problem{File: file, Line: int(line), Column: col, Value: value, Message: msg})
		}
		if prev, dup := seen[g.techs[i]]; dup {
			bad(colTechnology, g.techs[i], fmt.Sprintf("address point %s has this technology on line %d already", g.addressID, prev))
		} else {
			seen[g.techs[i]] = line
		}
		if i == 0 {
			continue
		}
		if g.households[i] != g.households[0] {
			bad(colHouseholds, fmt.Sprint(g.households[i]), fmt.Sprintf("address point %s has %d households on line %d: households must agree on all its rows", g.addressID, g.households[0], first))
		}
		if g.workplaces[i] != g.workplaces[0] {
			bad(colWorkplaces, fmt.Sprint(g.workplaces[i]), fmt.Sprintf("address point %s has %d workplaces on line %d: workplaces must agree on all its rows", g.addressID, g.workplaces[0], first))
		}
		if g.holidayHomes[i] != g.holidayHomes[0] {
			bad(colHolidayHomes, countText(g.holidayHomes[i]), fmt.Sprintf("address point %s has %s holiday homes on line %d: they must agree on all its rows", g.addressID, countText(g.holidayHomes[0]), first))
		}
		if g.municipalities[i] != g.municipalities[0] {
			bad(colMunicipality, g.municipalities[i], fmt.Sprintf("address point %s is in municipality %s on line %d", g.addressID, g.municipalities[0], first))
		}
		if d := math.Hypot(g.es[i]-g.es[0], g.ns[i]-g.ns[0]); d > 0.5 {
			bad(colX, fmt.Sprintf("%.1f %.1f", g.es[i], g.ns[i]), fmt.Sprintf("address point %s lies %.0f m away on line %d: its position must agree on all its rows", g.addressID, d, first))
		}
	}
}

func slicesIndex(s []int32, v int32) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return 0
}

func countText(n int32) string {
	if n < 0 {
		return "(empty)"
	}
	return fmt.Sprint(n)
}

type publishArgs struct {
	asOf     time.Time
	name     string
	sha256   string
	rows     int64
	problems *Problems
	log      *slog.Logger
}

// publish folds the staged rows into a new snapshot's address points and
// aggregates, attaches its partition and drops the snapshot it replaces: all
// in the caller's transaction.
func (s *Store) publish(ctx context.Context, tx pgx.Tx, a publishArgs) (Snapshot, bool, error) {
	// Imports take turns from here: they share the loading table's name.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('gigakoll coverage import'))"); err != nil {
		return Snapshot{}, false, fmt.Errorf("wait for other imports: %w", err)
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO snapshots (as_of, source, sha256, rows, points, households, workplaces, holiday_homes, warnings, outside)
		VALUES ($1, $2, $3, $4, 0, 0, 0, 0, 0, 0) RETURNING id`, a.asOf, a.name, a.sha256, a.rows).Scan(&id)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot: %w", err)
	}
	steps := []struct {
		name, sql string
		args      []any
	}{
		{"prepare partition", "SELECT snapshot_points_prepare($1)", []any{id}},
		{"build address points", sqlBuildPoints, []any{id}},
		{"build municipality and county figures", sqlBuildAreaFigures, []any{id}},
		{"build planned-build forecasts", sqlBuildAreaGains, []any{id}},
		{"build square figures", sqlBuildSquareFigures, []any{id}},
	}
	for _, st := range steps {
		t := time.Now()
		tag, err := tx.Exec(ctx, st.sql, st.args...)
		if err != nil {
			return Snapshot{}, false, fmt.Errorf("%s: %w", st.name, err)
		}
		a.log.Info(st.name, "rows", tag.RowsAffected(), "seconds", time.Since(t).Seconds())
	}
	outside, err := s.warnOutside(ctx, tx, a.name, a.problems)
	if err != nil {
		return Snapshot{}, false, err
	}
	t := time.Now()
	if _, err := tx.Exec(ctx, "SELECT snapshot_points_attach($1)", id); err != nil {
		return Snapshot{}, false, fmt.Errorf("index and attach address points: %w", err)
	}
	a.log.Info("indexed and attached address points", "seconds", time.Since(t).Seconds())

	_, err = tx.Exec(ctx, `UPDATE snapshots SET
			points = f.points, households = f.households, workplaces = f.workplaces,
			holiday_homes = f.holiday_homes, warnings = $2, outside = $3
		FROM (SELECT coalesce(sum(points), 0) AS points, coalesce(sum(households), 0) AS households,
		             coalesce(sum(workplaces), 0) AS workplaces, coalesce(sum(holiday_homes), 0) AS holiday_homes
		      FROM area_figures WHERE snapshot_id = $1 AND kind = 'county' AND part = 'all') f
		WHERE id = $1`, id, a.problems.WarningCount, outside)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot totals: %w", err)
	}
	var snap Snapshot
	err = tx.QueryRow(ctx, "SELECT "+snapshotColumns+" FROM snapshots WHERE id = $1", id).Scan(snapshotDest(&snap)...)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("record snapshot totals: %w", err)
	}

	// Last, so that the lock on address_points is held for the shortest time.
	var old []int64
	rows, err := tx.Query(ctx, "DELETE FROM snapshots WHERE as_of = $1 AND id <> $2 RETURNING id", a.asOf, id)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	if old, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return Snapshot{}, false, fmt.Errorf("remove replaced snapshot: %w", err)
	}
	for _, o := range old {
		if _, err := tx.Exec(ctx, "SELECT snapshot_points_drop($1)", o); err != nil {
			return Snapshot{}, false, fmt.Errorf("drop replaced address points: %w", err)
		}
	}
	return snap, len(old) > 0, nil
}

// warnOutside lists the points outside their municipality's boundary as
// warnings and returns how many there are.
func (s *Store) warnOutside(ctx context.Context, tx pgx.Tx, file string, p *Problems) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM address_points_loading WHERE NOT inside_municipality").Scan(&n); err != nil {
		return 0, fmt.Errorf("count points outside their municipality: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	rows, err := tx.Query(ctx, sqlOutsidePoints, p.Limit)
	if err != nil {
		return 0, fmt.Errorf("list points outside their municipality: %w", err)
	}
	defer rows.Close()
	listed := 0
	for rows.Next() {
		var id, code string
		var line int
		var liesIn *string
		var dist float64
		if err := rows.Scan(&id, &code, &line, &liesIn, &dist); err != nil {
			return 0, fmt.Errorf("list points outside their municipality: %w", err)
		}
		where := "outside every municipality"
		if liesIn != nil {
			where = "in municipality " + *liesIn
		}
		p.Warn(Problem{File: file, Line: line, Column: colMunicipality, Value: code,
			Message: fmt.Sprintf("address point %s lies %s, %.0f m outside %s's boundary; imported as %s", id, where, dist, code, code)})
		listed++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("list points outside their municipality: %w", err)
	}
	p.WarningCount += n - listed // counted, even when not listed
	return n, nil
}
