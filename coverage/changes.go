package coverage

import (
	"context"
	"fmt"
	"time"
)

var sqlChanges = mustSQL("changes.sql")

// ChangeReport is what changed between two snapshots for one speed class,
// per municipality and county (the "what changed" view of the map).
type ChangeReport struct {
	From      Date     `json:"from"`
	To        Date     `json:"to"`
	ClassMbps int      `json:"class_mbps"`
	Areas     []Change `json:"areas"`
	Notes     []string `json:"notes"`
}

// Change is one area's figures in both snapshots. Covered counts households
// and workplaces together with access to the class, as the targets do.
type Change struct {
	Kind           string   `json:"kind"` // "municipality" or "county"
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	HouseholdsFrom int64    `json:"households_from"`
	HouseholdsTo   int64    `json:"households_to"`
	WorkplacesFrom int64    `json:"workplaces_from"`
	WorkplacesTo   int64    `json:"workplaces_to"`
	CoveredFrom    int64    `json:"covered_from"`
	CoveredTo      int64    `json:"covered_to"`
	ShareFrom      *float64 `json:"share_from"` // null when the area had nobody
	ShareTo        *float64 `json:"share_to"`
	// NewHouseholds is the change in households: positive where they grew.
	NewHouseholds int64 `json:"new_households"`
	// NetGained is the change in households and workplaces with access.
	NetGained int64 `json:"net_gained"`
	// From the public 250 m cells found in both snapshots: households and
	// workplaces that gained access in cells where access grew, and that
	// lost it where it fell; and the households of cells that are new (a
	// cell first shown, new houses or a cell newly over 5 households).
	GainedInSquares     int64 `json:"gained_in_squares"`
	LostInSquares       int64 `json:"lost_in_squares"`
	NewSquareHouseholds int64 `json:"new_square_households"`
}

// Changes compares the snapshots of from and to for the class, over the
// municipalities and counties the later one covers. The figures come from
// the area figures and the public squares, never from the address points.
func (s *Store) Changes(ctx context.Context, from, to time.Time, class Class) (*ChangeReport, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	a, err := s.SnapshotAt(ctx, from)
	if err != nil {
		return nil, err
	}
	b, err := s.SnapshotAt(ctx, to)
	if err != nil {
		return nil, err
	}
	rep := &ChangeReport{From: Date(a.AsOf), To: Date(b.AsOf), ClassMbps: int(class), Areas: []Change{},
		Notes: []string{
			"covered: households and workplaces together with access to the class, as the targets count them",
			"net_gained: covered_to − covered_from",
			"gained_in_squares, lost_in_squares: over the public 250 m cells shown in both snapshots, the rise where access grew and the fall where it fell",
			"new_square_households: the households of public 250 m cells shown in the later snapshot only",
		}}
	rows, err := s.pool.Query(ctx, sqlChanges, a.ID, b.ID, int(class))
	if err != nil {
		return nil, fmt.Errorf("changes %s to %s: %w", a.AsOf.Format(time.DateOnly), b.AsOf.Format(time.DateOnly), err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Kind, &c.Code, &c.Name, &c.HouseholdsFrom, &c.WorkplacesFrom, &c.CoveredFrom,
			&c.HouseholdsTo, &c.WorkplacesTo, &c.CoveredTo, &c.GainedInSquares, &c.LostInSquares, &c.NewSquareHouseholds); err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		c.ShareFrom = Share(c.CoveredFrom, c.HouseholdsFrom+c.WorkplacesFrom)
		c.ShareTo = Share(c.CoveredTo, c.HouseholdsTo+c.WorkplacesTo)
		c.NewHouseholds = c.HouseholdsTo - c.HouseholdsFrom
		c.NetGained = c.CoveredTo - c.CoveredFrom
		rep.Areas = append(rep.Areas, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	return rep, nil
}
