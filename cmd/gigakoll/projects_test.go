package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// The register as a GIS officer makes it: areas drawn in SWEREF 99 TM and
// kept in a shapefile (made here with ogr2ogr from WKT, as QGIS would save
// a layer), then exported to GeoJSON with GDAL, the library QGIS exports
// with. Three exports, as people make them: without reprojecting (a crs
// member naming EPSG:3006: refused, saying how to export), reprojected but
// with the shapefile's ten-character field names (completion_year became
// "completion": refused, naming the missing property and the ignored one),
// and reprojected with the names restored (imported).
func TestImportProjectsFromAQGISExport(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr is not installed: run scripts/gis-tools.sh (make test does)")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "projekt.csv")
	// two areas in Kalmar, SWEREF 99 TM metres; funding as text, as a
	// shapefile's field holds a list
	if err := os.WriteFile(csv, []byte(`WKT,id,name,status,completion_year,cost_sek,funding
"POLYGON ((582000 6282000,583000 6282000,583000 6283000,582000 6283000,582000 6282000))",P-0880-001,Fiber Kalmar norra,in_progress,2026,5000000,"[{""source"":""regional"",""programme"":""Region Kalmar län"",""amount_sek"":1000000}]"
"POLYGON ((584000 6282000,585000 6282000,585000 6283000,584000 6283000,584000 6282000))",P-0880-002,Fiber Kalmar södra,planned,2027,3000000,
`), 0o644); err != nil {
		t.Fatal(err)
	}
	shp := filepath.Join(dir, "projekt.shp")
	ogr := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %v: %v\n%s", args, err, out)
		}
	}
	ogr("-f", "ESRI Shapefile", shp, csv, "-a_srs", "EPSG:3006", "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo", "KEEP_GEOM_COLUMNS=NO",
		"-oo", "AUTODETECT_TYPE=YES", "-lco", "ENCODING=UTF-8")
	sweref := filepath.Join(dir, "sweref.geojson")
	ogr("-f", "GeoJSON", sweref, shp)
	short := filepath.Join(dir, "short.geojson")
	ogr("-f", "GeoJSON", "-t_srs", "EPSG:4326", short, shp)
	good := filepath.Join(dir, "projekt.geojson")
	ogr("-f", "GeoJSON", "-t_srs", "EPSG:4326", good, shp, "-sql",
		"SELECT id, name, status, completion AS completion_year, cost_sek, funding FROM projekt")

	_, url := dbtest.NewWithURL(t)
	vars := map[string]string{"DATABASE_URL": url, "USER": "gis"}
	importFile := func(path string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"import", "projects", path}, env(vars), strings.NewReader(""), &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}

	_, stderr, err := importFile(sweref)
	if err == nil || !strings.Contains(stderr, `sweref.geojson: property crs: value "urn:ogc:def:crs:EPSG::3006": want WGS 84`) {
		t.Errorf("EPSG:3006 export: err %v, stderr:\n%s", err, stderr)
	}
	_, stderr, err = importFile(short)
	for _, want := range []string{
		`short.geojson: feature 0 (id "P-0880-001"): property completion_year: missing: it is required unless the project is cancelled`,
		`short.geojson: feature 1 (id "P-0880-002"): property completion_year: missing`,
		`warning: short.geojson: properties the register does not know, ignored: completion`,
	} {
		if err == nil || !strings.Contains(stderr, want) {
			t.Errorf("shapefile names: err %v, stderr lacks %q:\n%s", err, want, stderr)
		}
	}
	stdout, stderr, err := importFile(good)
	if err != nil || !strings.Contains(stdout, "imported projekt.geojson as project register version 1: 2 projects") {
		t.Errorf("the good export: err %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}
}
