package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestOperatorFigures runs operator.test.mjs: Kalmar holds 4 measurements
// by Telia customers (100, 120, 150, 180 Mbit/s down), too few to show;
// the resident submits one on /matning from Kalmar's main square, naming
// "TELIA Sverige AB", and /matningar then shows Telia with 5 measurements
// for Kalmar and its county. Afterwards the stored row holds the key
// "telia", not the text typed.
func TestOperatorFigures(t *testing.T) {
	srv := e2e.Start(t, func(ctx context.Context, pool *pgxpool.Pool) error {
		kalmar, _ := measure.MunicipalityByCode("0880")
		var ms []measure.Measurement
		for i, down := range []float64{100, 120, 150, 180} {
			ms = append(ms, measure.Measurement{MeasuredAt: time.Now().Add(-time.Duration(i+1) * 24 * time.Hour),
				Square: geo.Square{E: 583000, N: 6280250, Size: 250}, Municipality: kalmar,
				DownMbps: down, UpMbps: 10, Connection: "fiber", Operator: "telia", Source: "test"})
		}
		_, err := measure.NewStore(pool).Load(ctx, ms)
		return err
	})
	t.Setenv("GK_POSITION_LAT", fmt.Sprint(browserLat))
	t.Setenv("GK_POSITION_LON", fmt.Sprint(browserLon))
	e2e.RunNode(t, srv.URL, "operator.test.mjs")

	var op string
	var down float64
	err := srv.Pool.QueryRow(context.Background(), `SELECT operator, down_mbps FROM measurements WHERE source <> 'test'`).Scan(&op, &down)
	if err != nil || op != "telia" || down != 212 {
		t.Errorf("the page stored operator %q, %v Mbit/s (%v); want telia, 212", op, down, err)
	}
}
