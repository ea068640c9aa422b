package ogc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Every feature's properties fit its collection's schema (/schema, JSON
// Schema 2020-12), and the schema lists no property the features lack the
// type of: what GDAL makes its fields from.
func TestEveryFeatureFitsItsCollectionsSchema(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	importRegister(t, g, "planned")
	hdr := []string{"Authorization", "Bearer " + g.token}
	for _, c := range []string{"municipalities", "squares", "gaps", "addresses", "projects"} {
		t.Run(c, func(t *testing.T) {
			resp, b := get(t, "GET", g.base+"/collections/"+c+"/schema", hdr...)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/schema+json" {
				t.Fatalf("schema: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var schema map[string]any
			if err := json.Unmarshal(b, &schema); err != nil {
				t.Fatal(err)
			}
			props := schema["properties"].(map[string]any)
			if _, ok := props["geometry"]; !ok {
				t.Error("the schema names no geometry")
			}
			// The properties member of a feature: the schema's properties
			// without the geometry, and nothing else.
			delete(props, "geometry")
			schema["additionalProperties"] = false
			comp := jsonschema.NewCompiler()
			comp.AssertFormat()
			doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, schema)))
			if err := comp.AddResource("mem://schema.json", doc); err != nil {
				t.Fatal(err)
			}
			sch, err := comp.Compile("mem://schema.json")
			if err != nil {
				t.Fatal(err)
			}
			_, fb := get(t, "GET", g.base+"/collections/"+c+"/items?limit=1000", hdr...)
			var page struct {
				Features []struct{ Properties json.RawMessage } `json:"features"`
			}
			if err := json.Unmarshal(fb, &page); err != nil || len(page.Features) == 0 {
				t.Fatalf("items: %v, %d features", err, len(page.Features))
			}
			for i, f := range page.Features {
				v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(f.Properties))
				if err := sch.Validate(v); err != nil {
					t.Errorf("feature %d: %v\n%s", i, err, f.Properties)
				}
			}
		})
	}
}

func TestQueryablesAreWhatFiltersMayName(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	_, b := get(t, "GET", g.base+"/collections/gaps/queryables", "Authorization", "Bearer "+g.token)
	var q struct {
		Properties           map[string]struct{ Type string }
		AdditionalProperties bool `json:"additionalProperties"`
	}
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.Properties["planned_year"].Type != "integer" || q.Properties["mbps"].Type != "number" ||
		q.Properties["municipality_code"].Type != "string" || q.AdditionalProperties {
		t.Errorf("queryables %s", b)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The API document (/api) is valid OpenAPI 3.0 (kin-openapi), states
// limit's default and maximum where QGIS and GDAL read them, lists each
// collection's queryables as its items' parameters, and real responses fit
// it.
func TestAPIDocumentIsValidAndTellsClientsThePageSize(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	resp, b := get(t, "GET", g.base+"/api")
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.oai.openapi+json;version=3.0") {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("not valid OpenAPI 3: %v", err)
	}
	limit := doc.Components.Parameters["limit"].Value.Schema.Value // where QGIS reads it
	if limit.Default != float64(1000) || limit.Max == nil || *limit.Max != 10000 {
		t.Errorf("limit: default %v, maximum %v; want 1000 and 10000", limit.Default, limit.Max)
	}
	items := doc.Paths.Find("/collections/squares/items").Get // where GDAL reads them
	var names []string
	for _, p := range items.Parameters {
		names = append(names, p.Value.Name)
		if p.Value.Name == "municipality_code" && (p.Value.Style != "form" || p.Value.Explode == nil || *p.Value.Explode) {
			t.Errorf("municipality_code: style %q explode %v; QGIS wants form, not exploded", p.Value.Style, p.Value.Explode)
		}
	}
	for _, want := range []string{"limit", "bbox", "bbox-crs", "crs", "filter", "filter-lang", "municipality_code", "households", "best_mbps"} {
		if !slices.Contains(names, want) {
			t.Errorf("squares' items lack the parameter %s: %v", want, names)
		}
	}

	// Real answers fit the document.
	doc.Servers = openapi3.Servers{{URL: g.base}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/conformance", "/collections", "/collections/squares", "/collections/squares/items",
		"/collections/squares/items?crs=EPSG:3006&limit=1", "/collections/municipalities/items?households=1",
		"/collections/gaps/items?filter=" + url.QueryEscape("mbps < 100"), "/collections/squares/items?colour=red", "/collections/roads"} {
		resp, body := get(t, "GET", g.base+path, "Authorization", "Bearer "+g.token, "Accept", "application/json")
		req, _ := http.NewRequest("GET", g.base+path, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("GET %s: not in the document: %v", path, err)
			continue
		}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		})
		if err != nil {
			t.Errorf("GET %s = %d does not fit the document: %v\n%.300s", path, resp.StatusCode, err, body)
		}
	}
}
