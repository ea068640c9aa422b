package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/web/e2e"
)

// matningCoverage: Storgatan in Kalmar, offered 1 Gbit/s; Lillgatan 6, DSL.
// Each square holds 5 households, so that what it is offered is public (a
// square of fewer publishes nothing of it, and nor do its neighbours when
// Kalmar's total would tell it).
const matningCoverage = `address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;up_mbps;street;number;postcode;locality
K1;0880;583010;6280260;2;0;fiber;connected;1000;1000;Storgatan;1;39231;Kalmar
K2;0880;583020;6280270;2;0;fiber;connected;1000;1000;Storgatan;3;39231;Kalmar
K3;0880;583030;6280280;1;0;fiber;passed;1000;1000;Storgatan;5;39231;Kalmar
K6;0880;583280;6280320;5;0;dsl;connected;24;2;Lillgatan;6;39232;Kalmar
`

// The browser position of the third test: Kalmar's main square.
const browserLat, browserLon = 56.6635, 16.3647

// TestMeasurementPage runs matning.test.mjs: the official ndt7 client
// (@m-lab/ndt7) runs its download and upload against this server from
// /matning in Chromium, the resident picks an address with the keyboard and
// submits, and the page answers in Swedish; a result typed in from another
// test, and one placed by the browser's position, too. Storgatan's square
// holds 5 earlier measurements (at 30–90 Mbit/s though gigabit is offered),
// so the answer shows figures and the flag; Lillgatan's holds none. Then
// the map's measurements layer shows Storgatan's square, flagged.
func TestMeasurementPage(t *testing.T) {
	srv := e2e.Start(t, func(ctx context.Context, pool *pgxpool.Pool) error {
		_, err := coverage.NewStore(pool).Import(ctx, strings.NewReader(matningCoverage), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
			AsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), Name: "matning.csv"})
		if err != nil {
			return err
		}
		if err := measure.RefreshAddresses(ctx, pool); err != nil {
			return err
		}
		kalmar, _ := measure.MunicipalityByCode("0880")
		var earlier []measure.Measurement
		for i, down := range []float64{30, 45, 60, 75, 90} {
			earlier = append(earlier, measure.Measurement{MeasuredAt: time.Now().Add(-time.Duration(i+1) * 24 * time.Hour),
				Square: geo.Square{E: 583000, N: 6280250, Size: 250}, Municipality: kalmar,
				DownMbps: down, UpMbps: down / 10, Connection: "fiber", Source: "test"})
		}
		// Five more in a square far from Storgatan: the figures by area
		// withhold a square whose municipality's rest would be 1-4
		// (measure.decideAreas); with these, the two single measurements
		// the page submits elsewhere in Kalmar leave a rest of at least 5
		// once this square (the smaller) is withheld, and Storgatan's
		// square stays shown.
		for i := range 5 {
			earlier = append(earlier, measure.Measurement{MeasuredAt: time.Now().Add(-time.Duration(i+1) * 24 * time.Hour),
				Square: geo.Square{E: 574000, N: 6290000, Size: 250}, Municipality: kalmar,
				DownMbps: 100, UpMbps: 10, Connection: "cable", Source: "test"})
		}
		_, err = measure.NewStore(pool).Load(ctx, earlier)
		return err
	})
	// The square of the browser's position, by PostGIS rather than our Go.
	var e, n int64
	err := srv.Pool.QueryRow(context.Background(), `SELECT floor(ST_X(p) / 250) * 250, floor(ST_Y(p) / 250) * 250
		FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3006) AS p`, browserLon, browserLat).Scan(&e, &n)
	if err != nil {
		t.Fatal(err)
	}
	positionSquare := fmt.Sprintf("250m-E%d-N%d", e, n)
	t.Setenv("GK_POSITION_LAT", fmt.Sprint(browserLat))
	t.Setenv("GK_POSITION_LON", fmt.Sprint(browserLon))
	t.Setenv("GK_POSITION_SQUARE", positionSquare)
	// The middle of Storgatan's square, for the map.
	centre := geo.ToWGS84(geo.Square{E: 583000, N: 6280250, Size: 250}.Center())
	t.Setenv("GK_SQUARE_LON", fmt.Sprint(centre.Lon()))
	t.Setenv("GK_SQUARE_LAT", fmt.Sprint(centre.Lat()))

	e2e.RunNode(t, srv.URL, "matning.test.mjs")

	// What the browser submitted is in the database, placed as the page said.
	rows, err := srv.Pool.Query(context.Background(), `SELECT source, square_e, square_n, down_mbps, latency_ms IS NOT NULL,
		connection::text, coalesce(subscribed_down_mbps, 0) FROM measurements WHERE source <> 'test' ORDER BY source`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var source, conn string
		var se, sn int64
		var down, sub float64
		var latency bool
		if err := rows.Scan(&source, &se, &sn, &down, &latency, &conn, &sub); err != nil {
			t.Fatal(err)
		}
		got[source] = fmt.Sprintf("250m-E%d-N%d %s latency:%v sub:%v", se, sn, conn, latency, sub)
		if source == "page" && !(down > 0 && latency) {
			t.Errorf("the speed test's measurement: down %v, latency %v; want both measured", down, latency)
		}
	}
	want := map[string]string{
		"page":            "250m-E583000-N6280250 fiber latency:true sub:1000",
		"Bredbandskollen": "250m-E583250-N6280250 dsl latency:true sub:0",
		"annat test":      positionSquare + " unknown latency:false sub:0",
	}
	for source, w := range want {
		if got[source] != w {
			t.Errorf("measurement from %q: %q, want %q", source, got[source], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("measurements stored: %v, want %v", got, want)
	}
}

// TestSpeedFormat runs speed.test.mjs: the speed and latency formats of
// /matning, in Node alone (no server, no browser).
func TestSpeedFormat(t *testing.T) {
	e2e.RunNode(t, "http://127.0.0.1:1", "speed.test.mjs")
}
