package measure

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// The figures of an area by group (connection type, operator) share one
// rule of publication, publishGroups: a figure needs at least MinPublished
// measurements behind it, and no published figure may be subtracted from
// another to tell what fewer than MinPublished measurements did.
//
// Within one period, every answer gigakoll gives is one of these sums: an
// area's total (Summary, Report), its groups, a county's group and its
// municipalities' groups of the same kind. So two rules suffice:
//
//  1. In each municipality and county, what its published groups leave
//     unpublished (the groups too small, and the measurements whose
//     resident named no operator) is 0 or at least MinPublished.
//  2. For each group published for a county, what the county's
//     municipalities leave unpublished of that group is 0 or at least
//     MinPublished.
//
// Where a rule fails, the smallest published group that closes it is left
// out too (its count is at least MinPublished, so the rest becomes at least
// MinPublished), until neither fails. Leaving a figure out only makes a
// rest larger, so this ends, and every rule it satisfied stays satisfied.
// Every rule involves one county and its municipalities, so a county's
// result does not depend on which other counties were computed with it.

// groupRow is one area's figures for one group, however many measurements.
type groupRow struct {
	kind, code, county, group string
	figures                   Figures
	published                 bool
}

// groupFigures reads the figures of a group_figures query (connection or
// operator) for a period, within a county or municipality or the country,
// and returns those publishGroups allows.
func (s *Store) groupFigures(ctx context.Context, query, what string, p Period, within Area) ([]groupRow, error) {
	var county, municipality string
	switch within.Kind {
	case KindCounty:
		county = within.Code
	case KindMunicipality:
		// The rules are decided over the whole county: the municipality's
		// figures are then the same as in the county's answer.
		municipality, county = within.Code, within.Code[:2]
	case "":
	default:
		return nil, fmt.Errorf("measure: figures by %s within a %s", what, within.Kind)
	}
	rows, err := s.read.Query(ctx, query, p.From, p.To, county)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: figures by %s: %w", what, err))
	}
	defer rows.Close()
	var all []*groupRow
	for rows.Next() {
		var g groupRow
		f := &g.figures
		var dm, dp, um, up float64
		var lm, lp *float64
		var ge100, ge1000 int64
		if err := rows.Scan(&g.kind, &g.code, &g.county, &g.group, &f.Count, &dm, &dp, &um, &up, &f.LatencyCount, &lm, &lp,
			&ge100, &ge1000); err != nil {
			return nil, fmt.Errorf("measure: figures by %s: %w", what, err)
		}
		f.DownMbps, f.UpMbps = Stat{dm, dp}, Stat{um, up}
		if f.LatencyCount >= MinPublished {
			f.LatencyMs = &Stat{*lm, *lp}
		}
		f.ShareGE100, f.ShareGE1000 = float64(ge100)/float64(f.Count), float64(ge1000)/float64(f.Count)
		all = append(all, &g)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(fmt.Errorf("measure: figures by %s: %w", what, err))
	}
	publishGroups(all)
	out := []groupRow{}
	for _, g := range all {
		if g.published && (municipality == "" || g.kind == KindMunicipality && g.code == municipality) {
			out = append(out, *g)
		}
	}
	return out, nil
}

// publishGroups marks the groups that may be published: see the rules
// above. A group "" (no operator named) is counted, never published.
func publishGroups(rows []*groupRow) {
	type areaKey struct{ kind, code string }
	type groupKey struct{ county, group string }
	areas := map[areaKey][]*groupRow{}
	countyGroup := map[groupKey]*groupRow{}
	municipalGroups := map[groupKey][]*groupRow{}
	var areaOrder []areaKey
	var groupOrder []groupKey
	for _, g := range rows {
		g.published = g.group != "" && g.figures.Count >= MinPublished
		k := areaKey{g.kind, g.code}
		if _, ok := areas[k]; !ok {
			areaOrder = append(areaOrder, k)
		}
		areas[k] = append(areas[k], g)
		gk := groupKey{g.county, g.group}
		if g.kind == KindCounty {
			countyGroup[gk] = g
			groupOrder = append(groupOrder, gk)
		} else {
			municipalGroups[gk] = append(municipalGroups[gk], g)
		}
	}
	groupPart := func(g *groupRow) part {
		return part{published: &g.published, count: g.figures.Count, n: g.figures.Count, key: g.code + g.group}
	}
	var wholes []whole
	for _, k := range areaOrder { // rule 1
		w := whole{}
		for _, g := range areas[k] {
			w.total += g.figures.Count
			w.parts = append(w.parts, groupPart(g))
		}
		wholes = append(wholes, w)
	}
	for _, k := range groupOrder { // rule 2
		c := countyGroup[k]
		w := whole{total: c.figures.Count, when: &c.published}
		for _, g := range municipalGroups[k] {
			w.parts = append(w.parts, groupPart(g))
		}
		wholes = append(wholes, w)
	}
	closeRests(wholes)
}

// sortedGroups is rows in the order the pages list them: per county, the
// county first, then its municipalities by code, each's groups in order.
func sortedGroups(rows []groupRow, order func(string) int) []groupRow {
	slices.SortStableFunc(rows, func(a, b groupRow) int {
		return cmp.Or(cmp.Compare(a.county, b.county), cmp.Compare(a.kind, b.kind), cmp.Compare(a.code, b.code),
			cmp.Compare(order(a.group), order(b.group)), cmp.Compare(a.group, b.group))
	})
	return rows
}
