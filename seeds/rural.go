package seeds

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gigakoll/gigakoll/geo"
)

// roads records, per locality, the directions toward the municipality's
// other localities within 20 km: farms string along the roads between them.
func (ly *layout) roads(m *muniLayout) {
	for _, a := range m.localities {
		for _, b := range m.localities {
			d := math.Hypot(b.at.E-a.at.E, b.at.N-a.at.N)
			if a != b && d < 20000 {
				m.bearing[a] = append(m.bearing[a], math.Atan2(b.at.N-a.at.N, b.at.E-a.at.E))
			}
		}
	}
}

// placeRural lays out the villages and the scatter around each locality.
func (ly *layout) placeRural(m *muniLayout, hh, work float64) error {
	r := rand.New(rand.NewPCG(hash(ly.seed, tagVillages), uint64(m.index)))
	weights := make([]float64, len(m.localities))
	wsum := 0.0
	for i, l := range m.localities {
		weights[i] = math.Pow(float64(l.population), 0.35)
		wsum += weights[i]
	}
	pick := func() *locality {
		x := r.Float64() * wsum
		for i, w := range weights {
			if x < w {
				return m.localities[i]
			}
			x -= w
		}
		return m.localities[len(weights)-1]
	}
	names := map[string]bool{}
	for _, l := range m.localities {
		names[l.name] = true
	}
	villageHH := 0.0
	villageWork := 0.0
	left := villageShare * hh
	var villages []slot
	for left >= 5 {
		size := math.Min(float64(8+r.IntN(28)), left)
		left -= size
		v, ok := ly.siteVillage(r, m, pick(), villages)
		if !ok {
			continue
		}
		name := placeName(m.code, r.Uint64())
		for names[name] {
			name = placeName(m.code, r.Uint64())
		}
		names[name] = true
		v.name = name
		v.index = len(villages)
		s := slot{kind: slotVillage, loc: v.anchor, vil: v}
		houses := math.Round(size / (1 + twoHouseholds))
		s.counts[kindHouse] = ly.scaled(houses)
		s.counts[kindWork] = ly.scaled(float64(r.IntN(2)))
		if olandMunicipality(m.code) || ly.mask.nearWater(v.at, 600) {
			s.counts[kindHoliday] = ly.scaled(float64(2 + r.IntN(5)))
		}
		s.counts[kindNewHouse] = ly.scaled(float64(r.IntN(2)))
		s.postal = ruralPostcode(m, v.anchor)
		s.spare = v.at
		villageHH += houses * (1 + twoHouseholds)
		villageWork += houses*workPerVillage + float64(s.counts[kindWork])/ly.scale*workPerWorkRural
		villages = append(villages, s)
	}
	m.slots = append(m.slots, villages...)

	farms := (hh - villageHH) / (1 + twoHouseholds)
	workPts := math.Max(0, (work-villageWork-farms*workPerFarm)/workPerWorkRural)
	holiday := m.holiday
	if olandMunicipality(m.code) {
		holiday *= 0.85 // the rest are in the towns
	}
	for i, l := range m.localities {
		w := weights[i] / wsum
		spare, ok := ly.ruralSpot(r, m, l)
		if !ok {
			return fmt.Errorf("seeds: locality %s %s: no rural land within %d m", l.code, l.name, ruralMaxDistance)
		}
		s := slot{kind: slotScatter, loc: l, postal: ruralPostcode(m, l), spare: spare}
		s.counts[kindHouse] = ly.scaled(farms * w)
		s.counts[kindWork] = ly.scaled(workPts * w)
		s.counts[kindHoliday] = ly.scaled(holiday * w)
		s.counts[kindNewHouse] = ly.scaled(0.01 * farms * w)
		m.slots = append(m.slots, s)
	}
	return nil
}

// siteVillage finds a village centre 1.6–4 km from its anchor, on land, in
// the municipality, clear of the towns' squares and 2.2 km from other
// villages.
func (ly *layout) siteVillage(r *rand.Rand, m *muniLayout, anchor *locality, others []slot) (*village, bool) {
	for range 400 {
		d := 1600 + 2400*r.Float64()
		a := 2 * math.Pi * r.Float64()
		p := geo.SWEREF{E: anchor.at.E + d*math.Cos(a), N: anchor.at.N + d*math.Sin(a)}
		if !ly.mask.land(p) || !m.contains(p) || ly.nearUrban(p) {
			continue
		}
		clear := true
		for _, o := range others {
			if math.Hypot(o.vil.at.E-p.E, o.vil.at.N-p.N) < 2200 {
				clear = false
				break
			}
		}
		if clear {
			return &village{at: p, anchor: anchor}, true
		}
	}
	return nil, false
}

// nearUrban reports whether p's 1 km square or one of its eight neighbours
// is a town's.
func (ly *layout) nearUrban(p geo.SWEREF) bool {
	sq := geo.SquareOf(p, geo.KmSquareSize)
	for de := int64(-1); de <= 1; de++ {
		for dn := int64(-1); dn <= 1; dn++ {
			if ly.urbanSq[geo.Square{E: sq.E + de*1000, N: sq.N + dn*1000, Size: sq.Size}] {
				return true
			}
		}
	}
	return false
}

// ruralSpot finds one valid rural position near l, the fallback of its
// scatter.
func (ly *layout) ruralSpot(r *rand.Rand, m *muniLayout, l *locality) (geo.SWEREF, bool) {
	for range 2000 {
		d := 1200 + 3400*r.Float64()
		a := 2 * math.Pi * r.Float64()
		p := geo.SWEREF{E: l.at.E + d*math.Cos(a), N: l.at.N + d*math.Sin(a)}
		if ly.validRural(m, l, p) {
			return p, true
		}
	}
	return geo.SWEREF{}, false
}

// validRural: on land, in the municipality, within reach of the anchor, and
// not in a town's square.
func (ly *layout) validRural(m *muniLayout, anchor *locality, p geo.SWEREF) bool {
	return math.Hypot(p.E-anchor.at.E, p.N-anchor.at.N) <= ruralMaxDistance &&
		!ly.urbanSq[geo.SquareOf(p, geo.KmSquareSize)] &&
		ly.mask.land(p) && m.contains(p)
}
