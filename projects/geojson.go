package projects

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gigakoll/gigakoll/tabular"
)

// featureReader reads a GeoJSON FeatureCollection feature by feature with
// encoding/json's tokenizer, so that a register of any size is never whole
// in memory: each feature is decoded, checked and handed on before the next
// is read. The members of the collection may come in any order (a crs
// member after the features is read all the same).
type featureReader struct {
	dec      *json.Decoder
	in       *countReader
	name     string
	problems *Problems

	index    int    // the next feature's index
	crs      string // the crs member's name; "" when there is none
	sawType  string // the collection's type member
	inArray  bool
	started  bool // the collection's { was read
	finished bool
	fatal    bool // the file is broken: nothing more is read
	features bool // a features member was seen
}

func newFeatureReader(r io.Reader, name string, p *Problems) *featureReader {
	in := &countReader{r: r}
	dec := json.NewDecoder(in)
	dec.UseNumber()
	return &featureReader{dec: dec, in: in, name: name, problems: p}
}

// countReader counts the bytes read: where a file cut short ends.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// broken records the error that ends the read: the file is not JSON (or
// not whole), so nothing after it can be trusted.
func (fr *featureReader) broken(err error) {
	fr.fatal = true
	pr := Problem{File: fr.name, Feature: -1}
	if fr.inArray {
		pr.Feature = fr.index
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		pr.Message = fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)
		pr.Code, pr.Params = "p-json", tabular.P("byte", fmt.Sprint(se.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		pr.Message = fmt.Sprintf("the file ends in the middle (at byte %d): it was cut short", fr.in.n)
		pr.Code, pr.Params = "p-cut-short", tabular.P("byte", fmt.Sprint(fr.in.n))
	default:
		pr.Message = fmt.Sprintf("cannot be read: %v", err)
		pr.Code = "p-unreadable"
	}
	fr.problems.add(pr)
}

// next returns the next feature as raw JSON and its index, or false when
// there are no more (or the file is broken: see fatal).
func (fr *featureReader) next() (json.RawMessage, int, bool) {
	for !fr.finished && !fr.fatal {
		if fr.inArray {
			if fr.dec.More() {
				var raw json.RawMessage
				if err := fr.dec.Decode(&raw); err != nil {
					fr.broken(err)
					return nil, 0, false
				}
				i := fr.index
				fr.index++
				return raw, i, true
			}
			if _, err := fr.dec.Token(); err != nil { // the closing ]
				fr.broken(err)
				return nil, 0, false
			}
			fr.inArray = false
			continue
		}
		if !fr.member() {
			break
		}
	}
	return nil, 0, false
}

// member reads the collection's opening brace (the first time) and then one
// member; false when the collection is over or broken.
func (fr *featureReader) member() bool {
	if !fr.started {
		fr.started = true
		tok, err := fr.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				fr.problems.add(Problem{File: fr.name, Feature: -1, Message: "the file is empty: want a GeoJSON FeatureCollection", Code: "p-empty-file"})
				fr.fatal = true
				return false
			}
			fr.broken(err)
			return false
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Message: "not a GeoJSON object: want a FeatureCollection ({\"type\": \"FeatureCollection\", \"features\": […]})", Code: "p-not-object"})
			fr.fatal = true
			return false
		}
	}
	if !fr.dec.More() {
		if _, err := fr.dec.Token(); err != nil { // the closing }
			fr.broken(err)
			return false
		}
		fr.finished = true
		if _, err := fr.dec.Token(); !errors.Is(err, io.EOF) {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Message: fmt.Sprintf("more follows the FeatureCollection at byte %d: want one JSON object", fr.dec.InputOffset()),
				Code: "p-more-follows", Params: tabular.P("byte", fmt.Sprint(fr.dec.InputOffset()))})
		}
		return false
	}
	tok, err := fr.dec.Token()
	if err != nil {
		fr.broken(err)
		return false
	}
	key, _ := tok.(string)
	switch key {
	case "type":
		var t any
		if err := fr.dec.Decode(&t); err != nil {
			fr.broken(err)
			return false
		}
		s, _ := t.(string)
		fr.sawType = s
		if s != "FeatureCollection" {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "type", Value: fmt.Sprint(t),
				Message: "want FeatureCollection: the register is one GeoJSON FeatureCollection, a Feature per project", Code: "p-collection-type"})
		}
	case "crs":
		var c struct {
			Type       string `json:"type"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		}
		var raw json.RawMessage
		if err := fr.dec.Decode(&raw); err != nil {
			fr.broken(err)
			return false
		}
		if string(raw) == "null" {
			return true
		}
		if err := json.Unmarshal(raw, &c); err != nil || c.Properties.Name == "" {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "crs", Value: string(raw),
				Message: `want a named CRS ({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}) or none`, Code: "p-crs-form"})
			return true
		}
		fr.crs = c.Properties.Name
		if !wgs84CRS(c.Properties.Name) {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "crs", Value: c.Properties.Name,
				Message: "want WGS 84 (CRS84 or EPSG:4326, as RFC 7946 asks): nothing was imported; export the layer in EPSG:4326 " +
					"(QGIS: Export → Save Features As…, CRS EPSG:4326 - WGS 84; ogr2ogr -t_srs EPSG:4326)", Code: "p-crs"})
		}
	case "features":
		tok, err := fr.dec.Token()
		if err != nil {
			fr.broken(err)
			return false
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "features", Message: "want an array of Features", Code: "p-features-array"})
			fr.fatal = true
			return false
		}
		fr.features, fr.inArray = true, true
	default: // name, bbox, foreign members: read past
		var skip json.RawMessage
		if err := fr.dec.Decode(&skip); err != nil {
			fr.broken(err)
			return false
		}
	}
	return true
}

// finish checks what can only be known at the end: the collection's type
// and that it had features.
func (fr *featureReader) finish() {
	if fr.fatal {
		return
	}
	if fr.sawType == "" {
		fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "type", Message: "missing: want \"type\": \"FeatureCollection\"", Code: "p-collection-type"})
	}
	if !fr.features {
		fr.problems.add(Problem{File: fr.name, Feature: -1, Property: "features", Message: "missing: want an array of Features, one per project", Code: "p-features-array"})
	}
}

// wgs84CRS reports whether a GeoJSON crs name is WGS 84 longitude/latitude:
// CRS84 by any of its names, or EPSG:4326 (which GDAL and QGIS write with
// longitude first, as GeoJSON always has it).
func wgs84CRS(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, ok := range []string{
		"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "urn:ogc:def:crs:ogc:2:84", "crs84", "ogc:crs84",
		"urn:ogc:def:crs:epsg::4326", "urn:ogc:def:crs:epsg:6.6:4326", "epsg:4326",
		"http://www.opengis.net/def/crs/ogc/1.3/crs84", "http://www.opengis.net/def/crs/epsg/0/4326",
		"https://www.opengis.net/def/crs/ogc/1.3/crs84", "https://www.opengis.net/def/crs/epsg/0/4326",
	} {
		if n == ok {
			return true
		}
	}
	return false
}
