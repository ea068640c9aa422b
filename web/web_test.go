package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// fakeDist is a made-up build: a page entry importing a shared chunk that
// has CSS of its own, the shared stylesheet, and an ndt7 worker.
func fakeDist() fstest.MapFS {
	manifest := `{
  "src/layout.css": {"file": "assets/layout-AAAAAAAA.css", "src": "src/layout.css", "isEntry": true},
  "src/map.js": {"file": "assets/map-BBBBBBBB.js", "src": "src/map.js", "isEntry": true,
                 "imports": ["_shared-CCCCCCCC.js"], "css": ["assets/map-DDDDDDDD.css"]},
  "src/mal.js": {"file": "assets/mal-EEEEEEEE.js", "src": "src/mal.js", "isEntry": true,
                 "imports": ["_shared-CCCCCCCC.js"]},
  "src/matning.js": {"file": "assets/matning-FFFFFFFF.js", "src": "src/matning.js", "isEntry": true},
  "src/login.js": {"file": "assets/login-GGGGGGGG.js", "src": "src/login.js", "isEntry": true},
  "src/upload.js": {"file": "assets/upload-HHHHHHHH.js", "src": "src/upload.js", "isEntry": true},
  "_shared-CCCCCCCC.js": {"file": "assets/shared-CCCCCCCC.js", "css": ["assets/shared-IIIIIIII.css"]}
}`
	return fstest.MapFS{
		"manifest.json":                          {Data: []byte(manifest)},
		"assets/layout-AAAAAAAA.css":             {Data: []byte("body{margin:0}")},
		"assets/map-BBBBBBBB.js":                 {Data: []byte(strings.Repeat("console.log('karta');\n", 200))},
		"assets/maplibre-gl-worker-JJJJJJJJ.mjs": {Data: []byte("self.onmessage=()=>{}")},
		"ndt7/ndt7-download-worker.js":           {Data: []byte("const workerMain = function(ev) {};")},
	}
}

func mustPages(t *testing.T, dist fstest.MapFS) *Pages {
	t.Helper()
	p, err := NewFS(dist)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTagsLoadAnEntryWithItsImportsAndCSS(t *testing.T) {
	p := mustPages(t, fakeDist())
	tests := []struct {
		name, entry, want string
	}{
		{"a page entry: shared CSS first, then its own, the script, then preloads", "src/map.js",
			`<link rel="stylesheet" href="/assets/shared-IIIIIIII.css">` + "\n" +
				`<link rel="stylesheet" href="/assets/map-DDDDDDDD.css">` + "\n" +
				`<script type="module" src="/assets/map-BBBBBBBB.js"></script>` + "\n" +
				`<link rel="modulepreload" href="/assets/shared-CCCCCCCC.js">` + "\n"},
		{"an entry without CSS", "src/matning.js",
			`<script type="module" src="/assets/matning-FFFFFFFF.js"></script>` + "\n"},
		{"the shared stylesheet", "src/layout.css",
			`<link rel="stylesheet" href="/assets/layout-AAAAAAAA.css">` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.tags(tt.entry)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("tags(%q) =\n%s\nwant\n%s", tt.entry, got, tt.want)
			}
		})
	}
}

func TestTagsRefuseWhatIsNoEntry(t *testing.T) {
	p := mustPages(t, fakeDist())
	for _, name := range []string{"src/nope.js", "_shared-CCCCCCCC.js"} {
		if _, err := p.tags(name); err == nil || !strings.Contains(err.Error(), "make web") {
			t.Errorf("tags(%q) error = %v, want one saying to add the entry and run make web", name, err)
		}
	}
}

func render(t *testing.T, p *Pages, path, name string, d Data) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, httptest.NewRequest(http.MethodGet, path, nil), http.StatusOK, name, d); err != nil {
		t.Fatal(err)
	}
	return w.Code, w.Body.String()
}

func TestEveryPageRendersInTheSwedishLayout(t *testing.T) {
	p := mustPages(t, fakeDist())
	pages := []struct{ file, path, title, entry string }{
		{"map.html", "/", "Karta – gigakoll", "/assets/map-BBBBBBBB.js"},
		{"mal.html", "/mal", "Mål – gigakoll", "/assets/mal-EEEEEEEE.js"},
		{"matning.html", "/matning", "Mätning – gigakoll", "/assets/matning-FFFFFFFF.js"},
		{"login.html", "/logga-in", "Logga in – gigakoll", "/assets/login-GGGGGGGG.js"},
		{"upload.html", "/import", "Importera data – gigakoll", "/assets/upload-HHHHHHHH.js"},
	}
	for _, pg := range pages {
		t.Run(pg.file, func(t *testing.T) {
			code, body := render(t, p, pg.path, pg.file, Data{})
			if code != http.StatusOK {
				t.Errorf("status %d", code)
			}
			for _, want := range []string{
				`<html lang="sv">`,
				`<meta charset="utf-8">`,
				`<meta name="viewport" content="width=device-width, initial-scale=1">`,
				"<title>" + pg.title + "</title>",
				`<link rel="stylesheet" href="/assets/layout-AAAAAAAA.css">`,
				`<script type="module" src="` + pg.entry + `"></script>`,
				`<a class="skip-link" href="#innehall">Hoppa till innehållet</a>`,
				`<main id="innehall" tabindex="-1">`,
				`<a href="/logga-in"`,
				`Gränser: Lantmäteriet (CC0). Tätorter: SCB (CC0).`,
				"<h1",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("lacks %s", want)
				}
			}
		})
	}
}

func TestTheMenuMarksTheCurrentPage(t *testing.T) {
	p := mustPages(t, fakeDist())
	_, body := render(t, p, "/mal", "mal.html", Data{})
	for _, want := range []string{
		`<a href="/">Karta</a>`,
		`<a href="/mal" aria-current="page">Mål</a>`,
		`<a href="/matning">Mätning</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s", want)
		}
	}
}

func TestTheHeaderShowsTheSignedInUser(t *testing.T) {
	p := mustPages(t, fakeDist())
	_, body := render(t, p, "/", "map.html", Data{User: &User{Name: "Åsa <Öberg>"}, CSRF: "tok"})
	for _, want := range []string{
		`<span class="account-name">Åsa &lt;Öberg&gt;</span>`,
		`<form method="post" action="/logga-ut">`,
		`<input type="hidden" name="csrf" value="tok">`,
		`>Logga ut</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s", want)
		}
	}
	if strings.Contains(body, "Logga in") {
		t.Error(`a signed-in user still sees "Logga in"`)
	}
	w := httptest.NewRecorder()
	if err := p.Render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, "map.html", Data{User: &User{Name: "x"}}); err != nil {
		t.Fatal(err)
	}
	if got := w.Header().Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("a page naming its user has Cache-Control %q, want private, no-store", got)
	}
}

func TestErrorPagesAreSwedish(t *testing.T) {
	p := mustPages(t, fakeDist())
	tests := []struct {
		status int
		want   string
	}{
		{http.StatusNotFound, "<h1>Sidan finns inte</h1>"},
		{http.StatusForbidden, "<h1>Du har inte behörighet</h1>"},
		{http.StatusMethodNotAllowed, "<h1>Det går inte att göra så här</h1>"},
		{http.StatusServiceUnavailable, "<h1>Tjänsten är upptagen</h1>"},
		{http.StatusInternalServerError, "<h1>Något gick fel</h1>"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			w := httptest.NewRecorder()
			p.RenderError(w, httptest.NewRequest(http.MethodGet, "/x", nil), tt.status, Data{})
			body := w.Body.String()
			if w.Code != tt.status || !strings.Contains(body, tt.want) || !strings.Contains(body, `<html lang="sv">`) {
				t.Errorf("status %d, body lacks %s:\n%s", w.Code, tt.want, body)
			}
			if !strings.Contains(body, "/assets/layout-AAAAAAAA.css") {
				t.Error("the error page lacks the shared stylesheet")
			}
		})
	}
}

func TestWithoutABuildPagesSayToRunMakeWeb(t *testing.T) {
	p := mustPages(t, fstest.MapFS{".gitkeep": {}}) // a fresh clone
	if p.Built() {
		t.Fatal("Built() with no manifest")
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if err := p.Render(w, r, http.StatusOK, "map.html", Data{}); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Render = %v, want ErrNotBuilt", err)
	}
	if w.Body.Len() != 0 {
		t.Fatal("Render wrote before failing")
	}
	p.RenderError(w, r, http.StatusInternalServerError, Data{})
	body := w.Body.String()
	if w.Code != http.StatusInternalServerError || !strings.Contains(body, "<code>make web</code>") ||
		!strings.Contains(body, "Sidorna är inte byggda") {
		t.Errorf("status %d, body:\n%s", w.Code, body)
	}
	if strings.Contains(body, "/assets/") {
		t.Error("an unbuilt error page links assets that do not exist")
	}
}

func TestACorruptManifestIsAnError(t *testing.T) {
	if _, err := NewFS(fstest.MapFS{"manifest.json": {Data: []byte("{")}}); err == nil {
		t.Error("NewFS accepted a manifest that is not JSON")
	}
}

// TestTheEmbeddedBuildHasEveryEntry renders every page with the build that
// is embedded, so a template naming an entry that vite.config.js lacks
// fails here rather than in a browser. make test builds first.
func TestTheEmbeddedBuildHasEveryEntry(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Built() {
		t.Fatal("web/dist holds no build: run make web (make test does)")
	}
	for _, name := range p.Templates() {
		if name == errorFile {
			continue
		}
		w := httptest.NewRecorder()
		if err := p.Render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, name, Data{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, want := range []string{"src/layout.css", "src/login.js", "src/mal.js", "src/map.js", "src/matning.js", "src/upload.js"} {
		if !slices.Contains(p.Entries(), want) {
			t.Errorf("the build lacks the entry %s; it has %v", want, p.Entries())
		}
	}
	for _, worker := range []string{"ndt7/ndt7-download-worker.js", "ndt7/ndt7-upload-worker.js"} {
		if _, ok := p.assets[worker]; !ok {
			t.Errorf("the build lacks %s", worker)
		}
	}
}
