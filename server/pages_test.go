package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/server"
	"github.com/gigakoll/gigakoll/web"
)

// pagesServer is a server without a database: the pages need none to render.
func pagesServer(t *testing.T, pages *web.Pages, log *slog.Logger) http.Handler {
	t.Helper()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h, err := server.New(server.Deps{Log: log, Registry: prometheus.NewRegistry(), Version: "test", Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func do(h http.Handler, method, path string, header ...string) (*http.Response, string) {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Result(), string(b)
}

func TestPagesAnswerInSwedishWithSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := pagesServer(t, nil, nil) // the embedded build: make test builds it first
	for _, tt := range []struct{ path, title string }{
		{"/", "<title>Karta – gigakoll</title>"},
		{"/mal", "<title>Mål – gigakoll</title>"},
		{"/matning", "<title>Mätning – gigakoll</title>"},
		{"/logga-in", "<title>Logga in – gigakoll</title>"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := do(h, http.MethodGet, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d:\n%s", resp.StatusCode, body)
			}
			if !strings.Contains(body, tt.title) || !strings.Contains(body, `<html lang="sv">`) {
				t.Errorf("body lacks %s or lang=sv:\n%s", tt.title, body)
			}
			checkPageHeaders(t, resp)
		})
	}
}

func checkPageHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{
		"default-src 'self'", "script-src 'self';", "style-src 'self';",
		"img-src 'self' data: blob:", "worker-src 'self' blob:",
		"connect-src 'self' ws://example.com wss://example.com;", // httptest's Host
		"object-src 'none'", "frame-ancestors 'none'",
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", got)
	}
	if got := resp.Header.Get("Referrer-Policy"); got != "same-origin" {
		t.Errorf("Referrer-Policy %q", got)
	}
}

func TestTheCSPTakesOnlyAPlainHost(t *testing.T) {
	t.Parallel()
	h := pagesServer(t, nil, nil)
	r := httptest.NewRequest(http.MethodGet, "/mal", nil)
	r.Host = "evil.example;script-src *"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	csp := w.Result().Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "evil") || !strings.Contains(csp, "connect-src 'self';") {
		t.Errorf("CSP %q took an odd Host", csp)
	}
}

func TestErrorsAreSwedishPagesOutsideTheAPI(t *testing.T) {
	t.Parallel()
	h := pagesServer(t, nil, nil)
	tests := []struct {
		name, method, path, accept string
		status                     int
		html                       bool
		want                       string
	}{
		{"an unknown page", http.MethodGet, "/finns-inte", "text/html", 404, true, "<h1>Sidan finns inte</h1>"},
		{"an unknown page, no Accept", http.MethodGet, "/finns/inte", "", 404, true, "<h1>Sidan finns inte</h1>"},
		{"a page with the wrong method", http.MethodPost, "/mal", "text/html", 405, true, "<h1>Det går inte att göra så här</h1>"},
		{"the API", http.MethodGet, "/api/v1/finns-inte", "text/html", 404, false, `"errors"`},
		{"a client asking for JSON only", http.MethodGet, "/finns-inte", "application/json", 404, false, `"errors"`},
		{"a missing asset", http.MethodGet, "/assets/finns-inte-AAAAAAAA.js", "", 404, false, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(h, tt.method, tt.path, "Accept", tt.accept)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want %d with %s:\n%s", resp.StatusCode, tt.status, tt.want, body)
			}
			isHTML := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
			if isHTML != tt.html {
				t.Errorf("Content-Type %q, want HTML: %v", resp.Header.Get("Content-Type"), tt.html)
			}
			if isHTML {
				checkPageHeaders(t, resp)
			}
		})
	}
}

func TestAssetsAndWorkersAreServed(t *testing.T) {
	t.Parallel()
	h := pagesServer(t, nil, nil)
	resp, body := do(h, http.MethodGet, "/ndt7/ndt7-download-worker.js")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "WebSocket") {
		t.Fatalf("ndt7 worker: status %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
		t.Errorf("ndt7 worker Content-Type %q", got)
	}
	// The stylesheet the layout links is served, cached for a year.
	_, page := do(h, http.MethodGet, "/mal")
	i := strings.Index(page, `href="/assets/layout-`)
	if i < 0 {
		t.Fatalf("no layout stylesheet in:\n%s", page)
	}
	href := page[i+len(`href="`):]
	href = href[:strings.IndexByte(href, '"')]
	resp, _ = do(h, http.MethodGet, href)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("%s: status %d, Cache-Control %q", href, resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

func TestWithoutABuildPagesAnswer500SayingToRunMakeWeb(t *testing.T) {
	t.Parallel()
	pages, err := web.NewFS(fstest.MapFS{".gitkeep": {}})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h := pagesServer(t, pages, slog.New(slog.NewTextHandler(&logs, nil)))
	resp, body := do(h, http.MethodGet, "/")
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "<code>make web</code>") {
		t.Errorf("status %d:\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "run make web") {
		t.Errorf("the log does not say to run make web:\n%s", logs.String())
	}
	if resp, _ := do(h, http.MethodGet, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz without a build = %d: the API serves regardless", resp.StatusCode)
	}
}
