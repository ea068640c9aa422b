package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestMeasurementResults runs results.test.mjs: the residents' figures page
// (/matningar) over measurements made up here: in Kalmar 6 by fibre in one
// square (30, 40, …, 80 Mbit/s down: median 55) and 4 by DSL in another; in
// Nybro 3. Only what at least 5 measurements stand behind is shown: its
// fibre square, the county (13) and its fibre (6); never the DSL figures,
// their square, or Nybro; nor Kalmar's fibre, which Kalmar's total less it
// would tell the 4 by DSL (measure.publishGroups); nor Kalmar (10), which
// the county's 13 less it would tell Nybro's 3 (measure.decideAreas). The
// county less the fibre square leaves 7.
func TestMeasurementResults(t *testing.T) {
	srv := e2e.Start(t, func(ctx context.Context, pool *pgxpool.Pool) error {
		kalmar, _ := measure.MunicipalityByCode("0880")
		nybro, _ := measure.MunicipalityByCode("0881")
		var ms []measure.Measurement
		at := func(i int) time.Time { return time.Now().Add(-time.Duration(i+1) * 24 * time.Hour).Truncate(time.Hour) }
		for i, down := range []float64{30, 40, 50, 60, 70, 80} {
			ms = append(ms, measure.Measurement{MeasuredAt: at(i), Square: geo.Square{E: 583000, N: 6280250, Size: 250},
				Municipality: kalmar, DownMbps: down, UpMbps: down / 10, Connection: "fiber", Source: "test"})
		}
		for i, down := range []float64{8, 10, 12, 14} {
			ms = append(ms, measure.Measurement{MeasuredAt: at(i), Square: geo.Square{E: 584000, N: 6281000, Size: 250},
				Municipality: kalmar, DownMbps: down, UpMbps: 1, Connection: "dsl", Source: "test"})
		}
		for i := range 3 {
			ms = append(ms, measure.Measurement{MeasuredAt: at(i), Square: geo.Square{E: 560000, N: 6290000, Size: 250},
				Municipality: nybro, DownMbps: 100, UpMbps: 10, Connection: "cable", Source: "test"})
		}
		_, err := measure.NewStore(pool).Load(ctx, ms)
		return err
	})
	e2e.RunNode(t, srv.URL, "results.test.mjs")
}
