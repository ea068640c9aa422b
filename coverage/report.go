package coverage

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// TargetsReport is the targets report of spec/targets.md ("The targets
// report, as data"): per municipality and county, the figures of one
// snapshot against every target, with the urban and rural figures and the
// history over all snapshots.
type TargetsReport struct {
	AsOf     Date         `json:"as_of"`
	Snapshot SnapshotRef  `json:"snapshot"`
	Areas    []AreaReport `json:"areas"`
	Targets  []TargetInfo `json:"targets"`
	Notes    []string     `json:"notes"`
}

// SnapshotRef names the snapshot a report was computed from.
type SnapshotRef struct {
	ID     int64  `json:"id"`
	Source string `json:"source"`
}

// TargetInfo describes a target once, for readers of the report.
type TargetInfo struct {
	ID         string  `json:"id"`
	Owner      string  `json:"owner"`
	Year       int     `json:"year"`
	Measure    Measure `json:"measure"`
	ClassMbps  *int    `json:"class_mbps"` // null for 5G
	Population string  `json:"population"`
	Threshold  float64 `json:"threshold"`
	County     string  `json:"county_code,omitempty"`
	Title      string  `json:"title"`
	TitleSV    string  `json:"title_sv"`
	Reading    string  `json:"reading,omitempty"` // how gigakoll reads a target whose wording gives no figure
	ReadingSV  string  `json:"reading_sv,omitempty"`
	// InForce: the target's year has not passed (or, when every year has,
	// it is of the latest): the map and /mal lead with these.
	InForce bool `json:"in_force"`
}

// Info describes the target for a report; inForce is from TargetsInForce.
func (t Target) Info(inForce map[string]bool) TargetInfo {
	var class *int
	if t.Class > 0 {
		c := int(t.Class)
		class = &c
	}
	return TargetInfo{ID: t.ID, Owner: t.Owner, Year: t.Year, Measure: t.Measure, ClassMbps: class,
		Population: string(t.Population), Threshold: t.Threshold(), County: t.CountyCode, Title: t.Title,
		TitleSV: t.TitleSV, Reading: t.Reading, ReadingSV: t.ReadingSV, InForce: inForce[t.ID]}
}

// AreaReport is one municipality or county.
type AreaReport struct {
	Kind            string         `json:"kind"` // "municipality" or "county"
	Code            string         `json:"code"`
	Name            string         `json:"name"`
	CountyCode      string         `json:"county_code"`
	Points          int64          `json:"points"`
	HouseholdsTotal int64          `json:"households_total"`
	WorkplacesTotal int64          `json:"workplaces_total"`
	HolidayHomes    int64          `json:"holiday_homes_total"`
	Households      ClassCounts    `json:"households"`
	Workplaces      ClassCounts    `json:"workplaces"`
	IncludingMobile MobileFigures  `json:"including_mobile"`
	Targets         []TargetResult `json:"targets"`
	Urban           *PartReport    `json:"urban"`
	Rural           *PartReport    `json:"rural"`
	History         []HistoryPoint `json:"history"`
}

// MobileFigures is access including mobile and satellite: shown, never
// counted toward the fixed-broadband targets.
type MobileFigures struct {
	Households ClassCounts `json:"households"`
	Workplaces ClassCounts `json:"workplaces"`
}

// TargetResult is one fixed target for one area (spec/targets.md), over its
// population: a target of households only has gap_workplaces 0.
type TargetResult struct {
	ID            string   `json:"id"`
	Year          int      `json:"year"`
	ClassMbps     int      `json:"class_mbps"`
	Population    string   `json:"population"`
	Threshold     float64  `json:"threshold"`
	Share         *float64 `json:"share"` // null when the area has nobody
	Met           bool     `json:"met"`
	GapHouseholds int64    `json:"gap_households"`
	GapWorkplaces int64    `json:"gap_workplaces"`
	// Gap is how many more of the target's population (households, and
	// workplaces when it counts them) together need access for the target
	// to be met: ceil(threshold × total) − covered. It is not the sum of
	// the two gaps above, each of which asks the target of one group alone
	// (the sum may be larger by rounding, and one group may lack what the
	// other makes up for).
	Gap        int64       `json:"gap"`
	Forecast   *Forecast   `json:"forecast,omitempty"`
	Projection *Projection `json:"projection,omitempty"`
}

// Forecast is the share if every planned build due by the target's year
// were made: shown beside the share, never deciding met.
type Forecast struct {
	Label      string   `json:"label"`
	Share      *float64 `json:"share"`
	Households int64    `json:"households"` // with access, planned builds included
	Workplaces int64    `json:"workplaces"`
}

// Projection is a straight line through the last snapshots' shares, carried
// to the target's year: a projection, labelled as one.
type Projection struct {
	Label       string  `json:"label"`
	From        []Date  `json:"from"`         // the snapshots the line goes through
	PerYear     float64 `json:"per_year"`     // change of the share per year
	At          Date    `json:"at"`           // the end of the target's year
	Share       float64 `json:"share"`        // the line's value there, clamped to 0–1
	OnCourse    bool    `json:"on_course"`    // the line reaches the threshold by then
	ReachesYear *int    `json:"reaches_year"` // the year the line reaches it; null: never (flat or falling)
}

// PartReport is the urban or the rural part of an area.
type PartReport struct {
	Rule            string         `json:"rule"`
	Points          int64          `json:"points"`
	HouseholdsTotal int64          `json:"households_total"`
	WorkplacesTotal int64          `json:"workplaces_total"`
	Households      ClassCounts    `json:"households"`
	Workplaces      ClassCounts    `json:"workplaces"`
	Targets         []TargetResult `json:"targets"`
}

// HistoryPoint is an area's figures in one snapshot, with the yearly change
// of each target's share since the snapshot before.
type HistoryPoint struct {
	AsOf            Date            `json:"as_of"`
	HouseholdsTotal int64           `json:"households_total"`
	WorkplacesTotal int64           `json:"workplaces_total"`
	Households      ClassCounts     `json:"households"`
	Workplaces      ClassCounts     `json:"workplaces"`
	Targets         []HistoryTarget `json:"targets"`
}

// HistoryTarget is one target's share in one snapshot.
type HistoryTarget struct {
	ID            string   `json:"id"`
	Share         *float64 `json:"share"`
	Met           bool     `json:"met"`
	ChangePerYear *float64 `json:"change_per_year"` // null for the first snapshot
}

// UrbanRule says how urban and rural are told apart (spec/targets.md).
const UrbanRule = "urban: the 1 km square (SWEREF 99 TM) around the address point holds at least 100 households; a stand-in for the statistics office's tätort rule, as no locality boundaries are loaded"

// ReportQuery selects what a targets report covers.
type ReportQuery struct {
	AsOf         time.Time // zero: the latest snapshot
	County       string    // "": every county in the snapshot
	Municipality string    // "": every municipality of the counties
	Target       string    // "": every target; else only this one (ErrUnknownTarget when there is none)
	Today        time.Time // the day that decides the targets in force; zero: today
}

// TargetsReport computes the targets report from the aggregates (it never
// reads the address points). Every municipality of a county in the snapshot
// appears, also one without address points (totals 0, shares null, met false).
func (s *Store) TargetsReport(ctx context.Context, q ReportQuery) (*TargetsReport, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// One transaction for the snapshot, the targets and the figures: a
	// re-import between two reads would answer with no areas, or a 404.
	var rep *TargetsReport
	err := s.View(ctx, func(ctx context.Context) error {
		var err error
		rep, err = s.targetsReport(ctx, q)
		return err
	})
	return rep, err
}

func (s *Store) targetsReport(ctx context.Context, q ReportQuery) (*TargetsReport, error) {
	snap, err := s.SnapshotAt(ctx, q.AsOf)
	if err != nil {
		return nil, err
	}
	all, err := s.Targets(ctx)
	if err != nil {
		return nil, err
	}
	today := q.Today
	if today.IsZero() {
		today = time.Now()
	}
	inForce := TargetsInForce(all, today)
	// the fixed targets: coverage's figures decide them (the mobile ones are
	// package mobile's)
	targets := slices.DeleteFunc(slices.Clone(all), func(t Target) bool { return t.Measure != MeasureFixed })
	if q.Target != "" {
		targets = slices.DeleteFunc(targets, func(t Target) bool { return t.ID != q.Target })
		if len(targets) == 0 {
			return nil, ErrUnknownTarget
		}
	}
	snaps, err := s.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	rep := &TargetsReport{
		AsOf:     Date(snap.AsOf),
		Snapshot: SnapshotRef{ID: snap.ID, Source: snap.Source},
		Notes: []string{
			"share = (households + workplaces with access) / (households + workplaces), or households alone for a target of households only; met and gaps are decided on exact values",
			"gap = max(0, ceil(threshold × total) − covered) over the target's population together: what the target lacks",
			"gap_households, gap_workplaces = the same for each group alone (workplaces 0 for a target of households only); their sum may differ from gap",
			"forecast: the share if every planned build due by the target's year were made; it never decides met",
			"projection: a straight line through the last snapshots' shares; a projection, not a forecast",
			UrbanRule,
		},
	}
	for _, t := range targets {
		rep.Targets = append(rep.Targets, t.Info(inForce))
	}
	db := s.reader(ctx) // the View's transaction
	areas, err := reportAreas(ctx, db, snap.ID, q)
	if err != nil {
		return nil, fmt.Errorf("targets report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	keys := make([]areaKey, len(areas))
	for i, a := range areas {
		keys[i] = areaKey{a.Kind, a.Code}
	}
	figures, err := readFigures(ctx, db, keys)
	if err != nil {
		return nil, fmt.Errorf("targets report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	gains, err := readGains(ctx, db, snap.ID)
	if err != nil {
		return nil, fmt.Errorf("targets report as of %s: %w", snap.AsOf.Format(time.DateOnly), err)
	}
	for _, a := range areas {
		k := areaKey{a.Kind, a.Code}
		parts := figures[snap.ID][k]
		if parts == nil {
			parts = &areaParts{}
		}
		rep.Areas = append(rep.Areas, buildArea(a, parts, gains[k], targets, snaps, figures, snap))
	}
	return rep, nil
}

// reportAreas lists the areas of a report: the municipalities of each county
// the snapshot covers, then the county.
func reportAreas(ctx context.Context, tx querier, snapshot int64, q ReportQuery) ([]AreaReport, error) {
	rows, err := tx.Query(ctx, `
		WITH covered AS (
			SELECT code FROM area_figures
			WHERE snapshot_id = $1 AND kind = 'county' AND part = 'all' AND ($2 = '' OR code = $2)
		)
		SELECT 'municipality', m.code, m.name, m.county_code, 0 AS ord
		FROM municipalities m JOIN covered c ON c.code = m.county_code
		WHERE $3 = '' OR m.code = $3
		UNION ALL
		SELECT 'county', co.code, co.name, co.code, 1
		FROM counties co JOIN covered c ON c.code = co.code
		WHERE $3 = ''
		ORDER BY 4, 5, 2`, snapshot, q.County, q.Municipality)
	if err != nil {
		return nil, fmt.Errorf("list areas: %w", err)
	}
	var out []AreaReport
	for rows.Next() {
		var a AreaReport
		var ord int
		if err := rows.Scan(&a.Kind, &a.Code, &a.Name, &a.CountyCode, &ord); err != nil {
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

func buildArea(a AreaReport, parts *areaParts, gains []gain, targets []Target, snaps []Snapshot,
	figures map[int64]map[areaKey]*areaParts, current Snapshot) AreaReport {
	f := parts.all
	a.Points, a.HouseholdsTotal, a.WorkplacesTotal, a.HolidayHomes = f.Points, f.Households, f.Workplaces, f.HolidayHomes
	a.Households, a.Workplaces = f.HouseholdsGE, f.WorkplacesGE
	a.IncludingMobile = MobileFigures{Households: f.HouseholdsAnyGE, Workplaces: f.WorkplacesAnyGE}
	applicable := slices.DeleteFunc(slices.Clone(targets), func(t Target) bool { return !t.AppliesTo(a.CountyCode) })

	// history over every snapshot, oldest first
	key := areaKey{a.Kind, a.Code}
	var prev *HistoryPoint
	var prevAsOf time.Time
	series := map[string][]sample{}
	for _, sn := range snaps {
		p := figures[sn.ID][key]
		if p == nil {
			p = &areaParts{}
		}
		h := HistoryPoint{AsOf: Date(sn.AsOf), HouseholdsTotal: p.all.Households, WorkplacesTotal: p.all.Workplaces,
			Households: p.all.HouseholdsGE, Workplaces: p.all.WorkplacesGE}
		for i, t := range applicable {
			ht := historyTarget(t, p.all)
			if prev != nil && ht.Share != nil && prev.Targets[i].Share != nil {
				years := sn.AsOf.Sub(prevAsOf).Hours() / 24 / 365.2425
				if years > 0 {
					c := (*ht.Share - *prev.Targets[i].Share) / years
					ht.ChangePerYear = &c
				}
			}
			h.Targets = append(h.Targets, ht)
			if ht.Share != nil && !sn.AsOf.After(current.AsOf) {
				series[t.ID] = append(series[t.ID], sample{sn.AsOf, *ht.Share})
			}
		}
		a.History = append(a.History, h)
		prev, prevAsOf = &a.History[len(a.History)-1], sn.AsOf
	}

	for _, t := range applicable {
		r := targetResult(t, f)
		r.Forecast = forecast(t, f, gains)
		r.Projection = project(t, series[t.ID])
		a.Targets = append(a.Targets, r)
	}
	if parts.hasUrban || parts.hasRural || f.Points == 0 {
		a.Urban = partReport(parts.urban, applicable)
		a.Rural = partReport(parts.rural, applicable)
	}
	return a
}

// evaluate decides a fixed target over its population from an area's figures.
func evaluate(t Target, f Figures) Outcome {
	h, w := f.Covered(t.Class)
	return t.Evaluate(Groups{Households: h, Workplaces: w},
		Groups{Households: f.Households, Workplaces: f.Workplaces, HolidayHomes: f.HolidayHomes})
}

func targetResult(t Target, f Figures) TargetResult {
	o := evaluate(t, f)
	return TargetResult{
		ID:            t.ID,
		Year:          t.Year,
		ClassMbps:     int(t.Class),
		Population:    string(t.Population),
		Threshold:     t.Threshold(),
		Share:         o.Share,
		Met:           o.Met,
		GapHouseholds: gapOf(o.GapHouseholds),
		GapWorkplaces: gapOf(o.GapWorkplaces),
		Gap:           o.Gap,
	}
}

// gapOf is a gap, 0 for a group outside the population.
func gapOf(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func historyTarget(t Target, f Figures) HistoryTarget {
	o := evaluate(t, f)
	return HistoryTarget{ID: t.ID, Share: o.Share, Met: o.Met}
}

// forecast adds the planned builds due by the target's year (or without a
// year) to today's access.
func forecast(t Target, f Figures, gains []gain) *Forecast {
	h, w := f.Covered(t.Class)
	for _, g := range gains {
		if g.class == t.Class && g.year <= t.Year {
			h += g.households
			w += g.workplaces
		}
	}
	o := t.Evaluate(Groups{Households: h, Workplaces: w}, Groups{Households: f.Households, Workplaces: f.Workplaces})
	return &Forecast{
		Label:      fmt.Sprintf("forecast: if every planned build due by %d were made", t.Year),
		Share:      o.Share,
		Households: h,
		Workplaces: w,
	}
}

func partReport(f Figures, targets []Target) *PartReport {
	p := &PartReport{Rule: UrbanRule, Points: f.Points, HouseholdsTotal: f.Households, WorkplacesTotal: f.Workplaces,
		Households: f.HouseholdsGE, Workplaces: f.WorkplacesGE}
	for _, t := range targets {
		p.Targets = append(p.Targets, targetResult(t, f))
	}
	return p
}
