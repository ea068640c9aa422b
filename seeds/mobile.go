package seeds

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gigakoll/gigakoll/geo"
)

// The demo's mobile coverage (spec/mobile.md): per 250 m square of Kalmar
// län on land, per operator and technology, the download speed an operator
// expects outdoors and indoors, as of 1 October 2019–2024. Invented, but
// shaped like the county's: each operator's masts stand in and around the
// localities (more in the larger towns), along the roads between them and,
// sparser, on a grid over the country that fills in over the years; the
// speed falls with the distance from the operator's nearest mast and with
// the forest (a smooth random field), so that coverage thins in the forests
// and along the coast and the archipelago, where masts are few. Outdoors
// almost every household has 10 Mbit/s, far fewer 30 and 100; indoors the
// walls take most of it. 4G throughout, 3G only where 4G is weak and only
// until 2021, 5G from 2021 on the town masts first. Everything is a pure
// function of the seed.

// MobileFirstYear and MobileLastYear bound the demo's mobile snapshots.
const (
	MobileFirstYear = 2019
	MobileLastYear  = 2024
)

// MobileYears returns the years of the demo's mobile snapshots.
func MobileYears() []int {
	var ys []int
	for y := MobileFirstYear; y <= MobileLastYear; y++ {
		ys = append(ys, y)
	}
	return ys
}

// networkOperator is one network operator of the demo and how it builds.
type networkOperator struct {
	name      string
	townEvery float64 // households per town mast
	roadEvery float64 // metres between masts along a road; 0: none
	gridEvery float64 // metres between masts of the country grid; 0: none
	peak4G    float64 // Mbit/s at the mast in 2019
	tag       uint64
}

var networkOperators = []networkOperator{
	{name: "Telia", townEvery: 2500, roadEvery: 9000, gridEvery: 15000, peak4G: 125, tag: 1},
	{name: "Tele2", townEvery: 3500, roadEvery: 11000, gridEvery: 18000, peak4G: 110, tag: 2},
	{name: "Telenor", townEvery: 3500, roadEvery: 11000, gridEvery: 18000, peak4G: 110, tag: 3},
	{name: "Tre", townEvery: 5000, roadEvery: 16000, tag: 4},
}

// mast is one operator's site: where, since when, and 5G since when (0:
// not by 2024).
type mast struct {
	at          geo.SWEREF
	since, five int
}

// MobileGenerator writes the demo's mobile snapshots. Build it once with
// NewMobile; it is safe for concurrent use.
type MobileGenerator struct {
	seed    uint64
	squares []geo.Square // the county's land squares, by e then n
	masts   [][]mast     // per operator
	// per operator: the masts by cell of mastCell metres, rows of cols
	// cells from (cellE, cellN)
	index              [][][]int32
	cellE, cellN, cols int64
	rowsOfCells        int64
}

// Only returns a generator that writes the squares of the given
// municipalities only (the masts stay where they are): a small file for
// tests of the pages.
func (g *MobileGenerator) Only(codes ...string) (*MobileGenerator, error) {
	bounds, err := geo.LoadMunicipalities()
	if err != nil {
		return nil, err
	}
	h := *g
	h.squares = nil
	for _, sq := range g.squares {
		for _, c := range codes {
			if bounds.Contains(c, sq.Center()) {
				h.squares = append(h.squares, sq)
				break
			}
		}
	}
	return &h, nil
}

// mastCell is the side of the cells that index the masts, metres.
const mastCell = 10_000

// NewMobile lays out the masts of every operator over the county.
func NewMobile(seed uint64) (*MobileGenerator, error) {
	munis, err := loadReference()
	if err != nil {
		return nil, err
	}
	mask, err := loadLandMask()
	if err != nil {
		return nil, err
	}
	g := &MobileGenerator{seed: seed}
	g.squares = landSquares(munis, mask)
	var locs []*locality
	for _, m := range munis {
		locs = append(locs, m.localities...)
	}
	sort.Slice(locs, func(i, j int) bool { return locs[i].index < locs[j].index })
	roads := roadNetwork(locs)
	minE, minN, maxE, maxN := int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MinInt64), int64(math.MinInt64)
	for _, s := range g.squares {
		minE, minN, maxE, maxN = min(minE, s.E), min(minN, s.N), max(maxE, s.E), max(maxN, s.N)
	}
	g.cellE, g.cellN = minE/mastCell-3, minN/mastCell-3
	g.cols, g.rowsOfCells = maxE/mastCell-g.cellE+4, maxN/mastCell-g.cellN+4
	for _, op := range networkOperators {
		ms := g.placeMasts(op, locs, roads, munis, mask)
		idx := make([][]int32, g.cols*g.rowsOfCells)
		for i, m := range ms {
			if c, ok := g.cellOf(m.at); ok {
				idx[c] = append(idx[c], int32(i))
			}
		}
		g.masts, g.index = append(g.masts, ms), append(g.index, idx)
	}
	return g, nil
}

// cellOf is the index of the cell holding p, false outside the grid.
func (g *MobileGenerator) cellOf(p geo.SWEREF) (int64, bool) {
	ce, cn := int64(math.Floor(p.E/mastCell))-g.cellE, int64(math.Floor(p.N/mastCell))-g.cellN
	if ce < 0 || cn < 0 || ce >= g.cols || cn >= g.rowsOfCells {
		return 0, false
	}
	return cn*g.cols + ce, true
}

// landSquares lists the 250 m squares whose centre lies on land inside a
// municipality of the county.
func landSquares(munis []*municipality, mask *landMask) []geo.Square {
	minE, minN, maxE, maxN := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, m := range munis {
		for _, l := range m.localities {
			minE, minN = math.Min(minE, l.at.E), math.Min(minN, l.at.N)
			maxE, maxN = math.Max(maxE, l.at.E), math.Max(maxN, l.at.N)
		}
	}
	// the localities' extent and 40 km around it holds the county
	const s = geo.SquareSize
	var out []geo.Square
	for e := math.Floor((minE-40_000)/s) * s; e <= maxE+40_000; e += s {
		for n := math.Floor((minN-40_000)/s) * s; n <= maxN+40_000; n += s {
			c := geo.SWEREF{E: e + s/2, N: n + s/2}
			if !mask.land(c) {
				continue
			}
			if code := munis[0].bounds.Locate(c); strings.HasPrefix(code, countyCode) {
				out = append(out, geo.Square{E: int64(e), N: int64(n), Size: s})
			}
		}
	}
	return out
}

// roadNetwork joins every locality to its two nearest larger localities: the
// roads masts stand along.
func roadNetwork(locs []*locality) [][2]geo.SWEREF {
	var roads [][2]geo.SWEREF
	for _, l := range locs {
		type near struct {
			d float64
			l *locality
		}
		var larger []near
		for _, o := range locs {
			if o.population > l.population || o.population == l.population && o.code < l.code {
				larger = append(larger, near{math.Hypot(o.at.E-l.at.E, o.at.N-l.at.N), o})
			}
		}
		sort.Slice(larger, func(i, j int) bool { return larger[i].d < larger[j].d })
		for _, o := range larger[:min(2, len(larger))] {
			roads = append(roads, [2]geo.SWEREF{l.at, o.l.at})
		}
	}
	return roads
}

// placeMasts puts one operator's masts in the towns, along the roads and on
// its country grid, each with the year it was built and the year it got 5G.
func (g *MobileGenerator) placeMasts(op networkOperator, locs []*locality, roads [][2]geo.SWEREF, munis []*municipality, mask *landMask) []mast {
	var ms []mast
	h := func(vals ...uint64) uint64 { return hash(append([]uint64{g.seed, tagMobile, op.tag}, vals...)...) }
	for _, l := range locs {
		n := max(1, int(math.Round(float64(l.population)/2.2/op.townEvery)))
		if l.population < 1500 && unit(h(10, uint64(l.index))) > 2500/op.townEvery-0.3 {
			continue // a small locality: not every operator has a mast of its own there
		}
		radius := math.Sqrt(l.areaHa*1e4/math.Pi) * 0.8
		for i := range n {
			a, r := 2*math.Pi*unit(h(1, uint64(l.index), uint64(i))), radius*math.Sqrt(unit(h(2, uint64(l.index), uint64(i))))
			if n == 1 {
				r *= 0.3
			}
			m := mast{at: geo.SWEREF{E: l.at.E + r*math.Cos(a), N: l.at.N + r*math.Sin(a)}, since: 2010}
			// 5G: the large towns from 2021, the small ones later
			switch {
			case l.population >= 10_000:
				m.five = 2021 + int(unit(h(3, uint64(l.index), uint64(i)))*2.5)
			case l.population >= 2_000:
				m.five = 2022 + int(unit(h(3, uint64(l.index), uint64(i)))*4)
			default:
				m.five = 2023 + int(unit(h(3, uint64(l.index), uint64(i)))*6)
			}
			ms = append(ms, m)
		}
	}
	if op.roadEvery > 0 {
		for ri, rd := range roads {
			length := math.Hypot(rd[1].E-rd[0].E, rd[1].N-rd[0].N)
			for i := 1; float64(i)*op.roadEvery < length-op.roadEvery/3; i++ {
				f := float64(i) * op.roadEvery / length
				side := (unit(h(4, uint64(ri), uint64(i))) - 0.5) * 1200 // beside the road
				at := geo.SWEREF{E: rd[0].E + f*(rd[1].E-rd[0].E) + side, N: rd[0].N + f*(rd[1].N-rd[0].N) - side}
				if !mask.land(at) {
					continue
				}
				ms = append(ms, mast{at: at, since: 2012 + int(unit(h(5, uint64(ri), uint64(i)))*10),
					five: 2024 + int(unit(h(6, uint64(ri), uint64(i)))*6)})
			}
		}
	}
	if op.gridEvery > 0 { // the country grid, built over the years
		for _, sq := range gridPoints(op.gridEvery, g.squares) {
			i := uint64(sq.E)<<20 ^ uint64(sq.N)
			at := geo.SWEREF{E: float64(sq.E) + (unit(h(7, i))-0.5)*op.gridEvery/2, N: float64(sq.N) + (unit(h(8, i))-0.5)*op.gridEvery/2}
			if !mask.land(at) || !strings.HasPrefix(munis[0].bounds.Locate(at), countyCode) {
				continue
			}
			ms = append(ms, mast{at: at, since: 2016 + int(unit(h(9, i))*12)})
		}
	}
	return ms
}

// gridPoints is a grid of the given step over the squares' extent.
func gridPoints(step float64, squares []geo.Square) []geo.Square {
	minE, minN, maxE, maxN := int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MinInt64), int64(math.MinInt64)
	for _, s := range squares {
		minE, minN, maxE, maxN = min(minE, s.E), min(minN, s.N), max(maxE, s.E), max(maxN, s.N)
	}
	var out []geo.Square
	for e := float64(minE); e <= float64(maxE); e += step {
		for n := float64(minN); n <= float64(maxN); n += step {
			out = append(out, geo.Square{E: int64(e), N: int64(n)})
		}
	}
	return out
}

// tagMobile keeps the mobile draws apart from the others.
const tagMobile = 0x6d6f62696c65

// nearest returns the distance in metres from p to the operator's nearest
// mast standing in year, and to the nearest with 5G (+Inf for none within
// 20 km, where no signal is left).
func (g *MobileGenerator) nearest(op int, p geo.SWEREF, year int) (d4, d5 float64) {
	d4, d5 = math.Inf(1), math.Inf(1)
	c, ok := g.cellOf(p)
	if !ok {
		return d4, d5
	}
	for dn := int64(-2); dn <= 2; dn++ {
		for de := int64(-2); de <= 2; de++ {
			i := c + dn*g.cols + de
			if i < 0 || i >= int64(len(g.index[op])) {
				continue
			}
			for _, i := range g.index[op][i] {
				m := g.masts[op][i]
				if m.since > year {
					continue
				}
				d := math.Hypot(m.at.E-p.E, m.at.N-p.N)
				d4 = math.Min(d4, d)
				if m.five != 0 && m.five <= year {
					d5 = math.Min(d5, d)
				}
			}
		}
	}
	return d4, d5
}

// forest is a smooth random field from 0.25 (deep forest) to 1 (open land):
// value noise on a 3 km lattice, interpolated.
func (g *MobileGenerator) forest(p geo.SWEREF) float64 {
	const cell = 3000
	x, y := p.E/cell, p.N/cell
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	v := func(i, j float64) float64 {
		return unit(hash(g.seed, tagMobile, 99, uint64(int64(i)), uint64(int64(j))))
	}
	sx, sy := fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	top := v(x0, y0)*(1-sx) + v(x0+1, y0)*sx
	bottom := v(x0, y0+1)*(1-sx) + v(x0+1, y0+1)*sx
	return 0.25 + 0.75*(top*(1-sy)+bottom*sy)
}

// MobileStats describes a written mobile snapshot.
type MobileStats struct {
	Year    int
	Rows    int
	Squares int // squares with at least one row
	// Land squares of the county with a row of at least 10 Mbit/s
	// outdoors, of any operator and technology.
	Squares10 int
	Land      int
}

// WriteMobile writes the mobile snapshot of 1 October of the year in the
// format of spec/mobile.md (";" and a decimal comma, as a Swedish
// spreadsheet saves it), square by square.
func (g *MobileGenerator) WriteMobile(w io.Writer, year int) (MobileStats, error) {
	if year < MobileFirstYear || year > MobileLastYear {
		return MobileStats{}, fmt.Errorf("seeds: mobile coverage of %d: the demo has %d–%d", year, MobileFirstYear, MobileLastYear)
	}
	st := MobileStats{Year: year, Land: len(g.squares)}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor\n")
	grow := 1 + 0.1*float64(year-MobileFirstYear) // upgrades: 10 % a year
	var line []byte
	type row struct {
		tech    string
		out, in float64
	}
	rows := make([]row, 0, 3)
	for _, sq := range g.squares {
		c := sq.Center()
		forest := g.forest(c)
		wrote, ten := false, false
		for oi, op := range networkOperators {
			d4, d5 := g.nearest(oi, c, year)
			h := hash(g.seed, tagMobile, op.tag, 50, uint64(sq.E), uint64(sq.N), uint64(year))
			walls := 0.1 + 0.35*unit(h) // what reaches indoors
			peak := op.peak4G
			if peak == 0 {
				peak = 100
			}
			// the high band is fast near the mast, the low band (800 MHz)
			// carries far but slowly
			high := peak * grow * forest * math.Exp(-d4/2000)
			low := 35 * grow * math.Sqrt(forest) * math.Exp(-d4/8000)
			out4 := max(high, low) * (0.7 + 0.5*unit(h>>7))
			rows = rows[:0]
			if out4 >= 1 {
				rows = append(rows, row{"4g", out4, out4 * walls})
			}
			if year <= 2021 && out4 < 5 && d4 < 25_000 {
				out3 := 6 * forest * math.Exp(-d4/6000)
				if out3 >= 0.5 {
					rows = append(rows, row{"3g", out3, out3 * walls})
				}
			}
			if out5 := 450 * grow * forest * math.Exp(-d5/700); d5 < 2500 && out5 >= 5 {
				rows = append(rows, row{"5g", out5, out5 * walls * 0.7})
			}
			for _, r := range rows {
				line = line[:0]
				line = strconv.AppendInt(line, sq.E, 10)
				line = append(line, ';')
				line = strconv.AppendInt(line, sq.N, 10)
				line = append(line, ";250;"...)
				line = append(line, op.name...)
				line = append(line, ';')
				line = append(line, r.tech...)
				line = append(line, ';')
				line = appendDecimalComma(line, r.out)
				line = append(line, ';')
				if h>>20&3 != 0 { // now and then the operator gives no indoor figure
					line = appendDecimalComma(line, r.in)
				}
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return st, err
				}
				st.Rows++
				wrote = true
				ten = ten || math.Round(r.out*10)/10 >= 10
			}
		}
		if wrote {
			st.Squares++
		}
		if ten {
			st.Squares10++
		}
	}
	return st, bw.Flush()
}

// appendDecimalComma writes v with one decimal and a decimal comma: 37,4.
func appendDecimalComma(b []byte, v float64) []byte {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	return append(b, strings.Replace(s, ".", ",", 1)...)
}
