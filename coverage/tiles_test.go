package coverage_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// tilePoint is an address point of the tiles' fixture, in Kalmar (0880).
type tilePoint struct {
	e, n                   int
	households, workplaces int
	mbps                   int // connected fibre at this speed; 0: none
}

// The fixture: a 250 m square with 8 households (shown); a 1 km square whose
// small squares pool 5 households and 3 workplaces (shown as the rest of the
// 1 km square) beside a 250 m square of 7 (shown); two 1 km squares whose
// small squares pool only 4 and 3 (left out: 7 households withheld in all,
// so that no pooled square needs withholding as well).
var tilePoints = []tilePoint{
	{582010, 6282010, 6, 0, 1000}, {582200, 6282200, 2, 1, 0},
	{583100, 6283100, 2, 0, 100}, {583600, 6283100, 2, 0, 1000}, {583100, 6283600, 1, 0, 0},
	{583300, 6283300, 0, 3, 1000},
	{583800, 6283800, 7, 0, 1000},
	{584100, 6282100, 2, 0, 1000}, {584600, 6282600, 2, 0, 0},
	{586100, 6282100, 3, 0, 1000},
}

func tileFixtureCSV() string {
	var b strings.Builder
	b.WriteString("address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year\n")
	for i, p := range tilePoints {
		tech, status, down := "none", "", "0"
		if p.mbps > 0 {
			tech, status, down = "fiber", "connected", fmt.Sprint(p.mbps)
		}
		fmt.Fprintf(&b, "T%d;0880;%d;%d;%d;%d;0;%s;%s;%s;;Gatan;%d;39231;Kalmar;Nät;\n",
			i, p.e, p.n, p.households, p.workplaces, tech, status, down, i+1)
	}
	return b.String()
}

// wantSquare is a square of the public layer as computed here from the
// fixture, by the rule of spec/product.md, without the package's code.
type wantSquare struct {
	households, workplaces, ge1000 int
}

func wantSquares() map[string]wantSquare {
	ps := make([]indepCellPoint, len(tilePoints))
	for i, p := range tilePoints {
		ps[i] = indepCellPoint{muni: "0880", x: float64(p.e), y: float64(p.n), households: int64(p.households), workplaces: int64(p.workplaces)}
	}
	out := map[string]wantSquare{}
	for _, c := range indepPublicCells(ps) {
		w := wantSquare{households: int(c.households), workplaces: int(c.workplaces)}
		for _, i := range c.members {
			if tilePoints[i].mbps >= 1000 {
				w.ge1000 += tilePoints[i].households + tilePoints[i].workplaces
			}
		}
		out[fmt.Sprintf("%dm-E%d-N%d", c.size, c.e, c.n)] = w
	}
	return out
}

func TestSquaresLayerShowsOnlySquaresOfFiveHouseholds(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	res, err := importString(t, s, "tiles.csv", tileFixtureCSV(), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := wantSquares()
	if len(want) != 3 {
		t.Fatalf("the fixture should give 3 public squares, gives %v", want)
	}

	for _, z := range []int{10, 12, 14} {
		t.Run(fmt.Sprintf("zoom %d", z), func(t *testing.T) {
			got := map[string]wantSquare{}
			for _, f := range tileFeatures(t, s, coverage.LayerSquares, res.Snapshot.ID, z, 582000, 6282000, 585000, 6284000) {
				sq := f.Properties.MustString("square")
				h := int(f.Properties.MustFloat64("households"))
				w := int(f.Properties.MustFloat64("workplaces"))
				if h < 5 {
					t.Errorf("square %s shows %d households", sq, h)
				}
				share := f.Properties.MustFloat64("share_1000")
				got[sq] = wantSquare{households: h, workplaces: w, ge1000: int(math.Round(share * float64(h+w)))}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("squares in the tiles:\n%v\nwant\n%v", got, want)
			}
		})
	}
}

func TestMunicipalitiesLayerCarriesSharesAndTargets(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	res, err := importString(t, s, "tiles.csv", tileFixtureCSV(), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var h, w, h1000, w1000, h100, w100 int
	for _, p := range tilePoints {
		h += p.households
		w += p.workplaces
		if p.mbps >= 1000 {
			h1000 += p.households
			w1000 += p.workplaces
		}
		if p.mbps >= 100 {
			h100 += p.households
			w100 += p.workplaces
		}
	}
	for _, z := range []int{5, 8, 12} {
		t.Run(fmt.Sprintf("zoom %d", z), func(t *testing.T) {
			byCode := map[string]*geojson.Feature{}
			for _, f := range tileFeatures(t, s, coverage.LayerMunicipalities, res.Snapshot.ID, z, 582000, 6282000, 582100, 6282100) {
				byCode[f.Properties.MustString("code")] = f
			}
			k := byCode["0880"]
			if k == nil {
				t.Fatalf("no Kalmar in the tile; got %d municipalities", len(byCode))
			}
			if k.Properties.MustString("name") != "Kalmar" {
				t.Errorf("0880 is named %q", k.Properties.MustString("name"))
			}
			if got := int(k.Properties.MustFloat64("households")); got != h {
				t.Errorf("Kalmar households %d, want %d", got, h)
			}
			checkShare(t, "share_1000", k.Properties.MustFloat64("share_1000"), h1000+w1000, h+w)
			checkShare(t, "share_100", k.Properties.MustFloat64("share_100"), h100+w100, h+w)
			checkShare(t, "households_share_1000", k.Properties.MustFloat64("households_share_1000"), h1000, h)
			checkShare(t, "households_share_100", k.Properties.MustFloat64("households_share_100"), h100, h)
			met1g := (h1000+w1000)*100 >= 98*(h+w)
			if got, ok := k.Properties["met_se_2025_1g"].(bool); !ok || got != met1g {
				t.Errorf("met_se_2025_1g = %v, want %v", k.Properties["met_se_2025_1g"], met1g)
			}
			if _, ok := k.Properties["met_kalmar_2025_1g"]; !ok {
				t.Error("Kalmar lacks the county's own target")
			}
			for name := range k.Properties {
				if strings.ContainsAny(name, "-. ") {
					t.Errorf("attribute %q needs quoting in a QGIS expression", name)
				}
			}
			for code, f := range byCode {
				if code != "0880" && f.Properties["share_1000"] != nil && !strings.HasPrefix(code, "08") {
					t.Errorf("municipality %s outside the snapshot carries a share", code)
				}
			}
		})
	}
}

func checkShare(t *testing.T, name string, got float64, covered, total int) {
	t.Helper()
	if want := float64(covered) / float64(total); math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %v, want %d/%d = %v", name, got, covered, total, want)
	}
}

// tileFeatures decodes the layer's tiles of zoom z over the SWEREF 99 TM
// rectangle, one feature per square or municipality (the first tile's).
func tileFeatures(t *testing.T, s *coverage.Store, layer coverage.TileLayer, snapshot int64, z int, e0, n0, e1, n1 float64) []*geojson.Feature {
	t.Helper()
	sw, ne := geo.ToWGS84(geo.SWEREF{E: e0, N: n0}), geo.ToWGS84(geo.SWEREF{E: e1, N: n1})
	key := "square"
	if layer == coverage.LayerMunicipalities {
		key = "code"
	}
	seen := map[string]bool{}
	var out []*geojson.Feature
	for _, tl := range geo.TilesCovering(orb.Bound{Min: sw, Max: ne}, maptile.Zoom(z)) {
		b, err := s.Tile(context.Background(), layer, snapshot, tl)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			continue
		}
		layers, err := mvt.Unmarshal(b)
		if err != nil {
			t.Fatalf("tile %s: %v", geo.TilePath(tl), err)
		}
		if len(layers) != 1 || layers[0].Name != string(layer) {
			t.Fatalf("tile %s has layers %v, want one named %s", geo.TilePath(tl), layers, layer)
		}
		for _, f := range layers[0].Features {
			if id := f.Properties.MustString(key); !seen[id] {
				seen[id] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// Below zoom 8 the squares layer shows squares of 2 to 20 km, each the sum
// of the public squares in it: here computed from the fixture's public
// cells (wantSquares, the independent rule) grouped by the coarse square of
// their lower-left corner.
func TestSquaresLayerAtLowZoomSumsPublicSquares(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	res, err := importString(t, s, "tiles.csv", tileFixtureCSV(), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for z, size := range map[int]int{0: 20000, 3: 20000, 4: 20000, 5: 10000, 6: 5000, 7: 2000} {
		t.Run(fmt.Sprintf("zoom %d", z), func(t *testing.T) {
			want := map[string]wantSquare{}
			for name, w := range wantSquares() {
				var sz, e, n int
				if _, err := fmt.Sscanf(name, "%dm-E%d-N%d", &sz, &e, &n); err != nil {
					t.Fatal(err)
				}
				key := fmt.Sprintf("%dm-E%d-N%d", size, e/size*size, n/size*size)
				sum := want[key]
				sum.households += w.households
				sum.workplaces += w.workplaces
				sum.ge1000 += w.ge1000
				want[key] = sum
			}
			got := map[string]wantSquare{}
			for _, f := range tileFeatures(t, s, coverage.LayerSquares, res.Snapshot.ID, z, 582000, 6282000, 585000, 6284000) {
				h := int(f.Properties.MustFloat64("households"))
				w := int(f.Properties.MustFloat64("workplaces"))
				if int(f.Properties.MustFloat64("size")) != size || f.Properties["municipality_code"] != nil || f.Properties["cell"] != nil {
					t.Errorf("zoom %d: %v, want a %d m square without municipality or cell", z, f.Properties, size)
				}
				got[f.Properties.MustString("square")] = wantSquare{households: h, workplaces: w,
					ge1000: int(math.Round(f.Properties.MustFloat64("share_1000") * float64(h+w)))}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("squares at zoom %d:\n%v\nwant the sums of public squares\n%v", z, got, want)
			}
		})
	}
}
