package coverage

import (
	"fmt"
	"math"

	"github.com/gigakoll/gigakoll/geo"
)

// Offer is one row of the file at its address point: an offer over one
// technology. It is stored as the composite type offer (migrations/0004).
type Offer struct {
	Technology  Technology
	Status      Status // "" for technology none
	Down, Up    Speed
	Operator    string
	PlannedYear *int16
	Line        int // line in the file (not stored)
}

// Point is an address point with all its rows, as the import writes it.
type Point struct {
	Line             int // the line of its first row
	AddressID        string
	MunicipalityCode string
	E, N             float64
	Households       int32
	Workplaces       int32
	HolidayHomes     *int32
	Street, Number   string
	Postcode         string
	Locality         string
	Offers           []Offer
	Inside           bool // inside its municipality's boundary

	// The best connected or passed fixed offer (spec/coverage-format.md,
	// "What counts as access"); BestFixed is 0 without one.
	BestFixed         Speed
	BestFixedTech     Technology // "" without one
	BestFixedOperator string
	BestAny           Speed // including mobile and satellite
	// The best planned fixed build and its year (the earliest of the best).
	Planned     Speed // Valid false without one
	PlannedYear *int16
}

// technologyRank orders technologies as the enum does, to break ties
// between offers of the same speed.
var technologyRank = map[Technology]int{Fiber: 0, Cable: 1, DSL: 2, FixedWireless: 3, Mobile: 4, Satellite: 5, Other: 6, NoBroadband: 7}

// folder turns the reader's rows into points: the rows of one address point
// that follow each other in the file become one point. A point whose rows
// are scattered comes out in pieces, which the store merges (rare: files
// list a point's technologies together).
type folder struct {
	rd       *Reader
	ix       *geo.Municipalities
	cur      *Point
	done     bool
	outside  int // points outside their municipality
	points   int64
	problems *Problems
}

func newFolder(rd *Reader, ix *geo.Municipalities) *folder {
	return &folder{rd: rd, ix: ix, problems: rd.Problems()}
}

// Next returns the next complete point, or nil at the end of the file.
// Points with errors are reported and skipped.
func (f *folder) Next() *Point {
	for !f.done {
		if !f.rd.Next() {
			f.done = true
			break
		}
		r := f.rd.Row()
		if f.cur != nil && f.cur.AddressID == r.AddressID {
			f.cur.addRow(r, f.problems, f.rd.opt.Name)
			continue
		}
		p := f.cur
		f.cur = newPoint(r)
		if p != nil && f.finish(p) {
			return p
		}
	}
	if p := f.cur; p != nil {
		f.cur = nil
		if f.finish(p) {
			return p
		}
	}
	return nil
}

func newPoint(r *Row) *Point {
	p := &Point{
		Line: r.Line, AddressID: r.AddressID, MunicipalityCode: r.MunicipalityCode, E: r.E, N: r.N,
		Households: r.Households, Workplaces: r.Workplaces, HolidayHomes: r.HolidayHomes,
		Street: r.Street, Number: r.Number, Postcode: r.Postcode, Locality: r.Locality,
	}
	p.Offers = append(p.Offers, offerOf(r))
	return p
}

func offerOf(r *Row) Offer {
	return Offer{Technology: r.Technology, Status: r.Status, Down: r.DownMbps, Up: r.UpMbps,
		Operator: r.Operator, PlannedYear: r.PlannedYear, Line: r.Line}
}

// addRow adds a row of the same address point, checking that it agrees with
// the point's first row (spec/coverage-format.md, "Errors").
func (p *Point) addRow(r *Row, probs *Problems, file string) {
	bad := func(col, value, msg string) {
		probs.Error(Problem{File: file, Line: r.Line, Column: col, Value: value, Message: msg})
	}
	for _, o := range p.Offers {
		if o.Technology == r.Technology {
			bad(colTechnology, string(r.Technology), fmt.Sprintf("address point %s has this technology on line %d already", p.AddressID, o.Line))
		}
	}
	if r.Households != p.Households {
		bad(colHouseholds, fmt.Sprint(r.Households), fmt.Sprintf("address point %s has %d households on line %d: households must agree on all its rows", p.AddressID, p.Households, p.Line))
	}
	if r.Workplaces != p.Workplaces {
		bad(colWorkplaces, fmt.Sprint(r.Workplaces), fmt.Sprintf("address point %s has %d workplaces on line %d: workplaces must agree on all its rows", p.AddressID, p.Workplaces, p.Line))
	}
	if count(r.HolidayHomes) != count(p.HolidayHomes) {
		bad(colHolidayHomes, countText(count(r.HolidayHomes)), fmt.Sprintf("address point %s has %s holiday homes on line %d: they must agree on all its rows", p.AddressID, countText(count(p.HolidayHomes)), p.Line))
	}
	if r.MunicipalityCode != p.MunicipalityCode {
		bad(colMunicipality, r.MunicipalityCode, fmt.Sprintf("address point %s is in municipality %s on line %d", p.AddressID, p.MunicipalityCode, p.Line))
	}
	if d := math.Hypot(r.E-p.E, r.N-p.N); d > 0.5 {
		bad(colX, fmt.Sprintf("%.1f %.1f", r.E, r.N), fmt.Sprintf("address point %s lies %.0f m away on line %d: its position must agree on all its rows", p.AddressID, d, p.Line))
	}
	// none says there is no fixed broadband: a fixed technology contradicts
	// it, mobile and satellite do not.
	for _, o := range p.Offers {
		if o.Technology == NoBroadband && r.Technology.Fixed() || o.Technology.Fixed() && r.Technology == NoBroadband {
			none, fixed := o.Line, r.Line
			if r.Technology == NoBroadband {
				none, fixed = r.Line, o.Line
			}
			bad(colTechnology, string(r.Technology), fmt.Sprintf("address point %s has technology none (no fixed broadband) on line %d and a fixed technology on line %d", p.AddressID, none, fixed))
			break
		}
	}
	for _, s := range []struct {
		dst *string
		v   string
	}{{&p.Street, r.Street}, {&p.Number, r.Number}, {&p.Postcode, r.Postcode}, {&p.Locality, r.Locality}} {
		if *s.dst == "" {
			*s.dst = s.v
		}
	}
	p.Offers = append(p.Offers, offerOf(r))
}

func count(n *int32) int32 {
	if n == nil {
		return -1
	}
	return *n
}

// finish computes a point's best offers and checks its position against its
// municipality's boundary; it reports whether the point is good to write.
func (f *folder) finish(p *Point) bool {
	p.computeBest()
	pos := geo.SWEREF{E: p.E, N: p.N}
	p.Inside = f.ix.Contains(p.MunicipalityCode, pos)
	if !p.Inside {
		f.outside++
		where := "outside every municipality"
		if code := f.ix.Locate(pos); code != "" {
			where = "in municipality " + code
		}
		f.problems.Warn(Problem{File: f.rd.opt.Name, Line: p.Line, Column: f.rd.headerName(colMunicipality), Value: p.MunicipalityCode,
			Message: fmt.Sprintf("address point %s lies %s, %.0f m outside %s's boundary; imported as %s",
				p.AddressID, where, f.ix.Distance(p.MunicipalityCode, pos), p.MunicipalityCode, p.MunicipalityCode)})
	}
	f.points++
	return true
}

// computeBest finds the best fixed offer with access, the best including
// mobile and satellite, and the best planned fixed build.
func (p *Point) computeBest() {
	p.BestFixed, p.BestAny = Speed{Valid: true}, Speed{Valid: true}
	p.BestFixedTech, p.BestFixedOperator, p.Planned, p.PlannedYear = "", "", Speed{}, nil
	for _, o := range p.Offers {
		switch {
		case o.Status.GivesAccess():
			if c := o.Down.Cmp(p.BestAny); c > 0 {
				p.BestAny = o.Down
			}
			if !o.Technology.Fixed() {
				continue
			}
			c := o.Down.Cmp(p.BestFixed)
			if p.BestFixedTech == "" || c > 0 || c == 0 && technologyRank[o.Technology] < technologyRank[p.BestFixedTech] {
				p.BestFixed, p.BestFixedTech, p.BestFixedOperator = o.Down, o.Technology, o.Operator
			}
		case o.Status == Planned && o.Technology.Fixed():
			c := 1
			if p.Planned.Valid {
				c = o.Down.Cmp(p.Planned)
			}
			if c > 0 || c == 0 && earlier(o.PlannedYear, p.PlannedYear) {
				p.Planned, p.PlannedYear = o.Down, o.PlannedYear
			}
		}
	}
}

// earlier orders planned years, a missing year last.
func earlier(a, b *int16) bool {
	return a != nil && (b == nil || *a < *b)
}
