package ogc

import "net/http"

// api is GET /ogc/api: the endpoint's OpenAPI 3.0 definition (conformance
// class oas30), built from the collections so that it never drifts.
func (s *service) api(w http.ResponseWriter, r *http.Request) error {
	var ids []string
	for _, c := range s.collections {
		ids = append(ids, c.ID)
	}
	param := func(name, in, desc string, schema map[string]any, required bool) map[string]any {
		return map[string]any{"name": name, "in": in, "description": desc, "required": required, "schema": schema}
	}
	str := map[string]any{"type": "string"}
	f := param("f", "query", "the representation: json (default for clients) or html", map[string]any{"type": "string", "enum": []string{"json", "html"}}, false)
	collectionID := param("collectionId", "path", "the collection", map[string]any{"type": "string", "enum": ids}, true)
	errResp := map[string]any{"description": "an error: {\"errors\":[{\"field\",\"message\"}]}",
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	jsonOK := func(desc, ctype string) map[string]any {
		return map[string]any{"200": map[string]any{"description": desc, "content": map[string]any{
			ctype: map[string]any{"schema": map[string]any{"type": "object"}}, "text/html": map[string]any{"schema": str}}},
			"400": errResp, "401": errResp, "404": errResp}
	}
	get := func(id, summary string, params []any, responses map[string]any) map[string]any {
		return map[string]any{"get": map[string]any{"operationId": id, "summary": summary, "parameters": params, "responses": responses}}
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "gigakoll OGC API – Features",
			"version":     "1.0.0",
			"description": "Broadband coverage as OGC API – Features (Part 1: Core). municipalities and squares are public; gaps and addresses need Authorization: Bearer gk_… and show only the token's municipalities.",
		},
		"servers": []any{map[string]any{"url": base(r)}},
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearerToken": map[string]any{"type": "http", "scheme": "bearer"}}},
		"paths": map[string]any{
			"/":                           get("getLandingPage", "the landing page", []any{f}, jsonOK("the landing page", typeJSON)),
			"/conformance":                get("getConformance", "the conformance classes", []any{f}, jsonOK("the conformance classes", typeJSON)),
			"/api":                        get("getAPI", "this document", nil, map[string]any{"200": map[string]any{"description": "this document", "content": map[string]any{typeOpenAPI: map[string]any{"schema": map[string]any{"type": "object"}}}}}),
			"/collections":                get("getCollections", "the collections (gaps and addresses only with a token)", []any{f}, jsonOK("the collections", typeJSON)),
			"/collections/{collectionId}": get("describeCollection", "a collection", []any{collectionID, f}, jsonOK("the collection", typeJSON)),
			"/collections/{collectionId}/items": get("getFeatures", "a page of a collection's features", []any{
				collectionID, f,
				param("limit", "query", "features per page", map[string]any{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": 100}, false),
				param("offset", "query", "features to skip (the next link carries it)", map[string]any{"type": "integer", "minimum": 0, "default": 0}, false),
				map[string]any{"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
					"description": "minlon,minlat,maxlon,maxlat in WGS 84",
					"schema":      map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}}},
				param("datetime", "query", "a date (the snapshot in force then) or an interval a/b, .. for an open end; default the latest snapshot", str, false),
				param("target", "query", "gaps only: the target whose class is lacking (default se-2025-1g)", str, false),
				param("crs", "query", "only "+crs84, str, false),
			}, jsonOK("a page of features with numberMatched, numberReturned and next/prev links", typeGeoJSON)),
			"/collections/{collectionId}/items/{featureId}": get("getFeature", "one feature, by its id <as_of>.<key>", []any{
				collectionID, f, param("featureId", "path", "the feature's id", str, true),
			}, jsonOK("the feature", typeGeoJSON)),
		},
	}
	return writeJSON(w, typeOpenAPI, doc)
}
