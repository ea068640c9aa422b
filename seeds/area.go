package seeds

import (
	"math"

	"github.com/paulmach/orb"
)

// area answers point-in-polygon for a municipality quickly: a 1 km grid
// over its bounds says which cells lie wholly inside or outside, and only
// points in cells that an edge crosses are tested against the rings
// (even–odd rule over all rings, which the boundaries' outer rings and
// holes satisfy).
type area struct {
	edges      []edge
	e0, n0     float64
	cols, rows int
	cells      []cellState
}

type edge struct{ a, b orb.Point }

type cellState uint8

const (
	cellOutside cellState = iota
	cellInside
	cellMixed
)

const areaCell = 1000.0

func newArea(mp orb.MultiPolygon) *area {
	b := mp.Bound()
	a := &area{e0: b.Min[0], n0: b.Min[1]}
	a.cols = int((b.Max[0]-b.Min[0])/areaCell) + 1
	a.rows = int((b.Max[1]-b.Min[1])/areaCell) + 1
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				a.edges = append(a.edges, edge{ring[i], ring[i+1]})
			}
		}
	}
	a.cells = make([]cellState, a.cols*a.rows)
	for _, e := range a.edges {
		c0, r0 := a.cellOf(math.Min(e.a[0], e.b[0]), math.Min(e.a[1], e.b[1]))
		c1, r1 := a.cellOf(math.Max(e.a[0], e.b[0]), math.Max(e.a[1], e.b[1]))
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				a.cells[r*a.cols+c] = cellMixed
			}
		}
	}
	for r := range a.rows {
		for c := range a.cols {
			i := r*a.cols + c
			if a.cells[i] == cellMixed {
				continue
			}
			if a.rayTest(orb.Point{a.e0 + (float64(c)+0.5)*areaCell, a.n0 + (float64(r)+0.5)*areaCell}) {
				a.cells[i] = cellInside
			}
		}
	}
	return a
}

func (a *area) cellOf(e, n float64) (int, int) {
	c := min(max(int((e-a.e0)/areaCell), 0), a.cols-1)
	r := min(max(int((n-a.n0)/areaCell), 0), a.rows-1)
	return c, r
}

func (a *area) contains(p orb.Point) bool {
	if p[0] < a.e0 || p[1] < a.n0 {
		return false
	}
	c, r := int((p[0]-a.e0)/areaCell), int((p[1]-a.n0)/areaCell)
	if c >= a.cols || r >= a.rows {
		return false
	}
	switch a.cells[r*a.cols+c] {
	case cellInside:
		return true
	case cellOutside:
		return false
	}
	return a.rayTest(p)
}

// rayTest casts a ray east from p and counts the edges it crosses.
func (a *area) rayTest(p orb.Point) bool {
	in := false
	for _, e := range a.edges {
		if (e.a[1] > p[1]) != (e.b[1] > p[1]) {
			x := e.a[0] + (p[1]-e.a[1])*(e.b[0]-e.a[0])/(e.b[1]-e.a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in
}
