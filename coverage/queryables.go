package coverage

import (
	"fmt"
	"strings"

	"github.com/gigakoll/gigakoll/cql"
)

// The properties a filter may name (OGC API – Features Part 3), per kind of
// feature, and the column each reads in the query that selects them
// (municipality_features.sql, public_squares.sql, gaps_points.sql and their
// counts). A property's name is the one its features carry.

// share is a class's share of households and workplaces as a filter
// compares it: exact, in numeric.
func shareColumn(alias, class string) string {
	return fmt.Sprintf("(%[1]s.households_ge_%[2]s + %[1]s.workplaces_ge_%[2]s)::numeric / nullif(%[1]s.households + %[1]s.workplaces, 0)", alias, class)
}

// MunicipalityQueryables are what a filter on municipalities may name.
var MunicipalityQueryables = []cql.Queryable{
	{Name: "code", Type: cql.String, Column: "m.code", Description: "the municipality's code (kommunkod), e.g. 0880"},
	{Name: "name", Type: cql.String, Column: "m.name", Description: "the municipality's name"},
	{Name: "county_code", Type: cql.String, Column: "m.county_code", Description: "the county's code (länskod), e.g. 08"},
	{Name: "address_points", Type: cql.Integer, Column: "f.points", Description: "address points"},
	{Name: "households", Type: cql.Integer, Column: "f.households", Description: "households"},
	{Name: "workplaces", Type: cql.Integer, Column: "f.workplaces", Description: "workplaces"},
	{Name: "share_ge_1000", Type: cql.Number, Column: shareColumn("f", "1000"), Description: "share of households and workplaces with ≥ 1 Gbit/s (0–1)"},
	{Name: "share_ge_100", Type: cql.Number, Column: shareColumn("f", "100"), Description: "share of households and workplaces with ≥ 100 Mbit/s (0–1)"},
	{Name: "share_ge_30", Type: cql.Number, Column: shareColumn("f", "30"), Description: "share of households and workplaces with ≥ 30 Mbit/s (0–1)"},
}

// SquareQueryables are what a filter on public squares may name.
var SquareQueryables = []cql.Queryable{
	{Name: "municipality_code", Type: cql.String, Column: "q.municipality_code", Description: "the municipality the cell lies in"},
	{Name: "square", Type: cql.String, Column: "(q.size || 'm-E' || q.e || '-N' || q.n)", Description: "the grid square, e.g. 250m-E583000-N6280250"},
	{Name: "size_m", Type: cql.Integer, Column: "q.size", Description: "250, or 1000 for the pooled rest of a 1 km square"},
	{Name: "e", Type: cql.Integer, Column: "q.e", Description: "the square's west edge, SWEREF 99 TM metres"},
	{Name: "n", Type: cql.Integer, Column: "q.n", Description: "the square's south edge, SWEREF 99 TM metres"},
	{Name: "households", Type: cql.Integer, Column: "q.households", Description: "households (at least 5)"},
	{Name: "workplaces", Type: cql.Integer, Column: "q.workplaces", Description: "workplaces"},
	{Name: "holiday_homes", Type: cql.Integer, Column: "q.holiday_homes", Description: "holiday homes"},
	{Name: "best_mbps", Type: cql.Number, Column: "q.best_fixed_mbps", Description: "the best fixed offer in the cell, Mbit/s"},
	{Name: "share_ge_1000", Type: cql.Number, Column: shareColumn("q", "1000"), Description: "share of households and workplaces with ≥ 1 Gbit/s (0–1)"},
	{Name: "share_ge_100", Type: cql.Number, Column: shareColumn("q", "100"), Description: "share of households and workplaces with ≥ 100 Mbit/s (0–1)"},
	{Name: "share_ge_30", Type: cql.Number, Column: shareColumn("q", "30"), Description: "share of households and workplaces with ≥ 30 Mbit/s (0–1)"},
}

// PointQueryables are what a filter on address points (gaps, addresses)
// may name.
var PointQueryables = []cql.Queryable{
	{Name: "address_id", Type: cql.String, Column: "p.address_id", Description: "the address point's id in the snapshot"},
	{Name: "municipality_code", Type: cql.String, Column: "p.municipality_code", Description: "the municipality the point lies in"},
	{Name: "street", Type: cql.String, Column: "coalesce(p.street, '')", Description: "street"},
	{Name: "postcode", Type: cql.String, Column: "coalesce(p.postcode, '')", Description: "postcode"},
	{Name: "locality", Type: cql.String, Column: "coalesce(p.locality, '')", Description: "locality (postort)"},
	{Name: "households", Type: cql.Integer, Column: "p.households", Description: "households"},
	{Name: "workplaces", Type: cql.Integer, Column: "p.workplaces", Description: "workplaces"},
	{Name: "holiday_homes", Type: cql.Integer, Column: "p.holiday_homes", Description: "holiday homes (null: not given)"},
	{Name: "technology", Type: cql.String, Column: "coalesce(p.best_fixed_technology::text, 'none')", Description: "the best fixed technology with access today: fiber, cable, dsl, fixed_wireless, other or none"},
	{Name: "mbps", Type: cql.Number, Column: "p.best_fixed_mbps", Description: "the best fixed speed today, Mbit/s"},
	{Name: "operator", Type: cql.String, Column: "coalesce(p.best_fixed_operator, '')", Description: "the operator of that offer"},
	{Name: "planned_mbps", Type: cql.Number, Column: "p.planned_mbps", Description: "the best planned fixed build, Mbit/s (null: none)"},
	{Name: "planned_year", Type: cql.Integer, Column: "p.planned_year", Description: "its year (null: none or not given)"},
}

// filterMarker stands in a query for the filter's condition: "true" as the
// file is, the filter's SQL once withFilter has run.
const filterMarker = "/* filter */ true"

// withFilter puts e's SQL over qs into query in place of filterMarker, its
// values as parameters from $first on; the arguments come back appended to
// args. A query without the marker is a programming error.
func withFilter(query string, e cql.Expr, qs []cql.Queryable, args []any) (string, []any, error) {
	if strings.Count(query, filterMarker) != 1 {
		panic("coverage: a filtered query needs one " + filterMarker)
	}
	cond, vals, err := cql.SQL(e, qs, len(args)+1)
	if err != nil {
		return "", nil, err
	}
	return strings.Replace(query, filterMarker, cond, 1), append(args, vals...), nil
}
