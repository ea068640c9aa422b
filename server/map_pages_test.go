package server_test

import (
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/server"
)

func TestMapPageOpensOnTheCountyWithTheConfiguredBasemap(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	h, err := server.New(server.Deps{
		Pool:         pool,
		Log:          slog.New(slog.DiscardHandler),
		Registry:     prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second,
		Version:      "test",
		BasemapStyle: "https://tiles.example.org/styles/basic.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)

	resp, body := mapFetch(t, ts.URL+"/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, dir := range []string{"connect-src", "img-src"} {
		if !regexp.MustCompile(dir + ` [^;]*https://tiles\.example\.org`).MatchString(csp) {
			t.Errorf("%s does not allow the base map's host: %s", dir, csp)
		}
	}
	if !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("the base map widened script-src: %s", csp)
	}
	m := regexp.MustCompile(`<script type="application/json" id="karta-data">(.*?)</script>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no karta-data in the page")
	}
	var data struct {
		BasemapStyle string     `json:"basemap_style"`
		Bounds       [4]float64 `json:"bounds"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &data); err != nil {
		t.Fatalf("karta-data %s: %v", m[1], err)
	}
	if data.BasemapStyle != "https://tiles.example.org/styles/basic.json" {
		t.Errorf("basemap_style %q", data.BasemapStyle)
	}
	// Kalmar län lies within 15–17.5 °E, 56–58.2 °N: the map opens on it.
	w, s, e, n := data.Bounds[0], data.Bounds[1], data.Bounds[2], data.Bounds[3]
	if w < 15 || e > 17.7 || s < 55.8 || n > 58.3 || e-w < 1 || n-s < 1.5 {
		t.Errorf("the map opens on %v, not on Kalmar län", data.Bounds)
	}

	// Without a base map, the policy stays this server's own.
	plain, _ := mapServer(t, pool)
	resp, _ = mapFetch(t, plain.URL+"/")
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "example.org") {
		t.Error("a host is allowed without a base map")
	}
}
