package geo_test

import (
	"context"
	"testing"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func TestBoundariesLoaded(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()

	var municipalities, counties, invalid, wrongSRID int
	err := pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM municipalities),
		(SELECT count(*) FROM counties),
		(SELECT count(*) FROM municipalities WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom))
		 + (SELECT count(*) FROM counties WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)),
		(SELECT count(*) FROM municipalities WHERE ST_SRID(geom) <> 3006)`).
		Scan(&municipalities, &counties, &invalid, &wrongSRID)
	if err != nil {
		t.Fatal(err)
	}
	if municipalities != 290 || counties != 21 {
		t.Errorf("loaded %d municipalities and %d counties, want 290 and 21", municipalities, counties)
	}
	if invalid != 0 || wrongSRID != 0 {
		t.Errorf("%d invalid or empty geometries, %d not in EPSG:3006", invalid, wrongSRID)
	}

	// Names as SCB spells them, å, ä and ö intact.
	names := map[string]string{
		"0880": "Kalmar", "0821": "Högsby", "0834": "Torsås", "0840": "Mörbylånga",
		"0860": "Hultsfred", "0861": "Mönsterås", "0862": "Emmaboda", "0881": "Nybro",
		"0882": "Oskarshamn", "0883": "Västervik", "0884": "Vimmerby", "0885": "Borgholm",
		"0114": "Upplands Väsby", "0180": "Stockholm", "1480": "Göteborg", "1280": "Malmö",
		"2584": "Kiruna", "2480": "Umeå", "1984": "Arboga",
	}
	for code, want := range names {
		var got, county string
		if err := pool.QueryRow(ctx, "SELECT name, county_code FROM municipalities WHERE code = $1", code).Scan(&got, &county); err != nil {
			t.Errorf("municipality %s: %v", code, err)
			continue
		}
		if got != want || county != code[:2] {
			t.Errorf("municipality %s = %q in county %s, want %q in %s", code, got, county, want, code[:2])
		}
	}
	var kalmarLan, vastraGotaland string
	if err := pool.QueryRow(ctx, "SELECT (SELECT name FROM counties WHERE code = '08'), (SELECT name FROM counties WHERE code = '14')").Scan(&kalmarLan, &vastraGotaland); err != nil {
		t.Fatal(err)
	}
	if kalmarLan != "Kalmar län" || vastraGotaland != "Västra Götalands län" {
		t.Errorf("counties 08, 14 = %q, %q", kalmarLan, vastraGotaland)
	}
	var inKalmarLan int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM municipalities WHERE county_code = '08'").Scan(&inKalmarLan); err != nil || inKalmarLan != 12 {
		t.Errorf("Kalmar län has %d municipalities (err %v), want 12", inKalmarLan, err)
	}
}

func TestKnownPlacesFallInTheRightMunicipality(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	places := []struct {
		name     string
		lon, lat float64
		want     string
	}{
		{"Kalmar slott", 16.3565, 56.6590, "0880"},
		{"Borgholms slottsruin", 16.6434, 56.8619, "0885"},
		{"Västerviks centrum", 16.6373, 57.7584, "0883"},
		{"Oskarshamn centrum", 16.4474, 57.2646, "0882"},
		{"Nybro centrum", 15.9072, 56.7447, "0881"},
		{"Färjestaden", 16.4500, 56.6500, "0840"},
		{"Stockholms stadshus", 18.0543, 59.3275, "0180"},
		{"Kiruna", 20.2253, 67.8558, "2584"},
	}
	for _, p := range places {
		t.Run(p.name, func(t *testing.T) {
			// Both the full boundary and its subdivided parts must agree.
			var codes, partCodes []string
			err := pool.QueryRow(context.Background(), `
				WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006) AS g)
				SELECT (SELECT array_agg(code ORDER BY code) FROM municipalities, pt WHERE ST_Covers(geom, pt.g)),
				       (SELECT array_agg(DISTINCT municipality_code) FROM municipality_parts, pt WHERE ST_Covers(geom, pt.g))`,
				p.lon, p.lat).Scan(&codes, &partCodes)
			if err != nil {
				t.Fatal(err)
			}
			if len(codes) != 1 || codes[0] != p.want {
				t.Errorf("%s (%v, %v) lies in %v, want exactly %s", p.name, p.lon, p.lat, codes, p.want)
			}
			if len(partCodes) != 1 || partCodes[0] != p.want {
				t.Errorf("%s: subdivided parts say %v, want %s", p.name, partCodes, p.want)
			}
		})
	}
}

func TestCountiesAreTheUnionOfTheirMunicipalities(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	rows, err := pool.Query(context.Background(), `
		SELECT c.code, abs(ST_Area(c.geom) - sum(ST_Area(m.geom))) / ST_Area(c.geom)
		FROM counties c JOIN municipalities m ON m.county_code = c.code
		GROUP BY c.code, c.geom`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var code string
		var relDiff float64
		if err := rows.Scan(&code, &relDiff); err != nil {
			t.Fatal(err)
		}
		n++
		if relDiff > 1e-6 {
			t.Errorf("county %s differs from the sum of its municipalities by %.6f %%", code, relDiff*100)
		}
	}
	if n != 21 {
		t.Errorf("%d counties have municipalities, want 21", n)
	}
}
