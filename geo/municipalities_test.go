package geo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestMunicipalitiesAgreeWithPostGIS locates random points all over Sweden
// and densely around Kalmar län's borders in Go and in PostGIS.
func TestMunicipalitiesAgreeWithPostGIS(t *testing.T) {
	t.Parallel()
	ix, err := geo.LoadMunicipalities()
	if err != nil {
		t.Fatal(err)
	}
	pool := dbtest.New(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var es, ns []float64
	for range 20000 {
		es = append(es, geo.MinE+rng.Float64()*(geo.MaxE-geo.MinE))
		ns = append(ns, geo.MinN+rng.Float64()*(geo.MaxN-geo.MinN))
	}
	for range 20000 { // Kalmar län and its neighbours
		es = append(es, 500000+rng.Float64()*150000)
		ns = append(ns, 6220000+rng.Float64()*220000)
	}
	rows, err := pool.Query(context.Background(), `
		SELECT coalesce((SELECT string_agg(municipality_code, ',') FROM municipality_parts mp
		                 WHERE ST_Intersects(mp.geom, ST_SetSRID(ST_MakePoint(e, n), 3006))), '')
		FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u (e, n, i) ORDER BY i`, es, ns)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i, differ, inside := 0, 0, 0
	for rows.Next() {
		var want string
		if err := rows.Scan(&want); err != nil {
			t.Fatal(err)
		}
		p := geo.SWEREF{E: es[i], N: ns[i]}
		got := ix.Locate(p)
		if len(want) > 4 { // on a shared border: either is right
			want = got
		}
		if got != want {
			differ++
			if differ <= 5 {
				t.Errorf("(%.1f, %.1f): Go says %q, PostGIS %q", p.E, p.N, got, want)
			}
		}
		if want != "" {
			inside++
			if !ix.Contains(want, p) {
				t.Errorf("(%.1f, %.1f): Contains(%s) false", p.E, p.N, want)
			}
		}
		i++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if differ > 0 {
		t.Errorf("%d of %d points differ", differ, i)
	}
	if inside < 20000 {
		t.Errorf("only %d points fell inside a municipality: the test would prove little", inside)
	}
	if ix.Contains("9999", geo.SWEREF{E: 583000, N: 6280000}) || ix.Locate(geo.SWEREF{E: 200000, N: 7600000}) != "" {
		t.Error("an unknown code or a point in Norway was located")
	}
}

func BenchmarkMunicipalitiesContains(b *testing.B) {
	ix, err := geo.LoadMunicipalities()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	pts := make([]geo.SWEREF, 4096)
	for i := range pts {
		pts[i] = geo.SWEREF{E: 560000 + rng.Float64()*30000, N: 6270000 + rng.Float64()*20000}
	}
	b.ResetTimer()
	for i := range b.N {
		ix.Contains("0880", pts[i%len(pts)])
	}
}
