package ogc_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

const (
	crs84   = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	crs3006 = "http://www.opengis.net/def/crs/EPSG/0/3006"
)

// ring returns the first ring of a (Multi)Polygon's coordinates.
func ring(t *testing.T, geomType string, raw json.RawMessage) [][2]float64 {
	t.Helper()
	if geomType == "MultiPolygon" {
		var mp [][][][2]float64
		if err := json.Unmarshal(raw, &mp); err != nil {
			t.Fatal(err)
		}
		return mp[0][0]
	}
	var p [][][2]float64
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	return p[0]
}

func TestGeometriesInEPSG3006AreNorthingThenEasting(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)

	p, resp := g.page(t, "/collections/squares/items?crs="+url.QueryEscape(crs3006))
	if got := resp.Header.Get("Content-Crs"); got != "<"+crs3006+">" {
		t.Errorf("Content-Crs %q, want <%s>", got, crs3006)
	}
	found := false
	for _, f := range p.Features {
		if f.Properties["cell"] != "0880.250m-E582000-N6282000" {
			continue
		}
		found = true
		// The square's corners, from its name: E 582000–582250, N 6282000–6282250,
		// written northing first as EPSG:3006 orders its axes.
		r := ring(t, f.Geometry.Type, f.Geometry.Coordinates)
		for _, corner := range [][2]float64{{6282000, 582000}, {6282000, 582250}, {6282250, 582250}, {6282250, 582000}} {
			if !slices.Contains(r, corner) {
				t.Errorf("ring %v lacks the corner %v (northing, easting)", r, corner)
			}
		}
	}
	if !found {
		t.Fatalf("no cell 0880.250m-E582000-N6282000 among %v", p.prop("cell"))
	}

	// Without crs: CRS84, longitude first (Kalmar lies near 16.4° E, 56.7° N).
	p, resp = g.page(t, "/collections/squares/items")
	if got := resp.Header.Get("Content-Crs"); got != "<"+crs84+">" {
		t.Errorf("Content-Crs %q, want <%s>", got, crs84)
	}
	r := ring(t, p.Features[0].Geometry.Type, p.Features[0].Geometry.Coordinates)
	if lon, lat := r[0][0], r[0][1]; lon < 15 || lon > 17 || lat < 56 || lat > 57 {
		t.Errorf("a CRS84 corner %v, want longitude then latitude near Kalmar", r[0])
	}

	// An address point, read with Basic auth: G1 lies at E 582010, N 6282010.
	p, _ = g.page(t, "/collections/addresses/items?address_id=G1&crs=EPSG:3006", "Authorization", basicAuth("qgis", g.token))
	var pt [2]float64
	if len(p.Features) != 1 || json.Unmarshal(p.Features[0].Geometry.Coordinates, &pt) != nil || pt != [2]float64{6282010, 582010} {
		t.Errorf("G1 in EPSG:3006: %d features, %v; want [6282010 582010]", len(p.Features), pt)
	}
}

func TestABBoxInEPSG3006IsNorthingThenEasting(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	for _, tc := range []struct {
		name, bbox string
		want       []string
	}{
		// Around Kalmar's square (E 582000, N 6282000) only; Gränsvägen's
		// (E 555750, N 6289500) lies 26 km west.
		{"around Kalmar's square, northing first", "6281900,581900,6282300,582300", []string{"0880.250m-E582000-N6282000"}},
		{"both squares", "6281000,555000,6290000,583000", []string{"0880.250m-E555750-N6289500", "0880.250m-E582000-N6282000"}},
		// The same box with easting first is a box in the sea north of Sweden's coordinates.
		{"easting first finds nothing", "581900,6281900,582300,6282300", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := g.page(t, "/collections/squares/items?bbox-crs="+url.QueryEscape(crs3006)+"&bbox="+tc.bbox)
			if got := p.prop("cell"); !slices.Equal(got, tc.want) || p.NumberMatched != len(tc.want) {
				t.Errorf("cells %v (matched %d), want %v", got, p.NumberMatched, tc.want)
			}
		})
	}
}

func TestCollectionsNameTheirCRSAndStorageCRS(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	_, b := get(t, "GET", g.base+"/collections/squares")
	var c struct {
		CRS        []string `json:"crs"`
		StorageCRS string   `json:"storageCrs"`
		Links      []struct{ Rel, Type, Href string }
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.CRS, crs84) || !slices.Contains(c.CRS, crs3006) || c.StorageCRS != crs3006 {
		t.Errorf("crs %v, storageCrs %q: want CRS84 and EPSG:3006, stored in EPSG:3006", c.CRS, c.StorageCRS)
	}
	rels := map[string]string{}
	for _, l := range c.Links {
		rels[l.Rel] = l.Href
	}
	for _, rel := range []string{"describedby", "describedBy", "queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables"} {
		if !strings.HasPrefix(rels[rel], "http") {
			t.Errorf("no %s link: %v", rel, rels)
		}
	}
}
