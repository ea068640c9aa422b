package server_test

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
)

// checkHeaders holds a response to what a browser must be told: never to
// guess the type (nosniff), and the type of every body, which the body
// then is.
func checkHeaders(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%d: X-Content-Type-Options %q, want nosniff", resp.StatusCode, got)
	}
	if len(body) == 0 || resp.StatusCode/100 == 3 { // a redirect's body is net/http's link
		return
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Errorf("%d: a body of %d bytes with Content-Type %q", resp.StatusCode, len(body), ct)
		return
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		if !json.Valid(body) {
			t.Errorf("%d: %s that is not JSON: %.200s", resp.StatusCode, mt, body)
		}
	case mt == "text/html":
		if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(body))), "<!doctype html") {
			t.Errorf("%d: text/html that is no HTML page: %.200s", resp.StatusCode, body)
		}
	case mt == "text/csv", mt == "text/plain", mt == "text/css", mt == "text/javascript",
		mt == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", mt == "application/vnd.mapbox-vector-tile",
		mt == "application/vnd.oai.openapi+json", mt == "image/svg+xml", mt == "image/png":
	default:
		t.Errorf("%d: Content-Type %q: not a type gigakoll serves", resp.StatusCode, ct)
	}
}

// Answers no route gives, and answers refused before any route: each
// carries nosniff and says its type.
func TestEveryAnswerSaysItsType(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	for _, tt := range []struct {
		method, path, accept string
		status               int
	}{
		{"GET", "/api/v1/no-such-thing", "", 404},
		{"GET", "/no-such-page", "text/html", 404},
		{"DELETE", "/api/v1/snapshots", "", 405},
		{"GET", "/api/v1/addresses?q=a%00b", "", 400},
		{"GET", "/?as_of=2024%0A", "text/html", 400},
		{"GET", "/tiles/municipalities/0/0/0.mvt", "", 200},
		{"GET", "/tiles/squares/14/0/0.mvt", "", 204},
		{"GET", "/ogc/style.css", "", 200},
		{"GET", "/ogc/collections/squares/items?limit=x", "", 400},
		{"GET", "/ndt/v7/download", "", 400},
		{"GET", "/readyz", "", 200},
	} {
		req, _ := http.NewRequest(tt.method, fx.url+tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept", tt.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: %d, want %d: %.200s", tt.method, tt.path, resp.StatusCode, tt.status, body)
		}
		t.Run(tt.method+" "+tt.path, func(t *testing.T) { checkHeaders(t, resp, body) })
	}
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
