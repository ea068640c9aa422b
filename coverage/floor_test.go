package coverage_test

import (
	"context"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// The figure steps find a corner's 1 km square (build_square_figures.sql,
// build_public_squares.sql) and its coarse squares of 2–20 km
// (build_public_square_sums.sql) as floor(e::float8 / size) * size. That is
// the exact floor that numeric arithmetic gave before: checked here against
// an integer floor division for every integer near zero and around the
// multiples of each size, and for every 250 m corner across and beyond
// Sweden (SWEREF 99 TM eastings 200 000–1 000 000, northings 6 100 000–
// 7 700 000), negative ones included.
func TestCoarseSquareFloorIsExact(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var checked, wrong int64
	err := pool.QueryRow(ctx, `
		WITH v (e) AS (
			SELECT generate_series(-5000, 5000)
			UNION ALL SELECT generate_series(-1000000, 8000000, 250)
			UNION ALL SELECT k * s + d FROM generate_series(-400, 400) k, (VALUES (1000), (2000), (5000), (10000), (20000)) z (s),
			                             generate_series(-2, 2) d
			UNION ALL SELECT v FROM (VALUES (2147483647 - 20000), (-2147483648 + 20000)) x (v)
		), s (size) AS (VALUES (1000), (2000), (5000), (10000), (20000))
		SELECT count(*),
		       count(*) FILTER (WHERE (floor(e::float8 / size) * size)::bigint
		                              -- the integer floor: truncated quotient, one less when negative and inexact
		                              <> ((e / size) - CASE WHEN e % size < 0 THEN 1 ELSE 0 END)::bigint * size)
		FROM v, s`).Scan(&checked, &wrong)
	if err != nil {
		t.Fatal(err)
	}
	if checked < 5*36000 || wrong != 0 {
		t.Errorf("%d of %d corners in the wrong square", wrong, checked)
	}
}
