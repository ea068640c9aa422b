package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/replicas/standbytest"
)

// gigakoll serve with GIGAKOLL_READ_URL: the project register and the
// mobile coverage are read from the standby too. Paused behind an import of
// a new register and a new mobile file, it answers what it has in the API,
// OGC and the tiles (never the primary's new data, never a mix); resumed,
// it answers the new data.
func TestServeReadsProjectsAndMobileFromTheReplica(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	sb := standbytest.New(t, dbURL)
	ctx := context.Background()
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		if out, err := gigakoll(ctx, dbURL, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	// A register of n projects, each a box in Kalmar (WGS 84).
	register := func(name string, n int) string {
		t.Helper()
		var feats []string
		for i := range n {
			w := 16.30 + 0.02*float64(i)
			feats = append(feats, `{"type":"Feature","properties":{"id":"P-`+string(rune('A'+i))+`","name":"Projekt `+
				string(rune('A'+i))+`","status":"planned","completion_year":2027,"cost_sek":1000000},`+
				`"geometry":{"type":"Polygon","coordinates":[[[`+ftoa(w)+`,56.60],[`+ftoa(w+0.015)+`,56.60],[`+ftoa(w+0.015)+
				`,56.70],[`+ftoa(w)+`,56.70],[`+ftoa(w)+`,56.60]]]}}`)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(feats, ",")+`]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run("import", "coverage", "../../mobile/testdata/coverage.csv", "--as-of", "2024-10-01")
	run("import", "projects", register("v1.geojson", 1))
	run("import", "mobile", mobileCSV, "--as-of", "2024-10-01")
	sb.CatchUp(pool)
	base, stop, logs := startServe(t, map[string]string{"DATABASE_URL": dbURL, "GIGAKOLL_READ_URL": sb.URL,
		"GIGAKOLL_READ_CHECK_EVERY": "100ms", "GIGAKOLL_MEASURE_RATE": "off"})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, logs)
		}
	}()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	getJSON := func(path string, v any) {
		t.Helper()
		code, body := get(path)
		if code != http.StatusOK || json.Unmarshal([]byte(body), v) != nil {
			t.Fatalf("%s: %d %.500s", path, code, body)
		}
	}
	// What a reader sees: the register's version and projects in the
	// report and in OGC, and the mobile snapshots in the API, the report
	// and the tiles.
	type view struct {
		register    int
		projects    string // the report's project ids
		ogcProjects string // OGC's project ids
		mobileDates string
		mobileAsOf  string // the mobile report's
		tile2025    int    // status of a mobile tile of 2025-10-01
	}
	look := func() view {
		t.Helper()
		var v view
		var rep struct {
			RegisterVersion int `json:"register_version"`
			Projects        []struct{ ID string }
		}
		getJSON("/api/v1/projects", &rep)
		v.register = rep.RegisterVersion
		var ids []string
		for _, p := range rep.Projects {
			ids = append(ids, p.ID)
		}
		v.projects = strings.Join(ids, ",")
		var fc struct {
			Features []struct{ Properties struct{ ID string } }
		}
		getJSON("/ogc/collections/projects/items?f=json", &fc)
		ids = nil
		for _, f := range fc.Features {
			ids = append(ids, f.Properties.ID)
		}
		v.ogcProjects = strings.Join(ids, ",")
		var snaps struct {
			Snapshots []struct {
				AsOf string `json:"as_of"`
			}
		}
		getJSON("/api/v1/mobile/snapshots", &snaps)
		var dates []string
		for _, s := range snaps.Snapshots {
			dates = append(dates, s.AsOf)
		}
		v.mobileDates = strings.Join(dates, ",")
		var mrep struct {
			AsOf string `json:"as_of"`
		}
		getJSON("/api/v1/mobile", &mrep)
		v.mobileAsOf = mrep.AsOf
		v.tile2025, _ = get("/tiles/mobile/10/558/315.mvt?as_of=2025-10-01")
		return v
	}
	before := view{register: 1, projects: "P-A", ogcProjects: "P-A", mobileDates: "2024-10-01", mobileAsOf: "2024-10-01",
		tile2025: http.StatusNotFound}
	if got := look(); got != before {
		t.Fatalf("before the imports: %+v, want %+v", got, before)
	}

	sb.Pause()
	run("import", "projects", register("v2.geojson", 2))
	run("import", "mobile", "../../mobile/testdata/mobile100.csv", "--as-of", "2025-10-01")
	var version, mobiles int
	if err := pool.QueryRow(ctx, "SELECT (SELECT max(version) FROM project_registers), (SELECT count(*) FROM mobile_snapshots)").
		Scan(&version, &mobiles); err != nil || version != 2 || mobiles != 2 {
		t.Fatalf("the primary has register version %d and %d mobile snapshots (%v), want 2 and 2", version, mobiles, err)
	}
	time.Sleep(5100 * time.Millisecond) // the mobile snapshots' list is kept 5 s
	if got := look(); got != before {
		t.Errorf("paused behind the imports: %+v, want the standby's %+v", got, before)
	}

	sb.Resume()
	sb.CatchUp(pool)
	time.Sleep(5100 * time.Millisecond)
	after := view{register: 2, projects: "P-A,P-B", ogcProjects: "P-A,P-B", mobileDates: "2024-10-01,2025-10-01",
		mobileAsOf: "2025-10-01", tile2025: http.StatusOK}
	if got := look(); got != after {
		t.Errorf("resumed: %+v, want %+v", got, after)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
