package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/mobile"
)

// mobileFixture: mobile/testdata's coverage file and its 250 m mobile file,
// both as of 2024-10-01, and residents' mobile measurements in four squares
// of it:
//
//   - 584000/6282000, claimed 100 Mbit/s outdoors: 5 measurements, median
//     8 Mbit/s: flagged
//   - 582500/6282500, claimed 30: 6 measurements, median 9.5: flagged
//   - 582250/6282250, claimed 10 (29.99 and 10): 5 at 2 Mbit/s: not flagged,
//     the claim is below 30
//   - 582000/6282000, claimed 100: 4 at 1 Mbit/s: too few to say anything
//
// and, in 584000/6282000, fibre measurements, which are no mobile ones.
func mobileFixture(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	f, err := os.Open("../mobile/testdata/coverage.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	importCoverage(t, pool, "coverage.csv", f, fixture2024)
	m, err := os.Open("../mobile/testdata/mobile250.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := mobile.NewStore(pool, coverage.NewStore(pool)).Import(ctx, m, mobile.ImportOptions{AsOf: fixture2024,
		Name: "mobile250.csv", Audit: auth.Entry{Actor: "test"}}); err != nil {
		t.Fatal(err)
	}
	var ms []measure.Measurement
	kalmar, _ := measure.MunicipalityByCode("0880")
	add := func(e, n int64, connection string, downs ...float64) {
		for i, d := range downs {
			ms = append(ms, measure.Measurement{ID: fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", e%1000000, len(ms)),
				MeasuredAt: time.Date(2026, 10, 1+i, 18, 0, 0, 0, time.UTC), Square: geo.Square{E: e, N: n, Size: 250},
				Municipality: kalmar, DownMbps: d, UpMbps: 1, Connection: connection, Source: "test"})
		}
	}
	add(584000, 6282000, "mobile", 3, 8, 9, 40, 7)
	add(582500, 6282500, "mobile", 9, 10, 11, 9, 2, 50)
	add(582250, 6282250, "mobile", 2, 2, 2, 2, 2)
	add(582000, 6282000, "mobile", 1, 1, 1, 1)
	add(584000, 6282000, "fiber", 900, 900, 900, 900, 900, 900)
	if _, err := measure.NewStore(pool).Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	return pool
}

func TestMobileResponsesMatchTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, mobileFixture(t))
	c := loadContract(t, ts.URL)
	statuses := map[string]bool{}
	for _, p := range []string{
		"/api/v1/mobile", "/api/v1/mobile?municipality=0880", "/api/v1/mobile?county=08&format=csv",
		"/api/v1/mobile?format=xlsx", "/api/v1/mobile?as_of=2024-10-01", "/api/v1/mobile?as_of=2020-10-01",
		"/api/v1/mobile?as_of=igår", "/api/v1/mobile?county=8", "/api/v1/mobile?municipality=0999",
		"/api/v1/mobile/flags", "/api/v1/mobile/flags?period=2026-10", "/api/v1/mobile/flags?period=förr",
		"/api/v1/mobile/flags?on=2020-01-01", "/api/v1/mobile/snapshots", "/api/v1/mobile/snapshots?on=2025-03-01", "/api/v1/mobile/snapshots?on=2020-01-01",
		"/tiles/mobile/10/558/315.mvt?on=2025-01-01", "/tiles/mobile/10/558/315.mvt?on=2020-01-01",
		"/tiles/mobile/10/558/315.mvt", "/tiles/mobile/8/139/78.mvt", "/tiles/mobile/5/17/9.mvt",
	} {
		resp, _ := c.check(t, ts.URL, p)
		statuses[p+" "+fmt.Sprint(resp.StatusCode)] = true
		if etag := resp.Header.Get("ETag"); etag != "" {
			c.check(t, ts.URL, p, "If-None-Match", etag)
		}
	}
	for _, want := range []string{"/api/v1/mobile 200", "/api/v1/mobile?as_of=2020-10-01 404", "/api/v1/mobile?as_of=igår 400",
		"/api/v1/mobile?county=8 400", "/api/v1/mobile?municipality=0999 404", "/api/v1/mobile/flags?period=förr 400",
		"/tiles/mobile/5/17/9.mvt 204", "/tiles/mobile/10/558/315.mvt?on=2020-01-01 204", "/tiles/mobile/10/558/315.mvt?on=2025-01-01 200",
		"/api/v1/mobile/flags?on=2020-01-01 200", "/api/v1/mobile/snapshots?on=2020-01-01 200"} {
		if !statuses[want] {
			t.Errorf("no %s among %v", want, statuses)
		}
	}
}

// TestMobileFlags: the squares where the operators claim at least 30 Mbit/s
// outdoors and 5 or more residents' mobile measurements have a median below
// 10 Mbit/s, with the count and the median; none where the claim is lower,
// the median higher or the measurements fewer.
func TestMobileFlags(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, mobileFixture(t))
	resp, body := mapFetch(t, ts.URL+"/api/v1/mobile/flags")
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %s", resp.Status, body)
	}
	var fc struct {
		AsOf     string `json:"as_of"`
		Features []struct {
			ID         string
			Properties struct {
				Measurements int64   `json:"measurements"`
				MedianDown   float64 `json:"median_down"`
				Claimed      int     `json:"claimed_mbps"`
			}
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fc.Features {
		got = append(got, fmt.Sprintf("%s %d %g %d", f.ID, f.Properties.Measurements, f.Properties.MedianDown, f.Properties.Claimed))
	}
	slices.Sort(got)
	want := []string{"250m-E582500-N6282500 6 9.5 30", "250m-E584000-N6282000 5 8 100"}
	if !slices.Equal(got, want) || fc.AsOf != "2024-10-01" {
		t.Errorf("flags %q as of %s, want %q", got, fc.AsOf, want)
	}
	// the snapshot in force on a day, for the map's year picker
	for on, want := range map[string]string{"2020-01-01": `"in_force":null`, "2025-03-01": `"in_force":"2024-10-01"`} {
		if _, body := mapFetch(t, ts.URL+"/api/v1/mobile/snapshots?on="+on); !strings.Contains(string(body), want) {
			t.Errorf("mobile snapshots on %s: %s, want %s", on, body, want)
		}
	}
	// a month without measurements flags nothing
	_, body = mapFetch(t, ts.URL+"/api/v1/mobile/flags?period=2025-01")
	if !strings.Contains(string(body), `"features":[]`) {
		t.Errorf("January 2025 flags %s, want none", body)
	}
}

// TestMobileTilesCarryNoPeople: the public mobile layer says what the
// operators offer in each square, never who lives there.
func TestMobileTilesCarryNoPeople(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, mobileFixture(t))
	for _, path := range []string{"/tiles/mobile/12/2233/1261.mvt", "/tiles/mobile/8/139/78.mvt"} {
		resp, body := mapFetch(t, ts.URL+path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil || len(layers) != 1 || layers[0].Name != "mobile" || len(layers[0].Features) == 0 {
			t.Fatalf("%s: %v %+v", path, err, layers)
		}
		for _, f := range layers[0].Features {
			for k := range f.Properties {
				if !slices.Contains([]string{"size", "square", "outdoor_mbps", "indoor_mbps", "fiveg", "operators"}, k) {
					t.Errorf("%s: a square carries %q", path, k)
				}
			}
		}
	}
}

// TestNoMobileSnapshotYet: before any mobile file is imported, what the map
// asks for at start (the flags of the latest snapshot, its tiles) is empty,
// not an error the browser would log; a date asked for by name is still 404.
func TestNoMobileSnapshotYet(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	for path, want := range map[string]int{
		"/api/v1/mobile/flags":                          http.StatusOK,
		"/api/v1/mobile/flags?as_of=2024-10-01":         http.StatusNotFound,
		"/tiles/mobile/10/558/315.mvt":                  http.StatusNoContent,
		"/tiles/mobile/10/558/315.mvt?as_of=2024-10-01": http.StatusNotFound,
		"/api/v1/mobile":                                http.StatusNotFound,
	} {
		resp, body := mapFetch(t, ts.URL+path)
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d %s, want %d", path, resp.StatusCode, body, want)
		}
		if path == "/api/v1/mobile/flags" && !strings.Contains(string(body), `"features":[]`) {
			t.Errorf("GET %s = %s, want no features", path, body)
		}
	}
}
