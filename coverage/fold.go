package coverage

import (
	"fmt"
	"math"
	"slices"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/tabular"
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

	posRank int // technologyRank of the row whose position the point holds

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
// are scattered (a file sorted by technology or operator) comes out in
// pieces, which refold merges with the same code afterwards.
//
// Whatever the order of the rows, the point is the same (see addRow): the
// importer's figures do not depend on how the file was sorted.
type folder struct {
	rd       *Reader
	ix       *geo.Municipalities
	cur      *Point
	done     bool
	problems *Problems
	name     string

	// Points outside their municipality's boundary: counted, and the first
	// ones kept to be listed as warnings once the pieces of scattered points
	// are merged (so that a point is listed once, not once per piece).
	outside     int
	outsideList []outsidePoint

	// The running sums over the file, which every square and area sum is a
	// part of: kept below what the figures' integer columns hold.
	households, workplaces, holidayHomes int64
	overflowed                           bool
}

// outsidePoint is a point outside its municipality, to be warned about.
type outsidePoint struct {
	line      int
	addressID string
	code      string
	e, n      float64
}

func newFolder(rd *Reader, ix *geo.Municipalities) *folder {
	return &folder{rd: rd, ix: ix, problems: rd.Problems(), name: rd.opt.Name}
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
		posRank: technologyRank[r.Technology],
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
	bad := func(col, value, msg, code string, kv ...string) {
		probs.Error(Problem{File: file, Line: r.Line, Column: col, Value: value, Message: msg,
			Code: code, Params: tabular.P(append([]string{"point", p.AddressID}, kv...)...)})
	}
	for _, o := range p.Offers {
		if o.Technology == r.Technology {
			bad(colTechnology, string(r.Technology), fmt.Sprintf("address point %s has this technology on line %d already", p.AddressID, o.Line),
				"technology-twice", "other_line", fmt.Sprint(o.Line))
		}
	}
	if r.Households != p.Households {
		bad(colHouseholds, fmt.Sprint(r.Households), fmt.Sprintf("address point %s has %d households on line %d: households must agree on all its rows", p.AddressID, p.Households, p.Line),
			"households-disagree", "other", fmt.Sprint(p.Households), "other_line", fmt.Sprint(p.Line))
	}
	if r.Workplaces != p.Workplaces {
		bad(colWorkplaces, fmt.Sprint(r.Workplaces), fmt.Sprintf("address point %s has %d workplaces on line %d: workplaces must agree on all its rows", p.AddressID, p.Workplaces, p.Line),
			"workplaces-disagree", "other", fmt.Sprint(p.Workplaces), "other_line", fmt.Sprint(p.Line))
	}
	if count(r.HolidayHomes) != count(p.HolidayHomes) {
		bad(colHolidayHomes, countText(count(r.HolidayHomes)), fmt.Sprintf("address point %s has %s holiday homes on line %d: they must agree on all its rows", p.AddressID, countText(count(p.HolidayHomes)), p.Line),
			"holiday-homes-disagree", "other", countText(count(p.HolidayHomes)), "other_line", fmt.Sprint(p.Line))
	}
	if r.MunicipalityCode != p.MunicipalityCode {
		bad(colMunicipality, r.MunicipalityCode, fmt.Sprintf("address point %s is in municipality %s on line %d", p.AddressID, p.MunicipalityCode, p.Line),
			"municipality-disagrees", "other", p.MunicipalityCode, "other_line", fmt.Sprint(p.Line))
	}
	if d := math.Hypot(r.E-p.E, r.N-p.N); d > 0.5 {
		bad(colX, fmt.Sprintf("%.1f %.1f", r.E, r.N), fmt.Sprintf("address point %s lies %.0f m away on line %d: its position must agree on all its rows", p.AddressID, d, p.Line),
			"position-disagrees", "metres", fmt.Sprintf("%.0f", d), "other_line", fmt.Sprint(p.Line))
	}
	// none says there is no fixed broadband: a fixed technology contradicts
	// it, mobile and satellite do not.
	for _, o := range p.Offers {
		if o.Technology == NoBroadband && r.Technology.Fixed() || o.Technology.Fixed() && r.Technology == NoBroadband {
			none, fixed := o.Line, r.Line
			if r.Technology == NoBroadband {
				none, fixed = r.Line, o.Line
			}
			bad(colTechnology, string(r.Technology), fmt.Sprintf("address point %s has technology none (no fixed broadband) on line %d and a fixed technology on line %d", p.AddressID, none, fixed),
				"none-and-fixed", "none_line", fmt.Sprint(none), "fixed_line", fmt.Sprint(fixed))
			break
		}
	}
	// The position of the row with the first technology (in the enum's
	// order), and the least address: whatever order the rows come in, and
	// however they are split into pieces, the point is the same.
	if rank := technologyRank[r.Technology]; rank < p.posRank {
		p.E, p.N, p.posRank = r.E, r.N, rank
	}
	if lessAddress(r.Street, r.Number, r.Postcode, r.Locality, p) {
		p.Street, p.Number, p.Postcode, p.Locality = r.Street, r.Number, r.Postcode, r.Locality
	}
	p.Offers = append(p.Offers, offerOf(r))
}

// lessAddress orders a row's street address before the point's: one with a
// street before one without, then by street, number, postcode and locality.
func lessAddress(street, number, postcode, locality string, p *Point) bool {
	if (street == "") != (p.Street == "") {
		return street != ""
	}
	a := [4]string{street, number, postcode, locality}
	b := [4]string{p.Street, p.Number, p.Postcode, p.Locality}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
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
	f.settle(p)
	if !p.Inside {
		f.addOutside(p)
	}
	f.households += int64(p.Households)
	f.workplaces += int64(p.Workplaces)
	f.holidayHomes += int64(max(count(p.HolidayHomes), 0))
	for _, c := range []struct {
		col string
		sum int64
	}{{colHouseholds, f.households}, {colWorkplaces, f.workplaces}, {colHolidayHomes, f.holidayHomes}} {
		if c.sum > math.MaxInt32 && !f.overflowed {
			f.overflowed = true // reported once
			f.problems.Error(Problem{File: f.name, Line: p.Line, Column: f.rd.headerName(c.col), Value: fmt.Sprint(c.sum),
				Message: fmt.Sprintf("the file's %s add up to more than %d by this line: a count is wrong", c.col, math.MaxInt32),
				Code:    "sum-too-large", Params: tabular.P("name", c.col)})
		}
	}
	return true
}

// settle computes what a point's rows decide: its best offers, and whether
// it lies inside its municipality.
func (f *folder) settle(p *Point) {
	p.computeBest()
	p.Inside = f.ix.Contains(p.MunicipalityCode, geo.SWEREF{E: p.E, N: p.N})
}

func (f *folder) addOutside(p *Point) {
	f.outside++
	if len(f.outsideList) < f.problems.Limit {
		f.outsideList = append(f.outsideList, outsidePoint{line: p.Line, addressID: p.AddressID,
			code: p.MunicipalityCode, e: p.E, n: p.N})
	}
}

// warnOutside lists the points outside their municipality as warnings, in
// the order of the file, and counts the ones not listed.
func (f *folder) warnOutside() {
	slices.SortFunc(f.outsideList, func(a, b outsidePoint) int { return a.line - b.line })
	for _, o := range f.outsideList {
		pos := geo.SWEREF{E: o.e, N: o.n}
		where := "outside every municipality"
		if code := f.ix.Locate(pos); code != "" {
			where = "in municipality " + code
		}
		f.problems.Warn(Problem{File: f.name, Line: o.line, Column: f.rd.headerName(colMunicipality), Value: o.code,
			Message: fmt.Sprintf("address point %s lies %s, %.0f m outside %s's boundary; imported as %s",
				o.addressID, where, f.ix.Distance(o.code, pos), o.code, o.code),
			Code: "outside-municipality", Params: tabular.P("point", o.addressID, "located", f.ix.Locate(pos),
				"metres", fmt.Sprintf("%.0f", f.ix.Distance(o.code, pos)))})
	}
	f.problems.WarningCount += f.outside - len(f.outsideList)
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
