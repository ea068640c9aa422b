package seeds

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/gigakoll/gigakoll/geo"
)

// The demo's build-out project register (spec/projects.md): the fibre
// projects that explain the demo's growth, in the GeoJSON a GIS officer
// exports from QGIS. Each village of the demo that got gigabit is a village
// network (fiberförening) completed the year most of its points had it; the
// main towns' networks are the municipal networks' build-out; villages
// still waiting are in progress or planned; one village project is
// cancelled, and one completed village network delivered to too few of its
// points. Funding follows the period: the EU's rural development programme
// (Landsbygdsprogrammet) until 2020, the national broadband support (PTS)
// after, the region's co-financing throughout, the members' own money.

// projectTag seeds the register's own draws.
const projectTag = 0x70726f6a

// DemoProjectsSource names the demo register, so that a second seed demo
// recognises it.
func DemoProjectsSource(seed uint64, scale float64) string {
	return fmt.Sprintf("demo-projects (seed %d, scale %g).geojson", seed, scale)
}

type demoFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   demoGeometry   `json:"geometry"`
}

type demoGeometry struct {
	Type        string           `json:"type"`
	Coordinates [][][][2]float64 `json:"coordinates"`
}

type clusterStats struct {
	points   int
	with1G   [nYears]int // points with ≥ 1 Gbit/s by year index
	existing [nYears]int
	centre   geo.SWEREF
	radius   float64
	squares  map[geo.Square]bool
}

// share1G is the share of the cluster's points with 1 Gbit/s in year.
func (c *clusterStats) share1G(year int) float64 {
	y := yearIndex(year)
	if c.existing[y] == 0 {
		return 0
	}
	return float64(c.with1G[y]) / float64(c.existing[y])
}

// firstYear returns the first demo year the share reaches at least s, 0 for none.
func (c *clusterStats) firstYear(s float64) int {
	for y := firstYear; y <= lastYear; y++ {
		if c.share1G(y) >= s {
			return y
		}
	}
	return 0
}

// WriteProjects writes the demo register as a GeoJSON FeatureCollection
// (RFC 7946, WGS 84) and returns the number of projects.
func (g *Generator) WriteProjects(w io.Writer) (int, error) {
	ly := g.ly
	gen := newPointGen(ly)
	r := rand.New(rand.NewPCG(hash(ly.seed, projectTag), 0))
	var features []demoFeature
	cancelledDone, shortDone := false, false
	for _, m := range ly.munis {
		villages := map[*village]*clusterStats{}
		town := &clusterStats{squares: map[geo.Square]bool{}}
		var order []*village
		var p point
		// First the villages' extents, then every point of the municipality
		// within a village's area counts for it, as gigakoll will count it.
		for si := range m.slots {
			s := &m.slots[si]
			switch {
			case s.kind == slotVillage:
				c := villages[s.vil]
				if c == nil {
					c = &clusterStats{centre: s.vil.at}
					villages[s.vil] = c
					order = append(order, s.vil)
				}
				for j := range s.n() {
					gen.derive(&p, m, s, j)
					c.radius = math.Max(c.radius, math.Hypot(p.pos.E-c.centre.E, p.pos.N-c.centre.N))
				}
			case s.kind == slotSquare && s.loc == m.localities[0]:
				town.squares[s.sq] = true
			}
		}
		for si := range m.slots {
			s := &m.slots[si]
			for j := range s.n() {
				gen.derive(&p, m, s, j)
				var in []*clusterStats
				if town.squares[geo.SquareOf(p.pos, geo.KmSquareSize)] {
					in = append(in, town)
				}
				for _, v := range order {
					if c := villages[v]; math.Hypot(p.pos.E-c.centre.E, p.pos.N-c.centre.N) <= c.radius+80 {
						in = append(in, c)
					}
				}
				for _, c := range in {
					c.points++
					for y := firstYear; y <= lastYear; y++ {
						if p.built > y {
							continue
						}
						c.existing[yearIndex(y)]++
						if p.z < m.q1G[p.zone][yearIndex(y)] {
							c.with1G[yearIndex(y)]++
						}
					}
				}
			}
		}
		// The main town: the municipal network's gigabit build-out.
		if len(town.squares) > 0 {
			year, status := town.firstYear(0.9), "completed"
			if year == 0 {
				year, status = lastYear+1, "in_progress"
			}
			cost := float64(town.points) * (14000 + 4000*r.Float64())
			features = append(features, demoFeature{Type: "Feature", Geometry: squaresGeometry(town.squares),
				Properties: projectProps(fmt.Sprintf("P-%s-001", m.code), "Stadsnät "+m.localities[0].name+", gigabit",
					municipalityNames[m.code].cityNet, status, year-2, year, math.Round(cost/1000)*1000,
					[]map[string]any{
						{"source": "municipal", "programme": m.name + " kommun, stadsnätets investeringsbudget", "amount_sek": math.Round(cost*0.35/1000) * 1000},
						{"source": "private", "programme": "fastighetsägarnas anslutningsavgifter", "amount_sek": math.Round(cost*0.5/1000) * 1000},
					})})
		}
		// Villages: the four largest, by their story.
		n := 0
		for _, v := range order {
			c := villages[v]
			if c.points < 8 || n >= 4 {
				continue
			}
			n++
			id := fmt.Sprintf("P-%s-%03d", m.code, 1+n)
			year90, year50 := c.firstYear(0.9), c.firstYear(0.5)
			status, completion, start := "completed", year90, year90-2
			switch {
			case year90 == 0 && !cancelledDone && year50 == 0:
				status, completion, start = "cancelled", 0, 2019
				cancelledDone = true
			case year50 > 0 && year90 == 0 && !shortDone && c.share1G(lastYear) < 0.85 && year50 < lastYear:
				// It reported itself complete when half its points had fibre.
				completion, start = year50, year50-2
				shortDone = true
			case year90 == 0 && year50 > 0:
				status, completion, start = "in_progress", lastYear+1, lastYear-1
			case year90 == 0:
				status, completion, start = "planned", lastYear+2+r.IntN(2), lastYear+1
			}
			cost := math.Round(float64(c.points)*(55000+30000*r.Float64())/1000) * 1000
			props := projectProps(id, "Fiber "+v.name, v.name+" Fiberförening ek. för.", status, start, completion,
				cost, villageFunding(r, cost, max(completion, start)))
			features = append(features, demoFeature{Type: "Feature", Geometry: octagon(c.centre, c.radius+80), Properties: props})
		}
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "name": "utbyggnadsprojekt",
		"crs":      map[string]any{"type": "name", "properties": map[string]string{"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
		"features": features})
	if err != nil {
		return 0, err
	}
	_, err = w.Write(b)
	return len(features), err
}

func projectProps(id, name, owner, status string, start, completion int, cost float64, funding []map[string]any) map[string]any {
	p := map[string]any{"id": id, "name": name, "owner": owner, "status": status, "start_year": start,
		"down_mbps": 1000, "cost_sek": cost, "funding": funding}
	if completion > 0 {
		p["completion_year"] = completion
	} else {
		p["completion_year"] = nil
	}
	return p
}

// villageFunding splits a village network's cost by its period: EU rural
// development money until 2020, the national support after, the region's
// share throughout, and the members' own.
func villageFunding(r *rand.Rand, cost float64, year int) []map[string]any {
	round := func(x float64) float64 { return math.Round(x/1000) * 1000 }
	public := 0.5 + 0.2*r.Float64()
	regional, state := round(cost*0.1), round(cost*(public-0.1))
	out := []map[string]any{{"source": "regional", "programme": "Region Kalmar län, regional medfinansiering av bredband", "amount_sek": regional}}
	if year <= 2020 {
		out = append(out, map[string]any{"source": "eu", "programme": "Landsbygdsprogrammet 2014–2020 (EJFLU)", "amount_sek": state})
	} else {
		out = append(out, map[string]any{"source": "national", "programme": "PTS bredbandsstöd", "amount_sek": state})
	}
	return append(out, map[string]any{"source": "private", "programme": "medlemmarnas insatser", "amount_sek": cost - regional - state})
}

// octagon is a village network's area: a regular octagon around its centre
// that holds every point of the village.
func octagon(c geo.SWEREF, radius float64) demoGeometry {
	var ring [][2]float64
	for k := 0; k <= 8; k++ {
		a := float64(k%8) * math.Pi / 4
		// circumscribe: the octagon's inner radius is the radius asked for
		pt := geo.ToWGS84(geo.SWEREF{E: c.E + radius/math.Cos(math.Pi/8)*math.Cos(a), N: c.N + radius/math.Cos(math.Pi/8)*math.Sin(a)})
		ring = append(ring, [2]float64{round7(pt[0]), round7(pt[1])})
	}
	return demoGeometry{Type: "MultiPolygon", Coordinates: [][][][2]float64{{ring}}}
}

// squaresGeometry is a town network's area: its 1 km squares, each a
// polygon inset by half a metre, since the parts of a valid MultiPolygon
// may not share an edge.
func squaresGeometry(sqs map[geo.Square]bool) demoGeometry {
	var keys []geo.Square
	for s := range sqs {
		keys = append(keys, s)
	}
	sortSquares(keys)
	g := demoGeometry{Type: "MultiPolygon"}
	for _, s := range keys {
		var ring [][2]float64
		for _, c := range [][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}} {
			pt := geo.ToWGS84(geo.SWEREF{E: float64(s.E) + 0.5 + c[0]*float64(s.Size-1), N: float64(s.N) + 0.5 + c[1]*float64(s.Size-1)})
			ring = append(ring, [2]float64{round7(pt[0]), round7(pt[1])})
		}
		g.Coordinates = append(g.Coordinates, [][][2]float64{ring})
	}
	return g
}

func sortSquares(s []geo.Square) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].N < s[j-1].N || s[j].N == s[j-1].N && s[j].E < s[j-1].E); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }
