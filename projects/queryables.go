package projects

import (
	"strings"

	"github.com/gigakoll/gigakoll/cql"
)

// Queryables are what a filter on projects (OGC API – Features Part 3) may
// name: the register's own columns in features.sql and its count. The
// figures against a snapshot are computed per request and are not
// queryable.
var Queryables = []cql.Queryable{
	{Name: "id", Type: cql.String, Column: "p.id", Description: "the project's id in the register"},
	{Name: "name", Type: cql.String, Column: "p.name", Description: "the project's name"},
	{Name: "owner", Type: cql.String, Column: "coalesce(p.owner, '')", Description: "who builds it"},
	{Name: "status", Type: cql.String, Column: "p.status::text", Description: "planned, in_progress, completed or cancelled"},
	{Name: "start_year", Type: cql.Integer, Column: "p.start_year", Description: "the year building starts (null: not given)"},
	{Name: "completion_year", Type: cql.Integer, Column: "p.completion_year", Description: "the year it is to be done"},
	{Name: "down_mbps", Type: cql.Number, Column: "p.down_mbps", Description: "the speed it brings, Mbit/s"},
	{Name: "cost_sek", Type: cql.Number, Column: "p.cost_sek", Description: "its cost, SEK (null: not given)"},
	{Name: "public_funding_sek", Type: cql.Number, Column: "p.public_funding_sek", Description: "its public funding, SEK"},
}

// filterMarker is where a query takes its filter's condition.
const filterMarker = "/* filter */ true"

// withFilter puts e's condition over Queryables into query, its values
// after args.
func withFilter(query string, e cql.Expr, args []any) (string, []any, error) {
	if strings.Count(query, filterMarker) != 1 {
		panic("projects: a filtered query needs one " + filterMarker)
	}
	cond, vals, err := cql.SQL(e, Queryables, len(args)+1)
	if err != nil {
		return "", nil, err
	}
	return strings.Replace(query, filterMarker, cond, 1), append(args, vals...), nil
}
