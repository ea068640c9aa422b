package mobile_test

import (
	"context"
	"encoding/csv"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// This file computes the figures of spec/mobile.md straight from the
// fixtures (a coverage CSV and a mobile CSV), as plainly as possible and
// without any of the package's code: classes by exact rational comparison,
// a square's municipality and each municipality's squares by PostGIS's
// ST_Contains on the whole boundary (not the grid runs the store keeps), and
// every sum in Go.

// indepClasses are the mobile classes, written out again.
var indepClasses = []int64{10, 30, 100}

func parseRat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(strings.Replace(s, ",", ".", 1))
	if !ok {
		panic(s)
	}
	return r
}

func atLeast(s string, c int64) bool { return parseRat(s).Cmp(new(big.Rat).SetInt64(c)) >= 0 }

// readCSV reads a fixture by its header, with either delimiter.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(string(b)))
	if strings.Count(strings.SplitN(string(b), "\n", 2)[0], ";") > 0 {
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

type indepPoint struct {
	muni     string
	x, y     float64
	h, w, hh int64
}

// indepPoints reads the coverage fixture's address points (one per id).
func indepPoints(t *testing.T, path string) []indepPoint {
	seen := map[string]bool{}
	var out []indepPoint
	for _, r := range readCSV(t, path) {
		if seen[r["address_id"]] {
			continue
		}
		seen[r["address_id"]] = true
		p := indepPoint{muni: r["municipality_code"]}
		p.x, _ = strconv.ParseFloat(r["x"], 64)
		p.y, _ = strconv.ParseFloat(r["y"], 64)
		p.h, _ = strconv.ParseInt(r["households"], 10, 64)
		p.w, _ = strconv.ParseInt(r["workplaces"], 10, 64)
		p.hh, _ = strconv.ParseInt(r["holiday_homes"], 10, 64) // empty: 0
		out = append(out, p)
	}
	return out
}

// indepOffer is what one operator, or all together, offer in a square.
type indepOffer struct {
	outdoor     int64 // the highest class reached, 0 below 10
	indoor      int64
	indoorGiven bool
	fiveg       bool
}

type indepSquare struct {
	e, n  int64
	muni  string // by its centre, from PostGIS
	all   indepOffer
	byOp  map[string]*indepOffer
	count int // operators at ≥ 10 outdoors
}

func classOf(s string) int64 {
	best := int64(0)
	for _, c := range indepClasses {
		if atLeast(s, c) {
			best = c
		}
	}
	return best
}

// indepSquares reads the mobile fixture into squares.
func indepSquares(t *testing.T, path string) (map[[2]int64]*indepSquare, []string, int64) {
	squares := map[[2]int64]*indepSquare{}
	var ops []string
	var size int64
	for _, r := range readCSV(t, path) {
		e, _ := strconv.ParseInt(r["e"], 10, 64)
		n, _ := strconv.ParseInt(r["n"], 10, 64)
		size, _ = strconv.ParseInt(r["size"], 10, 64)
		sq := squares[[2]int64{e, n}]
		if sq == nil {
			sq = &indepSquare{e: e, n: n, byOp: map[string]*indepOffer{}}
			squares[[2]int64{e, n}] = sq
		}
		op := r["operator"]
		o := sq.byOp[op]
		if o == nil {
			o = &indepOffer{}
			sq.byOp[op] = o
			if !contains(ops, op) {
				ops = append(ops, op)
			}
		}
		out := r["down_mbps_outdoor"]
		for _, x := range []*indepOffer{o, &sq.all} {
			x.outdoor = max(x.outdoor, classOf(out))
			if in := r["down_mbps_indoor"]; in != "" {
				x.indoor = max(x.indoor, classOf(in))
				x.indoorGiven = true
			}
			if r["technology"] == "5g" && parseRat(out).Sign() > 0 {
				x.fiveg = true
			}
		}
	}
	for _, sq := range squares {
		for _, o := range sq.byOp {
			if o.outdoor >= 10 {
				sq.count++
			}
		}
	}
	return squares, ops, size
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// locateCentres asks PostGIS which municipality's whole boundary contains
// each square's centre.
func locateCentres(t *testing.T, pool *pgxpool.Pool, squares map[[2]int64]*indepSquare, size int64) {
	for _, sq := range squares {
		err := pool.QueryRow(context.Background(), `SELECT coalesce((SELECT code FROM municipalities
			WHERE ST_Contains(geom, ST_SetSRID(ST_Point($1::float8 + $3 / 2.0, $2::float8 + $3 / 2.0), 3006))), '')`,
			sq.e, sq.n, size).Scan(&sq.muni)
		if err != nil {
			t.Fatal(err)
		}
	}
}

// countSquares counts the squares of a size whose centre lies inside each
// municipality of the county: a scanline in Go over the boundary's rings as
// PostGIS gives them in SWEREF 99 TM (even-odd crossings of the centre line
// of every row of the grid, edges half-open), not the store's grid runs.
func countSquares(t *testing.T, pool *pgxpool.Pool, county string, size int64) map[string]int64 {
	rows, err := pool.Query(context.Background(), `SELECT code, ST_AsBinary(geom) FROM municipalities WHERE county_code = $1`, county)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var b []byte
		if err := rows.Scan(&code, &b); err != nil {
			t.Fatal(err)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var edges [][2]orb.Point
		for _, poly := range g.(orb.MultiPolygon) {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					edges = append(edges, [2]orb.Point{ring[i], ring[i+1]})
				}
			}
		}
		bound := g.Bound()
		s := float64(size)
		for n := math.Floor(bound.Min[1]/s) * s; n <= bound.Max[1]; n += s {
			y := n + s/2
			var xs []float64
			for _, e := range edges {
				a, b := e[0], e[1]
				if (a[1] <= y) != (b[1] <= y) {
					xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
				}
			}
			sort.Float64s(xs)
			for i := 0; i+1 < len(xs); i += 2 {
				// centres e + s/2 in [xs[i], xs[i+1])
				first := math.Ceil((xs[i]-s/2)/s) * s
				last := math.Ceil((xs[i+1]-s/2)/s)*s - s
				if last >= first {
					out[code] += int64((last-first)/s) + 1
				}
			}
		}
	}
	return out
}

// indepCounts are an area's counts for one operator or all.
type indepCounts struct{ h, w, hh, sq int64 }

type indepCoverage struct {
	outdoor, indoor map[int64]*indepCounts
	fiveg           indepCounts
}

func newIndepCoverage() *indepCoverage {
	c := &indepCoverage{outdoor: map[int64]*indepCounts{}, indoor: map[int64]*indepCounts{}}
	for _, cl := range indepClasses {
		c.outdoor[cl], c.indoor[cl] = &indepCounts{}, &indepCounts{}
	}
	return c
}

type indepArea struct {
	total      indepCounts
	all        *indepCoverage
	byOp       map[string]*indepCoverage
	redundancy map[int]*indepCounts
}

// addPeople counts a point's groups where the offer covers.
func (c *indepCoverage) add(o indepOffer, h, w, hh, sq int64) {
	for _, cl := range indepClasses {
		if o.outdoor >= cl {
			x := c.outdoor[cl]
			x.h, x.w, x.hh, x.sq = x.h+h, x.w+w, x.hh+hh, x.sq+sq
		}
		if o.indoorGiven && o.indoor >= cl {
			x := c.indoor[cl]
			x.h, x.w, x.hh, x.sq = x.h+h, x.w+w, x.hh+hh, x.sq+sq
		}
	}
	if o.fiveg {
		c.fiveg.h, c.fiveg.w, c.fiveg.hh, c.fiveg.sq = c.fiveg.h+h, c.fiveg.w+w, c.fiveg.hh+hh, c.fiveg.sq+sq
	}
}

// indepAreas computes every figure of every municipality of the county, the
// county, keyed by code.
func indepAreas(points []indepPoint, squares map[[2]int64]*indepSquare, ops []string, size int64,
	totals map[string]int64, county string) map[string]*indepArea {
	areas := map[string]*indepArea{}
	area := func(code string) *indepArea {
		a := areas[code]
		if a == nil {
			a = &indepArea{all: newIndepCoverage(), byOp: map[string]*indepCoverage{}, redundancy: map[int]*indepCounts{}}
			for _, op := range ops {
				a.byOp[op] = newIndepCoverage()
			}
			areas[code] = a
		}
		return a
	}
	for code, n := range totals {
		area(code).total.sq += n
		area(county).total.sq += n
	}
	for _, p := range points {
		key := [2]int64{floorTo(p.x, size), floorTo(p.y, size)}
		for _, code := range []string{p.muni, p.muni[:2]} {
			a := area(code)
			a.total.h, a.total.w, a.total.hh = a.total.h+p.h, a.total.w+p.w, a.total.hh+p.hh
			sq := squares[key]
			if sq == nil {
				continue
			}
			a.all.add(sq.all, p.h, p.w, p.hh, 0)
			for op, o := range sq.byOp {
				a.byOp[op].add(*o, p.h, p.w, p.hh, 0)
			}
			if sq.count > 0 {
				r := a.redundancy[sq.count]
				if r == nil {
					r = &indepCounts{}
					a.redundancy[sq.count] = r
				}
				r.h, r.w, r.hh = r.h+p.h, r.w+p.w, r.hh+p.hh
			}
		}
	}
	for _, sq := range squares {
		if sq.muni == "" {
			continue
		}
		for _, code := range []string{sq.muni, sq.muni[:2]} {
			a := area(code)
			a.all.add(sq.all, 0, 0, 0, 1)
			for op, o := range sq.byOp {
				a.byOp[op].add(*o, 0, 0, 0, 1)
			}
			if sq.count > 0 {
				r := a.redundancy[sq.count]
				if r == nil {
					r = &indepCounts{}
					a.redundancy[sq.count] = r
				}
				r.sq++
			}
		}
	}
	return areas
}

func floorTo(v float64, size int64) int64 {
	q := int64(v) / size * size
	if float64(q) > v {
		q -= size
	}
	return q
}

// indepGap is max(0, ceil(threshold × total) − covered), exactly.
func indepGap(th *big.Rat, covered, total int64) int64 {
	need := new(big.Rat).Mul(th, new(big.Rat).SetInt64(total))
	q, r := new(big.Int).QuoRem(need.Num(), need.Denom(), new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return max(0, q.Int64()-covered)
}

// sortedKeys lists a map's int keys ascending.
func sortedKeys(m map[int]*indepCounts) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}
