package seeds

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gigakoll/gigakoll/geo"
)

// Scope is the region a Generator lays out.
type Scope string

const (
	// ScopeKalmar is Kalmar län, calibrated against its published history:
	// the demo that make run loads.
	ScopeKalmar Scope = "kalmar"
	// ScopeSweden is all 290 municipalities around all 2 017 localities:
	// about 4.8 million households and 1 million workplaces at Scale 1,
	// for benchmarks at national size. Its shares are ours (swedenCurves).
	ScopeSweden Scope = "sweden"
)

// Sweden's size at Scale 1. SCB's localities (2020) hold 9.09 of the 10.38
// million people; the households follow the county demo's 2.15 persons a
// household, and as in the county one household in ten lives in a rural
// square.
const (
	swedenPopulation     = 10_379_295 // SCB, 31 December 2020: the year of the localities
	householdsPerPerson  = float64(totalHouseholds) / 247_711
	swedenRuralShare     = 0.10      // of households: rural squares (< 100 households a km²)
	swedenWorkplaces     = 1_000_000 // spec/product.md: about 1 million workplaces
	swedenRuralWorkShare = 0.22
	holidayPerRural      = 0.5 // holiday-home points per rural household (the county: 0.47)
	// anchorWeight stands for the √population of a locality in a
	// municipality SCB lists none for (its towns are counted in a
	// neighbour's, as Stockholm's suburbs are): its rural share.
	anchorWeight = 100
)

// swedenCurves are the national shares of households with access, in
// percent, 2015–2026: ours, shaped like the county's history but ahead of
// it, as the country was; not published figures.
var swedenCurves = curves{
	all100:   [nYears]float64{64, 70, 75, 80, 85, 89, 92, 94, 95.5, 96.5, 97.5, 98.2},
	all1G:    [nYears]float64{35, 45, 53, 62, 72, 82, 86, 89, 91.5, 93, 94.5, 95.5},
	rural100: [nYears]float64{15, 20, 27, 36, 44, 52, 60, 66, 71, 75, 79, 82},
	rural1G:  [nYears]float64{6, 9, 14, 24, 33, 42, 50, 57, 63, 68, 72, 76},
}

// newSwedenLayout lays out every municipality. Each locality takes the 1 km
// squares on land nearest its point, in whichever municipality they lie
// (Stockholm's spill over into Solna and Sundbyberg, as the real tätort
// does), largest locality first. Rural households and workplaces go to each
// municipality in proportion to the sum of the square roots of its
// localities' populations (many small places mean much country around them),
// scattered around its localities as in the county.
func newSwedenLayout(cfg Config) (*layout, error) {
	bounds, err := geo.LoadMunicipalities()
	if err != nil {
		return nil, err
	}
	munis, err := loadSwedenMunicipalities(bounds)
	if err != nil {
		return nil, err
	}
	locs, err := loadLocalities("")
	if err != nil {
		return nil, err
	}
	mask, err := loadSwedenMask()
	if err != nil {
		return nil, err
	}
	ly := &layout{mask: mask, urbanSq: map[geo.Square]bool{}, seed: cfg.Seed, scale: cfg.Scale,
		curves: swedenCurves, calibrationThin: 4}
	byCode := map[string]*muniLayout{}
	for i, m := range munis {
		ml := &muniLayout{municipality: m, index: i, bearing: map[*locality][]float64{}}
		ly.munis = append(ly.munis, ml)
		byCode[m.code] = ml
	}
	urbanPop := 0
	for i, l := range locs {
		l.index = i
		m := byCode[l.muni]
		if m == nil {
			return nil, fmt.Errorf("seeds: locality %s %s: no municipality %s", l.code, l.name, l.muni)
		}
		m.localities = append(m.localities, l)
		urbanPop += l.population
	}

	weight := make([]float64, len(ly.munis))
	weights := 0.0
	var boxes map[string]orb.Bound // read when a municipality needs an anchor
	for i, m := range ly.munis {
		urban := 0
		for _, l := range m.localities {
			weight[i] += math.Sqrt(float64(l.population))
			urban += l.population
		}
		if len(m.localities) == 0 {
			if boxes == nil {
				if boxes, err = municipalityBounds(); err != nil {
					return nil, err
				}
			}
			a, err := ly.anchor(m, boxes[m.code], len(locs)+i)
			if err != nil {
				return nil, err
			}
			m.localities = []*locality{a}
			weight[i] = anchorWeight
		}
		weights += weight[i]
		m.population = urban // the rural share is added below
	}
	households := swedenPopulation * householdsPerPerson
	ruralHH := swedenRuralShare * households
	ruralWork := swedenRuralWorkShare * swedenWorkplaces
	perWeight := float64(swedenPopulation-urbanPop) / weights
	pace, paces := make([]float64, len(ly.munis)), 0.0
	for i, m := range ly.munis {
		m.population += int(math.Round(perWeight * weight[i]))
		pace[i] = math.Exp(0.4 * normal(hash(ly.seed, tagMunicipality, uint64(i), 1)))
		paces += pace[i] * float64(m.population)
	}
	for i, m := range ly.munis {
		m.cal = swedenCalibration(ly.seed, i, pace[i]*swedenPopulation/paces)
		m.holiday = holidayPerRural * ruralHH * weight[i] / weights
		m.postcodes, m.cityNet = swedenNames(ly.seed, m.municipality, m.index)
	}

	for _, l := range locs { // largest first
		share := float64(l.population) / float64(urbanPop)
		hh := max(130, (households-ruralHH)*share)
		want := max(1, int(math.Round(l.areaHa/100)))
		squares := ly.pickSquaresAnywhere(bounds, byCode, l, want)
		if len(squares) == 0 {
			continue // an island too small for a square: its people live in the country
		}
		if err := ly.fillLocality(byCode[l.muni], l, squares, hh, (swedenWorkplaces-ruralWork)*share); err != nil {
			return nil, err
		}
	}
	for i, m := range ly.munis {
		ly.roads(m)
		if err := ly.placeRural(m, ruralHH*weight[i]/weights, ruralWork*weight[i]/weights); err != nil {
			return nil, err
		}
		start := 0
		for k := range m.slots {
			m.slots[k].start = start
			start += m.slots[k].n()
		}
		m.nPoints = start
	}
	return ly, nil
}

// pickSquaresAnywhere is pickSquares without the locality's municipality:
// a square belongs to the municipality holding its centre (or, with the
// centre at sea, its first sample on land), and only that municipality's
// land counts toward it.
func (ly *layout) pickSquaresAnywhere(bounds *geo.Municipalities, byCode map[string]*muniLayout, l *locality, want int) []candidate {
	radius := 1000 * (math.Sqrt(float64(want)) + 2.5)
	c0 := geo.SquareOf(l.at, geo.KmSquareSize)
	steps := int64(radius/1000) + 1
	var cands []candidate
	for de := -steps; de <= steps; de++ {
		for dn := -steps; dn <= steps; dn++ {
			sq := geo.Square{E: c0.E + de*1000, N: c0.N + dn*1000, Size: geo.KmSquareSize}
			ctr := sq.Center()
			d := math.Hypot(ctr.E-l.at.E, ctr.N-l.at.N)
			if d > radius || ly.urbanSq[sq] {
				continue
			}
			c := candidate{sq: sq, d: d}
			n := 0
			for i := range 8 {
				for j := range 8 {
					p := geo.SWEREF{E: float64(sq.E) + 62.5 + 125*float64(i), N: float64(sq.N) + 62.5 + 125*float64(j)}
					if !ly.mask.land(p) {
						continue
					}
					if c.m == nil {
						code := bounds.Locate(ctr)
						if code == "" || !bounds.Contains(code, p) {
							code = bounds.Locate(p)
						}
						if c.m = byCode[code]; c.m == nil {
							continue
						}
					}
					if c.m.contains(p) {
						c.land[(j/2)*4+i/2]++
						n++
					}
				}
			}
			if c.m == nil {
				continue
			}
			c.frac = float64(n) / 64
			cands = append(cands, c)
		}
	}
	return chooseSquares(cands, want)
}

// anchor is a locality of no population for a municipality SCB lists none
// for: the point on land inside it nearest the middle of its bounding box
// (b, WGS 84), so that its rural households have somewhere to be.
func (ly *layout) anchor(m *muniLayout, b orb.Bound, index int) (*locality, error) {
	ctr := geo.ToSWEREF(b.Center())
	for r := 0.0; r <= 30000; r += 250 {
		for a := 0.0; a < 2*math.Pi; a += math.Pi / 16 {
			p := geo.SWEREF{E: ctr.E + r*math.Cos(a), N: ctr.N + r*math.Sin(a)}
			if ly.mask.land(p) && m.contains(p) {
				return &locality{index: index, code: m.code + "TX000", name: m.name, muni: m.code, at: p}, nil
			}
		}
	}
	return nil, fmt.Errorf("seeds: municipality %s %s: no land found for its anchor", m.code, m.name)
}

// municipalityBounds returns the WGS 84 bounding box of every municipality.
func municipalityBounds() (map[string]orb.Bound, error) {
	raw, err := geo.ReferenceFile("municipalities.geojson")
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil, fmt.Errorf("seeds: municipalities.geojson: %w", err)
	}
	bs := map[string]orb.Bound{}
	for _, f := range fc.Features {
		bs[f.Properties.MustString("code", "")] = f.Geometry.Bound()
	}
	return bs, nil
}

// swedenCalibration gives a municipality its own pace: the share of its
// households without ≥ 100 Mbit/s is the nation's times f (about 0.5–2,
// averaging 1 over the population), and its rural areas fare a factor
// 0.6–1.6 of the nation's.
func swedenCalibration(seed uint64, index int, f float64) muniCalibration {
	c := muniCalibration{ruralFactor: clamp(math.Exp(0.25*normal(hash(seed, tagMunicipality, uint64(index), 2))), 0.6, 1.6)}
	for y := range nYears {
		c.share100[y] = clamp(100-(100-swedenCurves.all100[y])*f, 1, 99.5)
	}
	return c
}

// swedenNames invents a municipality's postcode series (one three-digit
// area per 100 000 people) and the name of its own network.
func swedenNames(seed uint64, m *municipality, index int) ([]string, string) {
	h := hash(seed, tagMunicipality, uint64(index), 3)
	var codes []string
	for i := range 1 + m.population/100_000 {
		codes = append(codes, fmt.Sprintf("%03d", 100+(h+uint64(i)*7)%890))
	}
	nets := []string{"%s Stadsnät", "%s Energi", "%s Fibernät", "%s Kommunnät"}
	return codes, fmt.Sprintf(nets[(h>>32)%uint64(len(nets))], m.name)
}

// loadSwedenMunicipalities reads every row of municipalities.csv: code and
// name (the population is estimated from the localities).
func loadSwedenMunicipalities(bounds *geo.Municipalities) ([]*municipality, error) {
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 || len(recs[0]) < 2 || recs[0][0] != "code" || recs[0][1] != "name" {
		return nil, fmt.Errorf("seeds: municipalities.csv: want a header code;name;…: %v", err)
	}
	var munis []*municipality
	for _, rec := range recs[1:] {
		munis = append(munis, &municipality{code: rec[0], name: rec[1], bounds: bounds})
	}
	if len(munis) != 290 {
		return nil, fmt.Errorf("seeds: municipalities.csv: %d municipalities, want 290", len(munis))
	}
	return munis, nil
}
