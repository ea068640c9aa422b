package ogc

import (
	"net/http"
	"strings"
)

// property is one property of a collection's features, as its schema
// (OGC API – Features Part 5) describes it. A property without a value is
// left out of the feature rather than written as null, so that each has
// one JSON type: what GDAL (which reads the schema) and QGIS (which reads
// the first page) make their fields of.
type property struct {
	Name, Type, Description string
	Format                  string // "date" for a day
	Nullable                bool   // null is a value (mobile's indoor_mbps)
}

func prop(name, typ, desc string) property { return property{Name: name, Type: typ, Description: desc} }

// classProperties are the households and workplaces with access per speed
// class and the shares, which municipalities and squares both carry.
func classProperties() []property {
	var ps []property
	for _, who := range []string{"households", "workplaces"} {
		for _, c := range []string{"1000", "100", "30", "10"} {
			ps = append(ps, prop(who+"_ge_"+c, "integer", who+" with access to ≥ "+c+" Mbit/s"))
		}
	}
	for _, c := range []string{"1000", "100", "30"} {
		ps = append(ps, prop("share_ge_"+c, "number", "share of households and workplaces with ≥ "+c+" Mbit/s, 0–1 (left out where there are none)"))
	}
	return ps
}

var asOfProperty = property{Name: "as_of", Type: "string", Format: "date", Description: "the coverage snapshot's date"}

var municipalityProperties = append([]property{asOfProperty,
	prop("code", "string", "the municipality's code (kommunkod)"),
	prop("name", "string", "the municipality's name"),
	prop("county_code", "string", "the county's code (länskod)"),
	prop("address_points", "integer", "address points"),
	prop("households", "integer", "households"),
	prop("workplaces", "integer", "workplaces"),
	prop("holiday_homes", "integer", "holiday homes"),
}, classProperties()...)

var squareProperties = append([]property{asOfProperty,
	prop("cell", "string", "the cell: municipality and square, e.g. 0880.250m-E583000-N6280250 (the feature id without the date)"),
	prop("square", "string", "the grid square, e.g. 250m-E583000-N6280250, as the map's tiles and the measurements name it"),
	prop("size_m", "integer", "250, or 1000 for the pooled rest of a 1 km square"),
	prop("e", "integer", "the square's west edge, SWEREF 99 TM metres"),
	prop("n", "integer", "the square's south edge, SWEREF 99 TM metres"),
	prop("municipality_code", "string", "the municipality the cell lies in"),
	prop("households", "integer", "households (at least 5)"),
	prop("workplaces", "integer", "workplaces"),
	prop("holiday_homes", "integer", "holiday homes"),
	prop("best_mbps", "number", "the best fixed offer in the cell, Mbit/s"),
}, classProperties()...)

var pointProperties = []property{asOfProperty,
	prop("address_id", "string", "the address point's id in the snapshot"),
	prop("municipality_code", "string", "the municipality the point lies in"),
	prop("street", "string", "street"),
	prop("number", "string", "street number"),
	prop("postcode", "string", "postcode"),
	prop("locality", "string", "locality (postort)"),
	prop("households", "integer", "households"),
	prop("workplaces", "integer", "workplaces"),
	prop("holiday_homes", "integer", "holiday homes (left out when not given)"),
	prop("technology", "string", "the best fixed technology with access today, or none"),
	prop("mbps", "number", "the best fixed speed today, Mbit/s"),
	prop("operator", "string", "the operator of that offer"),
	prop("planned_mbps", "number", "the best planned fixed build, Mbit/s (left out when none)"),
	prop("planned_year", "integer", "its year (left out when none is given)"),
	prop("nearest_gigabit", "string", "the nearest address point with ≥ 1 Gbit/s: its address in the same municipality, else only the municipality"),
	prop("nearest_gigabit_address_id", "string", "its address id, when in the same municipality"),
	prop("nearest_gigabit_municipality", "string", "its municipality"),
	prop("nearest_gigabit_m", "number", "the distance to it, metres"),
	prop("project_id", "string", "the build-out project whose area the point is in (left out when none)"),
	prop("project_name", "string", "that project's name"),
}

const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// typeSchema is the JSON Schema media type of /schema and /queryables.
const typeSchema = "application/schema+json"

// schemaDoc is the JSON Schema of a collection's features (Part 5), or of
// its queryables (Part 3).
func (s *service) schemaDoc(r *http.Request, c *collection, queryables bool) map[string]any {
	props := map[string]any{}
	var order []string
	if queryables {
		for _, q := range c.Queryables {
			props[q.Name] = map[string]any{"type": string(q.Type), "title": q.Name, "description": q.Description}
			order = append(order, q.Name)
		}
	} else {
		props["geometry"] = map[string]any{"format": "geometry-" + strings.ToLower(c.GeometryType), "x-ogc-role": "primary-geometry"}
		for i, p := range c.Properties {
			m := map[string]any{"type": p.Type, "title": p.Name, "description": p.Description, "x-ogc-propertySeq": i + 1}
			if p.Format != "" {
				m["format"] = p.Format
			}
			if p.Type == "array" { // a list of objects (mobile's operator_offers)
				m["items"] = map[string]any{"type": "object"}
			}
			if p.Nullable {
				m["type"] = []string{p.Type, "null"}
			}
			props[p.Name] = m
		}
	}
	name, title := "schema", c.Title
	if queryables {
		name, title = "queryables", "Frågebara egenskaper: "+c.Title
	}
	doc := map[string]any{
		"$schema": jsonSchemaDialect, "$id": base(r) + "/collections/" + c.ID + "/" + name,
		"type": "object", "title": title, "properties": props,
	}
	if queryables {
		doc["additionalProperties"] = false
		doc["x-ogc-queryables-order"] = order
	}
	return doc
}

// getSchema is GET /collections/{id}/schema: the features' properties.
func (s *service) getSchema(w http.ResponseWriter, r *http.Request) error {
	return s.schemaResponse(w, r, false)
}

// getQueryables is GET /collections/{id}/queryables: what filter= and the
// query parameters named after properties may compare.
func (s *service) getQueryables(w http.ResponseWriter, r *http.Request) error {
	return s.schemaResponse(w, r, true)
}

func (s *service) schemaResponse(w http.ResponseWriter, r *http.Request, queryables bool) error {
	c, err := s.collection(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	doc := s.schemaDoc(r, c, queryables)
	if html {
		var rows []property
		if queryables {
			for _, q := range c.Queryables {
				rows = append(rows, prop(q.Name, string(q.Type), q.Description))
			}
		} else {
			rows = c.Properties
		}
		path := "/collections/" + c.ID + "/schema"
		if queryables {
			path = "/collections/" + c.ID + "/queryables"
		}
		links := append(selfLinks(r, path, typeSchema, true),
			link{Href: base(r) + "/collections/" + c.ID, Rel: "collection", Type: typeJSON, Title: c.Title})
		return s.renderHTML(w, r, "schema", schemaPage{Collection: c, Title: doc["title"].(string), Properties: rows, Links: links})
	}
	return s.writeDoc(w, r, typeSchema, doc)
}

// schemaPage is the HTML view of a schema.
type schemaPage struct {
	Collection *collection
	Title      string
	Properties []property
	Links      []link
}
