package ogc

import (
	"net/http"
	"slices"
)

// The OpenAPI 3.0 document of the endpoint (/api, conformance class
// oas30), built from the collections so that it never drifts. GDAL and
// QGIS read it: QGIS takes limit's default and maximum from
// components.parameters.limit, GDAL (from 3.8) from the items path's limit,
// and both take the query parameters of a collection's own items path
// (/collections/squares/items) as the properties they may filter on with
// ?name=value. TestAPIDocumentIsValid checks it with kin-openapi and
// Redocly's linter.

type obj = map[string]any

func ref(kind, name string) obj { return obj{"$ref": "#/components/" + kind + "/" + name} }

// queryParam is a query parameter as Part 1 writes them: form, not exploded.
func queryParam(name, desc string, schema obj) obj {
	return obj{"name": name, "in": "query", "description": desc, "required": false, "style": "form", "explode": false, "schema": schema}
}

func str() obj { return obj{"type": "string"} }

func (s *service) apiParameters() obj {
	var ids []string
	for _, c := range s.collections {
		ids = append(ids, c.ID)
	}
	return obj{
		"f": queryParam("f", "the representation: json (GeoJSON for features; the default for clients) or html",
			obj{"type": "string", "enum": []string{"json", "html"}}),
		"collectionId": obj{"name": "collectionId", "in": "path", "required": true, "description": "the collection",
			"schema": obj{"type": "string", "enum": ids}},
		"featureId": obj{"name": "featureId", "in": "path", "required": true,
			"description": "a feature's id: the snapshot's date, a dot and its key (2024-10-01.0880, 2024-10-01.0880.250m-E583000-N6280250, 2024-10-01.<address id>)",
			"schema":      str()},
		"limit": queryParam("limit", "features per page: at most 10 000 (a larger limit is lowered). A GeoJSON page's next link asks for at least the default, 1000.",
			obj{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}),
		"offset": queryParam("offset", "features to skip (the next link carries it)", obj{"type": "integer", "minimum": 0, "default": 0}),
		"bbox": queryParam("bbox", "the box the features intersect: its lower and upper corners in bbox-crs's axis order (CRS84: minlon,minlat,maxlon,maxlat; EPSG:3006: min northing,min easting,max northing,max easting); 6 numbers with heights are taken too",
			obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}),
		"bbox-crs": queryParam("bbox-crs", "the CRS of bbox (Part 2); default CRS84", obj{"type": "string", "format": "uri", "enum": crsURIs()}),
		"crs": queryParam("crs", "the CRS of the geometries (Part 2); default CRS84. EPSG:3006 is written in its own axis order: northing, easting. The answer names it in Content-Crs.",
			obj{"type": "string", "format": "uri", "enum": crsURIs()}),
		"datetime": queryParam("datetime", "a date or date-time (the snapshot in force then) or an interval a/b with .. for an open end (every snapshot in it); default the latest snapshot", str()),
		"filter":   queryParam("filter", "a CQL2 text filter over the collection's queryables (/collections/{id}/queryables): =, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL, AND, OR, NOT and parentheses; spatial, temporal and array functions, arithmetic and comparing two properties are refused (400, naming them)", str()),
		"filter-lang": queryParam("filter-lang", "the filter's language: cql2-text (cql-text, what GDAL before 3.7 sends, is read as cql2-text)",
			obj{"type": "string", "enum": []string{"cql2-text", "cql-text"}, "default": "cql2-text"}),
		"filter-crs": queryParam("filter-crs", "the CRS of geometries in a filter: there are none, CRS84 only", obj{"type": "string", "format": "uri", "enum": []string{crs84}}),
		"target":     queryParam("target", "gaps only: the target whose speed class the points lack (default se-2025-1g)", str()),
	}
}

func (s *service) apiSchemas() obj {
	linkSchema := obj{"type": "object", "required": []string{"href", "rel"}, "properties": obj{
		"href": str(), "rel": str(), "type": str(), "title": str()}}
	links := obj{"type": "array", "items": ref("schemas", "link")}
	geometry := obj{"type": "object", "required": []string{"type", "coordinates"}, "properties": obj{
		"type":        obj{"type": "string", "enum": []string{"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}},
		"coordinates": obj{"type": "array", "items": obj{}}}}
	extent := obj{"type": "object", "properties": obj{
		"spatial": obj{"type": "object", "required": []string{"bbox"}, "properties": obj{
			"bbox": obj{"type": "array", "minItems": 1, "items": obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}},
			"crs":  str()}},
		"temporal": obj{"type": "object", "properties": obj{
			"interval": obj{"type": "array", "items": obj{"type": "array", "minItems": 2, "maxItems": 2,
				"items": obj{"type": "string", "format": "date", "nullable": true}}},
			"trs": str()}}}}
	collection := obj{"type": "object", "required": []string{"id", "links"}, "properties": obj{
		"id": str(), "title": str(), "description": str(), "links": links, "extent": ref("schemas", "extent"),
		"itemType": str(), "crs": obj{"type": "array", "items": str()}, "storageCrs": str()}}
	schemas := obj{
		"link": linkSchema, "geometry": geometry, "extent": extent, "collection": collection,
		"errors": obj{"type": "object", "required": []string{"errors"}, "properties": obj{"errors": obj{"type": "array", "items": obj{
			"type": "object", "required": []string{"message"}, "properties": obj{"field": str(), "message": str()}}}}},
		"landingPage": obj{"type": "object", "required": []string{"links"}, "properties": obj{"title": str(), "description": str(), "links": links}},
		"conformance": obj{"type": "object", "required": []string{"conformsTo"}, "properties": obj{"conformsTo": obj{"type": "array", "items": str()}}},
		"collections": obj{"type": "object", "required": []string{"links", "collections"}, "properties": obj{
			"links": links, "collections": obj{"type": "array", "items": ref("schemas", "collection")}, "crs": obj{"type": "array", "items": str()}}},
		"jsonSchema": obj{"type": "object", "description": "a JSON Schema (2020-12)", "additionalProperties": true},
	}
	for _, c := range s.collections {
		props := obj{}
		for _, p := range c.Properties {
			ps := obj{"type": p.Type, "description": p.Description}
			if p.Format != "" {
				ps["format"] = p.Format
			}
			if p.Type == "array" { // a list of objects (mobile's operator_offers)
				ps["items"] = obj{"type": "object"}
			}
			if p.Nullable {
				ps["nullable"] = true
			}
			props[p.Name] = ps
		}
		feature := obj{"type": "object", "required": []string{"type", "id", "geometry", "properties"}, "properties": obj{
			"type": obj{"type": "string", "enum": []string{"Feature"}}, "id": str(), "geometry": ref("schemas", "geometry"),
			"properties": obj{"type": "object", "properties": props, "additionalProperties": false},
			"links":      links}}
		schemas[c.ID+"Feature"] = feature
		schemas[c.ID+"FeatureCollection"] = obj{"type": "object", "required": []string{"type", "features"}, "properties": obj{
			"type": obj{"type": "string", "enum": []string{"FeatureCollection"}}, "features": obj{"type": "array", "items": ref("schemas", c.ID+"Feature")},
			"links": links, "timeStamp": obj{"type": "string", "format": "date-time"},
			"numberMatched": obj{"type": "integer", "minimum": 0}, "numberReturned": obj{"type": "integer", "minimum": 0}}}
	}
	return schemas
}

// content is a 200's content: JSON of schema, and the HTML view (when html).
func content(ctype string, schema obj, html bool) obj {
	c := obj{ctype: obj{"schema": schema}}
	if html {
		c[typeHTML] = obj{"schema": str()}
	}
	return c
}

func (s *service) apiResponses() obj {
	errResp := func(desc string) obj {
		return obj{"description": desc, "content": obj{typeJSON: obj{"schema": ref("schemas", "errors")}}}
	}
	return obj{
		"badRequest":   errResp("a bad parameter (named in field), or one the endpoint does not have"),
		"unauthorized": errResp("no token, or one that does not work, for a collection of address points: send it as Authorization: Bearer gk_…, or as the password of HTTP Basic"),
		"notFound":     errResp("no such collection or feature"),
		"unavailable":  errResp("busy; try again (Retry-After)"),
		"notModified":  obj{"description": "the client's copy (If-None-Match) is current"},
	}
}

// operation is a GET with the common responses.
func operation(id, summary string, params []any, ok obj, security []any) obj {
	responses := obj{"200": ok, "304": ref("responses", "notModified"), "400": ref("responses", "badRequest"),
		"401": ref("responses", "unauthorized"), "404": ref("responses", "notFound"), "503": ref("responses", "unavailable")}
	op := obj{"operationId": id, "summary": summary, "parameters": params, "responses": responses}
	if security != nil {
		op["security"] = security
	}
	return obj{"get": op}
}

func ok(desc string, c obj, headers ...string) obj {
	r := obj{"description": desc, "content": c}
	if len(headers) > 0 {
		h := obj{}
		for _, name := range headers {
			h[name] = obj{"description": headerText[name], "schema": str()}
		}
		r["headers"] = h
	}
	return r
}

var headerText = map[string]string{
	"Content-Crs": "the CRS of the coordinates, as <URI> (Part 2)",
	"ETag":        "the answer's version, for If-None-Match (public answers)",
}

// api is GET /ogc/api.
func (s *service) api(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	p := func(name string) obj { return ref("parameters", name) }
	public := []any{obj{}, obj{"bearerToken": []any{}}, obj{"basicToken": []any{}}} // a token is optional
	protected := []any{obj{"bearerToken": []any{}}, obj{"basicToken": []any{}}}
	itemParams := []any{p("f"), p("limit"), p("offset"), p("bbox"), p("bbox-crs"), p("crs"), p("datetime"), p("filter"), p("filter-lang"), p("filter-crs")}
	paths := obj{
		"/":            operation("getLandingPage", "the landing page", []any{p("f")}, ok("the landing page", content(typeJSON, ref("schemas", "landingPage"), true), "ETag"), public),
		"/conformance": operation("getConformance", "the conformance classes", []any{p("f")}, ok("the conformance classes", content(typeJSON, ref("schemas", "conformance"), true), "ETag"), public),
		"/api":         operation("getAPI", "this document", []any{p("f")}, ok("this document", content(typeOpenAPI, obj{"type": "object"}, false), "ETag"), public),
		"/collections": operation("getCollections", "the collections (gaps and addresses only with a token)", []any{p("f")},
			ok("the collections", content(typeJSON, ref("schemas", "collections"), true), "ETag"), public),
		"/collections/{collectionId}": operation("describeCollection", "a collection", []any{p("collectionId"), p("f")},
			ok("the collection", content(typeJSON, ref("schemas", "collection"), true), "ETag"), public),
		"/collections/{collectionId}/schema": operation("getSchema", "the features' properties (Part 5)", []any{p("collectionId"), p("f")},
			ok("a JSON Schema", content(typeSchema, ref("schemas", "jsonSchema"), true), "ETag"), public),
		"/collections/{collectionId}/queryables": operation("getQueryables", "the properties filters may name (Part 3)", []any{p("collectionId"), p("f")},
			ok("a JSON Schema", content(typeSchema, ref("schemas", "jsonSchema"), true), "ETag"), public),
		"/collections/{collectionId}/items/{featureId}": operation("getFeature", "one feature", []any{p("collectionId"), p("featureId"), p("f"), p("crs"), p("target")},
			ok("the feature", content(typeGeoJSON, obj{"type": "object"}, true), "Content-Crs", "ETag"), public),
	}
	for _, c := range s.collections {
		params := slices.Clone(itemParams)
		if c.ID == "gaps" {
			params = append(params, p("target"))
		}
		for _, q := range c.Queryables {
			params = append(params, queryParam(q.Name, "features whose "+q.Name+" equals this: "+q.Description, obj{"type": string(q.Type)}))
		}
		security := public
		if c.Protected {
			security = protected
		}
		paths["/collections/"+c.ID+"/items"] = operation("getFeatures_"+c.ID, "a page of "+c.ID, params,
			ok("a page of features with numberMatched, numberReturned and next/prev links", content(typeGeoJSON, ref("schemas", c.ID+"FeatureCollection"), true), "Content-Crs", "ETag"),
			security)
	}
	doc := obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":   "gigakoll OGC API – Features",
			"version": "1.0.0",
			"description": "Broadband coverage as OGC API – Features: Part 1 Core, Part 2 CRS (CRS84 and EPSG:3006), Part 3 filtering (CQL2 text, queryables). " +
				"municipalities and squares are public; gaps and addresses need a token, sent as Authorization: Bearer gk_… or as the password of HTTP Basic " +
				"(any user name: what QGIS's Basic authentication and GDAL's GDAL_HTTP_AUTH=BASIC send), and show only the token's municipalities. " +
				"A token that does not work is answered 401, on public collections too.",
			"contact": obj{"name": "gigakoll", "url": "https://github.com/gigakoll/gigakoll"},
		},
		"servers": []any{obj{"url": base(r)}},
		"tags":    []any{obj{"name": "features", "description": "OGC API – Features"}},
		"components": obj{
			"securitySchemes": obj{
				"bearerToken": obj{"type": "http", "scheme": "bearer", "description": "a gigakoll token, gk_…"},
				"basicToken":  obj{"type": "http", "scheme": "basic", "description": "any user name, the token (gk_…) as the password"},
			},
			"parameters": s.apiParameters(),
			"schemas":    s.apiSchemas(),
			"responses":  s.apiResponses(),
		},
		"paths": paths,
	}
	for _, item := range paths {
		item.(obj)["get"].(obj)["tags"] = []string{"features"}
	}
	return s.writeDoc(w, r, typeOpenAPI, doc)
}
