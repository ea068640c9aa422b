package coverage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Address points for other packages that draw their own areas (package
// projects: the build-out projects). The areas come as parameters, so that
// only this package reads the address points and the squares.

var (
	sqlPointsInAreas    = mustSQL("points_in_areas.sql")
	sqlGigabitGapPoints = mustSQL("gigabit_gap_points.sql")
)

// AreaPoint is an address point that one or more of the areas asked for
// cover.
type AreaPoint struct {
	AddressID    string
	Municipality string
	Households   int64
	Workplaces   int64
	HolidayHomes int64 // 0 when not given
	Best         Speed // the best fixed offer, connected or passed: what counts as access
	Urban        bool  // its 250 m square is urban (spec/targets.md's rule)
	// Cell is the public square the point is counted in (PublicSquare.Key),
	// "" when it is in none (withheld), and CellHouseholds that square's
	// households.
	Cell           string
	CellHouseholds int64
	Areas          []int32 // the indexes of the areas that cover it, ascending
}

// Has reports whether the point has access to speed (Mbit/s): its best
// fixed offer is at least that (spec/coverage-format.md).
func (p *AreaPoint) Has(speed Speed) bool { return p.Best.Cmp(speed) >= 0 }

// EachPointInAreas calls fn for every address point of the snapshot that
// one of areas covers (ST_Covers), by address id. Each area is WKB of a
// Polygon or MultiPolygon in SWEREF 99 TM (EPSG:3006).
func (s *Store) EachPointInAreas(ctx context.Context, snapshot int64, areas [][]byte, fn func(*AreaPoint) error) (int64, error) {
	if len(areas) == 0 {
		return 0, nil
	}
	rows, err := s.pool.Query(ctx, sqlPointsInAreas, snapshot, areas)
	if err != nil {
		return 0, fmt.Errorf("coverage: points in areas: %w", err)
	}
	defer rows.Close()
	var n int64
	var p AreaPoint
	for rows.Next() {
		p = AreaPoint{}
		if err := rows.Scan(&p.AddressID, &p.Municipality, &p.Households, &p.Workplaces, &p.HolidayHomes, &p.Best,
			&p.Urban, &p.Cell, &p.CellHouseholds, &p.Areas); err != nil {
			return n, fmt.Errorf("coverage: points in areas: %w", err)
		}
		if err := fn(&p); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("coverage: points in areas: %w", err)
	}
	return n, nil
}

// GigabitGapPoint is an address point lacking 1 Gbit/s, with households or
// workplaces, and how far the nearest point with 1 Gbit/s is.
type GigabitGapPoint struct {
	AddressID    string
	Municipality string
	Households   int64
	Workplaces   int64
	Urban        bool     // its 250 m square is urban
	E, N         float64  // SWEREF 99 TM
	DistanceM    *float64 // to the nearest point with ≥ 1 Gbit/s; nil when the snapshot has none
}

// EachGigabitGapPoint calls fn for every address point of the snapshot
// lacking 1 Gbit/s that has households or workplaces, with the distance the
// gap report gives (the same nearest-neighbour search), in no set order.
func (s *Store) EachGigabitGapPoint(ctx context.Context, snapshot int64, fn func(*GigabitGapPoint) error) (int64, error) {
	rows, err := s.pool.Query(ctx, sqlGigabitGapPoints, snapshot)
	if err != nil {
		return 0, fmt.Errorf("coverage: gigabit gap points: %w", err)
	}
	defer rows.Close()
	var n int64
	var p GigabitGapPoint
	_, err = pgx.ForEachRow(rows, []any{&p.AddressID, &p.Municipality, &p.Households, &p.Workplaces, &p.Urban,
		&p.E, &p.N, &p.DistanceM}, func() error {
		n++
		return fn(&p)
	})
	if err != nil {
		return n, fmt.Errorf("coverage: gigabit gap points: %w", err)
	}
	return n, nil
}
