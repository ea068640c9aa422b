// Package web holds gigakoll's pages: the html/template templates with the
// shared Swedish layout, and the scripts and stylesheets that Vite builds into
// dist/ (npm run build, or make web). Both are embedded in the binary, so a
// release is one file; the hashed asset names let browsers cache them for a
// year.
//
// Swedish text lives only in templates/. Go code here and in package server
// speaks English, in logs and comments alike.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"slices"
)

// dist is Vite's output. all: includes .gitkeep, which keeps this compiling
// on a fresh clone where the pages were never built.
//
//go:embed all:dist
var dist embed.FS

//go:embed templates/*.html
var templates embed.FS

// ErrNotBuilt is returned by Render when dist holds no manifest.json: the
// binary was built without running the npm build first.
var ErrNotBuilt = errors.New("web: the pages were never built (web/dist has no manifest.json): run make web, then rebuild")

// User is the signed-in user as the layout shows it.
type User struct {
	Name        string // shown in the header beside "Logga ut", a link to the account page
	Coordinator bool   // the menu offers the import and the administration pages
}

// Data is what the layout and a page's template see.
type Data struct {
	User *User  // the signed-in user; nil for the public, who see "Logga in"
	CSRF string // the token the "Logga ut" form posts back, when User is set
	Page any    // the page's own data, for its template as .Page

	Path string // the request path, set by Render: marks the current menu item
}

// ErrorPage is the .Page of the error template.
type ErrorPage struct {
	Status   int  // 404, 500, …: picks the Swedish text
	NotBuilt bool // the pages were never built: the text says to run make web
}

// Pages renders the page templates and serves the built assets.
type Pages struct {
	manifest manifest // nil when dist was never built
	assets   map[string]*asset
	pages    map[string]*template.Template // by file name: "map.html"
}

// layoutFile is the shared layout; every other file in templates/ is a page
// that defines the blocks "title", "head" and "content".
const layoutFile = "layout.html"

// New loads the embedded templates and build. Pages that were never built
// are not an error here: every page then answers 500 saying to run make
// web, so the API and health endpoints still serve.
func New() (*Pages, error) {
	d, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return NewFS(d)
}

// NewFS is New over another build folder, with the embedded templates:
// tests use it for a build that is missing or made up.
func NewFS(dist fs.FS) (*Pages, error) {
	t, err := fs.Sub(templates, "templates")
	if err != nil {
		return nil, err
	}
	return load(dist, t)
}

// load builds Pages from a dist and a templates directory; tests pass their own.
func load(dist, templates fs.FS) (*Pages, error) {
	p := &Pages{}
	m, err := readManifest(dist)
	switch {
	case errors.Is(err, fs.ErrNotExist): // never built: Built reports it
	case err != nil:
		return nil, err
	default:
		p.manifest = m
	}
	if p.assets, err = loadAssets(dist); err != nil {
		return nil, err
	}
	if p.pages, err = parsePages(templates, template.FuncMap{"assets": p.tags}); err != nil {
		return nil, err
	}
	return p, nil
}

// parsePages parses the layout together with each page, one template set
// per page, so that each can define the layout's blocks its own way.
func parsePages(templates fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	layout, err := template.New(layoutFile).Funcs(funcs).ParseFS(templates, layoutFile)
	if err != nil {
		return nil, fmt.Errorf("web: parse %s: %w", layoutFile, err)
	}
	names, err := fs.Glob(templates, "*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		if name == layoutFile {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templates, name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		pages[name] = t
	}
	if _, ok := pages[errorFile]; !ok {
		return nil, fmt.Errorf("web: templates lack %s", errorFile)
	}
	return pages, nil
}

// Built reports whether dist holds a build; without one, pages answer 500.
func (p *Pages) Built() bool { return p.manifest != nil }

// Render writes the page template name ("map.html") in the layout with
// status. The page is rendered to a buffer first: on an error nothing has
// been written, and the caller can answer with an error page instead.
func (p *Pages) Render(w http.ResponseWriter, r *http.Request, status int, name string, d Data) error {
	if !p.Built() {
		return ErrNotBuilt
	}
	return p.render(w, r, status, name, d)
}

func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, d Data) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	d.Path = r.URL.Path
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layoutFile, d); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if d.User != nil {
		h.Set("Cache-Control", "private, no-store") // it names the user
	} else {
		h.Set("Cache-Control", "no-cache") // a new build renames every asset
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err // the client went away: only worth a debug line, if that
}

// errorFile is the template of every error page.
const errorFile = "error.html"

// RenderError writes the Swedish error page for status. It works without a
// build (the page is then unstyled and says to run make web) and never
// fails: should the template fail, a plain Swedish line is written instead.
func (p *Pages) RenderError(w http.ResponseWriter, r *http.Request, status int, d Data) {
	d.Page = ErrorPage{Status: status, NotBuilt: !p.Built()}
	if err := p.render(w, r, status, errorFile, d); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "Fel %d: sidan kunde inte visas.\n", status)
	}
}

// Entries lists the manifest's entries ("src/map.js", …), sorted; empty
// without a build.
func (p *Pages) Entries() []string { return p.manifest.entries() }

// Templates lists the page templates ("map.html", …), the error page too.
func (p *Pages) Templates() []string {
	return slices.Sorted(maps.Keys(p.pages))
}
