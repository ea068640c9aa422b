package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string, header ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestAssetsAreServedWithTypeAndCaching(t *testing.T) {
	h := mustPages(t, fakeDist()).Assets()
	tests := []struct {
		path, ctype, cache string
	}{
		{"/assets/layout-AAAAAAAA.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/assets/map-BBBBBBBB.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/assets/maplibre-gl-worker-JJJJJJJJ.mjs", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/ndt7/ndt7-download-worker.js", "text/javascript; charset=utf-8", "no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := get(t, h, http.MethodGet, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if resp.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

func TestAssetsAnswer404ForAnythingElse(t *testing.T) {
	h := mustPages(t, fakeDist()).Assets()
	for _, path := range []string{
		"/assets/nope-AAAAAAAA.js",
		"/assets/",
		"/assets/../manifest.json",
		"/manifest.json",
		"/ndt7/",
	} {
		if resp := get(t, h, http.MethodGet, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestAssetsRevalidateAndCompress(t *testing.T) {
	h := mustPages(t, fakeDist()).Assets()
	const path = "/assets/map-BBBBBBBB.js"
	plain := get(t, h, http.MethodGet, path)
	etag := plain.Header.Get("ETag")
	if resp := get(t, h, http.MethodGet, path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: status %d, want 304", resp.StatusCode)
	}

	gz := get(t, h, http.MethodGet, path, "Accept-Encoding", "br, gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag {
		t.Fatalf("gzip: Content-Encoding %q, ETag %q (plain %q)", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"), etag)
	}
	if !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
		t.Error("a compressed asset lacks Vary: Accept-Encoding")
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	want, _ := io.ReadAll(plain.Body)
	if string(got) != string(want) {
		t.Error("the gzip body differs from the plain one")
	}

	if resp := get(t, h, http.MethodHead, path); resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(want)) {
		t.Errorf("HEAD: status %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"x-gzip", false},
		{"identity", false},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
