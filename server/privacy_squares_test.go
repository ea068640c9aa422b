package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// diffPoint is an address point of the differencing fixture.
type diffPoint struct {
	muni       string
	e, n       float64
	households int64
}

// diffFixture scatters address points of Kalmar (0880) and Nybro (0881)
// over a few square kilometres, the two municipalities mixed so that many
// squares span both, with a dense cluster (urban 1 km squares) and many
// squares of 1–4 households.
func diffFixture(seed uint64) []diffPoint {
	r := rand.New(rand.NewPCG(seed, 5))
	var ps []diffPoint
	for range 160 {
		muni := "0880"
		if r.IntN(3) == 0 {
			muni = "0881"
		}
		e, n := 580000+r.Float64()*3000, 6280000+r.Float64()*3000
		if r.IntN(3) == 0 { // the town: one 1 km square
			e, n = 581000+r.Float64()*1000, 6281000+r.Float64()*1000
		}
		ps = append(ps, diffPoint{muni, e, n, int64(r.IntN(5))})
	}
	return ps
}

// cellKey names a published cell: a municipality's 250 m square, or the
// pooled rest of its 1 km square.
type cellKey struct {
	muni       string
	size, e, n int64
}

// TestNoDifferenceOfPublicAnswersRevealsFewerThanFive asks every public
// channel that publishes households by area (the squares tiles, OGC
// squares, the public gap reports by square, the targets report's
// municipalities, counties and their urban and rural parts), maps each
// figure to the address points it counts (by the fixture, not by the
// package's code), and checks that no published cell holds fewer than 5
// households, that the channels publish the same cells, and that no
// difference of two answers, and no total minus its published cells, is a
// positive number of households below 5.
func TestNoDifferenceOfPublicAnswersRevealsFewerThanFive(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("fixture %d", seed), func(t *testing.T) {
			t.Parallel()
			points := diffFixture(seed)
			var b strings.Builder
			b.WriteString("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n")
			for i, p := range points {
				fmt.Fprintf(&b, "D%d;%s;%.1f;%.1f;%d;0;fiber;connected;%d\n", i, p.muni, p.e, p.n, p.households, []int{100, 1000}[i%2])
			}
			pool := dbtest.New(t)
			importCoverage(t, pool, "diff.csv", strings.NewReader(b.String()), fixture2024)
			ts, _ := mapServer(t, pool)

			channels := map[string]map[cellKey]int64{
				"tiles": squaresFromTiles(t, ts.URL),
				"ogc":   squaresFromOGC(t, ts.URL),
			}
			if !mapsEqual(channels["tiles"], channels["ogc"]) {
				t.Errorf("the map and OGC publish different cells:\ntiles %v\nogc   %v", channels["tiles"], channels["ogc"])
			}
			gaps := map[cellKey]int64{}
			for _, muni := range []string{"0880", "0881"} {
				for k, h := range squaresFromGapReport(t, ts.URL, muni) {
					gaps[k] = h
					if channels["ogc"][k] != h {
						t.Errorf("the gap report publishes %v with %d households, OGC with %d", k, h, channels["ogc"][k])
					}
				}
			}

			// Every published figure as the set of points it counts.
			type figure struct {
				name    string
				members []int
				told    int64
			}
			var figures []figure
			inSquare := func(p diffPoint, size, e, n int64) bool {
				return int64(p.e)/size*size == e && int64(p.n)/size*size == n
			}
			// a 1 km cell pools its municipality's 250 m squares of fewer
			// than 5 households (as OGC's collection describes it)
			small250 := map[cellKey]int64{}
			for _, p := range points {
				small250[cellKey{p.muni, 250, int64(p.e) / 250 * 250, int64(p.n) / 250 * 250}] += p.households
			}
			for ch, cells := range channels {
				for k, told := range cells {
					var m []int
					for i, p := range points {
						if p.muni != k.muni || !inSquare(p, k.size, k.e, k.n) {
							continue
						}
						if k.size == 1000 && small250[cellKey{p.muni, 250, int64(p.e) / 250 * 250, int64(p.n) / 250 * 250}] >= 5 {
							continue // in a 250 m square of its own, shown or withheld
						}
						m = append(m, i)
					}
					figures = append(figures, figure{fmt.Sprintf("%s %v", ch, k), m, told})
				}
			}
			km := map[[2]int64]int64{}
			for _, p := range points {
				km[[2]int64{int64(p.e) / 1000, int64(p.n) / 1000}] += p.households
			}
			urban := func(p diffPoint) bool { return km[[2]int64{int64(p.e) / 1000, int64(p.n) / 1000}] >= 100 }
			rep := targetsJSON(t, ts.URL)
			for _, a := range rep {
				for _, part := range []string{"all", "urban", "rural"} {
					told, ok := a.total(part)
					if !ok {
						continue
					}
					var m []int
					for i, p := range points {
						if strings.HasPrefix(p.muni, a.Code) && (part == "all" || (part == "urban") == urban(p)) {
							m = append(m, i)
						}
					}
					figures = append(figures, figure{a.Kind + " " + a.Code + " " + part, m, told})
				}
			}

			hh := func(m []int) int64 {
				var s int64
				for _, i := range m {
					s += points[i].households
				}
				return s
			}
			for _, f := range figures {
				if got := hh(f.members); got != f.told {
					t.Fatalf("%s tells %d households; its points hold %d: the test maps it wrong", f.name, f.told, got)
				}
				if !strings.HasPrefix(f.name, "municipality") && !strings.HasPrefix(f.name, "county") && f.told < 5 {
					t.Errorf("%s publishes %d households", f.name, f.told)
				}
			}
			small := func(v int64) bool { return v > 0 && v < 5 }
			for i, a := range figures {
				for _, c := range figures[i+1:] {
					inA, inC := map[int]bool{}, map[int]bool{}
					for _, m := range a.members {
						inA[m] = true
					}
					for _, m := range c.members {
						inC[m] = true
					}
					var aNotC, cNotA []int
					for _, m := range a.members {
						if !inC[m] {
							aNotC = append(aNotC, m)
						}
					}
					for _, m := range c.members {
						if !inA[m] {
							cNotA = append(cNotA, m)
						}
					}
					if len(aNotC) < len(a.members) || len(cNotA) < len(c.members) { // they overlap
						if small(hh(aNotC)) || small(hh(cNotA)) {
							t.Errorf("%s minus %s: %d households; the other way %d", a.name, c.name, hh(aNotC), hh(cNotA))
						}
					}
				}
			}
			// A total minus every cell published inside it.
			for _, f := range figures {
				if !strings.HasPrefix(f.name, "municipality") && !strings.HasPrefix(f.name, "county") {
					continue
				}
				covered := map[int]bool{}
				for _, c := range figures {
					if strings.HasPrefix(c.name, "ogc ") && isSubset(c.members, f.members) {
						for _, m := range c.members {
							covered[m] = true
						}
					}
				}
				var rest []int
				for _, m := range f.members {
					if !covered[m] {
						rest = append(rest, m)
					}
				}
				if small(hh(rest)) {
					t.Errorf("%s minus its published cells: %d households", f.name, hh(rest))
				}
			}
		})
	}
}

func isSubset(a, b []int) bool {
	in := map[int]bool{}
	for _, m := range b {
		in[m] = true
	}
	for _, m := range a {
		if !in[m] {
			return false
		}
	}
	return true
}

func mapsEqual(a, b map[cellKey]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// squaresFromTiles reads every squares tile at zoom 14 over the fixture.
func squaresFromTiles(t *testing.T, base string) map[cellKey]int64 {
	t.Helper()
	sw := geo.ToWGS84(geo.SWEREF{E: 579900, N: 6279900})
	ne := geo.ToWGS84(geo.SWEREF{E: 583100, N: 6283100})
	lo, hi := maptile.At(orb.Point{sw[0], ne[1]}, 14), maptile.At(orb.Point{ne[0], sw[1]}, 14)
	out := map[cellKey]int64{}
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			resp, body := mapFetch(t, fmt.Sprintf("%s/tiles/squares/14/%d/%d.mvt", base, x, y))
			if resp.StatusCode == http.StatusNoContent {
				continue
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("tile 14/%d/%d: %d %s", x, y, resp.StatusCode, body)
			}
			layers, err := mvt.Unmarshal(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range layers {
				for _, f := range l.Features {
					var k cellKey
					sq := f.Properties.MustString("square")
					if _, err := fmt.Sscanf(sq, "%dm-E%d-N%d", &k.size, &k.e, &k.n); err != nil {
						t.Fatalf("square %q: %v", sq, err)
					}
					k.muni = f.Properties.MustString("municipality_code")
					out[k] = int64(f.Properties.MustFloat64("households"))
				}
			}
		}
	}
	return out
}

// squaresFromOGC reads the OGC squares collection.
func squaresFromOGC(t *testing.T, base string) map[cellKey]int64 {
	t.Helper()
	resp, body := mapFetch(t, base+"/ogc/collections/squares/items?limit=10000", "Accept", "application/geo+json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("OGC squares: %d %s", resp.StatusCode, body)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Municipality string `json:"municipality_code"`
				Size         int64  `json:"size_m"`
				E, N         int64
				Households   int64 `json:"households"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	out := map[cellKey]int64{}
	for _, f := range fc.Features {
		p := f.Properties
		out[cellKey{p.Municipality, p.Size, p.E, p.N}] = p.Households
	}
	return out
}

// squaresFromGapReport reads a municipality's public gap report (CSV, by
// square) for the 1 Gbit/s target: the squares where someone lacks it.
func squaresFromGapReport(t *testing.T, base, muni string) map[cellKey]int64 {
	t.Helper()
	resp, body := mapFetch(t, base+"/api/v1/municipalities/"+muni+"/gaps?format=csv&target=se-2025-1g")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("gap report of %s: %d %s", muni, resp.StatusCode, body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[cellKey]int64{}
	for _, rec := range recs[1:] {
		var v [4]int64
		for i := range v {
			v[i], _ = strconv.ParseInt(rec[i], 10, 64)
		}
		out[cellKey{muni, v[0], v[1], v[2]}] = v[3]
	}
	return out
}

// areaTotals is an area of the targets report with its parts' totals.
type areaTotals struct {
	Kind            string `json:"kind"`
	Code            string `json:"code"`
	HouseholdsTotal int64  `json:"households_total"`
	Urban           *struct {
		HouseholdsTotal int64 `json:"households_total"`
	} `json:"urban"`
	Rural *struct {
		HouseholdsTotal int64 `json:"households_total"`
	} `json:"rural"`
}

func (a areaTotals) total(part string) (int64, bool) {
	switch {
	case part == "all":
		return a.HouseholdsTotal, true
	case part == "urban" && a.Urban != nil:
		return a.Urban.HouseholdsTotal, true
	case part == "rural" && a.Rural != nil:
		return a.Rural.HouseholdsTotal, true
	}
	return 0, false
}

func targetsJSON(t *testing.T, base string) []areaTotals {
	t.Helper()
	resp, body := mapFetch(t, base+"/api/v1/targets?as_of="+fixture2024.Format(time.DateOnly))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("targets: %d %s", resp.StatusCode, body)
	}
	var rep struct {
		Areas []areaTotals `json:"areas"`
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	rep.Areas = slices.DeleteFunc(rep.Areas, func(a areaTotals) bool { return a.Code != "0880" && a.Code != "0881" && a.Code != "08" })
	return rep.Areas
}
