package ogc_test

import (
	"strings"
	"testing"
)

func TestHEADAnswersTheGETsHeadersWithoutABody(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	for _, path := range []string{"/", "/conformance", "/api", "/collections", "/collections/squares", "/collections/squares/schema",
		"/collections/squares/queryables", "/collections/squares/items", "/collections/squares/items?crs=EPSG:3006"} {
		getResp, _ := get(t, "GET", g.base+path)
		headResp, body := get(t, "HEAD", g.base+path)
		if headResp.StatusCode != 200 || len(body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes, want 200 and none", path, headResp.StatusCode, len(body))
		}
		for _, h := range []string{"Content-Type", "ETag", "Cache-Control", "Content-Crs"} {
			if getResp.Header.Get(h) != headResp.Header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET's %q", path, h, headResp.Header.Get(h), getResp.Header.Get(h))
			}
		}
	}
	if resp, _ := get(t, "HEAD", g.base+"/collections/squares/items?colour=red"); resp.StatusCode != 400 {
		t.Errorf("HEAD with an unknown parameter: %d, want 400 as GET", resp.StatusCode)
	}
}

func TestPublicAnswersCarryAnETagAndAddressPointsAreNeverStored(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	for _, path := range []string{"/collections", "/collections/squares", "/collections/squares/items?limit=1", "/collections/municipalities/items?crs=EPSG:3006"} {
		resp, _ := get(t, "GET", g.base+path)
		etag := resp.Header.Get("ETag")
		if etag == "" || resp.Header.Get("Cache-Control") != "public, max-age=300" || !strings.Contains(resp.Header.Get("Vary"), "Authorization") {
			t.Errorf("GET %s: ETag %q, Cache-Control %q, Vary %q", path, etag, resp.Header.Get("Cache-Control"), resp.Header.Get("Vary"))
			continue
		}
		if again, body := get(t, "GET", g.base+path, "If-None-Match", etag); again.StatusCode != 304 || len(body) != 0 {
			t.Errorf("GET %s with its ETag: %d, want 304", path, again.StatusCode)
		}
	}
	// Another page, CRS or filter is another ETag.
	a, _ := get(t, "GET", g.base+"/collections/squares/items?limit=1")
	b, _ := get(t, "GET", g.base+"/collections/squares/items?limit=1&offset=1")
	c, _ := get(t, "GET", g.base+"/collections/squares/items?limit=1&crs=EPSG:3006")
	if a.Header.Get("ETag") == b.Header.Get("ETag") || a.Header.Get("ETag") == c.Header.Get("ETag") {
		t.Error("two pages, or two CRSs, share an ETag")
	}
	resp, _ := get(t, "GET", g.base+"/collections/gaps/items", "Authorization", "Bearer "+g.token)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" || resp.Header.Get("ETag") != "" {
		t.Errorf("gaps: %d, Cache-Control %q, ETag %q; want private, no-store and no ETag", resp.StatusCode,
			resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}
}

func TestTheTokenWorksAsBasicsPasswordAndABadOneIsAClear401(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	if resp, b := get(t, "GET", g.base+"/collections/gaps/items?limit=1", "Authorization", basicAuth("qgis", g.token)); resp.StatusCode != 200 {
		t.Errorf("gaps with the token as Basic's password: %d %s", resp.StatusCode, b)
	}
	// A bad token is refused on a public collection too: the client
	// meant to be someone (documented in the README).
	for _, h := range []string{basicAuth("qgis", g.token+"x"), "Bearer gk_nope"} {
		resp, b := get(t, "GET", g.base+"/collections/squares/items?limit=1", "Authorization", h)
		challenges := strings.Join(resp.Header.Values("WWW-Authenticate"), " | ")
		if resp.StatusCode != 401 || !strings.Contains(challenges, "Basic realm=") || !strings.Contains(challenges, "Bearer realm=") ||
			!strings.Contains(string(b), "unknown, expired or revoked") {
			t.Errorf("%.12s…: %d %q %s; want 401 challenging Bearer and Basic, saying the token does not work", h, resp.StatusCode, challenges, b)
		}
	}
	resp, b := get(t, "GET", g.base+"/collections/gaps/items")
	if resp.StatusCode != 401 || !strings.Contains(string(b), "HTTP Basic with the token as the password") {
		t.Errorf("gaps without a token: %d %s; want 401 telling how to send one", resp.StatusCode, b)
	}
}

func TestUnknownParametersAreRefusedEverywhere(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	for _, path := range []string{"/?x=1", "/conformance?x=1", "/api?x=1", "/collections?x=1", "/collections/squares?x=1",
		"/collections/squares/queryables?x=1", "/collections/squares/items?x=1", "/collections/squares/items/2024-10-01.0880.250m-E582000-N6282000?x=1"} {
		if resp, b := get(t, "GET", g.base+path); resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"x"`) {
			t.Errorf("GET %s: %d %s, want 400 naming x", path, resp.StatusCode, b)
		}
	}
}
