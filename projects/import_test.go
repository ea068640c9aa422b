package projects_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/projects"
)

// A valid feature in Kalmar: a small square around Kalmar's centre.
const square = `{"type":"Polygon","coordinates":[[[16.35,56.66],[16.37,56.66],[16.37,56.67],[16.35,56.67],[16.35,56.66]]]}`

func feature(props, geometry string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":` + geometry + `}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

const good = `"id":"P-1","name":"Fiber Kalmar","status":"planned","completion_year":2026`

func TestImportRefusesBadFilesNamingEachError(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := projects.NewStore(pool, coverage.NewStore(pool), nil)
	tests := []struct {
		name string
		file string
		want []string // every error, in order
	}{
		{"an unknown status, as the spec writes it", collection(feature(good, square),
			feature(`"id":"P-0881-004","name":"x","status":"done","completion_year":2026`, square)),
			[]string{`f.geojson: feature 1 (id "P-0881-004"): property status: value "done": want planned, in_progress, completed or cancelled`}},
		{"funding above cost", collection(feature(`"id":"P-1","name":"x","status":"planned","completion_year":2026,"cost_sek":1000000,
			"funding":[{"source":"eu","amount_sek":800000},{"source":"private","amount_sek":300000}]`, square)),
			[]string{`f.geojson: feature 0 (id "P-1"): property funding: sums to 1100000 SEK, more than cost_sek 1000000 SEK`}},
		{"a self-intersecting polygon (a bow tie)", collection(feature(good,
			`{"type":"Polygon","coordinates":[[[16.35,56.66],[16.37,56.67],[16.37,56.66],[16.35,56.67],[16.35,56.66]]]}`)),
			[]string{`f.geojson: feature 0 (id "P-1"): property geometry: not a valid polygon (PostGIS: Self-intersection[16.36 56.665]): fix it in QGIS with Vector → Geometry Tools → Check Validity or Fix Geometries`}},
		{"a ring of 3 positions and an open ring", collection(
			feature(good, `{"type":"Polygon","coordinates":[[[16.35,56.66],[16.37,56.66],[16.35,56.66]]]}`),
			feature(`"id":"P-2","name":"x","status":"planned","completion_year":2026`, `{"type":"Polygon","coordinates":[[[16.35,56.66],[16.37,56.66],[16.37,56.67],[16.35,56.67]]]}`)),
			[]string{`f.geojson: feature 0 (id "P-1"): property geometry: ring 0 has 3 positions: a ring needs at least 4 (its first repeated as its last)`,
				`f.geojson: feature 1 (id "P-2"): property geometry: ring 0 is open: its last position (16.35 56.67) is not its first (16.35 56.66)`}},
		{"an area outside Sweden", collection(feature(good,
			`{"type":"Polygon","coordinates":[[[2.35,48.85],[2.36,48.85],[2.36,48.86],[2.35,48.86],[2.35,48.85]]]}`)),
			[]string{`f.geojson: feature 0 (id "P-1"): property geometry: lies outside Sweden: it reaches into no Swedish municipality (is it in WGS 84 longitude, latitude?)`}},
		{"SWEREF 99 TM coordinates without a crs", collection(feature(good,
			`{"type":"Polygon","coordinates":[[[583000,6280000],[584000,6280000],[584000,6281000],[583000,6280000]]]}`)),
			[]string{`f.geojson: feature 0 (id "P-1"): property geometry: a position (583000 6280000) looks like SWEREF 99 TM metres: GeoJSON is WGS 84 longitude, latitude (RFC 7946); export the layer in EPSG:4326`}},
		{"another CRS named", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3006"}},"features":[` + feature(good, square) + `]}`,
			[]string{`f.geojson: property crs: value "urn:ogc:def:crs:EPSG::3006": want WGS 84 (CRS84 or EPSG:4326, as RFC 7946 asks): nothing was imported; export the layer in EPSG:4326 (QGIS: Export → Save Features As…, CRS EPSG:4326 - WGS 84; ogr2ogr -t_srs EPSG:4326)`}},
		{"missing properties, a duplicate id, a point", collection(
			feature(`"id":"P-1","name":"x","status":"completed"`, square),
			feature(`"id":"P-1","status":"planned","completion_year":2026`, square),
			feature(`"id":"P-3","name":"x","status":"planned","completion_year":"2026","down_mbps":0`, `{"type":"Point","coordinates":[16.36,56.66]}`)),
			[]string{`f.geojson: feature 0 (id "P-1"): property completion_year: missing: it is required unless the project is cancelled`,
				`f.geojson: feature 1 (id "P-1"): property name: missing: it is required`,
				`f.geojson: feature 1 (id "P-1"): property id: value "P-1": also the id of feature 0: ids must be unique in the file`,
				`f.geojson: feature 2 (id "P-3"): property completion_year: value "\"2026\"": want a number, not text`,
				`f.geojson: feature 2 (id "P-3"): property down_mbps: value "0": want a speed in Mbit/s above 0`,
				`f.geojson: feature 2 (id "P-3"): property geometry: value "Point": want Polygon or MultiPolygon: a project is an area`}},
		{"a file cut short", collection(feature(good, square))[:60],
			[]string{`f.geojson: feature 0: the file ends in the middle (at byte 60): it was cut short`}},
		{"not a collection", `[1, 2]`,
			[]string{`f.geojson: not a GeoJSON object: want a FeatureCollection ({"type": "FeatureCollection", "features": […]})`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.Import(context.Background(), strings.NewReader(tt.file), projects.ImportOptions{Name: "f.geojson", Audit: auth.Entry{Actor: "test"}})
			var ie *projects.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an ImportError", err)
			}
			var got []string
			for _, p := range ie.Problems.Errors {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	// nothing landed, and every refusal is in the audit log
	var registers, refused int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM project_registers").Scan(&registers); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'import-refused'").Scan(&refused); err != nil {
		t.Fatal(err)
	}
	if registers != 0 || refused != len(tests) {
		t.Errorf("%d registers, %d refusals audited: want 0 and %d", registers, refused, len(tests))
	}
}

func TestImportKeepsVersionsAndAcceptsWGS84Names(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := projects.NewStore(pool, coverage.NewStore(pool), nil)
	ctx := context.Background()
	for i, crs := range []string{"", `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},`,
		`"crs":{"type":"name","properties":{"name":"EPSG:4326"}},`} {
		file := "\xef\xbb\xbf" + `{"type":"FeatureCollection",` + crs + `"features":[` + feature(good, square) + `]}`
		res, err := st.Import(ctx, strings.NewReader(file), projects.ImportOptions{Name: "f.geojson", Audit: auth.Entry{Actor: "kim"}})
		if err != nil {
			t.Fatalf("%q: %v", crs, err)
		}
		if res.Register.Version != i+1 {
			t.Errorf("version %d, want %d", res.Register.Version, i+1)
		}
	}
	regs, err := st.Registers(ctx)
	if err != nil || len(regs) != 3 {
		t.Fatalf("registers %v %v: want all three kept", regs, err)
	}
	in, err := st.InForce(ctx)
	if err != nil || in.Version != 3 {
		t.Errorf("in force: %v %v, want version 3", in, err)
	}
	var audited int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'import' AND actor = 'kim' AND detail LIKE 'project register version %'").Scan(&audited); err != nil || audited != 3 {
		t.Errorf("%d imports audited (%v), want 3", audited, err)
	}
	// funding given as text holding the list, as a shapefile's field holds it
	list, _ := json.Marshal(`[{"source":"regional","programme":"R","amount_sek":100}]`)
	file := collection(feature(good+`,"cost_sek":100,"funding":`+string(list), square))
	if _, err := st.Import(ctx, bytes.NewReader([]byte(file)), projects.ImportOptions{Name: "f.geojson", Audit: auth.Entry{Actor: "kim"}}); err != nil {
		t.Errorf("funding as text: %v", err)
	}
}
