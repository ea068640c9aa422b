package coverage

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

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
	id       int64
	asOf     time.Time
	sha256   string
	rows     int64
	outside  int
	problems *Problems
	log      *slog.Logger
}

// publish builds the new snapshot's aggregates from its copied points,
// indexes and attaches its partition and drops the snapshot it replaces: all
// in the caller's transaction.
func (s *Store) publish(ctx context.Context, tx pgx.Tx, a publishArgs) (Snapshot, bool, error) {
	steps := []struct {
		name, sql string
	}{
		{"build square figures", sqlBuildSquareFigures}, // first: the urban rule reads the 1 km squares
		{"build municipality and county figures", sqlBuildAreaFigures},
		{"build planned-build forecasts", sqlBuildAreaGains},
	}
	for _, st := range steps {
		t := time.Now()
		tag, err := tx.Exec(ctx, st.sql, a.id)
		if err != nil {
			return Snapshot{}, false, fmt.Errorf("%s: %w", st.name, err)
		}
		a.log.Info(st.name, "rows", tag.RowsAffected(), "seconds", time.Since(t).Seconds())
	}
	t := time.Now()
	if _, err := tx.Exec(ctx, "SELECT snapshot_points_attach($1)", a.id); err != nil {
		return Snapshot{}, false, fmt.Errorf("index and attach address points: %w", err)
	}
	a.log.Info("indexed and attached address points", "seconds", time.Since(t).Seconds())

	_, err := tx.Exec(ctx, `UPDATE snapshots SET
			sha256 = $2, rows = $3, points = f.points, households = f.households, workplaces = f.workplaces,
			holiday_homes = f.holiday_homes, warnings = $4, outside = $5
		FROM (SELECT coalesce(sum(points), 0) AS points, coalesce(sum(households), 0) AS households,
		             coalesce(sum(workplaces), 0) AS workplaces, coalesce(sum(holiday_homes), 0) AS holiday_homes
		      FROM area_figures WHERE snapshot_id = $1 AND kind = 'county' AND part = 'all') f
		WHERE id = $1`, a.id, a.sha256, a.rows, a.problems.WarningCount, a.outside)
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
