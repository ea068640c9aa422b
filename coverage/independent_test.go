package coverage_test

import (
	"encoding/csv"
	"math/big"
	"os"
	"strings"
	"testing"
)

// This file computes the figures of spec/targets.md straight from a coverage
// CSV, as plainly as possible and without any of the package's code, so that
// the store's SQL and the report can be checked against it.

type indepTarget struct {
	id             string
	year           int
	class          int64
	threshold      *big.Rat
	county         string
	householdsOnly bool // the population: households only, or households and workplaces
}

// The fixed targets of spec/targets.md, written out again here.
var indepTargets = []indepTarget{
	{"se-2020-100", 2020, 100, rat("0.95"), "", false},
	{"se-2025-1g", 2025, 1000, rat("0.98"), "", false},
	{"se-2025-100", 2025, 100, rat("0.999"), "", false},
	{"se-2025-30", 2025, 30, rat("1.0"), "", false},
	{"kalmar-2025-1g", 2025, 1000, rat("1.0"), "08", false},
	{"eu-2030-1g", 2030, 1000, rat("1.0"), "", true},
}

// population returns covered and total over the target's population.
func (it indepTarget) population(h, w, households, workplaces int64) (covered, total int64) {
	if it.householdsOnly {
		return h, households
	}
	return h + w, households + workplaces
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

type indepOffer struct {
	tech, status string
	down         *big.Rat
	plannedYear  int // 0: none given
}

type indepPoint struct {
	muni                   string
	x, y                   float64
	households, workplaces int64
	offers                 []indepOffer
}

func (p *indepPoint) fixedAccess(o indepOffer) bool {
	return (o.status == "connected" || o.status == "passed") &&
		o.tech != "mobile" && o.tech != "satellite" && o.tech != "none"
}

// has reports access to class c, counting planned fixed builds due by year
// (year < 0: none counted).
func (p *indepPoint) has(c int64, year int) bool {
	limit := new(big.Rat).SetInt64(c)
	for _, o := range p.offers {
		ok := p.fixedAccess(o)
		if year >= 0 && o.status == "planned" && o.tech != "mobile" && o.tech != "satellite" && o.tech != "none" &&
			(o.plannedYear == 0 || o.plannedYear <= year) {
			ok = true
		}
		if ok && o.down.Cmp(limit) >= 0 {
			return true
		}
	}
	return false
}

// indepArea holds an area's figures computed here.
type indepArea struct {
	households, workplaces int64
	points                 []*indepPoint
}

func (a *indepArea) covered(c int64, year int) (h, w int64) {
	for _, p := range a.points {
		if p.has(c, year) {
			h += p.households
			w += p.workplaces
		}
	}
	return h, w
}

// share returns the exact share, or nil when nobody lives or works there.
func indepShare(covered, total int64) *big.Rat {
	if total == 0 {
		return nil
	}
	return big.NewRat(covered, total)
}

// gap is max(0, ceil(threshold × total) − covered), in exact arithmetic.
func indepGap(th *big.Rat, covered, total int64) int64 {
	need := new(big.Rat).Mul(th, new(big.Rat).SetInt64(total))
	q, r := new(big.Int).QuoRem(need.Num(), need.Denom(), new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return max(0, q.Int64()-covered)
}

// indepFigures reads a ";"-separated coverage CSV with x/y and returns the
// figures per area code ("0880", "08") and part ("all", "urban", "rural").
func indepFigures(t *testing.T, path string) map[string]map[string]*indepArea {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(s string) *big.Rat { return rat(strings.Replace(s, ",", ".", 1)) }
	points := map[string]*indepPoint{}
	var order []string
	for _, rec := range recs[1:] {
		id := rec[col["address_id"]]
		p := points[id]
		if p == nil {
			x, _ := num(rec[col["x"]]).Float64()
			y, _ := num(rec[col["y"]]).Float64()
			p = &indepPoint{muni: rec[col["municipality_code"]], x: x, y: y,
				households: num(rec[col["households"]]).Num().Int64(), workplaces: num(rec[col["workplaces"]]).Num().Int64()}
			points[id] = p
			order = append(order, id)
		}
		o := indepOffer{tech: rec[col["technology"]], status: rec[col["status"]], down: num(rec[col["down_mbps"]])}
		if i, ok := col["planned_year"]; ok && rec[i] != "" {
			o.plannedYear = int(num(rec[i]).Num().Int64())
		}
		p.offers = append(p.offers, o)
	}
	// urban: the 1 km square holds >= 100 households
	km := map[[2]int64]int64{}
	sq := func(p *indepPoint) [2]int64 { return [2]int64{int64(p.x) / 1000, int64(p.y) / 1000} }
	for _, p := range points {
		km[sq(p)] += p.households
	}
	out := map[string]map[string]*indepArea{}
	add := func(code, part string, p *indepPoint) {
		if out[code] == nil {
			out[code] = map[string]*indepArea{}
		}
		a := out[code][part]
		if a == nil {
			a = &indepArea{}
			out[code][part] = a
		}
		a.households += p.households
		a.workplaces += p.workplaces
		a.points = append(a.points, p)
	}
	for _, id := range order {
		p := points[id]
		part := "rural"
		if km[sq(p)] >= 100 {
			part = "urban"
		}
		for _, code := range []string{p.muni, p.muni[:2]} {
			add(code, "all", p)
			add(code, part, p)
		}
	}
	return out
}

// hasAny reports access to class c including mobile and satellite (the
// separate figure of coverage-format.md, "What counts as access").
func (p *indepPoint) hasAny(c int64) bool {
	limit := new(big.Rat).SetInt64(c)
	for _, o := range p.offers {
		if (o.status == "connected" || o.status == "passed") && o.down.Cmp(limit) >= 0 {
			return true
		}
	}
	return false
}

func (a *indepArea) coveredAny(c int64) (h, w int64) {
	for _, p := range a.points {
		if p.hasAny(c) {
			h += p.households
			w += p.workplaces
		}
	}
	return h, w
}

// indepCellPoint is an address point as the public squares see it.
type indepCellPoint struct {
	muni                   string
	x, y                   float64
	households, workplaces int64
}

// indepCell is a public square computed here: a 250 m square within a
// municipality, or the pooled rest of a 1 km square (size 1000).
type indepCell struct {
	muni                   string
	size                   int64
	e, n                   int64
	urban                  bool
	households, workplaces int64
	members                []int // indices of the points it holds
}

// indepPublicCells applies the rule of the public squares (spec/product.md,
// "Access", as build_public_squares.sql documents it) from scratch: cells
// with at least 5 households; the rest of each municipality's 1 km square
// pooled when that reaches 5; and where a municipality's withheld households
// (per urban and rural part, both published) would be 1–4, its smallest cell
// of that part withheld too.
func indepPublicCells(ps []indepCellPoint) []*indepCell {
	floor := func(v float64, s int64) int64 {
		q := int64(v) / s * s
		if v < 0 && float64(q) != v {
			q -= s
		}
		return q
	}
	km := map[[2]int64]int64{}
	for _, p := range ps {
		km[[2]int64{floor(p.x, 1000), floor(p.y, 1000)}] += p.households
	}
	type key struct {
		muni string
		e, n int64
	}
	small := map[key]*indepCell{}
	for i, p := range ps {
		k := key{p.muni, floor(p.x, 250), floor(p.y, 250)}
		c := small[k]
		if c == nil {
			c = &indepCell{muni: p.muni, size: 250, e: k.e, n: k.n, urban: km[[2]int64{floor(p.x, 1000), floor(p.y, 1000)}] >= 100}
			small[k] = c
		}
		c.households += p.households
		c.workplaces += p.workplaces
		c.members = append(c.members, i)
	}
	var cands []*indepCell
	pools := map[key]*indepCell{}
	for _, c := range small {
		if c.households >= 5 {
			cands = append(cands, c)
			continue
		}
		k := key{c.muni, floor(float64(c.e), 1000), floor(float64(c.n), 1000)}
		p := pools[k]
		if p == nil {
			p = &indepCell{muni: c.muni, size: 1000, e: k.e, n: k.n, urban: c.urban}
			pools[k] = p
		}
		p.households += c.households
		p.workplaces += c.workplaces
		p.members = append(p.members, c.members...)
	}
	for _, p := range pools {
		if p.households >= 5 {
			cands = append(cands, p)
		}
	}
	type part struct {
		muni  string
		urban bool
	}
	total := map[part]int64{}
	for _, p := range ps {
		total[part{p.muni, km[[2]int64{floor(p.x, 1000), floor(p.y, 1000)}] >= 100}] += p.households
	}
	shown := map[part]int64{}
	for _, c := range cands {
		shown[part{c.muni, c.urban}] += c.households
	}
	withheld := map[*indepCell]bool{}
	for pt, t := range total {
		if rest := t - shown[pt]; rest < 1 || rest > 4 {
			continue
		}
		var smallest *indepCell
		for _, c := range cands {
			if c.muni != pt.muni || c.urban != pt.urban {
				continue
			}
			if smallest == nil || c.households < smallest.households ||
				c.households == smallest.households && (c.size > smallest.size ||
					c.size == smallest.size && (c.e < smallest.e || c.e == smallest.e && c.n < smallest.n)) {
				smallest = c
			}
		}
		if smallest != nil {
			withheld[smallest] = true
		}
	}
	var out []*indepCell
	for _, c := range cands {
		if !withheld[c] {
			out = append(out, c)
		}
	}
	return out
}
