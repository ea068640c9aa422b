package ogc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// gisFixture serves testdata/gaps.csv as of 2024-10-01, with a token of
// Kalmar (0880).
type gisFixture struct {
	base  string // …/ogc
	token string
	pool  *pgxpool.Pool
}

func newGISFixture(t *testing.T) gisFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	f, err := os.Open("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := coverage.NewStore(pool).Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
		AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{Name: "Kalmar GIS", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return gisFixture{base: ts.URL + "/ogc", token: secret, pool: pool}
}

// basicAuth is the Authorization header QGIS's Basic method sends: any
// user name, the token as the password.
func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// get sends a request with headers as name, value pairs.
func get(t *testing.T, method, u string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// geoPage is an items page with its geometries.
type geoPage struct {
	NumberMatched int `json:"numberMatched"`
	Features      []struct {
		ID       string `json:"id"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
	Links []struct{ Href, Rel, Type string } `json:"links"`
}

func (g gisFixture) page(t *testing.T, path string, headers ...string) (geoPage, *http.Response) {
	t.Helper()
	resp, b := get(t, "GET", g.base+path, headers...)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, b)
	}
	var p geoPage
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return p, resp
}

// prop lists one property of the page's features, sorted.
func (p geoPage) prop(name string) []string {
	var out []string
	for _, f := range p.Features {
		if v, ok := f.Properties[name]; ok {
			b, _ := json.Marshal(v)
			s := string(b)
			if str, ok := v.(string); ok {
				s = str
			}
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func (p geoPage) link(rel string) string {
	for _, l := range p.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}
