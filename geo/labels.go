package geo

import (
	"context"
	"fmt"
)

var sqlLabelPoints = mustSQL("label_points.sql")

// Label is where the map writes a municipality's name (WGS 84).
type Label struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	CountyCode string  `json:"county_code"`
	Lon        float64 `json:"lon"`
	Lat        float64 `json:"lat"`
}

// LabelPoints returns a label point inside every municipality: the centre of
// the largest circle that fits in its boundary. It takes about a second for
// all of Sweden: callers keep the answer (the boundaries change only with a
// migration).
func LabelPoints(ctx context.Context, q Querier) ([]Label, error) {
	rows, err := q.Query(ctx, sqlLabelPoints)
	if err != nil {
		return nil, fmt.Errorf("label points: %w", err)
	}
	defer rows.Close()
	var out []Label
	for rows.Next() {
		var l Label
		if err := rows.Scan(&l.Code, &l.Name, &l.CountyCode, &l.Lon, &l.Lat); err != nil {
			return nil, fmt.Errorf("label points: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
