// Package ogc is gigakoll's OGC API – Features endpoint, mounted at /ogc,
// for QGIS and GDAL: Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 2
// (CRS84 and SWEREF 99 TM: crs, bbox-crs, Content-Crs, storageCrs), Part 3
// (queryables, CQL2 text filters, filters by property) and the schemas of
// Part 5. Its resource tree follows pg_featureserv's: a landing page,
// /conformance, /api, /collections, /collections/{id} with /schema and
// /queryables, and /collections/{id}/items with bbox, limit, offset paging
// through next and prev links, and datetime mapped to the coverage
// snapshots (spec/product.md, "The municipality"). Every answer takes HEAD;
// public ones carry an ETag; an unknown query parameter is refused (400).
//
// Collections municipalities and squares are public aggregates; gaps and
// addresses are address-level data: they need a token, are filtered to the
// caller's municipalities (a coordinator sees all), and every read of them
// is written to the audit log.
package ogc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/projects"
)

// ErrNotFound says no collection or feature has the id asked for (404).
var ErrNotFound = errors.New("ogc: no such collection or feature")

// ParamError names a query parameter with a bad value (400).
type ParamError struct {
	Param string // "limit"
	Want  string // "an integer from 1 to 10000"
}

func (e *ParamError) Error() string { return fmt.Sprintf("ogc: %s: want %s", e.Param, e.Want) }

// Deps is what the endpoint needs.
type Deps struct {
	Coverage     *coverage.Store
	Mobile       *mobile.Store   // the mobile collection; nil: empty
	Projects     *projects.Store // the build-out project register; nil: the collection is empty
	Auth         *auth.Store     // the audit log
	Log          *slog.Logger
	QueryTimeout time.Duration
	Version      string // the release: part of the items' ETags
	// WriteError answers an error: package server's writeError, the one
	// place where errors become statuses (ErrNotFound, *ParamError and
	// auth's errors among them).
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
}

// service holds the dependencies of the handlers.
type service struct {
	Deps
	collections []*collection
}

// New returns the endpoint's handler, to be mounted at /ogc behind the auth
// middleware (the principal comes from the request's context).
func New(d Deps) http.Handler {
	if d.QueryTimeout <= 0 {
		d.QueryTimeout = 10 * time.Second
	}
	s := &service{Deps: d}
	s.collections = s.newCollections()
	r := chi.NewRouter()
	r.Use(middleware.GetHead) // HEAD: the GET's headers, no body
	r.Get("/", s.h(s.landing))
	r.Get("/style.css", styleSheet) // the HTML views' look
	r.Get("/conformance", s.h(s.conformance))
	r.Get("/api", s.h(s.api))
	r.Get("/collections", s.h(s.listCollections))
	r.Get("/collections/{id}", s.h(s.getCollection))
	r.Get("/collections/{id}/schema", s.h(s.getSchema))
	r.Get("/collections/{id}/queryables", s.h(s.getQueryables))
	r.Get("/collections/{id}/items", s.h(s.getItems))
	r.Get("/collections/{id}/items/{fid}", s.h(s.getItem))
	r.NotFound(s.h(func(http.ResponseWriter, *http.Request) error { return ErrNotFound }))
	return r
}

func (s *service) h(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.WriteError(w, r, err)
		}
	}
}

// Media types of the responses.
const (
	typeJSON    = "application/json"
	typeGeoJSON = "application/geo+json"
	typeHTML    = "text/html"
	typeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
)

// wantsHTML picks the representation: ?f=html or ?f=json first, then the
// Accept header (a browser asks for text/html; GDAL and QGIS for JSON).
func wantsHTML(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("f") {
	case "html":
		return true, nil
	case "json", "geojson":
		return false, nil
	case "":
	default:
		return false, &ParamError{"f", "json or html"}
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "text/html") && !strings.Contains(accept, "json"), nil
}

// base is the endpoint's absolute URL as the client reached it.
func base(r *http.Request) string {
	scheme := "http"
	if auth.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/ogc"
}

// link is a link of the OGC API (RFC 8288 in JSON).
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// selfLinks are the self and alternate links of a resource at path.
func selfLinks(r *http.Request, path, jsonType string, html bool) []link {
	b := base(r) + path
	jsonLink := link{Href: b + "?f=json", Type: jsonType, Title: "this document as JSON"}
	htmlLink := link{Href: b + "?f=html", Type: typeHTML, Title: "this document as HTML"}
	if html {
		htmlLink.Rel, jsonLink.Rel = "self", "alternate"
		return []link{htmlLink, jsonLink}
	}
	jsonLink.Rel, htmlLink.Rel = "self", "alternate"
	return []link{jsonLink, htmlLink}
}

// landing is GET /ogc/: what the service is and where its parts are.
func (s *service) landing(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	b := base(r)
	doc := map[string]any{
		"title":       "gigakoll: bredbandstäckning",
		"description": "Broadband coverage of the address points, 250 m squares and municipalities against Sweden's broadband targets (OGC API – Features).",
		"links": append(selfLinks(r, "/", typeJSON, html),
			link{Href: b + "/api", Rel: "service-desc", Type: typeOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
			link{Href: b + "/conformance", Rel: "conformance", Type: typeJSON, Title: "the conformance classes"},
			link{Href: b + "/conformance", Rel: "http://www.opengis.net/def/rel/ogc/1.0/conformance", Type: typeJSON, Title: "the conformance classes"},
			link{Href: b + "/collections", Rel: "data", Type: typeJSON, Title: "the collections"},
			link{Href: b + "/collections", Rel: "http://www.opengis.net/def/rel/ogc/1.0/data", Type: typeJSON, Title: "the collections"},
		),
	}
	if html {
		return s.renderHTML(w, r, "landing", doc)
	}
	return s.writeDoc(w, r, typeJSON, doc)
}

// conformanceClasses are the parts of OGC API – Features served: Part 1,
// Part 2 (CRS by reference), Part 3 (filtering: queryables, by property,
// CQL2 text with the basic and the advanced comparison operators) and the
// schemas of Part 5.
var conformanceClasses = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
}

func (s *service) conformance(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	doc := map[string]any{"conformsTo": conformanceClasses}
	if html {
		return s.renderHTML(w, r, "conformance", doc)
	}
	return s.writeDoc(w, r, typeJSON, doc)
}

// timeout runs a database call under the query timeout.
func (s *service) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.QueryTimeout)
}
