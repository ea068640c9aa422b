package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// Every address point lies inside its own municipality, as PostGIS sees the
// boundaries gigakoll loads, and near a locality: a guard against points
// scattered over the sea or deep into the forests.
func TestPointsLieInTheirMunicipality(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := year(t, 2024) // the year with the most points
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `CREATE TEMP TABLE demo_point (address_id text, municipality_code text, geom geometry(Point, 3006))`); err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, len(s.points))
	for i, p := range s.points {
		rows[i] = []any{p.id, p.muni, p.x, p.y}
	}
	if _, err := conn.Exec(ctx, `CREATE TEMP TABLE demo_point_raw (address_id text, municipality_code text, x float8, y float8)`); err != nil {
		t.Fatal(err)
	}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"demo_point_raw"}, []string{"address_id", "municipality_code", "x", "y"}, pgx.CopyFromRows(rows))
	if err != nil || int(n) != len(rows) {
		t.Fatalf("copy: %d of %d rows: %v", n, len(rows), err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO demo_point
		SELECT address_id, municipality_code, ST_SetSRID(ST_MakePoint(x, y), 3006) FROM demo_point_raw;
		CREATE INDEX ON demo_point USING gist (geom); ANALYZE demo_point`); err != nil {
		t.Fatal(err)
	}

	var outside int
	var examples *string
	err = conn.QueryRow(ctx, `
		SELECT count(*), string_agg(address_id, ', ') FILTER (WHERE address_id IS NOT NULL)
		FROM (SELECT p.address_id FROM demo_point p
		      WHERE NOT EXISTS (SELECT 1 FROM municipality_parts m
		                        WHERE m.municipality_code = p.municipality_code AND ST_Covers(m.geom, p.geom))
		      ORDER BY p.address_id LIMIT 1000) q`).Scan(&outside, &examples)
	if err != nil {
		t.Fatal(err)
	}
	if outside > 0 {
		t.Errorf("%d points outside their municipality: %s", outside, *examples)
	}

	var far int
	var farthest float64
	err = conn.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE d > 5000), coalesce(max(d), 0)
		FROM (SELECT (SELECT l.geom <-> p.geom FROM localities l ORDER BY l.geom <-> p.geom LIMIT 1) AS d
		      FROM demo_point p) q`).Scan(&far, &farthest)
	if err != nil {
		t.Fatal(err)
	}
	if far > 0 {
		t.Errorf("%d points more than 5 km from the nearest locality (farthest %.0f m)", far, farthest)
	}
	t.Logf("%d points, farthest %.0f m from a locality", len(rows), farthest)
}
