package geo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

var sqlMunicipalitiesReached = mustSQL("municipalities_reached.sql")

// reachShare is the share of an area that must lie in a municipality for
// the area to reach into it: a line drawn a few metres over a border
// reaches nothing.
const reachShare = 0.005

// MunicipalitiesReached returns, for each area (WKB of a Polygon or
// MultiPolygon in SWEREF 99 TM), the codes of the municipalities it reaches
// into, by code: those holding more than 0.5 % of it, or the one holding
// most when none does. An area with none lies outside Sweden.
func MunicipalitiesReached(ctx context.Context, q Querier, areas [][]byte) ([][]string, error) {
	out := make([][]string, len(areas))
	rows, err := q.Query(ctx, sqlMunicipalitiesReached, areas)
	if err != nil {
		return nil, fmt.Errorf("geo: municipalities reached: %w", err)
	}
	best := make([]float64, len(areas))
	bestCode := make([]string, len(areas))
	var (
		i             int32
		code          string
		overlap, area float64
	)
	_, err = pgx.ForEachRow(rows, []any{&i, &code, &overlap, &area}, func() error {
		if overlap > best[i] {
			best[i], bestCode[i] = overlap, code
		}
		if overlap > reachShare*area {
			out[i] = append(out[i], code)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("geo: municipalities reached: %w", err)
	}
	for k := range out {
		if len(out[k]) == 0 && bestCode[k] != "" {
			out[k] = []string{bestCode[k]}
		}
	}
	return out, nil
}
