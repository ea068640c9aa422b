package projects

import "strings"

// The privacy rule of the project figures (spec/product.md: the public sees
// nothing about fewer than 5 households).
//
// A project's household figures (address points, households, the gap in
// households, cost per connection, delivered) are published for its whole
// area and for its part in each municipality. Alone, or beside the public
// squares (coverage's cells: 250 m squares with at least 5 households and
// the pooled rest of a 1 km square) and the other projects, such a figure
// could single out fewer than 5 households. So a project's household
// figures are withheld when, for its whole area or any of its parts:
//
//  1. it holds 1–4 households;
//  2. its households outside the public cells that lie wholly in it (all of
//     a cell's households inside the area) are 1–4: the area minus those
//     cells would tell them;
//  3. every one of its households is in public cells, and those cells hold
//     1–4 households outside it: the cells minus the area would tell them;
//  4. (whole areas) another project's address points all lie in it, or its
//     all lie in another's, and the two differ by 1–4 households.
//
// 0 households reveal no one. The check is made against every project,
// withheld or not, so it never needs to be repeated. A withheld project
// keeps its name, status, years, cost and funding public, and it does not
// count in the public figures of municipalities and counties (forecast
// with projects, white spots, cost): the municipality's figures less a
// project's would give its households. The coordinator (the CLI, a signed-in
// coordinator) sees every figure.

// small reports whether n households would single out fewer than 5.
func small(n int64) bool {
	if n < 0 {
		n = -n
	}
	return n > 0 && n < 5
}

// decideWithheld applies the rule to every project.
func (c *computation) decideWithheld() {
	for a := range c.projects {
		c.withheld[a] = c.revealing(int32(a))
	}
	for k, pc := range c.pairs {
		a, b := k[0], k[1]
		ta, tb := &c.total[a], &c.total[b]
		nested := pc.points == ta.Points || pc.points == tb.Points
		if nested && small(ta.Households-tb.Households) {
			c.withheld[a], c.withheld[b] = true, true
		}
	}
}

// revealing checks rules 1–3 for a project's whole area and each part.
func (c *computation) revealing(a int32) bool {
	if c.setReveals(c.total[a].Households, c.cells[a], "", sumValues(c.uncelled[a])) {
		return true
	}
	for muni, f := range c.parts[a] {
		if c.setReveals(f.Households, c.cells[a], muni+".", c.uncelled[a][muni]) {
			return true
		}
	}
	return false
}

// setReveals checks a set of households: hh in all, its households by cell
// (those whose key starts with prefix), and those in no cell.
func (c *computation) setReveals(hh int64, cells map[string]int64, prefix string, uncelled int64) bool {
	if small(hh) {
		return true
	}
	var inside, touched int64
	for cell, n := range cells {
		if !strings.HasPrefix(cell, prefix) {
			continue
		}
		total := c.cellHH[cell]
		touched += total
		if n == total {
			inside += total
		}
	}
	if small(hh - inside) {
		return true
	}
	return uncelled == 0 && small(touched-hh)
}

func sumValues(m map[string]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}
