package seeds_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/seeds"
)

// swedenConfig keeps the national tests quick: 3 % of Sweden, some 150 000
// households. The layout (which squares, villages, anchors) is the same at
// every scale; only the number of points in each changes.
var swedenConfig = seeds.Config{Seed: 1, Scale: 0.03, Scope: seeds.ScopeSweden}

var (
	swedenOnce  sync.Once
	swedenGen   *seeds.Generator
	swedenBytes []byte
	swedenSnap  *snapshot
	swedenErr   error
)

// sweden generates and parses the national 2024 snapshot once for all tests.
func sweden(t *testing.T) (*seeds.Generator, *snapshot) {
	t.Helper()
	swedenOnce.Do(func() {
		if swedenGen, swedenErr = seeds.New(swedenConfig); swedenErr != nil {
			return
		}
		var buf bytes.Buffer
		if _, swedenErr = swedenGen.Write(&buf, 2024); swedenErr != nil {
			return
		}
		swedenBytes = buf.Bytes()
		swedenSnap, swedenErr = parseSnapshot(bytes.NewReader(swedenBytes), 2024, allMunicipalities(t))
	})
	if swedenErr != nil {
		t.Fatal(swedenErr)
	}
	return swedenGen, swedenSnap
}

// allMunicipalities reads the 290 codes from the reference data.
func allMunicipalities(t *testing.T) map[string]bool {
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, rec := range recs[1:] {
		codes[rec[0]] = true
	}
	if len(codes) != 290 {
		t.Fatalf("%d municipalities in the reference data, want 290", len(codes))
	}
	return codes
}

func TestSwedenCoversEveryMunicipality(t *testing.T) {
	_, s := sweden(t)
	for _, p := range s.problems {
		t.Error(p)
	}
	households := map[string]int{}
	workplaces := 0
	for _, p := range s.points {
		households[p.muni] += p.households
		workplaces += p.workplaces
	}
	for code := range allMunicipalities(t) {
		if households[code] == 0 {
			t.Errorf("municipality %s has no households", code)
		}
	}
	total := 0
	for _, n := range households {
		total += n
	}
	// spec/product.md: about 5 million households, 1 million workplaces.
	if perScale := float64(total) / swedenConfig.Scale; perScale < 4.5e6 || perScale > 5.5e6 {
		t.Errorf("%d households at scale %g: %.2f million at scale 1, want about 5", total, swedenConfig.Scale, perScale/1e6)
	}
	if perScale := float64(workplaces) / swedenConfig.Scale; perScale < 0.85e6 || perScale > 1.15e6 {
		t.Errorf("%d workplaces at scale %g: %.2f million at scale 1, want about 1", workplaces, swedenConfig.Scale, perScale/1e6)
	}
	// The largest cities hold the most households, in their real order.
	codes := make([]string, 0, len(households))
	for c := range households {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return households[codes[i]] > households[codes[j]] })
	if got := codes[:3]; got[0] != "0180" || got[1] != "1480" || got[2] != "1280" {
		t.Errorf("the municipalities with most households are %v, want Stockholm 0180, Göteborg 1480, Malmö 1280", got)
	}
}

func TestSwedenPointsOnLandInTheirMunicipality(t *testing.T) {
	g, s := sweden(t)
	bounds, err := geo.LoadMunicipalities()
	if err != nil {
		t.Fatal(err)
	}
	outside, wet := 0, 0
	for _, p := range s.points {
		pos := geo.SWEREF{E: p.x, N: p.y}
		if !bounds.Contains(p.muni, pos) {
			outside++
		}
		if !seeds.OnLand(g, pos) {
			wet++
		}
	}
	if outside > 0 || wet > 0 {
		t.Errorf("of %d points, %d lie outside their municipality and %d at sea or in a lake", len(s.points), outside, wet)
	}
}

// Households are placed around SCB's localities: within 5 km of a
// locality's edge (its point plus the radius of its area as a disc), but
// for a few scattered farms.
func TestSwedenHouseholdsLiveAroundLocalities(t *testing.T) {
	_, s := sweden(t)
	b, err := geo.ReferenceFile("localities.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				AreaHa float64 `json:"area_ha"`
			}
			Geometry struct{ Coordinates orb.Point }
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	type place struct {
		at    geo.SWEREF
		reach float64
	}
	const cell = 20000.0
	grid := map[[2]int][]place{} // by 20 km cell, to look only near a point
	maxReach := 0.0
	for _, f := range fc.Features {
		pl := place{at: geo.ToSWEREF(f.Geometry.Coordinates), reach: 5000 + math.Sqrt(f.Properties.AreaHa*1e4/math.Pi)}
		k := [2]int{int(pl.at.E / cell), int(pl.at.N / cell)}
		grid[k] = append(grid[k], pl)
		maxReach = max(maxReach, pl.reach)
	}
	r := int(math.Ceil(maxReach / cell))
	near, total := 0, 0
	for _, p := range s.points {
		total += p.households
		k := [2]int{int(p.x / cell), int(p.y / cell)}
	search:
		for de := -r; de <= r; de++ {
			for dn := -r; dn <= r; dn++ {
				for _, pl := range grid[[2]int{k[0] + de, k[1] + dn}] {
					if math.Hypot(p.x-pl.at.E, p.y-pl.at.N) <= pl.reach {
						near += p.households
						break search
					}
				}
			}
		}
	}
	if share := float64(near) / float64(total); share < 0.97 {
		t.Errorf("%.1f %% of households within 5 km of a locality, want at least 97 %%", 100*share)
	}
}

func TestSwedenSameConfigSameBytes(t *testing.T) {
	sweden(t)
	g, err := seeds.New(swedenConfig)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := g.Write(&buf, 2024); err != nil {
		t.Fatal(err)
	}
	if a, b := sha256.Sum256(swedenBytes), sha256.Sum256(buf.Bytes()); a != b {
		t.Errorf("the same config gave %x, then %x", a[:8], b[:8])
	}
}
