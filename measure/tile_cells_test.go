package measure_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// coarseSizes is the documented side of the measurements layer's squares
// below zoom 8, written out here: 2 km at zoom 7, 5 km at 6, 10 km at 5,
// 20 km from 0 to 4.
var coarseSizes = map[int]int64{7: 2000, 6: 5000, 5: 10000, 4: 20000, 3: 20000, 2: 20000, 1: 20000, 0: 20000}

// cellFixture is 250 m squares and how many measurements each gets, in
// Kalmar and Kiruna. Squares with 4 or fewer are not public: they add
// nothing anywhere.
var cellFixture = []struct {
	e, n  int64
	muni  string
	count int
}{
	{583000, 6280250, "0880", 9}, // with the two below: the 2 km square E582000-N6280000
	{583250, 6280250, "0880", 6},
	{583500, 6280500, "0880", 4},  // not public: adds nothing to its 2 km square
	{585750, 6279750, "0880", 5},  // 2 km E584000-N6278000, 5 km E585000-N6275000
	{587000, 6281000, "0880", 4},  // with the next: a 2 km and a 5 km square of no
	{587250, 6281000, "0880", 3},  // public square, never shown
	{599750, 6279750, "0880", 5},  // the last square of its 20 km square ...
	{600000, 6280000, "0880", 7},  // ... and the first of the next
	{760000, 7535000, "2584", 12}, // Kiruna: other tiles
	{700000, 6500000, "0880", 1},  // alone, never shown
}

type cellShown struct {
	size, count     int64
	down, up        float64
	hasOfferedOrFlg bool
}

func TestMeasurementsBelowZoom8PoolThePublicSquares(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(19, 8))
	var ms []measure.Measurement
	for _, f := range cellFixture {
		muni, ok := measure.MunicipalityByCode(f.muni)
		if !ok {
			t.Fatalf("no municipality %s", f.muni)
		}
		for i := range f.count {
			ms = append(ms, measure.Measurement{
				MeasuredAt: time.Date(2026, 3, 1+i, rng.IntN(24), 0, 0, 0, time.UTC),
				Square:     geo.Square{E: f.e, N: f.n, Size: geo.SquareSize}, Municipality: muni,
				DownMbps: math.Round(rng.Float64()*9000+10) / 10, UpMbps: math.Round(rng.Float64()*5000+5) / 10,
				Connection: "fiber", Source: "test"})
		}
	}

	// Expected, from the fixture alone: per zoom, the coarse squares of the
	// public squares' measurements.
	type pool struct{ downs, ups []float64 }
	perSquare := map[geo.Square]int{}
	for _, m := range ms {
		perSquare[m.Square]++
	}
	var public int64
	want := map[int]map[string]cellShown{}
	for z, size := range coarseSizes {
		pools := map[string]*pool{}
		for _, m := range ms {
			if perSquare[m.Square] < 5 {
				continue
			}
			id := fmt.Sprintf("%dm-E%d-N%d", size, m.Square.E/size*size, m.Square.N/size*size)
			if pools[id] == nil {
				pools[id] = &pool{}
			}
			pools[id].downs = append(pools[id].downs, m.DownMbps)
			pools[id].ups = append(pools[id].ups, m.UpMbps)
		}
		want[z] = map[string]cellShown{}
		for id, p := range pools {
			want[z][id] = cellShown{size: size, count: int64(len(p.downs)), down: percentile(p.downs, 0.5), up: percentile(p.ups, 0.5)}
		}
	}
	for _, m := range ms {
		if perSquare[m.Square] >= 5 {
			public++
		}
	}
	if public != 9+6+5+5+7+12 {
		t.Fatalf("the fixture has %d public measurements", public)
	}
	for _, id := range []string{"2000m-E582000-N6280000", "2000m-E584000-N6278000", "5000m-E585000-N6275000",
		"20000m-E580000-N6260000", "20000m-E600000-N6280000"} {
		found := false
		for _, cells := range want {
			_, ok := cells[id]
			found = found || ok
		}
		if !found {
			t.Fatalf("the fixture does not make %s", id)
		}
	}
	if got := want[7]["2000m-E582000-N6280000"].count; got != 15 {
		t.Fatalf("the 2 km square of Storgatan pools %d, want 9 + 6 (the square of 4 adds nothing)", got)
	}

	ctx := context.Background()
	sorted := tilesByZoom(t, ctx, loadInOrder(t, ms))
	shuffled := append([]measure.Measurement(nil), ms...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	again := tilesByZoom(t, ctx, loadInOrder(t, shuffled))

	for z := range 8 {
		got := sorted[z]
		if len(got) != len(want[z]) {
			t.Errorf("zoom %d: %d coarse squares shown, want %d: %v", z, len(got), len(want[z]), got)
		}
		var total int64
		for id, g := range got {
			total += g.count
			w, ok := want[z][id]
			if !ok {
				t.Errorf("zoom %d: %s shown (%+v), want none", z, id, g)
				continue
			}
			if g.size != w.size || g.count != w.count || math.Abs(g.down-w.down) > 1e-9 || math.Abs(g.up-w.up) > 1e-9 {
				t.Errorf("zoom %d: %s shows %+v, want %+v", z, id, g, w)
			}
			if g.hasOfferedOrFlg {
				t.Errorf("zoom %d: %s carries offered_gigabit or flagged", z, id)
			}
			if a := again[z][id]; a != g {
				t.Errorf("zoom %d: %s shows %+v when inserted in another order, %+v sorted", z, id, a, g)
			}
		}
		if total != public {
			t.Errorf("zoom %d: the coarse squares hold %d measurements, want %d (those of the public squares)", z, total, public)
		}
		if len(again[z]) != len(got) {
			t.Errorf("zoom %d: %d coarse squares inserted shuffled, %d sorted", z, len(again[z]), len(got))
		}
	}
	for _, id := range []string{"2000m-E586000-N6280000", "5000m-E585000-N6280000"} {
		for z := range 8 {
			if _, ok := sorted[z][id]; ok {
				t.Errorf("zoom %d shows %s, made only of squares with fewer than 5", z, id)
			}
		}
	}
}

// loadInOrder loads ms, in their order, into a database of their own.
func loadInOrder(t *testing.T, ms []measure.Measurement) *pgxpool.Pool {
	t.Helper()
	pool := dbtest.New(t)
	if _, err := measure.NewStore(pool).Load(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	return pool
}

// tilesByZoom reads, at every zoom from 0 to 7, every tile over Kalmar and
// Kiruna, and returns what they show per coarse square. A square that two
// tiles show must show the same in both.
func tilesByZoom(t *testing.T, ctx context.Context, pool *pgxpool.Pool) map[int]map[string]cellShown {
	t.Helper()
	st := measure.NewStore(pool)
	b := orb.Bound{Min: geo.ToWGS84(geo.SWEREF{E: 580000, N: 6260000}), Max: geo.ToWGS84(geo.SWEREF{E: 780000, N: 7540000})}
	b = b.Extend(geo.ToWGS84(geo.SWEREF{E: 580000, N: 7540000})).Extend(geo.ToWGS84(geo.SWEREF{E: 780000, N: 6260000}))
	out := map[int]map[string]cellShown{}
	for z := range 8 {
		out[z] = map[string]cellShown{}
		for _, tile := range geo.TilesCovering(b, maptile.Zoom(z)) {
			data, err := st.Tile(ctx, 0, tile)
			if err != nil {
				t.Fatalf("tile %s: %v", geo.TilePath(tile), err)
			}
			if data == nil {
				continue
			}
			layers, err := mvt.Unmarshal(data)
			if err != nil || len(layers) != 1 || layers[0].Name != "measurements" {
				t.Fatalf("tile %s: %v, %d layers", geo.TilePath(tile), err, len(layers))
			}
			for _, f := range layers[0].Features {
				id := f.Properties.MustString("square")
				_, offered := f.Properties["offered_gigabit"]
				_, flagged := f.Properties["flagged"]
				c := cellShown{size: int64(f.Properties.MustFloat64("size")), count: int64(f.Properties.MustFloat64("measurements")),
					down: f.Properties.MustFloat64("median_down"), up: f.Properties.MustFloat64("median_up"), hasOfferedOrFlg: offered || flagged}
				if prev, ok := out[z][id]; ok && prev != c {
					t.Errorf("zoom %d: %s shows %+v in tile %s, %+v in another", z, id, c, geo.TilePath(tile), prev)
				}
				out[z][id] = c
			}
		}
	}
	return out
}

// The coarse squares are rebuilt, not updated: new measurements show below
// zoom 8 once they are (RefreshCells: when a tile finds them older than
// TileEvery), and a square that stays below 5 never shows.
func TestCoarseSquaresShowNewMeasurementsWhenRebuilt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	muni, _ := measure.MunicipalityByCode("0880")
	some := func(e, n int64, count int) []measure.Measurement {
		var ms []measure.Measurement
		for i := range count {
			ms = append(ms, measure.Measurement{MeasuredAt: time.Date(2026, 4, 1, i, 0, 0, 0, time.UTC),
				Square: geo.Square{E: e, N: n, Size: geo.SquareSize}, Municipality: muni,
				DownMbps: float64(100 + 10*i), UpMbps: float64(50 + i), Connection: "fiber", Source: "test"})
		}
		return ms
	}
	pool := loadInOrder(t, some(583000, 6280250, 5))
	st := measure.NewStore(pool)
	z5 := maptile.At(geo.ToWGS84(geo.SWEREF{E: 583100, N: 6280300}), 5)
	count := func() int64 {
		t.Helper()
		data, err := st.Tile(ctx, 0, z5)
		if err != nil {
			t.Fatal(err)
		}
		layers, err := mvt.Unmarshal(data)
		if err != nil || len(layers) != 1 || len(layers[0].Features) != 1 {
			t.Fatalf("%v, %d layers", err, len(layers))
		}
		f := layers[0].Features[0]
		if id := f.Properties.MustString("square"); id != "10000m-E580000-N6280000" {
			t.Fatalf("the tile shows %s", id)
		}
		return int64(f.Properties.MustFloat64("measurements"))
	}
	if got := count(); got != 5 {
		t.Fatalf("first tile: %d measurements, want 5", got)
	}
	if _, err := st.Load(ctx, append(some(584000, 6281000, 6), some(585000, 6282000, 4)...)); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 5 {
		t.Errorf("before the rebuild: %d measurements, want the 5 built", got)
	}
	if built, err := st.RefreshCells(ctx, measure.TileEvery); err != nil || built {
		t.Errorf("a rebuild of squares built just now: %v %v, want none", built, err)
	}
	if built, err := st.RefreshCells(ctx, 0); err != nil || !built {
		t.Fatalf("rebuild: %v %v", built, err)
	}
	// The square of 4 adds nothing, and the 5-square is withheld now:
	// the municipality's 15 less the 5 and the 6 would tell the 4
	// (measure.decideAreas); the coarse square must not show it either.
	if got := count(); got != 6 {
		t.Errorf("after the rebuild: %d measurements, want the 6-square's 6", got)
	}
}
