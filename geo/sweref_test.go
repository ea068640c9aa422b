package geo_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestProjectionAgreesWithPostGIS checks the Go projection against PROJ, as
// PostGIS's ST_Transform runs it, on points all over Sweden.
func TestProjectionAgreesWithPostGIS(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var lons, lats []float64
	for range 2000 {
		lons = append(lons, 10.5+rng.Float64()*13.8) // 10.5–24.3 °E
		lats = append(lats, 55.1+rng.Float64()*14.0) // 55.1–69.1 °N
	}
	rows, err := pool.Query(context.Background(), `
		SELECT ST_X(g), ST_Y(g) FROM (
			SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3006) AS g, i
			FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u (lon, lat, i)) s
		ORDER BY i`, lons, lats)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var worst, worstBack float64
	i := 0
	for rows.Next() {
		var e, n float64
		if err := rows.Scan(&e, &n); err != nil {
			t.Fatal(err)
		}
		got := geo.ToSWEREF(orb.Point{lons[i], lats[i]})
		worst = max(worst, math.Hypot(got.E-e, got.N-n))
		back := geo.ToWGS84(geo.SWEREF{E: e, N: n})
		// degrees to metres, roughly, at this latitude
		dx := (back.Lon() - lons[i]) * 111320 * math.Cos(lats[i]*math.Pi/180)
		dy := (back.Lat() - lats[i]) * 110570
		worstBack = max(worstBack, math.Hypot(dx, dy))
		i++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(lons) {
		t.Fatalf("PostGIS returned %d points of %d", i, len(lons))
	}
	if worst > 0.001 {
		t.Errorf("WGS 84 → SWEREF 99 TM differs from PostGIS by up to %.4f m, want ≤ 1 mm", worst)
	}
	if worstBack > 0.001 {
		t.Errorf("SWEREF 99 TM → WGS 84 differs from PostGIS by up to %.4f m, want ≤ 1 mm", worstBack)
	}
}

func TestInSweden(t *testing.T) {
	tests := []struct {
		name string
		p    geo.SWEREF
		want bool
	}{
		{"Kalmar", geo.SWEREF{E: 583120, N: 6280410}, true},
		{"the extent's corner", geo.SWEREF{E: 180000, N: 6100000}, true},
		{"west of the extent", geo.SWEREF{E: 179999.9, N: 6500000}, false},
		{"north of the extent", geo.SWEREF{E: 600000, N: 7700000.1}, false},
		{"lat/lon typed as x/y", geo.SWEREF{E: 16.36, N: 56.66}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.InSweden(tt.p); got != tt.want {
				t.Errorf("InSweden(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
