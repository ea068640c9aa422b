package seeds

import (
	"math"
	"strconv"
)

// header is the import format's columns (shared spec/coverage-format.md),
// in the order the generator writes them.
const header = "address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year\n"

// offer is one row of a point: a technology with its best offer.
type offer struct {
	tech, status string
	down, up     int
	operator     string
	plannedYear  int
}

// fixedTech tells the technologies that count toward the fixed-broadband
// targets (spec/coverage-format.md, "What counts as access").
func fixedTech(tech string) bool {
	switch tech {
	case "mobile", "satellite", "none":
		return false
	}
	return true
}

// offers lists a point's rows for a year, in a fixed order, at most one per
// technology. The point's class comes first (its latent against the
// calibrated thresholds), then technologies consistent with it.
func (m *muniLayout) offers(dst []offer, p *point, year int) []offer {
	y := yearIndex(year)
	has100 := p.z < m.q100[p.zone][y]
	has1G := p.z < m.q1G[p.zone][y]

	// Who gives the best class: fibre mostly; cable for some town points
	// (gigabit only from DOCSIS 3.1); fixed wireless or a building LAN at
	// exactly 100 Mbit/s for a few.
	var fibre, cable, fwa, other offer
	cableBest := p.cable && p.u[uProvider] < 0.5
	switch {
	case !has100:
	case cableBest && (!has1G || year >= gigabitCableFrom):
		cable = offer{tech: "cable", down: cableSpeed(p, year, has1G)}
	case p.fwa && !has1G && p.u[uProvider] < 0.35:
		fwa = offer{tech: "fixed_wireless", down: 100}
	case p.lan && !has1G:
		other = offer{tech: "other", down: 100}
	default:
		fibre = offer{tech: "fiber", down: fibreSpeed(p, year, has1G), operator: p.fibreNet}
		fibre.up = fibre.down
		fibre.status = "passed"
		if p.u[uConnect] < connectTake[min(3, year-m.firstYear100(p, year))] {
			fibre.status = "connected"
		}
	}
	// The other technologies a point has, each below its best class.
	if p.cable && cable.tech == "" {
		cable = offer{tech: "cable", down: 60}
		if has100 {
			cable.down = cableSpeed(p, min(year, gigabitCableFrom-1), false)
		} else if p.u[uSpeed] < 0.5 {
			cable.down = 50
		}
	}
	if cable.tech != "" {
		cable.up = max(5, cable.down/10)
		cable.status = "connected"
		if p.u[uConnect] > 0.55 {
			cable.status = "passed"
		}
		cable.operator = opComHem
		if year > comHemUntil {
			cable.operator = opTele2
		}
	}
	if p.fwa && fwa.tech == "" {
		fwa = offer{tech: "fixed_wireless", down: 30}
		switch {
		case has100 && p.u[uSpeed] < 0.3:
			fwa.down = 100
		case p.u[uSpeed] < 0.5:
			fwa.down = 50
		case p.u[uSpeed] < 0.7:
			fwa.down = 60
		}
	}
	if fwa.tech != "" {
		fwa.up, fwa.status, fwa.operator = fwa.down/5, "connected", opNet1
	}
	if p.lan && other.tech == "" {
		other = offer{tech: "other", down: 10}
		if has100 {
			other.down = 100
		}
	}
	if other.tech != "" {
		other.up, other.status, other.operator = other.down, "connected", opBuildingLAN
	}
	var dsl offer
	copper := copperUrban
	if p.zone == rural {
		copper = copperRural
	}
	if p.built == 0 && p.u[uCopper] < copper[y] {
		dsl = offer{tech: "dsl", status: "connected", operator: opTelia}
		dsl.down, dsl.up = dslSpeed(p)
		if p.u[uConnect] > 0.7 {
			dsl.status = "passed"
		}
	}

	fixed := fibre.tech != "" || cable.tech != "" || dsl.tech != "" || fwa.tech != "" || other.tech != ""
	if fibre.tech == "" && !cableBest {
		// Planned fibre: the year it comes, when that is next year or the one
		// after; one plan in ten is a year too hopeful.
		for ahead := 1; ahead <= planYears; ahead++ {
			if p.z < m.q100[p.zone][y+ahead] {
				due := year + ahead
				if ahead == 2 && p.u[uPlan] < 0.1 {
					due--
				}
				fibre = offer{tech: "fiber", status: "planned", down: 1000, up: 1000, operator: p.fibreNet, plannedYear: due}
				break
			}
		}
	}
	dst = append(dst[:0], fibre, cable, dsl, fwa, other)
	if !fixed && fibre.tech == "" {
		dst = append(dst, offer{tech: "none"})
	}
	dst = append(dst, mobileOffer(m, p, year), satelliteOffer(p, year, fixed))
	return dst
}

// firstYear100 is the first snapshot year the point had ≥ 100 Mbit/s (when
// its fibre came), up to year.
func (m *muniLayout) firstYear100(p *point, year int) int {
	for y := max(firstYear, p.built); y < year; y++ {
		if p.z < m.q100[p.zone][yearIndex(y)] {
			return y
		}
	}
	return year
}

// fibreSpeed: gigabit when the class says so; otherwise 100 or 250 Mbit/s,
// 250 more common in later years.
func fibreSpeed(p *point, year int, gigabit bool) int {
	switch {
	case gigabit:
		return 1000
	case p.u[uSpeed] < 0.6-0.05*float64(year-firstYear):
		return 100
	}
	return 250
}

// cableSpeed: 100, 250 or 500 Mbit/s on DOCSIS 3.0, 1 Gbit/s on 3.1.
func cableSpeed(p *point, year int, gigabit bool) int {
	switch {
	case gigabit && year >= gigabitCableFrom:
		return 1000
	case p.u[uSpeed] < 0.35:
		return 100
	case p.u[uSpeed] < 0.75:
		return 250
	}
	return 500
}

// dslSpeed: VDSL in the towns, long ADSL lines in the country.
func dslSpeed(p *point) (down, up int) {
	u := p.u[uSpeed]
	if p.zone == urban {
		switch {
		case u < 0.3:
			return 60, 10
		case u < 0.55:
			return 30, 5
		case u < 0.8:
			return 24, 2
		}
		return 10, 1
	}
	switch {
	case u < 0.15:
		return 30, 5
	case u < 0.45:
		return 24, 2
	case u < 0.75:
		return 10, 1
	}
	return 8, 1
}

// mobileOffer: 4G for most points, 5G in the main towns from 2020, in every
// locality from 2022 and in part of the country from 2023.
func mobileOffer(m *muniLayout, p *point, year int) offer {
	share := 0.8
	if p.zone == rural {
		share = 0.6
	}
	if p.u[uMobile] >= share {
		return offer{}
	}
	o := offer{tech: "mobile", status: "passed", operator: mobileOperators[int(p.u[uOperator]*4)%4]}
	u := p.u[uSpeed]
	switch {
	case p.zone == urban && year >= fiveGFrom && p.locality == m.localities[0].name && m.localities[0].population >= 10000:
		o.down, o.up = 500, 100
		if u < 0.4 {
			o.down = 1000
		}
	case p.zone == urban && year >= fiveGLocalFrom:
		o.down, o.up = 300, 60
	case p.zone == urban:
		o.down, o.up = 100, 20
		if u < 0.4 {
			o.down = 150
		}
	case year >= fiveGRuralFrom && u < 0.4:
		o.down, o.up = 200, 40
	default:
		o.down, o.up = 30, 5
		if u < 0.5 {
			o.down = 60
		}
	}
	return o
}

// satelliteOffer: remote points, and some rural points left without a
// fixed line; low-orbit service from 2021 lifts them past 100 Mbit/s.
func satelliteOffer(p *point, year int, fixed bool) offer {
	if !p.remote && (fixed || p.zone != rural || p.u[uSatellite] > 0.3) {
		return offer{}
	}
	o := offer{tech: "satellite", status: "passed", down: 30, up: 6, operator: opEutelsat}
	if year >= starlinkFrom {
		o.down, o.up, o.operator = 150, 15, opStarlink
		if year >= starlinkFrom+2 {
			o.down = 250
		}
	}
	return o
}

// households of the point in year: apartments change a little from year
// to year, and a point that does not exist yet has none.
func (p *point) householdsIn(year int) int {
	if p.kind != kindApartment {
		return p.households
	}
	d := unit(hash(p.key, tagYear, uint64(year)))
	delta := int(math.Round((d - 0.5) * 2 * math.Max(1, 0.08*float64(p.households))))
	return max(1, p.households+delta)
}

// appendRows appends the point's rows for one year to b.
func appendRows(b []byte, m *muniLayout, p *point, hh int, offers []offer) []byte {
	for _, o := range offers {
		if o.tech == "" {
			continue
		}
		b = append(b, "A-"...)
		b = append(b, m.code...)
		b = append(b, '-')
		b = appendPadded(b, p.index+1, 6)
		b = append(b, ';')
		b = append(b, m.code...)
		b = append(b, ';')
		b = strconv.AppendFloat(b, math.Round(p.pos.E*10)/10, 'f', 1, 64)
		b = append(b, ';')
		b = strconv.AppendFloat(b, math.Round(p.pos.N*10)/10, 'f', 1, 64)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(hh), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(p.workplaces), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(p.holiday), 10)
		b = append(b, ';')
		b = append(b, o.tech...)
		b = append(b, ';')
		b = append(b, o.status...)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(o.down), 10)
		b = append(b, ';')
		if o.tech != "none" {
			b = strconv.AppendInt(b, int64(o.up), 10)
		}
		b = append(b, ';')
		b = append(b, p.street...)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(p.number), 10)
		if p.letter != 0 {
			b = append(b, p.letter)
		}
		b = append(b, ';')
		b = append(b, p.postcode...)
		b = append(b, ';')
		b = append(b, p.locality...)
		b = append(b, ';')
		b = append(b, o.operator...)
		b = append(b, ';')
		if o.plannedYear != 0 {
			b = strconv.AppendInt(b, int64(o.plannedYear), 10)
		}
		b = append(b, '\n')
	}
	return b
}

// appendPadded appends n with leading zeros to at least width digits.
func appendPadded(b []byte, n, width int) []byte {
	for d := 10; width > 1; width-- {
		if n < d {
			b = append(b, '0')
		}
		d *= 10
	}
	return strconv.AppendInt(b, int64(n), 10)
}
