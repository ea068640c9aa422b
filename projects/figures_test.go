package projects_test

import (
	"cmp"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/projects"
)

// expectedProject is a project's figures computed here from the fixture.
type expectedProject struct {
	points, hh, wp, hol, gapHH, gapWP, withClass int64
	parts                                        map[string]int64 // households by municipality
}

func expectProject(p fxProject, pts []fxPoint) expectedProject {
	x := expectedProject{parts: map[string]int64{}}
	for _, q := range pts {
		if !p.covers(q) {
			continue
		}
		x.points++
		x.hh += q.hh
		x.wp += q.wp
		x.hol += q.hol
		x.parts[q.muni] += q.hh
		if float64(q.mbps) >= p.down {
			x.withClass++
		} else {
			x.gapHH += q.hh
			x.gapWP += q.wp
		}
	}
	return x
}

func TestProjectFiguresMatchAnIndependentComputation(t *testing.T) {
	t.Parallel()
	_, st, pts, ps, res := fixtureDB(t)
	if res.Problems.WarningCount == 0 {
		t.Errorf("A and B overlap: want a warning naming both")
	}
	var overlapNamed bool
	for _, w := range res.Problems.Warnings {
		s := w.String()
		overlapNamed = overlapNamed || (w.ID == "A" && contains(s, `overlaps feature 1 (id "B")`))
	}
	if !overlapNamed {
		t.Errorf("warnings %v: want A overlapping B, named both", res.Problems.Warnings)
	}
	rep, err := st.Report(context.Background(), projects.Query{AsOf: asOf, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Projects) != len(ps) {
		t.Fatalf("%d projects, want %d", len(rep.Projects), len(ps))
	}
	for i, p := range ps {
		got := rep.Projects[i]
		want := expectProject(p, pts)
		t.Run(p.id, func(t *testing.T) {
			if got.ID != p.id || *got.Points != want.points || *got.Households != want.hh || got.Workplaces != want.wp ||
				got.HolidayHomes != want.hol || *got.GapHouseholds != want.gapHH || got.GapWorkplaces != want.gapWP {
				t.Errorf("got %s points %d hh %d wp %d hol %d gap %d/%d, want %+v", got.ID, *got.Points, *got.Households,
					got.Workplaces, got.HolidayHomes, *got.GapHouseholds, got.GapWorkplaces, want)
			}
			for _, m := range got.Municipalities {
				if m.Households != nil && *m.Households != want.parts[m.Code] {
					t.Errorf("in %s: %d households, want %d", m.Code, *m.Households, want.parts[m.Code])
				}
			}
			// cost per connection: cost over the gap, null when there is none
			switch n := want.gapHH + want.gapWP; {
			case n == 0 && got.CostPerConnectionSEK != nil:
				t.Errorf("cost per connection %v, want null: no gap", *got.CostPerConnectionSEK)
			case n > 0 && (got.CostPerConnectionSEK == nil || math.Abs(*got.CostPerConnectionSEK-math.Round(p.cost/float64(n)*100)/100) > 0.006):
				t.Errorf("cost per connection %v, want %.2f", got.CostPerConnectionSEK, p.cost/float64(n))
			}
			// delivered: completed before 2024, the share of its points with its class
			if p.status == "completed" && p.completion < 2024 {
				d := float64(want.withClass) / float64(want.points)
				if got.Delivered == nil || *got.Delivered != d || got.Flagged != (d < 0.9) {
					t.Errorf("delivered %v flagged %v, want %v %v", got.Delivered, got.Flagged, d, d < 0.9)
				}
			} else if got.Delivered != nil {
				t.Errorf("delivered %v, want null", *got.Delivered)
			}
			var public, all float64
			for _, f := range p.funding {
				a := float64(f["amount_sek"].(int))
				all += a
				if f["source"] != "private" {
					public += a
				}
			}
			if got.PublicFundingSEK != public || (all > 0) != (got.PublicShare != nil) || all > 0 && *got.PublicShare != public/all {
				t.Errorf("public funding %v share %v, want %v of %v", got.PublicFundingSEK, got.PublicShare, public, all)
			}
		})
	}
	a := find(rep.Projects, "A")
	if !a.Flagged {
		t.Errorf("A delivered %v: the fixture has it under 90 %%", *a.Delivered)
	}
	if e := find(rep.Projects, "E"); *e.GapHouseholds != 0 || e.CostPerConnectionSEK != nil || *e.Delivered != 1 {
		t.Errorf("E: gap %d, cost per connection %v, delivered %v: want no gap", *e.GapHouseholds, e.CostPerConnectionSEK, *e.Delivered)
	}
	if b := find(rep.Projects, "B"); len(b.Municipalities) != 2 {
		t.Errorf("B reaches into %v: want both municipalities", b.Municipalities)
	}
	checkAreas(t, rep, pts, ps, nil)
}

func find(ps []projects.ProjectReport, id string) projects.ProjectReport {
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	return projects.ProjectReport{}
}

func contains(s, sub string) bool {
	return len(s) >= len(sub) && slices.ContainsFunc([]int{0}, func(int) bool { return stringsContains(s, sub) })
}

// checkAreas checks every area's white spots, forecast with projects,
// estimated cost and the cost curve's marks against a computation made
// here; skip leaves projects out (the public figures without withheld ones).
func checkAreas(t *testing.T, rep *projects.Report, pts []fxPoint, ps []fxProject, skip map[string]bool) {
	t.Helper()
	active := func(p fxProject) bool { return p.status != "cancelled" && !skip[p.id] }
	// urban: the 1 km square holds at least 100 households
	km := map[[2]int64]int64{}
	for _, q := range pts {
		km[[2]int64{int64(math.Floor(q.e / 1000)), int64(math.Floor(q.n / 1000))}] += q.hh
	}
	distance := func(q fxPoint) float64 {
		d := math.Inf(1)
		for _, o := range pts {
			if o.mbps >= 1000 {
				d = math.Min(d, math.Hypot(o.e-q.e, o.n-q.n))
			}
		}
		return math.Min(d, 5000)
	}
	cost := func(q fxPoint) float64 {
		if km[[2]int64{int64(math.Floor(q.e / 1000)), int64(math.Floor(q.n / 1000))}] >= 100 {
			return 25000 + 1000*distance(q)
		}
		return 25000 + 300*distance(q)
	}
	for _, area := range rep.Areas {
		in := func(q fxPoint) bool { return area.Kind == "county" || q.muni == area.Code }
		var whiteHH, whiteWP, total, covered1G, reached int64
		var estimate float64
		type cand struct {
			id   string
			r    int64
			cost float64
		}
		var cands []cand
		for _, q := range pts {
			if !in(q) {
				continue
			}
			total += q.hh + q.wp
			if q.mbps >= 1000 {
				covered1G += q.hh + q.wp
				continue
			}
			if q.hh+q.wp == 0 {
				continue
			}
			inActive, gigabit := false, false
			for _, p := range ps {
				if active(p) && p.covers(q) {
					inActive = true
					gigabit = gigabit || p.down >= 1000
				}
			}
			if !inActive {
				whiteHH += q.hh
				whiteWP += q.wp
				estimate += cost(q)
			}
			if gigabit {
				reached += q.hh + q.wp
			} else {
				cands = append(cands, cand{q.id, q.hh + q.wp, cost(q)})
			}
		}
		if area.WhiteSpotHouseholds != whiteHH || area.WhiteSpotWorkplaces != whiteWP || math.Abs(area.EstimatedCostSEK-math.Round(estimate)) > 1 {
			t.Errorf("%s %s: white spots %d/%d cost %.0f, want %d/%d %.0f", area.Kind, area.Code, area.WhiteSpotHouseholds,
				area.WhiteSpotWorkplaces, area.EstimatedCostSEK, whiteHH, whiteWP, estimate)
		}
		// the forecast with projects beside every target
		for _, tg := range area.Targets {
			var c int64
			for _, q := range pts {
				if !in(q) {
					continue
				}
				has := q.mbps >= tg.ClassMbps
				for _, p := range ps {
					has = has || active(p) && p.covers(q) && p.down >= float64(tg.ClassMbps) && p.completion <= tg.Year
				}
				if has {
					c += q.hh + q.wp
				}
			}
			if total == 0 {
				if tg.ForecastWithProjects != nil {
					t.Errorf("%s %s %s: forecast %v for an area with nobody: want null", area.Kind, area.Code, tg.ID, *tg.ForecastWithProjects)
				}
				continue
			}
			if want := float64(c) / float64(total); tg.ForecastWithProjects == nil || *tg.ForecastWithProjects != want {
				t.Errorf("%s %s %s: forecast with projects %v, want %v", area.Kind, area.Code, tg.ID, tg.ForecastWithProjects, want)
			}
		}
		// the cost curve: cheapest per household and workplace first
		slices.SortFunc(cands, func(a, b cand) int {
			if x, y := a.cost*float64(b.r), b.cost*float64(a.r); x != y {
				return cmp.Compare(x, y)
			}
			return cmp.Compare(a.id, b.id)
		})
		base := covered1G + reached
		for _, m := range area.CostCurve.Marks {
			need := (m.BasisPoints*total+9999)/10000 - base
			var n, r int64
			var c float64
			for _, x := range cands {
				if r >= need {
					break
				}
				n, r, c = n+1, r+x.r, c+x.cost
			}
			if m.AddressPoints != n || math.Abs(m.CostSEK-math.Round(c)) > 1 {
				t.Errorf("%s %s: %d basis points cost %.0f for %d points, want %.0f for %d", area.Kind, area.Code,
					m.BasisPoints, m.CostSEK, m.AddressPoints, c, n)
			}
		}
	}
}

// The public report withholds the household figures of E and G (1–4
// households each) and leaves them out of the areas' figures; the
// coordinator's shows them. The public figures of every area still match
// the independent computation without the withheld projects.
func TestPublicFiguresWithholdWhatSinglesOutFewerThan5(t *testing.T) {
	t.Parallel()
	_, st, pts, ps, _ := fixtureDB(t)
	rep, err := st.Report(context.Background(), projects.Query{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audience != "public" {
		t.Errorf("audience %q", rep.Audience)
	}
	skip := map[string]bool{}
	for _, p := range rep.Projects {
		if p.Withheld {
			skip[p.ID] = true
			if p.Households != nil || p.Points != nil || p.GapHouseholds != nil || p.CostPerConnectionSEK != nil || p.Delivered != nil {
				t.Errorf("%s is withheld but publishes %v households, %v points", p.ID, p.Households, p.Points)
			}
			for _, m := range p.Municipalities {
				if m.Households != nil {
					t.Errorf("%s is withheld but publishes %d households in %s", p.ID, *m.Households, m.Code)
				}
			}
		} else if h := *p.Households; h > 0 && h < 5 {
			t.Errorf("%s publishes %d households", p.ID, h)
		}
	}
	if !skip["E"] || !skip["G"] {
		t.Errorf("withheld %v: want E and G at least", skip)
	}
	checkAreas(t, rep, pts, ps, skip)
	full, err := st.Report(context.Background(), projects.Query{AsOf: asOf, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if g := find(full.Projects, "G"); g.Households == nil || *g.Households == 0 {
		t.Errorf("the coordinator's report: G has %v households", g.Households)
	}
	// G's point is a white spot for the public only
	pub, all := rep.Areas[len(rep.Areas)-1], full.Areas[len(full.Areas)-1]
	if pub.WhiteSpotHouseholds <= all.WhiteSpotHouseholds {
		t.Errorf("county white spots: public %d, full %d: want G's in the public's", pub.WhiteSpotHouseholds, all.WhiteSpotHouseholds)
	}
}

// The gap report names the project a point is in by the one rule: a point
// in A (2020) and B (2026) is A's; one only in the cancelled D is in none.
func TestGapReportNamesTheEarliestProject(t *testing.T) {
	t.Parallel()
	pool, st, pts, ps, _ := fixtureDB(t)
	cov := coverage.NewStore(pool)
	cov.SetProjectLookup(st.Lookup)
	snap, err := cov.SnapshotAt(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	if _, err := cov.EachGapPoint(context.Background(), coverage.GapFilter{Snapshots: []int64{snap.ID}}, func(p *coverage.GapPoint) error {
		if p.Project != nil {
			got[p.AddressID] = p.Project.ID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range pts {
		want, year := "", 0
		for _, p := range ps { // the earliest completion year among the active; the first listed on a tie
			if p.status != "cancelled" && p.covers(q) && (want == "" || p.completion < year) {
				want, year = p.id, p.completion
			}
		}
		if got[q.id] != want {
			t.Errorf("%s: in project %q, want %q", q.id, got[q.id], want)
		}
	}
}
