package projects

import "github.com/gigakoll/gigakoll/coverage"

// Curve is the cost curve of an area (spec/projects.md): the address points
// that no active project brings to 1 Gbit/s, sorted by their estimated cost
// per household and workplace reached, cheapest first, added one by one to
// what has 1 Gbit/s today or from a project. It answers what reaching 98 %,
// 99.9 % and 100 % of households and workplaces would cost.
type Curve struct {
	Total      int64        `json:"households_and_workplaces"` // of the area
	Base       int64        `json:"base"`                      // with 1 Gbit/s today or from an active project
	Candidates int64        `json:"candidates"`                // address points left to reach
	Points     [][2]float64 `json:"points"`                    // [share, cumulative cost in SEK]: at most curvePoints and the last
	Marks      []Mark       `json:"marks"`
}

// Mark is what reaching a threshold would cost.
type Mark struct {
	Threshold     float64 `json:"threshold"`
	BasisPoints   int64   `json:"basis_points"`
	CostSEK       float64 `json:"cost_sek"`       // 0: reached already
	AddressPoints int64   `json:"address_points"` // to connect, cheapest first
	Reached       int64   `json:"households_and_workplaces"`
}

// MarkThresholds are the thresholds the curve answers for, in basis points:
// the 2025 targets' 98 %, 99.9 % and 100 %.
var MarkThresholds = []int64{9800, 9990, 10000}

// curvePoints bounds the points kept for a chart.
const curvePoints = 200

// buildCurve sorts the candidates (mutating cs) and walks them from base.
// The marks use the targets' gap rule in integers: the households and
// workplaces needed are ceil(threshold × total) − base.
func buildCurve(total, base int64, cs []costed) Curve {
	sortCheapest(cs)
	cv := Curve{Total: total, Base: base, Candidates: int64(len(cs)), Points: [][2]float64{}, Marks: []Mark{}}
	if total == 0 {
		return cv
	}
	share := func(n int64) float64 { return float64(n) / float64(total) }
	cv.Points = append(cv.Points, [2]float64{share(base), 0})
	step := max(1, (len(cs)+curvePoints-1)/curvePoints)
	need := make([]int64, len(MarkThresholds))
	for i, bp := range MarkThresholds {
		need[i] = coverage.Target{BasisPoints: bp}.Gap(base, total)
		cv.Marks = append(cv.Marks, Mark{Threshold: float64(bp) / 10000, BasisPoints: bp})
	}
	var reached int64
	var cost float64
	for i, c := range cs {
		reached += c.reached
		cost += c.cost
		for k := range need {
			if need[k] > 0 && cv.Marks[k].AddressPoints == 0 && reached >= need[k] {
				cv.Marks[k].CostSEK, cv.Marks[k].AddressPoints, cv.Marks[k].Reached = roundSEK(cost), int64(i+1), reached
			}
		}
		if (i+1)%step == 0 || i == len(cs)-1 {
			cv.Points = append(cv.Points, [2]float64{share(base + reached), roundSEK(cost)})
		}
	}
	return cv
}

func roundSEK(x float64) float64 {
	if x < 0 {
		return -roundSEK(-x)
	}
	return float64(int64(x + 0.5))
}
