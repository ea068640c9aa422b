package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/web"
)

// The page handlers render a template of package web in the shared layout;
// the JavaScript of each page (web/src/<page>.js) fetches its data from the
// API. A page that needs data at render time passes it as page.
// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, page any) error {
	return s.pages.Render(w, r, http.StatusOK, name, s.pageData(r, page))
}

// pageData is what every page's layout needs besides the page's own data:
// the signed-in user and the session's form token; the public (nil) sees
// "Logga in".
func (s *Server) pageData(r *http.Request, page any) web.Data {
	d := web.Data{Page: page}
	if p := auth.FromContext(r.Context()); p != nil {
		d.User, d.CSRF = &web.User{Name: p.Name, Coordinator: p.Role == auth.Coordinator}, p.CSRF
	}
	return d
}

// p is h for pages: an error becomes a Swedish HTML error page rather than
// JSON. As in writeError, the client sees no internal text; the detail goes
// to the log.
func (s *Server) p(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writePageError(w, r, err)
		}
	}
}

func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	var api *apiError
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, auth.ErrUnauthenticated) && r.Method == http.MethodGet:
		// Sign in, then come back here.
		http.Redirect(w, r, "/logga-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	case errors.Is(err, auth.ErrUnauthenticated):
		status = http.StatusUnauthorized
	case errors.Is(err, auth.ErrForbidden):
		status = http.StatusForbidden
	case errors.As(err, &api):
		status = api.Status
	case errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "5")
		status = http.StatusServiceUnavailable
	case errors.Is(err, web.ErrNotBuilt):
		s.log.ErrorContext(r.Context(), "page not served: the pages were never built; run make web and rebuild",
			"route", routePattern(r))
	default:
		s.log.ErrorContext(r.Context(), "page failed", "route", routePattern(r), "err", err)
	}
	s.pages.RenderError(w, r, status, s.pageData(r, nil))
}

// notFoundAny answers a path that no route matches: JSON under /api/ (and
// for a client that asks for JSON only), a Swedish HTML page otherwise.
func (s *Server) notFoundAny(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		s.h(s.notFound)(w, r)
		return
	}
	setPageHeaders(w, r)
	s.pages.RenderError(w, r, http.StatusNotFound, s.pageData(r, nil))
}

// methodNotAllowedAny is notFoundAny for a path that exists for another method.
func (s *Server) methodNotAllowedAny(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		s.h(s.methodNotAllowed)(w, r)
		return
	}
	setPageHeaders(w, r)
	s.pages.RenderError(w, r, http.StatusMethodNotAllowed, s.pageData(r, nil))
}

// wantsJSON: the API always answers JSON; elsewhere a client that accepts
// JSON but not HTML (curl -H 'Accept: application/json', a script) gets it too.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// pageHeaders sets the security headers of the pages and their assets.
func pageHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w, r)
		next.ServeHTTP(w, r)
	})
}

// setPageHeaders allows the pages to load only what this server serves.
// MapLibre needs workers and images from blob: (its worker is a module from
// /assets/, its tiles and sprites become blobs) and data: images (the icons
// in its CSS); style-src needs no 'unsafe-inline', as MapLibre and Chart.js
// set styles through the CSSOM. connect-src names ws:/wss: on this host for
// the speed test, for browsers whose 'self' does not cover WebSockets yet.
func setPageHeaders(w http.ResponseWriter, r *http.Request) {
	connect := "'self'"
	if validHost.MatchString(r.Host) {
		connect += " ws://" + r.Host + " wss://" + r.Host
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; "+
		"script-src 'self'; "+
		"style-src 'self'; "+
		"img-src 'self' data: blob:; "+
		"font-src 'self'; "+
		"connect-src "+connect+"; "+
		"worker-src 'self' blob:; "+
		"child-src 'self' blob:; "+
		"object-src 'none'; "+
		"base-uri 'self'; "+
		"form-action 'self'; "+
		"frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

// validHost is a host[:port] safe to put into the policy: a name or an IPv4
// or bracketed IPv6 address; anything else leaves connect-src at 'self'.
var validHost = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)
