package ogc_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// These tests open the endpoint as a GIS user does, with GDAL's ogrinfo
// (Debian's gdal-bin, installed by scripts/gis-tools.sh, which make test
// runs), against gigakoll serving testdata/gaps.csv on 127.0.0.1:0.

func serve(t *testing.T) (string, string) {
	t.Helper()
	base, token, _, _ := serveCounting(t)
	return base, token
}

// serveCounting is serve with the items requests counted and the pool.
func serveCounting(t *testing.T) (string, string, *atomic.Int64, *pgxpool.Pool) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo is not installed: run scripts/gis-tools.sh (make test does)")
	}
	ctx := context.Background()
	pool := dbtest.New(t)
	f, err := os.Open("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := coverage.NewStore(pool).Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var items atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/items") {
			items.Add(1)
		}
		h.ServeHTTP(w, r)
	})) // 127.0.0.1:0
	t.Cleanup(ts.Close)
	return ts.URL + "/ogc", secret, &items, pool
}

// ogrinfo runs ogrinfo with args and returns its output and error.
func ogrinfo(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ogrinfo", append([]string{"-ro", "--config", "GDAL_HTTP_TIMEOUT", "60"}, args...)...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_PROXY=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=127.0.0.1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// values lists the values of one field in ogrinfo's feature dump.
func values(out, field string) []string {
	re := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(field) + ` \([A-Za-z0-9]+\) = (.*)$`)
	var v []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		v = append(v, strings.TrimSpace(m[1]))
	}
	return v
}

func TestOgrinfoListsThePublicCollections(t *testing.T) {
	t.Parallel()
	base, _ := serve(t)
	out, err := ogrinfo(t, "OAPIF:"+base)
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"municipalities (title: Kommuner) (Polygon)", "squares (title: Rutor 250 m) (Multi Polygon)"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "gaps") || strings.Contains(out, "addresses") {
		t.Errorf("the public sees the address-level collections:\n%s", out)
	}
}

func TestOgrinfoReadsSquaresWithABBox(t *testing.T) {
	t.Parallel()
	base, _ := serve(t)
	// Around Kalmar (16.3–16.4° E, 56.6–56.7° N): of the fixture's squares
	// with at least 5 households, only the one at E 582000, N 6282000 (G1,
	// G2, G3, G9 and G10: 48 households) lies there; Nybro's lie 1.5° west.
	out, err := ogrinfo(t, "OAPIF:"+base, "squares", "-spat", "16.3", "56.6", "16.4", "56.7")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if got := values(out, "e"); !slices.Equal(got, []string{"582000"}) {
		t.Errorf("squares in the box: e = %v, want [582000]\n%s", got, out)
	}
	if got := values(out, "households"); !slices.Equal(got, []string{"48"}) {
		t.Errorf("households = %v, want [48]", got)
	}
	// Without the box: that square and G8's (6 households of 0880, in the
	// square it shares with Nybro's N1). Nybro's own: N2's square holds 3
	// households and is left out, so N1's (10) must be too, or Nybro's
	// total (13) minus it would tell N2's 3 households' figures.
	out, err = ogrinfo(t, "-q", "OAPIF:"+base, "squares")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	got := values(out, "households")
	slices.Sort(got)
	if !slices.Equal(got, []string{"48", "6"}) {
		t.Errorf("every square: households %v, want 48 and 6", got)
	}
}

func TestOgrinfoWithAMunicipalityTokenReadsItsGapsOnly(t *testing.T) {
	t.Parallel()
	base, token := serve(t)
	header := []string{"--config", "GDAL_HTTP_HEADERS", "Authorization: Bearer " + token}
	out, err := ogrinfo(t, append(header, "OAPIF:"+base)...)
	if err != nil || !strings.Contains(out, "gaps (title: ") || !strings.Contains(out, "addresses (title: ") {
		t.Fatalf("with a token ogrinfo should list gaps and addresses: %v\n%s", err, out)
	}
	// A page size of 2 makes GDAL follow the next links through all pages.
	out, err = ogrinfo(t, append(header, "-q", "-oo", "PAGE_SIZE=2", "OAPIF:"+base, "gaps")...)
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	ids := values(out, "address_id")
	slices.Sort(ids)
	// testdata/gaps.csv: every 0880 point but G1 lacks 1 Gbit/s; Nybro's N2
	// lacks it too but is another municipality's.
	want := []string{"G10", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9"}
	if !slices.Equal(ids, want) {
		t.Errorf("gaps read with 0880's token: %v, want %v", ids, want)
	}
	for _, m := range values(out, "municipality_code") {
		if m != "0880" {
			t.Errorf("a feature of municipality %s reached 0880's token", m)
		}
	}
	if strings.Contains(out, "Nybro Energi") || strings.Contains(out, "= N2") {
		t.Errorf("Nybro's address points reached 0880's token:\n%s", out)
	}

	// Without the token the collection is refused.
	out, err = ogrinfo(t, "-q", "OAPIF:"+base+"/collections/gaps")
	if err == nil && strings.Contains(out, "address_id") {
		t.Errorf("ogrinfo read gaps without a token:\n%s", out)
	}
}

// ogr2ogr writes a municipality's gaps in SWEREF 99 TM, filtered, with the
// token as HTTP Basic's password, as the README's recipe does, with no
// open option: the fields typed from the schema, the filter evaluated by the
// server, a handful of requests, one audit entry.
func TestOgr2ogrWritesGapsInEPSG3006WithAFilterAndBasicAuth(t *testing.T) {
	t.Parallel()
	base, token, items, pool := serveCounting(t)
	out := filepath.Join(t.TempDir(), "gaps.geojson")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ogr2ogr", "-f", "GeoJSON", out, "OAPIF:"+base, "gaps", "-t_srs", "EPSG:3006",
		"-where", "households >= 2 AND mbps < 50",
		"--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", "qgis:"+token)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_PROXY=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=127.0.0.1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		CRS      struct{ Properties struct{ Name string } }
		Features []struct {
			Geometry   struct{ Coordinates [2]float64 }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fc.CRS.Properties.Name, "3006") {
		t.Errorf("the file's CRS %q, want EPSG:3006", fc.CRS.Properties.Name)
	}
	// testdata/gaps.csv by hand: 0880's points lacking 1 Gbit/s with at
	// least 2 households and under 50 Mbit/s, and where they lie.
	want := map[string][2]float64{"G2": {582060, 6282080}, "G6": {582900, 6282900}, "G7": {585100, 6285100}}
	if len(fc.Features) != len(want) {
		t.Errorf("%d features, want %v", len(fc.Features), want)
	}
	for _, f := range fc.Features {
		id, _ := f.Properties["address_id"].(string)
		w, ok := want[id]
		if !ok {
			t.Errorf("feature %s is not one of %v", id, want)
			continue
		}
		// CRS84 with 7 decimals, back through PROJ: within 2 cm.
		if math.Abs(f.Geometry.Coordinates[0]-w[0]) > 0.02 || math.Abs(f.Geometry.Coordinates[1]-w[1]) > 0.02 {
			t.Errorf("%s at %v, want %v (easting, northing)", id, f.Geometry.Coordinates, w)
		}
		if _, isNumber := f.Properties["households"].(float64); !isNumber {
			t.Errorf("%s: households %#v is no number: the schema's type was not used", id, f.Properties["households"])
		}
	}
	if n := items.Load(); n > 4 {
		t.Errorf("%d items requests for 3 features, want a handful", n)
	}
	// The audit log: the filtered download is one entry of 3 rows, however
	// many pages; GDAL's first look at the collection (a page without the
	// filter, to learn its fields) is a read of its own, of at most 10.
	entries, err := auth.NewStore(pool).AuditLog(context.Background(), auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	filtered := 0
	for _, e := range entries {
		switch {
		case e.Action != auth.ActionGaps:
		case strings.Contains(e.Detail, "filter="):
			filtered++
			if e.Rows != 3 || e.Actor != "Kalmar kommun" {
				t.Errorf("the filtered download's entry: %+v, want 3 rows by Kalmar kommun", e)
			}
		case e.Rows > 10 || e.Pages != 1:
			t.Errorf("an entry besides the download: %+v, want GDAL's first page of at most 10", e)
		}
	}
	if filtered != 1 {
		t.Errorf("%d entries of the filtered download, want 1: %+v", filtered, entries)
	}

	// The fields' types come from the schema, not from guessing: planned_year is an integer.
	info, err := ogrinfo(t, "-so", "--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", "x:"+token, "OAPIF:"+base, "gaps")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	for _, field := range []string{"planned_year: Integer", "mbps: Real", "households: Integer", "as_of: Date"} {
		if !strings.Contains(info, field) {
			t.Errorf("ogrinfo -so lacks %q:\n%s", field, info)
		}
	}
}

// A bad token, even on a public collection, is an error GDAL shows, with
// the server's words.
func TestOgrinfoShowsTheMessageOfABadToken(t *testing.T) {
	t.Parallel()
	base, _ := serve(t)
	out, err := ogrinfo(t, "--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", "qgis:gk_wrong", "OAPIF:"+base, "squares")
	if err == nil || !strings.Contains(out, "unknown, expired or revoked") {
		t.Errorf("ogrinfo with a bad token: %v\n%s", err, out)
	}
}

// GDAL opens the projects with the fields' types from the schema, turns a
// -where on the register's fields into a filter, and writes EPSG:3006.
func TestOgr2ogrWritesPlannedProjectsInEPSG3006(t *testing.T) {
	t.Parallel()
	base, _, _, pool := serveCounting(t)
	importRegisterInto(t, pool, "planned")
	out := filepath.Join(t.TempDir(), "projects.geojson")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ogr2ogr", "-f", "GeoJSON", out, "OAPIF:"+base, "projects", "-t_srs", "EPSG:3006",
		"-where", "status = 'planned'")
	cmd.Env = append(os.Environ(), "GDAL_HTTP_PROXY=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=127.0.0.1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		CRS      struct{ Properties struct{ Name string } }
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fc.CRS.Properties.Name, "3006") {
		t.Errorf("the file's CRS %q, want EPSG:3006", fc.CRS.Properties.Name)
	}
	if len(fc.Features) != 1 || fc.Features[0].Properties["id"] != "P2" {
		t.Fatalf("%d features %v, want P2 alone", len(fc.Features), fc.Features)
	}
	// P2's south-west corner (15.90° E, 56.72° N) by PostGIS here, easting
	// first as GDAL writes GeoJSON: within 2 cm after CRS84 and PROJ.
	var wantE, wantN float64
	if err := pool.QueryRow(ctx, `SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(15.90, 56.72), 4326), 3006) p`).Scan(&wantE, &wantN); err != nil {
		t.Fatal(err)
	}
	r := ring(t, fc.Features[0].Geometry.Type, fc.Features[0].Geometry.Coordinates)
	if !slices.ContainsFunc(r, func(c [2]float64) bool { return math.Abs(c[0]-wantE) < 0.02 && math.Abs(c[1]-wantN) < 0.02 }) {
		t.Errorf("ring %v lacks the corner [%.2f %.2f]", r, wantE, wantN)
	}
	info, err := ogrinfo(t, "-so", "OAPIF:"+base, "projects")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	for _, field := range []string{"completion_year: Integer", "cost_sek: Real", "households: Integer", "status: String", "as_of: Date"} {
		if !strings.Contains(info, field) {
			t.Errorf("ogrinfo -so lacks %q:\n%s", field, info)
		}
	}
}
