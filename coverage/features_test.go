package coverage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// OGC's municipalities are the reference boundaries simplified to 10 m
// with their topology kept, in WGS 84 and in SWEREF 99 TM: what PostGIS's
// ST_SimplifyPreserveTopology gives when asked here, directly.
func TestMunicipalityFeaturesAreTheBoundariesSimplified(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	file, err := os.ReadFile("testdata/rules.csv")
	if err != nil {
		t.Fatal(err)
	}
	importAs(t, pool, string(file), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC))
	store := coverage.NewStore(pool)
	snaps, err := store.Snapshots(ctx)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots %v, %v", snaps, err)
	}
	for _, srid := range []int{4326, 3006} {
		n, err := store.EachMunicipalityFeature(ctx, coverage.FeatureFilter{Snapshots: []int64{snaps[0].ID}, SRID: srid},
			func(f *coverage.MunicipalityFeature) error {
				// The feature's geometry back in SWEREF 99 TM (3006 is written
				// northing first), against the boundary simplified now.
				var dist float64
				var got, want, raw int
				var gotType, wantType string
				err := pool.QueryRow(ctx, `
					WITH g AS (SELECT CASE WHEN $2::int = 3006 THEN ST_FlipCoordinates(ST_SetSRID(ST_GeomFromGeoJSON($1), 3006))
					                       ELSE ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 3006) END AS got),
					     w AS (SELECT ST_SimplifyPreserveTopology(geom, 10) AS want, geom FROM municipalities WHERE code = $3)
					SELECT ST_HausdorffDistance(got, want), ST_NPoints(got), ST_NPoints(want), ST_NPoints(geom),
					       ST_GeometryType(got), ST_GeometryType(want) FROM g, w`,
					string(f.Geometry), srid, f.Code).Scan(&dist, &got, &want, &raw, &gotType, &wantType)
				if err != nil {
					return err
				}
				// 6 decimals of a degree are 0.11 m at most; SWEREF's 1 decimal 0.05 m.
				if dist > 0.15 || got != want || want >= raw || gotType != wantType {
					t.Errorf("%s in %d: %s of %d vertices %.3f m from the %s of %d of the boundary simplified (of %d)",
						f.Code, srid, gotType, got, dist, wantType, want, raw)
				}
				return nil
			})
		if err != nil || n == 0 {
			t.Fatalf("srid %d: %d features, %v", srid, n, err)
		}
	}
}
