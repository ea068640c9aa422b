package mobile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/replicas"
)

// Report is the mobile report of spec/mobile.md ("The mobile report, as
// data"): per municipality, county and (for a national file) Sweden, the
// figures of one mobile snapshot and its targets.
type Report struct {
	AsOf         coverage.Date         `json:"as_of"`
	CoverageAsOf *coverage.Date        `json:"coverage_as_of"` // the coverage snapshot counted; null: none
	SquareSize   int64                 `json:"square_size"`
	Source       string                `json:"source"`
	Operators    []string              `json:"operators"`
	Targets      []coverage.TargetInfo `json:"targets"`
	Notes        []string              `json:"notes"`
	Areas        []Area                `json:"areas"`
}

// Counts are the households, workplaces and holiday homes in covered
// squares (of the coverage snapshot counted), and the area's covered
// squares (by the squares' centres).
type Counts struct {
	Households   int64 `json:"households"`
	Workplaces   int64 `json:"workplaces"`
	HolidayHomes int64 `json:"holiday_homes"`
	Squares      int64 `json:"squares"`
}

// groups are the counts as a target's groups.
func (c Counts) groups() coverage.Groups {
	return coverage.Groups{Households: c.Households, Workplaces: c.Workplaces, HolidayHomes: c.HolidayHomes}
}

// ClassCounts are Counts per class.
type ClassCounts struct {
	GE10  Counts `json:"ge_10"`
	GE30  Counts `json:"ge_30"`
	GE100 Counts `json:"ge_100"`
}

// At returns the counts of a class.
func (c *ClassCounts) At(cl coverage.Class) *Counts {
	switch cl {
	case coverage.Class10M:
		return &c.GE10
	case coverage.Class30M:
		return &c.GE30
	case coverage.Class100M:
		return &c.GE100
	}
	return nil
}

// Coverage is what one operator, or all together, cover in an area.
type Coverage struct {
	Outdoor ClassCounts `json:"outdoor"`
	Indoor  ClassCounts `json:"indoor"`
	FiveG   Counts      `json:"fiveg"`
}

// OperatorCoverage is one operator's coverage.
type OperatorCoverage struct {
	Operator string `json:"operator"`
	Coverage
}

// Redundancy counts what is covered at 10 Mbit/s outdoors by exactly
// Operators operators: one only is a weak spot.
type Redundancy struct {
	Operators int `json:"operators"`
	Counts
}

// Area is one municipality, county or Sweden.
type Area struct {
	Kind              string `json:"kind"` // "municipality", "county", "country"
	Code              string `json:"code"`
	Name              string `json:"name"`
	CountyCode        string `json:"county_code,omitempty"`
	HouseholdsTotal   int64  `json:"households_total"`
	WorkplacesTotal   int64  `json:"workplaces_total"`
	HolidayHomesTotal int64  `json:"holiday_homes_total"`
	SquaresTotal      int64  `json:"squares_total"`
	Coverage
	OperatorsPerSquare []Redundancy       `json:"operators_per_square"`
	Operators          []OperatorCoverage `json:"operators"`
	Targets            []TargetResult     `json:"targets"`
}

// TargetResult is a mobile target for one area, over its population: a gap
// per group of the population, the others left out.
type TargetResult struct {
	ID              string   `json:"id"`
	Year            int      `json:"year"`
	Measure         string   `json:"measure"`
	ClassMbps       *int     `json:"class_mbps"`
	Population      string   `json:"population"`
	Threshold       float64  `json:"threshold"`
	Share           *float64 `json:"share"` // null when the population is 0
	Met             bool     `json:"met"`
	GapHouseholds   *int64   `json:"gap_households,omitempty"`
	GapWorkplaces   *int64   `json:"gap_workplaces,omitempty"`
	GapHolidayHomes *int64   `json:"gap_holiday_homes,omitempty"`
}

// ReportQuery selects what a mobile report covers.
type ReportQuery struct {
	AsOf         time.Time // zero: the latest mobile snapshot
	County       string    // "": every county of the snapshot
	Municipality string    // "": every municipality of the counties
	Today        time.Time // decides the targets in force; zero: today
}

// Notes say how the figures are made.
var Notes = []string{
	"a square has a class outdoors (indoors) when any row of any operator and technology expects at least its speed outdoors (indoors); 5G: a 5g row with more than 0 Mbit/s outdoors",
	"households, workplaces and holiday homes: at the address points of the coverage snapshot counted (the latest on or before the mobile snapshot, else the earliest) whose square of the file's size is covered",
	"squares: every grid square of the file's size whose centre lies inside the area's boundary; squares absent from the file are not covered",
	"operators per square: operators expecting at least 10 Mbit/s outdoors",
	"met and gaps are decided on exact values: gap = max(0, ceil(threshold × total) − covered), per group of the target's population",
}

// Report computes the mobile report from the areas' figures (it never reads
// the squares). When the coverage snapshot the figures where people are
// count has changed since they were computed, they are computed again
// first. Every municipality of a county of the snapshot appears, also one
// without address points or squares. It reads in one transaction
// (coverage.Store.View, the request's read replica or the primary): the
// snapshot, its figures and the coverage snapshots are of one state.
func (s *Store) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rep *Report
	var staleID int64
	read := func(ctx context.Context) error {
		snap, err := s.SnapshotAt(ctx, q.AsOf)
		if err != nil {
			return err
		}
		covs, err := s.coverage.Snapshots(ctx)
		if err != nil {
			return err
		}
		if staleID == 0 && stale(snap, covs) {
			staleID = snap.ID
			return errStale
		}
		rep, err = s.report(ctx, snap, q)
		return err
	}
	err := s.coverage.View(ctx, read)
	if errors.Is(err, errStale) {
		// Computed again on the primary and read there: a read replica has
		// the new figures only once it has replayed them.
		ctx = replicas.OnPrimary(ctx)
		if _, err := s.refresh(context.WithoutCancel(ctx), staleID); err != nil {
			return nil, err
		}
		err = s.coverage.View(ctx, read)
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// errStale says the figures where people are of the snapshot a report
// reads were computed against another coverage snapshot.
var errStale = errors.New("mobile: the figures where people are are stale")

// report reads the report of snap in the View ctx carries.
func (s *Store) report(ctx context.Context, snap Snapshot, q ReportQuery) (*Report, error) {
	all, err := s.coverage.Targets(ctx)
	if err != nil {
		return nil, err
	}
	today := q.Today
	if today.IsZero() {
		today = time.Now()
	}
	inForce := coverage.TargetsInForce(all, today)
	targets := slices.DeleteFunc(slices.Clone(all), func(t coverage.Target) bool { return t.Measure == coverage.MeasureFixed })
	rep := &Report{AsOf: coverage.Date(snap.AsOf), SquareSize: snap.Size, Source: snap.Source,
		Operators: snap.Operators, Notes: Notes, Areas: []Area{}, Targets: []coverage.TargetInfo{}}
	if snap.CoverageID != 0 {
		d := coverage.Date(snap.CoverageAsOf)
		rep.CoverageAsOf = &d
	}
	if rep.Operators == nil {
		rep.Operators = []string{}
	}
	for _, t := range targets {
		rep.Targets = append(rep.Targets, t.Info(inForce))
	}
	db := s.reader(ctx)
	areas, err := reportAreas(ctx, db, snap, q)
	if err != nil {
		return nil, fmt.Errorf("mobile: report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	figures, err := readFigures(ctx, db, snap.ID)
	if err != nil {
		return nil, fmt.Errorf("mobile: report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	for _, a := range areas {
		f := figures[areaKey{a.Kind, a.Code}]
		if f == nil {
			f = &areaFigures{}
		}
		rep.Areas = append(rep.Areas, buildArea(a, f, snap.Operators, targets))
	}
	return rep, nil
}

// reportAreas lists the areas of a report: the municipalities of each county
// of the snapshot, then the county; Sweden last for a national file.
func reportAreas(ctx context.Context, db querier, snap Snapshot, q ReportQuery) ([]Area, error) {
	rows, err := db.Query(ctx, `
		SELECT 'municipality', m.code, m.name, m.county_code, 0 AS ord, m.county_code AS sort
		FROM municipalities m
		WHERE m.county_code = ANY ($1) AND ($2 = '' OR m.county_code = $2) AND ($3 = '' OR m.code = $3)
		UNION ALL
		SELECT 'county', c.code, c.name, c.code, 1, c.code
		FROM counties c
		WHERE c.code = ANY ($1) AND ($2 = '' OR c.code = $2) AND $3 = ''
		UNION ALL
		SELECT 'country', 'SE', 'Sverige', '', 2, 'zz'
		WHERE $2 = '' AND $3 = '' AND EXISTS (SELECT 1 FROM mobile_area_squares WHERE snapshot_id = $4 AND kind = 'country')
		ORDER BY 6, 5, 2`, snap.Counties, q.County, q.Municipality, snap.ID)
	if err != nil {
		return nil, fmt.Errorf("list areas: %w", err)
	}
	var out []Area
	for rows.Next() {
		var a Area
		var ord int
		var sort string
		if err := rows.Scan(&a.Kind, &a.Code, &a.Name, &a.CountyCode, &ord, &sort); err != nil {
			return nil, fmt.Errorf("list areas: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list areas: %w", err)
	}
	if len(out) == 0 && (q.County != "" || q.Municipality != "") {
		return nil, ErrUnknownArea
	}
	return out, nil
}

// evaluate decides a mobile target for an area: covered by the target's
// measure, over its population (coverage.Target.Evaluate, the one rule).
func evaluate(t coverage.Target, a Area) TargetResult {
	var covered Counts
	switch t.Measure {
	case coverage.MeasureMobileOutdoor:
		if c := a.Outdoor.At(t.Class); c != nil {
			covered = *c
		}
	case coverage.MeasureFiveG:
		covered = a.FiveG
	}
	total := coverage.Groups{Households: a.HouseholdsTotal, Workplaces: a.WorkplacesTotal, HolidayHomes: a.HolidayHomesTotal}
	o := t.Evaluate(covered.groups(), total)
	info := t.Info(nil)
	return TargetResult{ID: t.ID, Year: t.Year, Measure: string(t.Measure), ClassMbps: info.ClassMbps,
		Population: string(t.Population), Threshold: t.Threshold(), Share: o.Share, Met: o.Met,
		GapHouseholds: o.GapHouseholds, GapWorkplaces: o.GapWorkplaces, GapHolidayHomes: o.GapHolidayHomes}
}

func buildArea(a Area, f *areaFigures, operators []string, targets []coverage.Target) Area {
	all := f.of("")
	a.HouseholdsTotal, a.WorkplacesTotal, a.HolidayHomesTotal = all.total.Households, all.total.Workplaces, all.total.HolidayHomes
	a.SquaresTotal = all.total.Squares
	a.Coverage = all.Coverage
	a.OperatorsPerSquare = []Redundancy{}
	for _, k := range f.redundancy() {
		a.OperatorsPerSquare = append(a.OperatorsPerSquare, Redundancy{Operators: k, Counts: f.operators[k]})
	}
	a.Operators = []OperatorCoverage{}
	for _, op := range operators {
		a.Operators = append(a.Operators, OperatorCoverage{Operator: op, Coverage: f.of(op).Coverage})
	}
	a.Targets = []TargetResult{}
	for _, t := range targets {
		if t.AppliesTo(a.CountyCode) { // Sweden: the national targets
			a.Targets = append(a.Targets, evaluate(t, a))
		}
	}
	return a
}
