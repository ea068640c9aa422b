package seeds

import (
	"math"
	"math/rand/v2"

	"github.com/gigakoll/gigakoll/geo"
)

// point is one address point as derived from (seed, municipality, index):
// everything but what changes by year.
type point struct {
	index      int // in its municipality; the address id is index+1
	kind       kind
	zone       zone
	pos        geo.SWEREF
	street     string
	number     int
	letter     byte // 0, or 'A'…'D'
	postcode   string
	locality   string
	households int // apartments vary a little by year around this
	workplaces int
	holiday    int
	built      int     // first snapshot year that has the point; 0 = all
	z          float64 // latent: the lower, the earlier it gets broadband
	key        uint64  // for per-year draws
	cable      bool    // in a cable TV network
	fwa        bool    // reached by fixed wireless
	lan        bool    // an apartment building with the landlord's own network
	remote     bool    // far out: a satellite customer
	fibreNet   string  // who builds its fibre
	u          [numDraws]float64
}

// Fixed uniform draws of a point, used year after year so that its story
// hangs together: once connected, connected; a 250 Mbit/s line stays one
// until it turns gigabit.
const (
	uConnect = iota
	uProvider
	uCopper
	uSpeed
	uMobile
	uSatellite
	uOperator
	uPlan
	numDraws
)

// pointGen derives points; one per goroutine.
type pointGen struct {
	ly  *layout
	pcg *rand.PCG
	r   *rand.Rand
}

func newPointGen(ly *layout) *pointGen {
	pcg := rand.NewPCG(0, 0)
	return &pointGen{ly: ly, pcg: pcg, r: rand.New(pcg)}
}

// derive fills p with the j-th point of slot s of municipality m.
func (g *pointGen) derive(p *point, m *muniLayout, s *slot, j int) {
	ly, r := g.ly, g.r
	*p = point{index: s.start + j, kind: s.kindOf(j), postcode: s.postal}
	p.key = hash(ly.seed, tagPoint, uint64(m.index), uint64(p.index))
	g.pcg.Seed(p.key, uint64(p.index))

	var zc float64
	switch s.kind {
	case slotSquare:
		p.zone = urban
		p.locality = s.loc.name
		g.placeUrban(p, m, s)
		zc = ly.cellLatent(floorDiv(p.pos.E, geo.SquareSize), floorDiv(p.pos.N, geo.SquareSize))
	case slotVillage:
		p.zone = rural
		p.locality = postTown(m, s.loc)
		g.placeVillage(p, m, s, j)
		zc = ly.villageLatent(m, s.vil)
	case slotScatter:
		p.zone = rural
		p.locality = postTown(m, s.loc)
		g.placeScatter(p, m, s)
		zc = ly.kmLatent(geo.SquareOf(p.pos, geo.KmSquareSize))
	}
	for i := range p.u {
		p.u[i] = r.Float64()
	}
	p.z = rho*zc + rhoRest*r.NormFloat64()

	switch p.kind {
	case kindApartment:
		lo, hi := apartmentRange(s.loc.population)
		u := r.Float64()
		p.households = lo + int(float64(hi-lo+1)*u*u)
		if r.Float64() >= 0.6 {
			p.workplaces = 1 + r.IntN(4)
		}
		p.cable = s.loc.population >= 5000 && r.Float64() < 0.45
		p.lan = s.loc.population >= 20000 && r.Float64() < 0.05
	case kindHouse, kindNewHouse:
		p.households = 1
		if r.Float64() < twoHouseholds {
			p.households = 2
		}
		x := r.Float64()
		switch {
		case s.kind == slotSquare:
			if x < workPerHouse {
				p.workplaces = 1
			}
			p.cable = s.loc.population >= 5000 && r.Float64() < 0.08
		case s.kind == slotVillage:
			if x < workPerVillage {
				p.workplaces = 1
			}
		case x < 0.3: // a farm
			p.workplaces = 1
		case x < 0.35:
			p.workplaces = 2
		}
		if s.kind != slotSquare && r.Float64() < 0.06 || olandMunicipality(m.code) && r.Float64() < 0.03 {
			p.holiday = 1
		}
		if p.kind == kindNewHouse {
			p.built = firstYear + 1 + r.IntN(lastYear-firstYear)
			p.z = math.Inf(-1) // new builds come with fibre
		}
	case kindWork:
		if p.zone == urban {
			if r.Float64() < 0.9 {
				p.workplaces = 1 + r.IntN(9)
			} else {
				p.workplaces = 10 + r.IntN(51)
			}
		} else {
			p.workplaces = 1 + r.IntN(2)
			if r.Float64() < 0.1 {
				p.workplaces++
			}
		}
	case kindHoliday:
		p.holiday = 1
		switch x := r.Float64(); {
		case x < 0.02:
			p.holiday = 3
		case x < 0.12:
			p.holiday = 2
		}
	}
	p.fwa = p.zone == rural && r.Float64() < 0.14
	p.remote = p.zone == rural && math.Hypot(p.pos.E-s.loc.at.E, p.pos.N-s.loc.at.N) > 3000 && r.Float64() < 0.3
	p.fibreNet = fibreNetwork(m, s, p.u[uOperator])
}

// postTown is the postal town of a rural address: its locality when that
// is a real town, the main town otherwise.
func postTown(m *muniLayout, l *locality) string {
	if l.population >= 1000 {
		return l.name
	}
	return m.localities[0].name
}

// fibreNetwork is who builds a point's fibre: the municipal network in the
// towns (Telia in some villa areas), village networks and IP-Only in the
// country.
func fibreNetwork(m *muniLayout, s *slot, u float64) string {
	city := m.cityNet
	switch s.kind {
	case slotSquare:
		if u < 0.18 {
			return opTelia
		}
		return city
	case slotVillage:
		switch {
		case olandMunicipality(m.code) && u < 0.8:
			return s.vil.name + byanatOland
		case u < 0.55:
			return s.vil.name + villageNetName
		case u < 0.8:
			return opIPOnly
		}
		return city
	}
	switch {
	case u < 0.4:
		return opIPOnly
	case u < 0.5:
		return opTelia
	}
	return city
}

func floorDiv(v float64, size int64) int64 { return int64(math.Floor(v / float64(size))) }

// streetSpacing is the distance between parallel streets in a town, and
// segmentLength the length of a street before its name changes.
const (
	streetSpacing = 100.0
	segmentLength = 600.0
	houseSpacing  = 25.0
	townFalloff   = 350.0 // metres over which a town's density falls by e
)

// distanceToSquare is the distance from p to the nearest point of sq.
func distanceToSquare(p geo.SWEREF, sq geo.Square) float64 {
	de := math.Max(0, math.Max(float64(sq.E)-p.E, p.E-float64(sq.E+sq.Size)))
	dn := math.Max(0, math.Max(float64(sq.N)-p.N, p.N-float64(sq.N+sq.Size)))
	return math.Hypot(de, dn)
}

// placeUrban puts a town point on a street of the locality's grid (turned
// by an angle of its own), inside its square, on land.
func (g *pointGen) placeUrban(p *point, m *muniLayout, s *slot) {
	ly, r, l := g.ly, g.r, s.loc
	angle := unit(hash(ly.seed, tagAngle, uint64(l.index))) * math.Pi / 2
	cos, sin := math.Cos(angle), math.Sin(angle)
	// Denser toward the locality's point, so that a town thins out into the
	// country instead of ending at a square's edge.
	near := distanceToSquare(l.at, s.sq)
	for try := range 80 {
		e := float64(s.sq.E) + 1000*r.Float64()
		n := float64(s.sq.N) + 1000*r.Float64()
		if d := math.Hypot(e-l.at.E, n-l.at.N); try < 50 && r.Float64() > math.Exp(-(d-near)/townFalloff) {
			continue
		}
		u := (e-l.at.E)*cos + (n-l.at.N)*sin
		v := -(e-l.at.E)*sin + (n-l.at.N)*cos
		family := r.IntN(2)
		side := 1.0
		if r.IntN(2) == 0 {
			side = -1
		}
		setback := 8 + 10*r.Float64()
		var along, cross float64
		if family == 0 {
			cross = math.Round(v / streetSpacing)
			v = cross*streetSpacing + side*setback
			along = u
		} else {
			cross = math.Round(u / streetSpacing)
			u = cross*streetSpacing + side*setback
			along = v
		}
		pos := geo.SWEREF{E: l.at.E + u*cos - v*sin, N: l.at.N + u*sin + v*cos}
		if geo.SquareOf(pos, geo.KmSquareSize) != s.sq || !ly.mask.land(pos) || !m.contains(pos) {
			continue
		}
		seg := math.Floor(along / segmentLength)
		p.pos = pos
		p.street = ly.streetName(l, family, cross, seg)
		p.number = 1 + 2*int((along-seg*segmentLength)/houseSpacing)
		if side > 0 {
			p.number++
		}
		if p.kind != kindApartment && r.Float64() < 0.06 {
			p.letter = 'A' + byte(r.IntN(4))
		}
		return
	}
	p.pos = s.spare
	p.street = ly.streetName(l, 0, 0, 0)
	p.number = 1 + r.IntN(40)
}

// streetName names a stretch of street: town-centre names near the
// locality's point, residential names further out.
func (ly *layout) streetName(l *locality, family int, cross, seg float64) string {
	h := hash(ly.seed, tagStreet, uint64(l.index), uint64(family), uint64(int64(cross)), uint64(int64(seg)))
	mid := (seg + 0.5) * segmentLength
	if math.Hypot(mid, cross*streetSpacing) < 700 || l.population < 1000 && h%3 == 0 {
		return centreStreets[h%uint64(len(centreStreets))]
	}
	return suburbStreets[h%uint64(len(suburbStreets))]
}

// placeVillage puts a point around its village's centre; the village name
// is its street and the points are numbered in order.
func (g *pointGen) placeVillage(p *point, m *muniLayout, s *slot, j int) {
	ly, r, v := g.ly, g.r, s.vil
	p.street, p.number = v.name, j+1
	for range 40 {
		pos := geo.SWEREF{E: v.at.E + clamp(220*r.NormFloat64(), -700, 700), N: v.at.N + clamp(220*r.NormFloat64(), -700, 700)}
		if ly.validRural(m, v.anchor, pos) {
			p.pos = pos
			return
		}
	}
	p.pos = s.spare
}

// placeScatter puts a farm, a rural workplace or a cottage 1.2–4.85 km
// from its locality, along the road to a neighbouring locality half of the
// time; cottages seek the shore.
func (g *pointGen) placeScatter(p *point, m *muniLayout, s *slot) {
	ly, r, l := g.ly, g.r, s.loc
	roads := m.bearing[l]
	for try := range 60 {
		d := 1200 + 3650*r.Float64()
		var a, off float64
		if len(roads) > 0 && r.IntN(2) == 0 {
			a = roads[r.IntN(len(roads))]
			off = 250 * r.NormFloat64()
		} else {
			a = 2 * math.Pi * r.Float64()
		}
		pos := geo.SWEREF{
			E: l.at.E + d*math.Cos(a) - off*math.Sin(a),
			N: l.at.N + d*math.Sin(a) + off*math.Cos(a),
		}
		if !ly.validRural(m, l, pos) {
			continue
		}
		if p.kind == kindHoliday && try < 30 && !ly.mask.nearWater(pos, 400) {
			continue
		}
		p.pos = pos
		break
	}
	if p.pos == (geo.SWEREF{}) {
		p.pos = s.spare
	}
	hamlet := hash(ly.seed, tagHamlet, uint64(m.index), uint64(floorDiv(p.pos.E, 1500)), uint64(floorDiv(p.pos.N, 1500)))
	p.street = placeName(m.code, hamlet)
	p.number = 1 + r.IntN(24)
}
