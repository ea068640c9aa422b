package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// Municipalities answers which municipality a SWEREF 99 TM position lies in,
// in Go, from the embedded boundaries: the import tests millions of address
// points with it, and the residents' positions never need to reach SQL.
// It agrees with PostGIS's ST_Intersects on the loaded boundaries (tested).
type Municipalities struct {
	areas  []*municipalityArea
	byCode map[string]*municipalityArea
}

// municipalityArea is one municipality's rings as edges bucketed in
// horizontal bands, so that a ray cast looks at a few dozen edges.
type municipalityArea struct {
	code  string
	bound orb.Bound
	bands map[int64][]edge
}

type edge struct{ x1, y1, x2, y2 float64 }

// bandHeight is the height of the bands edges are bucketed in, in metres.
const bandHeight = 1000

var (
	municipalitiesOnce sync.Once
	municipalitiesIdx  *Municipalities
	municipalitiesErr  error
)

// LoadMunicipalities returns the index of the embedded boundaries, built once.
func LoadMunicipalities() (*Municipalities, error) {
	municipalitiesOnce.Do(func() {
		municipalitiesIdx, municipalitiesErr = buildMunicipalities()
	})
	return municipalitiesIdx, municipalitiesErr
}

func buildMunicipalities() (*Municipalities, error) {
	b, err := ReferenceFile("municipalities.geojson")
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct{ Code string }
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("geo: municipalities.geojson: %w", err)
	}
	ix := &Municipalities{byCode: map[string]*municipalityArea{}}
	for _, f := range fc.Features {
		code := f.Properties.Code
		a := &municipalityArea{code: code, bands: map[int64][]edge{}}
		var polys orb.MultiPolygon
		switch f.Geometry.Type {
		case "Polygon":
			var p orb.Polygon
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("geo: municipality %s: %w", code, err)
			}
			polys = orb.MultiPolygon{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("geo: municipality %s: %w", code, err)
			}
		default:
			return nil, fmt.Errorf("geo: municipality %s: geometry %s", code, f.Geometry.Type)
		}
		first := true
		for _, poly := range polys {
			for _, ring := range poly {
				prev := ToSWEREF(ring[len(ring)-1])
				for _, pt := range ring {
					p := ToSWEREF(pt)
					if first {
						a.bound = orb.Bound{Min: orb.Point{p.E, p.N}, Max: orb.Point{p.E, p.N}}
						first = false
					}
					a.bound = a.bound.Extend(orb.Point{p.E, p.N})
					if p != prev {
						a.add(edge{prev.E, prev.N, p.E, p.N})
					}
					prev = p
				}
			}
		}
		ix.areas = append(ix.areas, a)
		ix.byCode[code] = a
	}
	return ix, nil
}

func (a *municipalityArea) add(e edge) {
	lo, hi := band(math.Min(e.y1, e.y2)), band(math.Max(e.y1, e.y2))
	for b := lo; b <= hi; b++ {
		a.bands[b] = append(a.bands[b], e)
	}
}

func band(y float64) int64 { return int64(math.Floor(y / bandHeight)) }

// contains casts a ray from p towards +E and counts the edges it crosses
// (even-odd: holes and islands come out right).
func (a *municipalityArea) contains(p SWEREF) bool {
	if p.E < a.bound.Min[0] || p.E > a.bound.Max[0] || p.N < a.bound.Min[1] || p.N > a.bound.Max[1] {
		return false
	}
	inside := false
	for _, e := range a.bands[band(p.N)] {
		if (e.y1 > p.N) != (e.y2 > p.N) {
			x := e.x1 + (p.N-e.y1)*(e.x2-e.x1)/(e.y2-e.y1)
			if x > p.E {
				inside = !inside
			}
		}
	}
	return inside
}

// Contains reports whether p lies inside the municipality with the code.
// An unknown code contains nothing.
func (m *Municipalities) Contains(code string, p SWEREF) bool {
	a := m.byCode[code]
	return a != nil && a.contains(p)
}

// Locate returns the code of the municipality p lies in, or "" outside all.
func (m *Municipalities) Locate(p SWEREF) string {
	for _, a := range m.areas {
		if a.contains(p) {
			return a.code
		}
	}
	return ""
}

// Distance returns how far p is from the municipality's boundary, in metres
// (0 inside it; +Inf for an unknown code).
func (m *Municipalities) Distance(code string, p SWEREF) float64 {
	a := m.byCode[code]
	if a == nil {
		return math.Inf(1)
	}
	if a.contains(p) {
		return 0
	}
	best := math.Inf(1)
	for _, edges := range a.bands {
		for _, e := range edges {
			best = math.Min(best, segmentDistance(p, e))
		}
	}
	return best
}

func segmentDistance(p SWEREF, e edge) float64 {
	dx, dy := e.x2-e.x1, e.y2-e.y1
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p.E-e.x1)*dx+(p.N-e.y1)*dy)/l))
	}
	return math.Hypot(p.E-(e.x1+t*dx), p.N-(e.y1+t*dy))
}
