package server_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// areaJSON is the part of an area's report these tests read.
type areaJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Targets []struct {
		ID            string   `json:"id"`
		Share         *float64 `json:"share"`
		Threshold     float64  `json:"threshold"`
		Met           bool     `json:"met"`
		GapHouseholds int64    `json:"gap_households"`
		GapWorkplaces int64    `json:"gap_workplaces"`
		Forecast      *struct {
			Label string   `json:"label"`
			Share *float64 `json:"share"`
		} `json:"forecast"`
		Projection *struct {
			Label    string   `json:"label"`
			From     []string `json:"from"`
			OnCourse bool     `json:"on_course"`
		} `json:"projection"`
	} `json:"targets"`
	Urban   *struct{ Rule string } `json:"urban"`
	History []struct {
		AsOf    string `json:"as_of"`
		Targets []struct {
			ID            string   `json:"id"`
			Share         *float64 `json:"share"`
			ChangePerYear *float64 `json:"change_per_year"`
		} `json:"targets"`
	} `json:"history"`
}

func mapDecode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
}

func sameShare(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestMunicipalityReportFollowsTheSnapshots(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))

	var latest struct {
		AsOf         string   `json:"as_of"`
		Municipality areaJSON `json:"municipality"`
		County       areaJSON `json:"county"`
	}
	resp, body := mapFetch(t, ts.URL+"/api/v1/municipalities/0880")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET municipalities/0880 = %d %s", resp.StatusCode, body)
	}
	mapDecode(t, body, &latest)
	m := latest.Municipality
	if latest.AsOf != "2024-10-01" || m.Name != "Kalmar" || latest.County.Code != "08" || latest.County.Kind != "county" {
		t.Fatalf("as_of %s, municipality %s %s, county %s %s; want the latest snapshot, Kalmar and Kalmar län",
			latest.AsOf, m.Code, m.Name, latest.County.Code, latest.County.Kind)
	}
	var gig *struct{ share float64 }
	for _, tr := range m.Targets {
		if tr.ID != "se-2025-1g" {
			continue
		}
		gig = &struct{ share float64 }{*tr.Share}
		if !sameShare(*tr.Share, float64(kalmar1G2024)/kalmarTotal) {
			t.Errorf("share %v, want %d/%d", *tr.Share, kalmar1G2024, kalmarTotal)
		}
		if tr.Met || tr.GapHouseholds != kalmarGapHH2024 || tr.GapWorkplaces != kalmarGapWP2024 {
			t.Errorf("met %v, gaps %d households %d workplaces; want not met, %d and %d",
				tr.Met, tr.GapHouseholds, tr.GapWorkplaces, kalmarGapHH2024, kalmarGapWP2024)
		}
		if tr.Forecast == nil || tr.Forecast.Share == nil || *tr.Forecast.Share < *tr.Share {
			t.Errorf("forecast %+v: want one at least today's share", tr.Forecast)
		}
		if tr.Projection == nil || !strings.Contains(tr.Projection.Label, "projection") || len(tr.Projection.From) != 2 {
			t.Errorf("projection %+v: want one labelled as a projection through both snapshots", tr.Projection)
		}
	}
	if gig == nil {
		t.Fatal("Kalmar has no se-2025-1g")
	}
	if m.Urban == nil || m.Urban.Rule == "" {
		t.Error("no urban part with its rule")
	}
	if len(m.History) != 2 || m.History[0].AsOf != "2023-10-01" || m.History[1].AsOf != "2024-10-01" {
		t.Fatalf("history %+v: want 2023 and 2024", m.History)
	}
	for _, h := range m.History[1].Targets {
		if h.ID == "se-2025-1g" && (h.ChangePerYear == nil || *h.ChangePerYear <= 0) {
			t.Errorf("2024's yearly change %v: want a rise", h.ChangePerYear)
		}
	}

	var older struct {
		AsOf         string   `json:"as_of"`
		Municipality areaJSON `json:"municipality"`
	}
	resp, body = mapFetch(t, ts.URL+"/api/v1/municipalities/0880?as_of=2023-10-01")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("as_of=2023-10-01: %d %s", resp.StatusCode, body)
	}
	mapDecode(t, body, &older)
	for _, tr := range older.Municipality.Targets {
		if tr.ID == "se-2025-1g" && !sameShare(*tr.Share, float64(kalmar1G2023)/kalmarTotal) {
			t.Errorf("2023 share %v, want %d/%d", *tr.Share, kalmar1G2023, kalmarTotal)
		}
	}
}

func TestMunicipalitiesListsTheCounty(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	var list struct {
		Municipalities []areaJSON `json:"municipalities"`
		Counties       []areaJSON `json:"counties"`
		Targets        []struct {
			ID string `json:"id"`
		} `json:"targets"`
	}
	resp, body := mapFetch(t, ts.URL+"/api/v1/municipalities")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	mapDecode(t, body, &list)
	// Kalmar län has 12 municipalities; every one is listed, with data or not.
	if len(list.Municipalities) != 12 || len(list.Counties) != 1 || list.Counties[0].Code != "08" {
		t.Fatalf("%d municipalities and counties %+v; want Kalmar län's 12 and the county", len(list.Municipalities), list.Counties)
	}
	if len(list.Targets) != 6 {
		t.Errorf("%d targets, want the 5 fixed ones of spec/targets.md and eu-2030-1g", len(list.Targets))
	}
	for _, m := range list.Municipalities {
		if m.History != nil || m.Urban != nil {
			t.Errorf("%s: the list carries headline figures only", m.Code)
		}
		if m.Code == "0884" && m.Targets[0].Share != nil { // Vimmerby: no points in the fixture
			t.Errorf("Vimmerby without address points has share %v, want null", *m.Targets[0].Share)
		}
	}
}

func TestCoverageErrorsNameTheParameter(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	empty, _ := mapServer(t, dbtest.New(t))
	tests := []struct {
		name, url  string
		status     int
		field      string
		serverless bool // against the database without snapshots
	}{
		{"a date that is not one", "/api/v1/targets?as_of=2024-13-01", 400, "as_of", false},
		{"a date in another format", "/api/v1/municipalities?as_of=1%2F10%2F2024", 400, "as_of", false},
		{"a date without a snapshot", "/api/v1/municipalities/0880?as_of=2020-10-01", 404, "as_of", false},
		{"an unknown municipality", "/api/v1/municipalities/0999", 404, "code", false},
		{"a code that is no code", "/api/v1/municipalities/kalmar", 404, "code", false},
		{"a municipality outside the snapshot", "/api/v1/municipalities/0180", 404, "code", false},
		{"an unknown format", "/api/v1/targets?format=pdf", 400, "format", false},
		{"no snapshot at all", "/api/v1/targets", 404, "as_of", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := ts.URL
			if tt.serverless {
				base = empty.URL
			}
			resp, body := mapFetch(t, base+tt.url)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d %s, want %d", tt.url, resp.StatusCode, body, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var e struct {
				Errors []struct{ Field, Message string }
			}
			mapDecode(t, body, &e)
			if len(e.Errors) != 1 || e.Errors[0].Field != tt.field || e.Errors[0].Message == "" {
				t.Errorf("body %s: want one error naming %s", body, tt.field)
			}
		})
	}

	resp, body := mapFetch(t, empty.URL+"/api/v1/snapshots")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"latest":null`) {
		t.Errorf("snapshots without any = %d %s, want 200 with latest null", resp.StatusCode, body)
	}
}

func TestCoverageAnswers304ToItsETag(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	ts, _ := mapServer(t, pool)
	for _, path := range []string{"/api/v1/snapshots", "/api/v1/targets", "/api/v1/targets?format=csv",
		"/api/v1/municipalities", "/api/v1/municipalities/0880?as_of=2023-10-01", "/api/v1/openapi.json"} {
		resp, body := mapFetch(t, ts.URL+path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public, max-age=") {
			t.Fatalf("GET %s = %d, ETag %q, Cache-Control %q: want 200 with both", path, resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
		}
		resp, again := mapFetch(t, ts.URL+path, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || len(again) != 0 {
			t.Errorf("GET %s with its ETag = %d (%d bytes), want 304 and no body", path, resp.StatusCode, len(again))
		}
		if resp, _ := mapFetch(t, ts.URL+path, "If-None-Match", `"other", W/`+strings.TrimPrefix(etag, "W/")); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag among others, weak = %d, want 304", path, resp.StatusCode)
		}
		if resp, _ := mapFetch(t, ts.URL+path, "If-None-Match", `"other"`); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with another ETag = %d, want 200", path, resp.StatusCode)
		}
		_ = body
	}

	// A new snapshot is a new version of the latest figures and of the history.
	old := map[string]string{}
	paths := []string{"/api/v1/municipalities", "/api/v1/municipalities/0880?as_of=2023-10-01", "/api/v1/snapshots"}
	for _, p := range paths {
		resp, _ := mapFetch(t, ts.URL+p)
		old[p] = resp.Header.Get("ETag")
	}
	importCoverage(t, pool, "rules-2025.csv", strings.NewReader(rules2023(t)), fixture2024.AddDate(1, 0, 0))
	for _, p := range paths {
		resp, _ := mapFetch(t, ts.URL+p, "If-None-Match", old[p])
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == old[p] {
			t.Errorf("GET %s after an import = %d with ETag %s, want 200 with a new one", p, resp.StatusCode, resp.Header.Get("ETag"))
		}
	}
}

func TestTargetsDownloadAsCSVAndXLSX(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))

	resp, body := mapFetch(t, ts.URL+"/api/v1/targets?format=csv&as_of=2023-10-01")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("csv: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="mal-2023-10-01.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.HasPrefix(body, []byte("\uFEFF")) || !strings.Contains(string(body), ";Kalmar;") {
		t.Errorf("csv: want a BOM and ';' between fields with Kalmar's rows, got %.200q", body)
	}

	resp, body = mapFetch(t, ts.URL+"/api/v1/targets?format=xlsx")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != `attachment; filename="mal-2024-10-01.xlsx"` {
		t.Fatalf("xlsx: %d, Content-Disposition %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	kalmar := 0
	for _, r := range rows {
		if len(r) > 2 && r[2] == "Kalmar" {
			kalmar++
		}
	}
	if kalmar != 6 {
		t.Errorf("xlsx has %d rows for Kalmar, want one per fixed target (6)", kalmar)
	}
}
