package measure_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// The municipality found in Go must be PostGIS's, for points all over
// Sweden's extent (sea and neighbours included) and dense around Kalmar.
// PostGIS transforms the boundaries with PROJ and Go with Lantmäteriet's
// formulas; they agree to a millimetre, so a point within a centimetre of
// a border may go either way and is not compared.
func TestLocateAgreesWithPostGIS(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 2026))
	var es, ns []float64
	for range 3000 {
		es = append(es, geo.MinE+rng.Float64()*(geo.MaxE-geo.MinE))
		ns = append(ns, geo.MinN+rng.Float64()*(geo.MaxN-geo.MinN))
	}
	for range 1000 { // Kalmar län, where the demo lives
		p := geo.ToSWEREF(orb.Point{15.5 + rng.Float64()*1.6, 56.2 + rng.Float64()*1.6})
		es, ns = append(es, p.E), append(ns, p.N)
	}
	rows, err := pool.Query(ctx, `
		WITH p AS (SELECT i, ST_SetSRID(ST_MakePoint(e, n), 3006) AS g
		           FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u (e, n, i))
		SELECT p.i, coalesce((SELECT min(m.municipality_code) FROM municipality_parts m WHERE ST_Intersects(m.geom, p.g)), ''),
		       coalesce((SELECT min(ST_Distance(ST_Boundary(m.geom), p.g)) FROM municipalities m
		                 WHERE ST_DWithin(m.geom, p.g, 0.01)), 1)
		FROM p ORDER BY p.i`, es, ns)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var compared, inside int
	for rows.Next() {
		var i int
		var want string
		var border float64
		if err := rows.Scan(&i, &want, &border); err != nil {
			t.Fatal(err)
		}
		p := geo.SWEREF{E: es[i-1], N: ns[i-1]}
		got, ok, err := measure.LocateSWEREF(p)
		if err != nil {
			t.Fatal(err)
		}
		if border < 0.01 {
			continue
		}
		compared++
		if want != "" {
			inside++
		}
		if got.Code != want || ok != (want != "") {
			t.Errorf("point E %.2f N %.2f: Go says %q (%v), PostGIS %q", p.E, p.N, got.Code, ok, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if compared < 3900 || inside < 1500 {
		t.Errorf("compared %d points, %d inside Sweden: too few to say anything", compared, inside)
	}
}

func TestKnownPlaces(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		lon, lat float64
		code     string
	}{
		{"Kalmar cathedral", 16.3615, 56.6632, "0880"},
		{"Borgholm", 16.6558, 56.8794, "0885"},
		{"Västervik", 16.6379, 57.7581, "0883"},
		{"Stockholm city hall", 18.0546, 59.3275, "0180"},
		{"Kiruna", 20.2253, 67.8558, "2584"},
	} {
		got, ok, err := measure.LocateSWEREF(geo.ToSWEREF(orb.Point{tt.lon, tt.lat}))
		if err != nil || !ok || got.Code != tt.code {
			t.Errorf("%s: %+v %v %v, want %s", tt.name, got, ok, err, tt.code)
		}
	}
	for _, tt := range []struct {
		name     string
		lon, lat float64
	}{
		{"Copenhagen", 12.5683, 55.6761},
		{"Oslo", 10.7522, 59.9139},
		{"Helsinki", 24.9384, 60.1699},
		{"Null Island", 0, 0},
	} {
		if got, ok, err := measure.LocateSWEREF(geo.ToSWEREF(orb.Point{tt.lon, tt.lat})); err != nil || ok {
			t.Errorf("%s: %+v %v %v, want outside Sweden", tt.name, got, ok, err)
		}
	}
}
