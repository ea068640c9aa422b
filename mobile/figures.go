package mobile

import (
	"context"
	"fmt"
	"sort"

	"github.com/gigakoll/gigakoll/coverage"
)

// areaKey names an area: ("municipality", "0880"), ("county", "08"),
// ("country", "SE").
type areaKey struct{ kind, code string }

// operatorFigures are an area's figures for one operator ("": all together).
type operatorFigures struct {
	total Counts
	Coverage
}

// areaFigures are an area's stored figures.
type areaFigures struct {
	byOperator map[string]*operatorFigures
	operators  map[int]Counts // what exactly k operators cover
}

func (f *areaFigures) of(operator string) operatorFigures {
	if o := f.byOperator[operator]; o != nil {
		return *o
	}
	return operatorFigures{}
}

// redundancy lists the numbers of operators with figures, ascending.
func (f *areaFigures) redundancy() []int {
	var ks []int
	for k := range f.operators {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

// counts returns where a stored figure of an operator goes; nil for one the
// report does not show.
func (f *areaFigures) counts(operator, measure string, class int) *Counts {
	if f.byOperator == nil {
		f.byOperator = map[string]*operatorFigures{}
	}
	o := f.byOperator[operator]
	if o == nil {
		o = &operatorFigures{}
		f.byOperator[operator] = o
	}
	switch measure {
	case "total":
		return &o.total
	case "outdoor":
		return o.Outdoor.At(coverage.Class(class))
	case "indoor":
		return o.Indoor.At(coverage.Class(class))
	case "fiveg":
		return &o.FiveG
	}
	return nil
}

// add adds a stored row to the figures.
func (f *areaFigures) add(operator, measure string, class int, squares, h, w, hh int64) {
	if measure == "operators" {
		if f.operators == nil {
			f.operators = map[int]Counts{}
		}
		c := f.operators[class]
		c.Squares += squares
		c.Households, c.Workplaces, c.HolidayHomes = c.Households+h, c.Workplaces+w, c.HolidayHomes+hh
		f.operators[class] = c
		return
	}
	if c := f.counts(operator, measure, class); c != nil {
		c.Squares += squares
		c.Households, c.Workplaces, c.HolidayHomes = c.Households+h, c.Workplaces+w, c.HolidayHomes+hh
	}
}

// readFigures reads the figures of every area of the snapshot: the squares
// (computed at import) and where people are (against the coverage snapshot
// counted).
func readFigures(ctx context.Context, db querier, snapshot int64) (map[areaKey]*areaFigures, error) {
	rows, err := db.Query(ctx, `
		SELECT kind, code, operator, measure, class_mbps, sum(squares), sum(households), sum(workplaces), sum(holiday_homes)
		FROM (SELECT kind, code, operator, measure, class_mbps, squares, 0 AS households, 0 AS workplaces, 0 AS holiday_homes
		      FROM mobile_area_squares WHERE snapshot_id = $1
		      UNION ALL
		      SELECT kind, code, operator, measure, class_mbps, 0, households, workplaces, holiday_homes
		      FROM mobile_area_people WHERE snapshot_id = $1) f
		GROUP BY 1, 2, 3, 4, 5`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("read figures: %w", err)
	}
	defer rows.Close()
	out := map[areaKey]*areaFigures{}
	for rows.Next() {
		var k areaKey
		var operator, measure string
		var class int
		var sq, h, w, hh int64
		if err := rows.Scan(&k.kind, &k.code, &operator, &measure, &class, &sq, &h, &w, &hh); err != nil {
			return nil, fmt.Errorf("read figures: %w", err)
		}
		f := out[k]
		if f == nil {
			f = &areaFigures{}
			out[k] = f
		}
		f.add(operator, measure, class, sq, h, w, hh)
	}
	return out, rows.Err()
}
