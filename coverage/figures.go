package coverage

import (
	"context"
	"fmt"
	"time"
)

// ClassCounts counts households (or workplaces) at points with access to
// each speed class.
type ClassCounts struct {
	GE1000 int64 `json:"ge_1000"`
	GE100  int64 `json:"ge_100"`
	GE30   int64 `json:"ge_30"`
	GE10   int64 `json:"ge_10"`
}

// At returns the count for a class.
func (c ClassCounts) At(cl Class) int64 {
	switch cl {
	case Class1G:
		return c.GE1000
	case Class100M:
		return c.GE100
	case Class30M:
		return c.GE30
	case Class10M:
		return c.GE10
	}
	return 0
}

// Figures are the counts of one area (or part of it) in one snapshot
// (spec/targets.md, "The figures").
type Figures struct {
	Points       int64
	Households   int64
	Workplaces   int64
	HolidayHomes int64
	HouseholdsGE ClassCounts // fixed broadband
	WorkplacesGE ClassCounts
	// including mobile and satellite: a separate figure, never for targets
	HouseholdsAnyGE ClassCounts
	WorkplacesAnyGE ClassCounts
}

// Covered returns households and workplaces with access to the class.
func (f Figures) Covered(cl Class) (households, workplaces int64) {
	return f.HouseholdsGE.At(cl), f.WorkplacesGE.At(cl)
}

// areaKey names an area: ("municipality", "0880") or ("county", "08").
type areaKey struct{ kind, code string }

// areaParts are an area's figures in one snapshot: all points, urban, rural.
type areaParts struct {
	all, urban, rural Figures
	hasUrban          bool
	hasRural          bool
}

// gain is what planned builds add to a class by a year (year 0: no year given).
type gain struct {
	class                  Class
	year                   int
	households, workplaces int64
}

// readFigures reads the figures of the areas in every snapshot, keyed by
// snapshot id.
func readFigures(ctx context.Context, q querier, areas []areaKey) (map[int64]map[areaKey]*areaParts, error) {
	kinds := make([]string, len(areas))
	codes := make([]string, len(areas))
	for i, a := range areas {
		kinds[i], codes[i] = a.kind, a.code
	}
	rows, err := q.Query(ctx, `
		SELECT f.snapshot_id, f.kind, f.code, f.part, f.points, f.households, f.workplaces, f.holiday_homes,
		       f.households_ge_1000, f.households_ge_100, f.households_ge_30, f.households_ge_10,
		       f.workplaces_ge_1000, f.workplaces_ge_100, f.workplaces_ge_30, f.workplaces_ge_10,
		       f.households_any_ge_1000, f.households_any_ge_100, f.households_any_ge_30, f.households_any_ge_10,
		       f.workplaces_any_ge_1000, f.workplaces_any_ge_100, f.workplaces_any_ge_30, f.workplaces_any_ge_10
		FROM area_figures f
		JOIN unnest($1::text[], $2::text[]) AS a (kind, code) ON a.kind = f.kind AND a.code = f.code`, kinds, codes)
	if err != nil {
		return nil, fmt.Errorf("read area figures: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[areaKey]*areaParts{}
	for rows.Next() {
		var (
			snap         int64
			k            areaKey
			part         string
			f            Figures
			h, w, h2, w2 ClassCounts
		)
		if err := rows.Scan(&snap, &k.kind, &k.code, &part, &f.Points, &f.Households, &f.Workplaces, &f.HolidayHomes,
			&h.GE1000, &h.GE100, &h.GE30, &h.GE10, &w.GE1000, &w.GE100, &w.GE30, &w.GE10,
			&h2.GE1000, &h2.GE100, &h2.GE30, &h2.GE10, &w2.GE1000, &w2.GE100, &w2.GE30, &w2.GE10); err != nil {
			return nil, fmt.Errorf("read area figures: %w", err)
		}
		f.HouseholdsGE, f.WorkplacesGE, f.HouseholdsAnyGE, f.WorkplacesAnyGE = h, w, h2, w2
		if out[snap] == nil {
			out[snap] = map[areaKey]*areaParts{}
		}
		p := out[snap][k]
		if p == nil {
			p = &areaParts{}
			out[snap][k] = p
		}
		switch part {
		case "all":
			p.all = f
		case "urban":
			p.urban, p.hasUrban = f, true
		case "rural":
			p.rural, p.hasRural = f, true
		}
	}
	return out, rows.Err()
}

// readGains reads what planned builds add per area in one snapshot.
func readGains(ctx context.Context, q querier, snapshot int64) (map[areaKey][]gain, error) {
	rows, err := q.Query(ctx, `SELECT kind, code, class_mbps, year, households, workplaces
		FROM area_gains WHERE snapshot_id = $1 ORDER BY year`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("read planned builds: %w", err)
	}
	defer rows.Close()
	out := map[areaKey][]gain{}
	for rows.Next() {
		var k areaKey
		var g gain
		if err := rows.Scan(&k.kind, &k.code, &g.class, &g.year, &g.households, &g.workplaces); err != nil {
			return nil, fmt.Errorf("read planned builds: %w", err)
		}
		out[k] = append(out[k], g)
	}
	return out, rows.Err()
}

// Targets returns the targets gigakoll follows, of every measure, in their
// order.
func (s *Store) Targets(ctx context.Context) ([]Target, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.reader(ctx).Query(ctx, `SELECT id, owner, year, measure, coalesce(class_mbps, 0), population,
		(threshold * 10000)::bigint, coalesce(county_code, ''), title, title_sv, reading, reading_sv
		FROM targets ORDER BY sort_order, id`)
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		if err := rows.Scan(&t.ID, &t.Owner, &t.Year, &t.Measure, &t.Class, &t.Population, &t.BasisPoints, &t.CountyCode,
			&t.Title, &t.TitleSV, &t.Reading, &t.ReadingSV); err != nil {
			return nil, fmt.Errorf("read targets: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
