package ogc_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// twoSnapshots serves testdata/gaps.csv as of 2023-10-01 and 2024-10-01.
func twoSnapshots(t *testing.T) string {
	t.Helper()
	pool := dbtest.New(t)
	for _, day := range []time.Time{time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)} {
		f, err := os.Open("../coverage/testdata/gaps.csv")
		if err != nil {
			t.Fatal(err)
		}
		_, err = coverage.NewStore(pool).Import(context.Background(), f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: day, Name: "gaps.csv"})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL + "/ogc"
}

type page struct {
	Type           string `json:"type"`
	NumberMatched  int    `json:"numberMatched"`
	NumberReturned int    `json:"numberReturned"`
	Features       []struct {
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
	Links []struct{ Href, Rel, Type string } `json:"links"`
}

func fetch(t *testing.T, u string, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func items(t *testing.T, u string) page {
	t.Helper()
	resp, b := fetch(t, u, "application/geo+json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("GET %s: %d %s\n%s", u, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var p page
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return p
}

func (p page) link(rel string) string {
	for _, l := range p.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func TestItemsPageThroughNextAndPrevLinks(t *testing.T) {
	t.Parallel()
	base := twoSnapshots(t)
	// The latest snapshot's public squares: two (testdata/gaps.csv: 48 and 6
	// households; Nybro's 10 are withheld with its 3, see ogrinfo_test.go).
	p := items(t, base+"/collections/squares/items?limit=1")
	if p.NumberMatched != 2 || p.NumberReturned != 1 || len(p.Features) != 1 || p.link("prev") != "" {
		t.Fatalf("first page: matched %d, returned %d, %d features, prev %q", p.NumberMatched, p.NumberReturned, len(p.Features), p.link("prev"))
	}
	next := p.link("next")
	if !strings.Contains(next, "offset=1") || !strings.Contains(next, "limit=1") || !strings.HasPrefix(next, "http://") {
		t.Fatalf("next link %q", next)
	}
	p2 := items(t, next)
	if p2.NumberReturned != 1 || len(p2.Features) != 1 || p2.link("next") != "" || p2.link("prev") == "" || strings.Contains(p2.link("prev"), "offset=") {
		t.Errorf("last page: returned %d, next %q, prev %q", p2.NumberReturned, p2.link("next"), p2.link("prev"))
	}
	seen := map[string]bool{}
	for _, f := range append(p.Features, p2.Features...) {
		if seen[f.ID] {
			t.Errorf("feature %s on two pages", f.ID)
		}
		seen[f.ID] = true
		if f.Properties["as_of"] != "2024-10-01" {
			t.Errorf("%s is of %v, want the latest snapshot", f.ID, f.Properties["as_of"])
		}
	}
}

func TestDatetimeSelectsSnapshots(t *testing.T) {
	t.Parallel()
	base := twoSnapshots(t)
	for _, tc := range []struct {
		datetime string
		want     []string // the as_of of the features
	}{
		{"2024-01-01", []string{"2023-10-01"}},           // the snapshot in force then
		{"2024-10-01T12:00:00Z", []string{"2024-10-01"}}, // an instant on the day
		{"2023-01-01", nil},                              // before any snapshot
		{"../..", []string{"2023-10-01", "2024-10-01"}},  // every snapshot
		{"2024-01-01/..", []string{"2024-10-01"}},
	} {
		t.Run(tc.datetime, func(t *testing.T) {
			p := items(t, base+"/collections/municipalities/items?limit=1000&datetime="+tc.datetime)
			days := map[string]bool{}
			for _, f := range p.Features {
				days[f.Properties["as_of"].(string)] = true
			}
			if len(days) != len(tc.want) {
				t.Errorf("snapshots %v, want %v", days, tc.want)
			}
			for _, d := range tc.want {
				if !days[d] {
					t.Errorf("no feature of %s (got %v)", d, days)
				}
			}
		})
	}
}

func TestBadParametersAreNamed(t *testing.T) {
	t.Parallel()
	base := twoSnapshots(t)
	for _, q := range []struct{ query, field string }{
		{"limit=0", "limit"},
		{"limit=x", "limit"},
		{"offset=-1", "offset"},
		{"bbox=16,56,15,57", "bbox"},
		{"bbox=1,2,3", "bbox"},
		{"datetime=igår", "datetime"},
		{"crs=EPSG:4258", "crs"},
		{"bbox-crs=EPSG:3857&bbox=1,2,3,4", "bbox-crs"},
		{"colour=red", "colour"},                    // no such parameter
		{"households=six", "households"},            // a queryable, not a number
		{"filter=households+%2B+1+%3E+5", "filter"}, // arithmetic
		{"filter=S_INTERSECTS(geom,POINT(16+56))", "filter"},
		{"f=xml", "f"},
	} {
		resp, b := fetch(t, base+"/collections/squares/items?"+q.query, "")
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"`+q.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", q.query, resp.StatusCode, b, q.field)
		}
	}
	if resp, _ := fetch(t, base+"/collections/roads/items", ""); resp.StatusCode != 404 {
		t.Errorf("an unknown collection: %d, want 404", resp.StatusCode)
	}
	// A limit above 10 000 is lowered, as the standard allows.
	if p := items(t, base+"/collections/squares/items?limit=50000"); !strings.Contains(p.link("self"), "limit=10000") {
		t.Errorf("self link %q, want limit=10000", p.link("self"))
	}
}

func TestHTMLForBrowsers(t *testing.T) {
	t.Parallel()
	base := twoSnapshots(t)
	for _, path := range []string{"/", "/conformance", "/collections", "/collections/squares", "/collections/squares/items",
		"/collections/squares/schema", "/collections/squares/queryables"} {
		resp, b := fetch(t, base+path, "text/html,application/xhtml+xml")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(string(b), `<html lang="sv">`) || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s as HTML: %d %s\n%.300s", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	resp, b := fetch(t, base+"/conformance", "application/json")
	var c struct{ ConformsTo []string }
	if err := json.Unmarshal(b, &c); err != nil || resp.StatusCode != 200 || !slices.Contains(c.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core") ||
		!slices.Contains(c.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs") {
		t.Errorf("conformance: %d %s", resp.StatusCode, b)
	}
	resp, b = fetch(t, base+"/api", "")
	var api struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(b, &api); err != nil || !strings.HasPrefix(api.OpenAPI, "3.0") || api.Paths["/collections/squares/items"] == nil ||
		!strings.Contains(resp.Header.Get("Content-Type"), "openapi") {
		t.Errorf("api: %s %.300s", resp.Header.Get("Content-Type"), b)
	}
}
