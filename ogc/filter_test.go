package ogc_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The gap points of Kalmar (0880) in testdata/gaps.csv, by hand: every
// point but G1 lacks 1 Gbit/s; N1 and N2 are Nybro's (0881).
//
//	G2  3 hh  dsl 24 (fiber planned 2025)   G7  2 hh  none 0
//	G3  4 hh  cable 500                     G8  6 hh  dsl 50
//	G4  2 hh  dsl 60                        G9  0 hh  mobile only: none 0, Strandvägen
//	G5  1 hh  fixed_wireless 30             G10 1 hh  dsl 99.99 (satellite is not fixed)
//	G6  2 hh  dsl 10 (fiber planned, no year)
func TestGapsFilteredByPropertyAndCQL2(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	auth := []string{"Authorization", basicAuth("", g.token)}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"by property", "technology=dsl", []string{"G10", "G2", "G4", "G6", "G8"}},
		{"by two properties", "technology=dsl&households=2", []string{"G4", "G6"}},
		{"comparisons and AND", "filter=" + url.QueryEscape("households >= 2 AND mbps < 50"), []string{"G2", "G6", "G7"}},
		{"BETWEEN", "filter=" + url.QueryEscape("mbps BETWEEN 30 AND 60"), []string{"G4", "G5", "G8"}},
		{"IN, only the caller's", "filter=" + url.QueryEscape("address_id IN ('G1', 'G2', 'N2')"), []string{"G2"}},
		{"IS NOT NULL", "filter=" + url.QueryEscape("planned_year IS NOT NULL"), []string{"G2"}},
		{"LIKE", "filter=" + url.QueryEscape("street LIKE 'S%'"), []string{"G7", "G9"}},
		{"OR", "filter=" + url.QueryEscape("technology = 'none' AND households > 0 OR households >= 6"), []string{"G7", "G8"}},
		{"NOT", "filter=" + url.QueryEscape("NOT (technology IN ('dsl', 'none'))"), []string{"G3", "G5"}},
		{"exact decimals: 99.99 is not 100", "filter=" + url.QueryEscape("mbps > 99.98 AND mbps < 100"), []string{"G10"}},
		{"as GDAL before 3.7 asks", "filter=" + url.QueryEscape("(households >= 2) AND (technology = 'dsl')") + "&filter-lang=cql-text", []string{"G2", "G4", "G6", "G8"}},
		{"a filter and a property", "municipality_code=0880&filter=" + url.QueryEscape("households > 3"), []string{"G3", "G8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := g.page(t, "/collections/gaps/items?"+tc.query, auth...)
			if got := p.prop("address_id"); !slices.Equal(got, tc.want) || p.NumberMatched != len(tc.want) {
				t.Errorf("%s: %v (matched %d), want %v", tc.query, got, p.NumberMatched, tc.want)
			}
		})
	}
}

func TestSquaresFilteredByProperty(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	// The public squares: Kalmar's of 48 households and Gränsvägen's of 6.
	for query, want := range map[string][]string{
		"municipality_code=0880": {"0880.250m-E555750-N6289500", "0880.250m-E582000-N6282000"},
		"municipality_code=0881": nil,
		"households=6":           {"0880.250m-E555750-N6289500"},
		"filter=" + url.QueryEscape("share_ge_1000 >= 0.5"):             {"0880.250m-E582000-N6282000"},
		"filter=" + url.QueryEscape("square = '250m-E582000-N6282000'"): {"0880.250m-E582000-N6282000"},
	} {
		p, _ := g.page(t, "/collections/squares/items?"+query)
		if got := p.prop("cell"); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
}

func TestWhatAFilterCannotDoIsNamed(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	for _, tc := range []struct{ query, field, says string }{
		{"filter=" + url.QueryEscape("S_INTERSECTS(geometry, POINT(16.3 56.7))"), "filter", "S_INTERSECTS is not supported"},
		{"filter=" + url.QueryEscape("T_AFTER(as_of, DATE('2024-01-01'))"), "filter", "T_AFTER is not supported"},
		{"filter=" + url.QueryEscape("households * 2 > 10"), "filter", "arithmetic (*) is not supported"},
		{"filter=" + url.QueryEscape("street = 'Storgatan'"), "filter", `"street" is not a queryable`},
		{"filter=" + url.QueryEscape("households = 'many'"), "filter", "households is a number"},
		{"filter=" + url.QueryEscape("households >"), "filter", "ends too early"},
		{"filter=x&filter-lang=cql2-json", "filter-lang", "cql2-json is not supported"},
		{"households=many", "households", "a number"},
		{"colour=red", "colour", "no such parameter"},
		{"households=5&households=6", "households", "one value"},
	} {
		resp, b := get(t, "GET", g.base+"/collections/squares/items?"+tc.query)
		var body struct {
			Errors []struct{ Field, Message string }
		}
		_ = json.Unmarshal(b, &body)
		if resp.StatusCode != 400 || len(body.Errors) != 1 || body.Errors[0].Field != tc.field || !strings.Contains(body.Errors[0].Message, tc.says) {
			t.Errorf("%s: %d %s; want 400 naming %s and saying %q", tc.query, resp.StatusCode, b, tc.field, tc.says)
		}
	}
}
