package ogc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/projects"
)

// A register of two projects: P1 around Kalmar's address points (E 582000,
// N 6282000), completed; P2 around Gränsvägen's (E 555750, N 6289500),
// planned.
const projectsRegister = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"P1","name":"Fiber Storgatan","status":"completed","completion_year":2022,"cost_sek":1200000},
 "geometry":{"type":"Polygon","coordinates":[[[16.33,56.64],[16.40,56.64],[16.40,56.69],[16.33,56.69],[16.33,56.64]]]}},
{"type":"Feature","properties":{"id":"P2","name":"Fiber Gränsvägen","status":"%s","completion_year":2027},
 "geometry":{"type":"Polygon","coordinates":[[[15.90,56.72],[15.95,56.72],[15.95,56.76],[15.90,56.76],[15.90,56.72]]]}}]}`

func importRegister(t *testing.T, g gisFixture, p2status string) {
	t.Helper()
	importRegisterInto(t, g.pool, p2status)
}

func importRegisterInto(t *testing.T, pool *pgxpool.Pool, p2status string) {
	t.Helper()
	st := projects.NewStore(pool, coverage.NewStore(pool), slog.New(slog.DiscardHandler))
	_, err := st.Import(context.Background(), strings.NewReader(fmt.Sprintf(projectsRegister, p2status)),
		projects.ImportOptions{Name: "projekt.geojson", Audit: auth.Entry{Actor: "test"}})
	if err != nil {
		t.Fatal(err)
	}
}

// The projects collection works as the others do in GIS tools: filters by
// property and in CQL2 over the register's fields, EPSG:3006 in its axis
// order, a bbox in EPSG:3006, an extent, and an ETag that changes with
// the register.
func TestProjectsInEPSG3006FilteredAndCachedByRegister(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	importRegister(t, g, "planned")

	for _, tc := range []struct{ query, want string }{
		{"status=planned", "P2"},
		{"status=completed", "P1"},
		{"filter=" + url.QueryEscape("completion_year < 2025"), "P1"},
		{"filter=" + url.QueryEscape("name LIKE '%Gräns%' OR cost_sek > 1000000"), "P1,P2"},
		{"bbox-crs=" + url.QueryEscape(crs3006) + "&bbox=6281900,581900,6282300,582300", "P1"},
		{"bbox=15.91,56.73,15.92,56.74", "P2"},
	} {
		p, _ := g.page(t, "/collections/projects/items?"+tc.query)
		if got := strings.Join(p.prop("id"), ","); got != tc.want || p.NumberMatched != len(p.Features) {
			t.Errorf("%s: %s (matched %d), want %s", tc.query, got, p.NumberMatched, tc.want)
		}
	}
	// The figures against the snapshot are not queryable.
	if resp, b := get(t, "GET", g.base+"/collections/projects/items?households=5"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("households=5: %d %s, want 400", resp.StatusCode, b)
	}

	// P1's south-west corner (16.33° E, 56.64° N) in EPSG:3006, computed by
	// PostGIS here, written northing first.
	var wantN, wantE float64
	if err := g.pool.QueryRow(context.Background(), `SELECT ST_Y(p), ST_X(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(16.33, 56.64), 4326), 3006) p`).Scan(&wantN, &wantE); err != nil {
		t.Fatal(err)
	}
	p, resp := g.page(t, "/collections/projects/items?id=P1&crs="+url.QueryEscape(crs3006))
	if got := resp.Header.Get("Content-Crs"); got != "<"+crs3006+">" {
		t.Errorf("Content-Crs %q", got)
	}
	if len(p.Features) != 1 {
		t.Fatalf("P1: %d features", len(p.Features))
	}
	r := ring(t, p.Features[0].Geometry.Type, p.Features[0].Geometry.Coordinates)
	if !slices.ContainsFunc(r, func(c [2]float64) bool { return math.Abs(c[0]-wantN) < 0.01 && math.Abs(c[1]-wantE) < 0.01 }) {
		t.Errorf("ring %v lacks the corner [%.2f %.2f] (northing, easting)", r, wantN, wantE)
	}

	// The extent is the box around both areas.
	_, b := get(t, "GET", g.base+"/collections/projects")
	var coll struct {
		Extent struct {
			Spatial struct{ BBox [][4]float64 } `json:"spatial"`
		} `json:"extent"`
	}
	if err := json.Unmarshal(b, &coll); err != nil || len(coll.Extent.Spatial.BBox) != 1 {
		t.Fatalf("collection: %v %s", err, b)
	}
	want := [4]float64{15.90, 56.64, 16.40, 56.76}
	for i, v := range coll.Extent.Spatial.BBox[0] {
		if math.Abs(v-want[i]) > 1e-6 {
			t.Errorf("extent %v, want %v", coll.Extent.Spatial.BBox[0], want)
			break
		}
	}

	// A new register changes the answer, so its ETag: the one held before
	// no longer answers 304.
	resp, _ = get(t, "GET", g.base+"/collections/projects/items")
	etag := resp.Header.Get("ETag")
	if resp, _ := get(t, "GET", g.base+"/collections/projects/items", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("the same register: %d, want 304", resp.StatusCode)
	}
	importRegister(t, g, "in_progress")
	resp, b = get(t, "GET", g.base+"/collections/projects/items", "If-None-Match", etag)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"status":"in_progress"`) {
		t.Errorf("after a new register: %d %.200s, want 200 with P2 in progress", resp.StatusCode, b)
	}
}
