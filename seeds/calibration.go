package seeds

import (
	"math"
	"sort"

	"github.com/gigakoll/gigakoll/geo"
)

// The history the demo follows, as explicit parameters. Shares are of
// households, in percent, as of 1 October. Sources (shared
// data/kalmar-history.md):
//
//	[PR2017] Regionförbundet i Kalmar län, press release on the PTS survey 2016 (2017)
//	[PR2018] Regionförbundet i Kalmar län, "61 procent av hushållen i Kalmar län har
//	         snabbt bredband", 4 April 2018
//	[PR2019] Region Kalmar län, "Allt fler hushåll med snabbt bredband", 29 March 2019
//	[RDA]    Region Kalmar län, Regional digital agenda (action programme 2021–2022), ch. 4
//
// Every figure not marked with a source is ours: for 2015–2018 chosen so that
// the municipalities add up to the published county figure (weighted by
// households, which follow population_2022), for 2019–2024 an extrapolation
// (see the package doc), and 2025–2026 exist only to date the planned fibre
// rows of 2023 and 2024.

// firstYear and lastYear bound the snapshots the demo calibrates.
const (
	firstYear = 2015
	lastYear  = 2024
	planYears = 2 // planned rows look this far ahead
	nYears    = lastYear - firstYear + 1 + planYears
)

// county100 is the county's share of households with access to ≥ 100 Mbit/s.
var county100 = [nYears]float64{
	47.6,                               // 2015: 54 minus the 6.4-point rise reported for 2016 [PR2017]
	54.0,                               // 2016 [PR2017]
	61.0,                               // 2017 [PR2018]
	67.0,                               // 2018 [PR2019]
	75.0, 83.5, 88.0, 91.0, 93.5, 95.5, // 2019–2024: ours
	97.0, 98.0, // 2025–2026: ours
}

// county1G is the county's share of households with access to ≥ 1 Gbit/s.
var county1G = [nYears]float64{
	22.0, 30.0, 38.0, 47.0, 66.0, // 2015–2019: ours
	81.5,                   // 2020: "over 80 % of households can connect to 1 Gbit/s" [RDA]
	86.0, 89.5, 92.0, 94.0, // 2021–2024: ours
	95.5, 96.5, // 2025–2026: ours
}

// rural100 and rural1G are the shares of rural households (outside urban
// areas; here by gigakoll's 1 km rule) with access.
var (
	rural100 = [nYears]float64{
		8.0,                                // 2015: ours
		10.7,                               // 2016: 13 minus the 2.3-point rise reported for 2017 [PR2018]
		13.0,                               // 2017 [PR2018]
		35.0,                               // 2018: "over a third" [PR2019]
		41.0, 47.0, 54.0, 61.0, 66.0, 71.0, // 2019–2024: ours
		75.0, 79.0, // 2025–2026: ours
	}
	rural1G = [nYears]float64{
		3.0, 5.0, 7.0, 22.0, 32.0, // 2015–2019: ours
		42.0,                   // 2020: "just over 40 % can connect to 1 Gbit/s" [RDA]
		48.0, 55.0, 60.0, 65.0, // 2021–2024: ours
		69.0, 73.0, // 2025–2026: ours
	}
)

// municipalityCalibration is per municipality: the share of its households
// with ≥ 100 Mbit/s per year, and how its rural areas fare against the
// county's rural share (a factor: village networks in Torsås and Mörbylånga
// did better, Högsby worse; ours).
var municipalityCalibration = map[string]muniCalibration{
	// Högsby: 20.9 % in 2016 [PR2017], 24 % in 2017 [PR2018], +15 points in 2018 [PR2019].
	"0821": {[nYears]float64{19.0, 20.9, 24.0, 39.0, 52.0, 64.5, 72.0, 78.0, 83.5, 87.5, 91.0, 94.0}, 0.6},
	// Torsås: 39.5 % in 2016, the fastest growth that year [PR2017].
	"0834": {[nYears]float64{26.0, 39.5, 50.0, 57.5, 67.0, 76.5, 82.0, 86.0, 90.5, 93.5, 95.5, 97.0}, 1.3},
	// Mörbylånga: grew 17 points in 2017 [PR2018].
	"0840": {[nYears]float64{28.0, 35.0, 52.0, 59.5, 68.0, 78.5, 84.0, 88.0, 91.5, 94.5, 96.0, 97.5}, 1.2},
	"0860": {[nYears]float64{35.0, 40.0, 46.0, 53.5, 64.0, 75.5, 82.0, 87.0, 90.5, 93.5, 95.5, 97.0}, 0.8},
	"0861": {[nYears]float64{40.0, 46.0, 52.0, 58.5, 68.0, 78.5, 84.0, 88.0, 91.5, 94.5, 96.0, 97.5}, 1.0},
	"0862": {[nYears]float64{34.0, 39.0, 46.0, 52.5, 63.0, 74.5, 81.0, 86.0, 90.5, 93.5, 95.5, 97.0}, 0.9},
	// Kalmar: 72.6 % in 2016 [PR2017], 79 % in 2017 [PR2018], 84 % in 2018 [PR2019].
	"0880": {[nYears]float64{66.0, 72.6, 79.0, 84.0, 88.0, 92.0, 94.5, 96.0, 97.0, 98.0, 98.5, 99.0}, 1.1},
	"0881": {[nYears]float64{39.0, 45.0, 52.0, 58.5, 68.0, 79.5, 85.0, 88.0, 91.5, 94.5, 96.0, 97.5}, 1.0},
	"0882": {[nYears]float64{50.0, 56.0, 62.0, 66.5, 75.0, 84.5, 89.0, 91.0, 94.0, 96.0, 97.5, 98.5}, 1.0},
	"0883": {[nYears]float64{52.0, 58.0, 64.0, 68.5, 77.0, 85.5, 90.0, 92.0, 94.5, 96.5, 97.5, 98.5}, 1.0},
	"0884": {[nYears]float64{42.0, 48.0, 55.0, 61.5, 71.0, 81.5, 87.0, 90.0, 93.0, 95.5, 96.5, 97.5}, 0.9},
	"0885": {[nYears]float64{27.0, 32.0, 39.0, 47.5, 59.0, 72.5, 80.0, 85.0, 89.5, 92.5, 94.5, 96.0}, 1.1},
}

// muniCalibration is what calibrates one municipality: the share of its
// households with ≥ 100 Mbit/s per year, in percent, and how its rural areas
// fare against the region's rural share (a factor around 1).
type muniCalibration struct {
	share100    [nYears]float64
	ruralFactor float64
}

// curves are a region's shares of households with access, in percent, per
// year: all households and rural ones, ≥ 100 Mbit/s and ≥ 1 Gbit/s.
type curves struct {
	all100, all1G, rural100, rural1G [nYears]float64
}

// kalmarCurves is the county's history above.
var kalmarCurves = curves{all100: county100, all1G: county1G, rural100: rural100, rural1G: rural1G}

// Technology parameters, ours, in the direction the sources give: copper
// shut down from 2016, rural areas first [RDA]; about 4 in 5 households that
// can connect to fibre do [RDA].
var (
	// copperUrban and copperRural: the share of (pre-2015) points that still
	// have a copper line, so a DSL row.
	copperUrban = [nYears]float64{0.93, 0.90, 0.85, 0.78, 0.68, 0.56, 0.43, 0.30, 0.19, 0.10, 0.05, 0.02}
	copperRural = [nYears]float64{0.90, 0.84, 0.74, 0.62, 0.48, 0.35, 0.23, 0.13, 0.07, 0.03, 0.01, 0.00}
	// gigabitCableFrom is the first year cable (DOCSIS 3.1) offers 1 Gbit/s.
	gigabitCableFrom = 2019
	// comHemUntil is the last year cable is reported under Com Hem's name.
	comHemUntil = 2018
	// fiveGFrom is the first year 5G is reported: main towns, then all localities.
	fiveGFrom      = 2020
	fiveGLocalFrom = 2022
	fiveGRuralFrom = 2023
	// starlinkFrom is the first year low-orbit satellite service is reported.
	starlinkFrom = 2021
	// connectTake is the share of points passed by fibre that are connected,
	// by years since fibre arrived (0, 1, 2, 3+).
	connectTake = [4]float64{0.55, 0.68, 0.76, 0.81}
)

// yearIndex returns the position of year in the tables above.
func yearIndex(year int) int { return year - firstYear }

// calibrate sets every municipality's thresholds: per zone and year, the
// latent below which a point has access to ≥ 100 Mbit/s and to ≥ 1 Gbit/s,
// so that the shares of households are the tables' figures. It derives the
// points once (every ⌈Scale·calibrationThin⌉-th: the county's every point
// at Scale 1, Sweden's every fourth, so cost and memory stay those of Scale
// 1 or less) and takes weighted quantiles of their latents: exact for the
// county at Scale 1, not by chance.
func (ly *layout) calibrate() {
	step := max(1, int(math.Ceil(ly.scale*float64(ly.calibrationThin))))
	gen := newPointGen(ly)
	var p point
	zones := make([][2]zoneHouseholds, len(ly.munis))
	for i, m := range ly.munis {
		for si := range m.slots {
			s := &m.slots[si]
			for j := 0; j < s.n(); j += step {
				gen.derive(&p, m, s, j)
				zones[i][p.zone].add(&p)
			}
		}
		for z := range zones[i] {
			zones[i][z].sort()
		}
	}
	var ruralHH, ruralWeighted float64
	for i, m := range ly.munis {
		k := m.cal.ruralFactor
		ruralHH += zones[i][rural].total(0)
		ruralWeighted += k * zones[i][rural].total(0)
	}
	norm := ruralHH / ruralWeighted // the factors average 1 over the county's rural households
	for y := range nYears {
		r100 := make([]float64, len(ly.munis))
		r1G := make([]float64, len(ly.munis))
		u100 := make([]float64, len(ly.munis))
		var totalHH, urbanCovered, ruralCovered1G float64
		for i, m := range ly.munis {
			c := m.cal
			k := c.ruralFactor * norm
			urbanHH, ruralHH := zones[i][urban].total(y), zones[i][rural].total(y)
			r100[i] = math.Min(0.995, ly.curves.rural100[y]/100*k)
			r1G[i] = math.Min(r100[i], ly.curves.rural1G[y]/100*k)
			u100[i] = clamp((c.share100[y]/100*(urbanHH+ruralHH)-r100[i]*ruralHH)/urbanHH, 0, 1)
			totalHH += urbanHH + ruralHH
			urbanCovered += u100[i] * urbanHH
			ruralCovered1G += r1G[i] * ruralHH
		}
		// Gigabit in towns: one county-wide ratio to the ≥ 100 share.
		gamma := math.Min(1, (ly.curves.all1G[y]/100*totalHH-ruralCovered1G)/urbanCovered)
		for i, m := range ly.munis {
			m.q100[rural][y] = zones[i][rural].threshold(y, r100[i])
			m.q1G[rural][y] = zones[i][rural].threshold(y, r1G[i])
			m.q100[urban][y] = zones[i][urban].threshold(y, u100[i])
			m.q1G[urban][y] = zones[i][urban].threshold(y, u100[i]*gamma)
		}
	}
}

// zoneHouseholds holds the latents and households of a municipality's
// zone: the points there from the start, sorted by latent, and the
// households of new builds by year (they come with fibre).
type zoneHouseholds struct {
	z      []float64
	cum    []float64 // households of z[0..i]
	newHH  [nYears]float64
	points []latentPoint
}

type latentPoint struct {
	z  float64
	hh int
}

func (zh *zoneHouseholds) add(p *point) {
	if p.built > 0 {
		for y := yearIndex(p.built); y < nYears; y++ {
			zh.newHH[y] += float64(p.households)
		}
		return
	}
	zh.points = append(zh.points, latentPoint{p.z, p.households})
}

func (zh *zoneHouseholds) sort() {
	sort.Slice(zh.points, func(i, j int) bool { return zh.points[i].z < zh.points[j].z })
	sum := 0.0
	for _, lp := range zh.points {
		sum += float64(lp.hh)
		zh.z = append(zh.z, lp.z)
		zh.cum = append(zh.cum, sum)
	}
	zh.points = nil
}

// total is the zone's households in year index y.
func (zh *zoneHouseholds) total(y int) float64 {
	t := zh.newHH[y]
	if n := len(zh.cum); n > 0 {
		t += zh.cum[n-1]
	}
	return t
}

// threshold returns the latent below which share of the zone's households
// in year index y have access, new builds counted as having it.
func (zh *zoneHouseholds) threshold(y int, share float64) float64 {
	need := share*zh.total(y) - zh.newHH[y]
	i := sort.SearchFloat64s(zh.cum, need)
	switch {
	case need <= 0 || len(zh.z) == 0:
		return math.Inf(-1)
	case i >= len(zh.z)-1:
		return math.Inf(1)
	}
	// cum[i] ≥ need: points 0…i have access.
	return (zh.z[i] + zh.z[i+1]) / 2
}

func (ly *layout) cellLatent(e250, n250 int64) float64 {
	return normal(hash(ly.seed, tagCell, uint64(e250), uint64(n250)))
}

func (ly *layout) villageLatent(m *muniLayout, v *village) float64 {
	return normal(hash(ly.seed, tagVillage, uint64(m.index), uint64(v.index)))
}

func (ly *layout) kmLatent(sq geo.Square) float64 {
	return normal(hash(ly.seed, tagKmSquare, uint64(sq.E), uint64(sq.N)))
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
