package ogc_test

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// QGIS opens the layers as the README's "Use in QGIS" recipe says: the OGC
// API – Features layers with QGIS's built-in Basic authentication (any user
// name, the token as the password), the vector tiles with zmin=0, in a
// project in SWEREF 99 TM; it renders them, and the map is not blank.
// testdata/qgis_check.py drives PyQGIS (Debian's python3-qgis, QGIS 3.22,
// installed by scripts/gis-tools.sh, which make test runs) offscreen.
func TestQGISOpensTheLayersWithBasicAuthAndRendersThem(t *testing.T) {
	t.Parallel()
	if err := exec.Command("/usr/bin/python3", "-c", "import qgis.core").Run(); err != nil {
		t.Fatalf("PyQGIS is missing (%v): run scripts/gis-tools.sh (make test does)", err)
	}
	g := newGISFixture(t)
	importRegister(t, g, "planned")
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs("../web/test-results")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "testdata/qgis_check.py", strings.TrimSuffix(g.base, "/ogc"), g.token, out)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+home, "XDG_RUNTIME_DIR="+home,
		"QGIS_AUTH_DB_DIR_PATH="+home, "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("qgis_check.py: %v\n%s\n%s", err, stdout, stderr.String())
	}
	var report struct {
		QGIS   string `json:"qgis"`
		Layers map[string]struct {
			Valid    bool              `json:"valid"`
			Features int               `json:"features"`
			Fields   map[string]string `json:"fields"`
			Error    string            `json:"error"`
		} `json:"layers"`
		Maps map[string]struct {
			PNG     string `json:"png"`
			Drawn   int    `json:"drawn"`
			Sampled int    `json:"sampled"`
		} `json:"maps"`
	}
	if err := json.Unmarshal(stdout, &report); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout, stderr.String())
	}
	t.Logf("QGIS %s", report.QGIS)
	// testdata/gaps.csv by hand: two public squares; Kalmar's (0880) ten
	// address points, nine of them lacking 1 Gbit/s; the register's two
	// projects.
	for layer, want := range map[string]int{"oapif:squares": 2, "oapif:gaps": 9, "oapif:addresses": 10, "oapif:projects": 2} {
		if l := report.Layers[layer]; !l.Valid || l.Features != want {
			t.Errorf("%s: valid %v, %d features (%s); want %d", layer, l.Valid, l.Features, l.Error, want)
		}
	}
	if l := report.Layers["oapif:municipalities"]; !l.Valid || l.Features == 0 {
		t.Errorf("municipalities: %+v", l)
	}
	for _, layer := range []string{"tiles:municipalities", "tiles:squares"} {
		if !report.Layers[layer].Valid {
			t.Errorf("%s is not valid", layer)
		}
	}
	gaps := report.Layers["oapif:gaps"].Fields
	if gaps["planned_year"] != "Integer" || gaps["mbps"] != "Real" || gaps["households"] != "Integer" {
		t.Errorf("QGIS typed the gaps' fields %v", gaps)
	}
	pf := report.Layers["oapif:projects"].Fields
	if pf["completion_year"] != "Integer" || pf["cost_sek"] != "Real" || pf["status"] != "String" {
		t.Errorf("QGIS typed the projects' fields %v", pf)
	}
	// No map is blank: counted by PyQGIS, and again here. The fixture's two
	// squares alone cover a few pixels; every layer together, much more.
	for name, least := range map[string]int{"map": 400, "squares_tiles": 1, "squares_tiles_county": 1} {
		m, ok := report.Maps[name]
		if !ok {
			t.Errorf("no map %s", name)
			continue
		}
		drawn, all := drawnPixels(t, m.PNG)
		if drawn < least || m.Drawn < least {
			t.Errorf("the map %s is blank: %d of %d sampled pixels drawn (PyQGIS counted %d of %d); see %s",
				name, drawn, all, m.Drawn, m.Sampled, m.PNG)
		}
	}
}

// drawnPixels counts, of every 4th pixel each way, those not white.
func drawnPixels(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b, drawn, all := img.Bounds(), 0, 0
	for x := b.Min.X; x < b.Max.X; x += 4 {
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			all++
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				drawn++
			}
		}
	}
	return drawn, all
}
