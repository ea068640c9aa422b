package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// The contract of /api/v1: the OpenAPI document the server serves
// (assembled from server/openapi/*.json) is valid OpenAPI 3, names every
// route under /api/v1 and no route the server lacks, and every response the
// tests below receive fits its documented status, headers and schema.
// kin-openapi checks both the document and the responses.

func init() {
	// Binary bodies: checked for their content type and status only. CSV:
	// ours is ";"-separated, as Swedish spreadsheets read it, which
	// kin-openapi's CSV decoder cannot parse; a string it is.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.mapbox-vector-tile", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// apiContract is the served document, checked and ready to match requests.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadContract fetches /api/v1/openapi.json from base and validates it.
func loadContract(t *testing.T, base string) apiContract {
	t.Helper()
	resp, body := mapFetch(t, base+"/api/v1/openapi.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d %s", resp.StatusCode, body)
	}
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatalf("the OpenAPI document does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid OpenAPI 3: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return apiContract{doc: doc, router: router}
}

// check sends a GET to base+path (with the headers given as name, value
// pairs), validates the response against the document and returns it.
func (c apiContract) check(t *testing.T, base, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	resp, body := mapFetch(t, base+path, headers...)
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		t.Errorf("GET %s: not in the OpenAPI document: %v", path, err)
		return resp, body
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		t.Errorf("GET %s = %d: the response does not fit the document: %v\n%.500s", path, resp.StatusCode, err, body)
	}
	return resp, body
}

// documentedRoutes lists "GET /api/v1/snapshots" for every operation of the
// document, with the path's own servers where it has some.
func documentedRoutes(doc *openapi3.T) []string {
	var out []string
	for p, item := range doc.Paths.Map() {
		servers := doc.Servers
		if len(item.Servers) > 0 {
			servers = item.Servers
		}
		base := strings.TrimSuffix(servers[0].URL, "/")
		for method := range item.Operations() {
			out = append(out, method+" "+base+p)
		}
	}
	slices.Sort(out)
	return out
}

func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	t.Parallel()
	h, err := server.New(server.Deps{
		Pool:         dbtest.New(t),
		Log:          slog.New(slog.DiscardHandler),
		Registry:     prometheus.NewRegistry(),
		QueryTimeout: 2 * time.Second,
		Version:      "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	var routes chi.Routes = h
	regexpParam := regexp.MustCompile(`\{([a-zA-Z_]+):[^}]*\}`)
	served := map[string]bool{}
	err = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = regexpParam.ReplaceAllString(strings.TrimSuffix(route, "/"), "{$1}")
		served[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	ts := serveHandler(t, h)
	documented := documentedRoutes(loadContract(t, ts.URL).doc)
	for _, d := range documented {
		if !served[d] {
			t.Errorf("the OpenAPI document has %s, which no route serves", d)
		}
	}
	for r := range served {
		if strings.Contains(r, " /api/v1/") && !slices.Contains(documented, r) {
			t.Errorf("route %s is missing from the OpenAPI document: add it to its area's fragment in server/openapi/", r)
		}
	}
}

func TestCoverageResponsesMatchTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	c := loadContract(t, ts.URL)
	paths := []string{
		"/api/v1/openapi.json",
		"/api/v1/snapshots",
		"/api/v1/targets",
		"/api/v1/targets?as_of=2023-10-01",
		"/api/v1/targets?format=csv",
		"/api/v1/targets?format=xlsx",
		"/api/v1/targets?as_of=yesterday",
		"/api/v1/targets?as_of=2020-10-01",
		"/api/v1/targets?format=pdf",
		"/api/v1/municipalities",
		"/api/v1/municipalities?as_of=2023-10-01",
		"/api/v1/municipalities?as_of=2023-10-32",
		"/api/v1/municipalities/0880",
		"/api/v1/municipalities/0884?as_of=2023-10-01", // Vimmerby: no address points
		"/api/v1/municipalities/0999",
		"/tiles/municipalities/8/139/78.mvt",
		"/tiles/municipalities/8/0/0.mvt", // the Pacific: empty
		"/tiles/squares/12/2233/1261.mvt?as_of=2023-10-01",
		"/tiles/squares/7/69/39.mvt",
		"/tiles/roads/8/139/78.mvt",
		"/tiles/municipalities/8/139/78.mvt?as_of=2020-10-01",
		"/tiles/squares/3/8/4.mvt", // the sums of public squares
		"/tiles/squares.json",
		"/tiles/municipalities.json?as_of=2023-10-01",
		"/tiles/roads.json",
	}
	statuses := map[string]bool{}
	for _, p := range paths {
		resp, _ := c.check(t, ts.URL, p)
		op := strings.SplitN(p, "?", 2)[0]
		statuses[op+" "+resp.Status] = true
		if etag := resp.Header.Get("ETag"); etag != "" {
			c.check(t, ts.URL, p, "If-None-Match", etag)
		}
	}
	for _, want := range []string{
		"/api/v1/municipalities/0880 200 OK", "/api/v1/municipalities/0999 404 Not Found",
		"/tiles/municipalities/8/139/78.mvt 200 OK", "/tiles/municipalities/8/0/0.mvt 204 No Content",
		"/tiles/squares.json 200 OK", "/tiles/roads.json 404 Not Found",
	} {
		if !statuses[want] {
			t.Errorf("no %s among %v: the fixture or the paths above changed", want, statuses)
		}
	}
}
