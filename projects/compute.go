package projects

import (
	"cmp"
	"math"
	"slices"

	"github.com/gigakoll/gigakoll/coverage"
)

// The computation of one build: the register's projects against one
// snapshot, fed the points in their areas and the points lacking 1 Gbit/s,
// in Go. Storage is build.go's.

// Figures are a project's counts over its area, or over its part in one
// municipality: every address point in the area, whatever other projects
// it is in.
type Figures struct {
	Points          int64 `json:"points"`
	Households      int64 `json:"households"`
	Workplaces      int64 `json:"workplaces"`
	HolidayHomes    int64 `json:"holiday_homes"`
	GapPoints       int64 `json:"gap_points"`
	GapHouseholds   int64 `json:"gap_households"`
	GapWorkplaces   int64 `json:"gap_workplaces"`
	PointsWithClass int64 `json:"-"`
}

func (f *Figures) add(p *coverage.AreaPoint, has bool) {
	f.Points++
	f.Households += p.Households
	f.Workplaces += p.Workplaces
	f.HolidayHomes += p.HolidayHomes
	if has {
		f.PointsWithClass++
	} else {
		f.GapPoints++
		f.GapHouseholds += p.Households
		f.GapWorkplaces += p.Workplaces
	}
}

// areaKey names a municipality or a county.
type areaKey struct{ kind, code string }

func areasOf(municipality string) [2]areaKey {
	return [2]areaKey{{"municipality", municipality}, {"county", municipality[:2]}}
}

// lackPoint is a point in a project's area lacking 1 Gbit/s: the only
// points a project can add a class to.
type lackPoint struct {
	municipality string
	h, w         int64
	has          [4]bool // access to coverage.Classes[i] at the snapshot
	areas        []int32
}

type pairCount struct{ points, households int64 }

// computation holds one build's aggregates.
type computation struct {
	projects []Project
	total    []Figures
	parts    []map[string]*Figures // by municipality
	cells    []map[string]int64    // households by public cell, per project
	uncelled []map[string]int64    // households in no public cell, per project and municipality
	cellHH   map[string]int64      // each cell's households
	pairs    map[[2]int32]*pairCount
	lack     map[string]*lackPoint
	withheld []bool
}

func newComputation(projects []Project) *computation {
	c := &computation{projects: projects, total: make([]Figures, len(projects)),
		parts: make([]map[string]*Figures, len(projects)), cells: make([]map[string]int64, len(projects)),
		uncelled: make([]map[string]int64, len(projects)), cellHH: map[string]int64{},
		pairs: map[[2]int32]*pairCount{}, lack: map[string]*lackPoint{}, withheld: make([]bool, len(projects))}
	for i := range projects {
		c.parts[i], c.cells[i], c.uncelled[i] = map[string]*Figures{}, map[string]int64{}, map[string]int64{}
	}
	return c
}

// addPoint counts a point covered by the areas p.Areas.
func (c *computation) addPoint(p *coverage.AreaPoint) {
	for _, a := range p.Areas {
		has := p.Has(c.projects[a].Down)
		c.total[a].add(p, has)
		part := c.parts[a][p.Municipality]
		if part == nil {
			part = &Figures{}
			c.parts[a][p.Municipality] = part
		}
		part.add(p, has)
		if p.Cell != "" {
			c.cells[a][p.Cell] += p.Households
		} else {
			c.uncelled[a][p.Municipality] += p.Households
		}
	}
	if p.Cell != "" {
		c.cellHH[p.Cell] = p.CellHouseholds
	}
	for i := range p.Areas {
		for _, b := range p.Areas[i+1:] {
			k := [2]int32{p.Areas[i], b}
			pc := c.pairs[k]
			if pc == nil {
				pc = &pairCount{}
				c.pairs[k] = pc
			}
			pc.points++
			pc.households += p.Households
		}
	}
	if !p.Best.AtLeast(int64(coverage.Class1G)) {
		lp := &lackPoint{municipality: p.Municipality, h: p.Households, w: p.Workplaces, areas: slices.Clone(p.Areas)}
		for i, cl := range coverage.Classes {
			lp.has[i] = p.Best.AtLeast(int64(cl))
		}
		c.lack[p.AddressID] = lp
	}
}

// audience says which projects count in the figures of an area: all of
// them for the coordinator, the published ones for the public.
type audience string

const (
	audienceFull   audience = "full"
	audiencePublic audience = "public"
)

func (c *computation) counts(a int32, aud audience) bool {
	return c.projects[a].Status.Active() && (aud == audienceFull || !c.withheld[a])
}

// Assignment is the one rule for an address point in several projects
// (spec/projects.md): it counts once, for the earliest completion_year of
// the active projects that cover it. For a class, only the projects that
// bring at least that class count. It returns the project's index and true,
// or false when none does; ties go to the project listed first in the file.
func Assignment(projects []Project, areas []int32, cl coverage.Class, counts func(int32) bool) (int32, bool) {
	best, found := int32(0), false
	for _, a := range areas {
		p := &projects[a]
		if !counts(a) || !p.Status.Active() || p.CompletionYear == nil || cl > 0 && !p.Down.AtLeast(int64(cl)) {
			continue
		}
		if !found || *p.CompletionYear < *projects[best].CompletionYear ||
			*p.CompletionYear == *projects[best].CompletionYear && p.Feature < projects[best].Feature {
			best, found = a, true
		}
	}
	return best, found
}

// gainKey is what the projects add to a class in an area by a year.
type gainKey struct {
	area  areaKey
	class coverage.Class
	year  int
}

type hw struct{ households, workplaces int64 }

// gains adds, per area, class and year, the households and workplaces
// lacking the class that a project brings it to, each point once.
func (c *computation) gains(aud audience) map[gainKey]*hw {
	out := map[gainKey]*hw{}
	counts := func(a int32) bool { return c.counts(a, aud) }
	for _, lp := range c.lack {
		for i, cl := range coverage.Classes {
			if lp.has[i] {
				continue
			}
			a, ok := Assignment(c.projects, lp.areas, cl, counts)
			if !ok {
				continue
			}
			for _, ak := range areasOf(lp.municipality) {
				k := gainKey{ak, cl, *c.projects[a].CompletionYear}
				g := out[k]
				if g == nil {
					g = &hw{}
					out[k] = g
				}
				g.households += lp.h
				g.workplaces += lp.w
			}
		}
	}
	return out
}

// GapPoint is an address point lacking 1 Gbit/s, with households or
// workplaces, as the cost of closing the gap needs it.
type GapPoint struct {
	AddressID    string
	Municipality string
	Households   int64
	Workplaces   int64
	Urban        bool
	DistanceM    *float64 // to the nearest point with 1 Gbit/s; nil: none in the snapshot
}

// AreaTotals are an area's households and workplaces, and those with
// 1 Gbit/s at the snapshot (coverage's figures).
type AreaTotals struct {
	Key                    areaKey
	Households, Workplaces int64
	Covered1G              int64 // households + workplaces with ≥ 1 Gbit/s
}

// AreaFigures are an area's white spots, estimated cost and cost curve.
type AreaFigures struct {
	Projects            int
	WhiteSpotPoints     int64
	WhiteSpotHouseholds int64
	WhiteSpotWorkplaces int64
	EstimatedCostSEK    float64
	Curve               Curve
}

// costed is a candidate of the cost curve.
type costed struct {
	id      string
	reached int64 // households + workplaces
	cost    float64
}

// areaFigures computes every area's white spots, cost and curve. A gap
// point is a white spot when no active project (of aud) covers it, and a
// candidate of the curve when none that brings 1 Gbit/s does; the curve's
// base is what has 1 Gbit/s today plus what those projects reach.
func (c *computation) areaFigures(aud audience, gaps []GapPoint, totals []AreaTotals, model CostModel) map[areaKey]*AreaFigures {
	counts := func(a int32) bool { return c.counts(a, aud) }
	out := map[areaKey]*AreaFigures{}
	cands := map[areaKey][]costed{}
	reachedByProjects := map[areaKey]int64{}
	for _, t := range totals {
		out[t.Key] = &AreaFigures{}
	}
	for _, g := range gaps {
		lp := c.lack[g.AddressID]
		var areas []int32
		if lp != nil {
			areas = lp.areas
		}
		_, inActive := Assignment(c.projects, areas, 0, counts)
		_, reached := Assignment(c.projects, areas, coverage.Class1G, counts)
		cost := model.PointCost(g.Urban, g.DistanceM)
		for _, ak := range areasOf(g.Municipality) {
			f := out[ak]
			if f == nil {
				f = &AreaFigures{}
				out[ak] = f
			}
			if !inActive {
				f.WhiteSpotPoints++
				f.WhiteSpotHouseholds += g.Households
				f.WhiteSpotWorkplaces += g.Workplaces
				f.EstimatedCostSEK += cost
			}
			if reached {
				reachedByProjects[ak] += g.Households + g.Workplaces
			} else {
				cands[ak] = append(cands[ak], costed{g.AddressID, g.Households + g.Workplaces, cost})
			}
		}
	}
	for _, t := range totals {
		f := out[t.Key]
		f.EstimatedCostSEK = math.Round(f.EstimatedCostSEK)
		f.Curve = buildCurve(t.Households+t.Workplaces, t.Covered1G+reachedByProjects[t.Key], cands[t.Key])
	}
	for _, p := range c.projects {
		if !p.Status.Active() {
			continue
		}
		seen := map[areaKey]bool{}
		for _, m := range p.Municipalities {
			for _, ak := range areasOf(m) {
				if f := out[ak]; f != nil && !seen[ak] {
					seen[ak] = true
					f.Projects++
				}
			}
		}
	}
	return out
}

// sortCheapest orders candidates by cost per household and workplace
// reached, cheapest first (address id breaks ties, so the curve is the same
// on every run).
func sortCheapest(cs []costed) {
	slices.SortFunc(cs, func(a, b costed) int {
		if x, y := a.cost*float64(b.reached), b.cost*float64(a.reached); x != y {
			return cmp.Compare(x, y)
		}
		return cmp.Compare(a.id, b.id)
	})
}
