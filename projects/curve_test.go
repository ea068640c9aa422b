package projects

import (
	"testing"

	"github.com/gigakoll/gigakoll/coverage"
)

// The cost curve by hand: an area of 1 000 households and workplaces, 960
// with 1 Gbit/s today or from a project, and four address points left.
//
//	point  reached  cost        per reached
//	a      20       500 000     25 000
//	b      10       100 000     10 000
//	c       8       400 000     50 000
//	d       2        30 000     15 000
//
// Cheapest per reached first: b, d, a, c. 98 % needs ceil(0.98 × 1000) −
// 960 = 20: b and d give 12, a makes 32: 100 000 + 30 000 + 500 000 =
// 630 000 for 3 points. 99.9 % needs 999 − 960 = 39: 32 + c = 40: 1 030 000
// for 4. 100 % needs 40: the same.
func TestCostCurveByHand(t *testing.T) {
	cs := []costed{{"a", 20, 500_000}, {"b", 10, 100_000}, {"c", 8, 400_000}, {"d", 2, 30_000}}
	cv := buildCurve(1000, 960, cs)
	want := []Mark{
		{Threshold: 0.98, BasisPoints: 9800, CostSEK: 630_000, AddressPoints: 3, Reached: 32},
		{Threshold: 0.999, BasisPoints: 9990, CostSEK: 1_030_000, AddressPoints: 4, Reached: 40},
		{Threshold: 1, BasisPoints: 10000, CostSEK: 1_030_000, AddressPoints: 4, Reached: 40},
	}
	for i, m := range cv.Marks {
		if m != want[i] {
			t.Errorf("mark %d: %+v, want %+v", i, m, want[i])
		}
	}
	// the chart's points: the base, then after b, d, a, c
	wantPoints := [][2]float64{{0.96, 0}, {0.97, 100_000}, {0.972, 130_000}, {0.992, 630_000}, {1, 1_030_000}}
	if len(cv.Points) != len(wantPoints) {
		t.Fatalf("points %v, want %v", cv.Points, wantPoints)
	}
	for i, p := range cv.Points {
		if p != wantPoints[i] {
			t.Errorf("point %d: %v, want %v", i, p, wantPoints[i])
		}
	}
	// an area that has reached 98 % already costs nothing for it
	if cv := buildCurve(1000, 985, []costed{{"x", 15, 10}}); cv.Marks[0].CostSEK != 0 || cv.Marks[0].AddressPoints != 0 || cv.Marks[2].CostSEK != 10 {
		t.Errorf("marks %+v: want 98 %% reached at no cost, 100 %% for 10 SEK", cv.Marks)
	}
}

// The privacy rule (privacy.go) on hand-made points: cells of 10 and 12
// households, and points in no cell.
func TestPrivacyRuleWithholdsWhatSinglesOutFewerThan5(t *testing.T) {
	year := 2026
	mk := func(id string) Project {
		return Project{ID: id, Status: Planned, CompletionYear: &year, Down: coverage.Speed{Mant: 1000, Valid: true}}
	}
	ps := []Project{mk("cell-plus-2"), mk("inner"), mk("outer"), mk("cell-plus-8"), mk("three")}
	c := newComputation(ps)
	n := 0
	add := func(hh int64, cell string, cellHH int64, areas ...int32) {
		n++
		c.addPoint(&coverage.AreaPoint{AddressID: string(rune('A' + n)), Municipality: "0880", Households: hh,
			Best: coverage.Speed{Mant: 10, Valid: true}, Cell: cell, CellHouseholds: cellHH, Areas: areas})
	}
	// cell-plus-2: all of cell X (10) and 2 households in no cell: X minus
	// the area would tell those 2
	add(6, "0880.250m-E0-N0", 10, 0)
	add(4, "0880.250m-E0-N0", 10, 0)
	add(2, "", 0, 0)
	// inner (6 households) lies in outer (9): the difference is 3
	add(6, "", 0, 1, 2)
	add(3, "", 0, 2)
	// cell-plus-8: all of cell Y (12) and 8 in no cell: fine
	add(12, "0880.250m-E250-N0", 12, 3)
	add(8, "", 0, 3)
	// three: 3 households
	add(3, "", 0, 4)
	c.decideWithheld()
	want := []bool{true, true, true, false, true}
	for i, p := range ps {
		if c.withheld[i] != want[i] {
			t.Errorf("%s withheld %v, want %v", p.ID, c.withheld[i], want[i])
		}
	}
}
