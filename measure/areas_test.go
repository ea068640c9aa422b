package measure_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// cellRows are n measurements in a square of a municipality.
type cellRows struct {
	e, n int64
	muni string
	rows int
}

func (c cellRows) square() string { return fmt.Sprintf("250m-E%d-N%d", c.e, c.n) }

// loadCells stores the measurements of cells (all in September 2026).
func loadCells(t *testing.T, st *measure.Store, cells []cellRows, rng *rand.Rand) {
	t.Helper()
	var ms []measure.Measurement
	for _, c := range cells {
		muni, ok := measure.MunicipalityByCode(c.muni)
		if !ok {
			t.Fatalf("no municipality %s", c.muni)
		}
		for range c.rows {
			ms = append(ms, measure.Measurement{MeasuredAt: time.Date(2026, 9, 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC),
				Square: geo.Square{E: c.e, N: c.n, Size: 250}, Municipality: muni,
				DownMbps: 1 + rng.Float64()*999, UpMbps: 1 + rng.Float64()*99, Connection: "fiber", Source: "test"})
		}
	}
	rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	if n, err := st.Load(context.Background(), ms); err != nil || n != int64(len(ms)) {
		t.Fatalf("Load: %d, %v", n, err)
	}
}

// published is what a report shows: area ("municipality:0880",
// "county:08", "250m-E…") → its count.
func published(t *testing.T, st *measure.Store, within measure.Area) map[string]int64 {
	t.Helper()
	all, _ := measure.ParsePeriod("all")
	rep, err := st.Report(context.Background(), all, within)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, a := range rep.Areas {
		out[a.Kind+":"+a.Code] = a.Figures.Count
	}
	for _, s := range rep.Squares {
		out[s.Square] = s.Figures.Count
	}
	return out
}

// tileSquares is every square the map's tiles at zoom 11 show over cells,
// with its count.
func tileSquares(t *testing.T, st *measure.Store, cells []cellRows) map[string]int64 {
	t.Helper()
	var b orb.Bound
	for i, c := range cells {
		for j, p := range []geo.SWEREF{{E: float64(c.e), N: float64(c.n)}, {E: float64(c.e + 250), N: float64(c.n + 250)}} {
			if w := geo.ToWGS84(p); i == 0 && j == 0 {
				b = w.Bound()
			} else {
				b = b.Extend(w)
			}
		}
	}
	out := map[string]int64{}
	for _, tile := range geo.TilesCovering(b, 11) {
		data, err := st.Tile(context.Background(), 0, tile)
		if err != nil {
			t.Fatal(err)
		}
		if data == nil {
			continue
		}
		layers, err := mvt.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range layers {
			for _, f := range l.Features {
				out[f.Properties.MustString("square")] = int64(f.Properties.MustFloat64("measurements"))
			}
		}
	}
	return out
}

func sameAreas(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	var g, w []string
	for k, v := range got {
		g = append(g, fmt.Sprintf("%s=%d", k, v))
	}
	for k, v := range want {
		w = append(w, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s:\n got %v\nwant %v", what, g, w)
	}
}

// Kalmar has 10 measurements, 6 in one square and 4 in another: its figure
// less the 6-square's would tell the 4, so the 6-square is withheld, in the
// report and on the map, while Kalmar is shown.
func TestASquareThatWouldTellTheRestIsWithheld(t *testing.T) {
	t.Parallel()
	st := measure.NewStore(dbtest.New(t))
	cells := []cellRows{{583000, 6280250, "0880", 6}, {583250, 6280250, "0880", 4}}
	loadCells(t, st, cells, rand.New(rand.NewPCG(1, 1)))
	want := map[string]int64{"county:08": 10, "municipality:0880": 10}
	sameAreas(t, "report", published(t, st, measure.Area{}), want)
	kalmar, _ := measure.ParseArea("municipality:0880")
	// Within a municipality, its squares and itself; no county row.
	sameAreas(t, "report within Kalmar", published(t, st, kalmar), map[string]int64{"municipality:0880": 10})
	sameAreas(t, "tiles", tileSquares(t, st, cells), map[string]int64{})
	all, _ := measure.ParsePeriod("all")
	sq, _ := measure.ParseArea("square:" + cells[0].square())
	if sum, err := st.Summary(context.Background(), sq, all); err != nil || sum.Published || sum.Figures != nil {
		t.Errorf("the 6-square's summary: %+v, %v; want it not published", sum, err)
	}
	if sum, err := st.Summary(context.Background(), kalmar, all); err != nil || !sum.Published || sum.Figures.Count != 10 {
		t.Errorf("Kalmar's summary: %+v, %v; want 10 measurements", sum, err)
	}
}

// A square on the border of Kalmar and Nybro holds 3 of each: 6, published
// on its own. Nybro's other 2 are in a square of their own: Nybro (5) less
// the border square's 3 would tell them, so the border square is withheld;
// then Kalmar (3 + 5 in a square of 5) less its 5-square would tell the 3 it
// has on the border, so that square is withheld too. Then 3 more in Nybro
// make every rest 0: counting the border square whole (6) in each
// municipality would still withhold it.
func TestABorderSquareCountsForEachMunicipalityWhatItHoldsOfIt(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	cells := []cellRows{
		{570000, 6285000, "0880", 3}, {570000, 6285000, "0881", 3}, // the border square
		{583000, 6280250, "0880", 5}, {560000, 6290000, "0881", 2},
	}
	loadCells(t, st, cells, rand.New(rand.NewPCG(2, 2)))
	want := map[string]int64{"county:08": 13, "municipality:0880": 8, "municipality:0881": 5}
	sameAreas(t, "report", published(t, st, measure.Area{}), want)
	sameAreas(t, "tiles", tileSquares(t, st, cells), map[string]int64{})

	// 3 more in Nybro's own square: Nybro 8 = 3 on the border + 5, Kalmar
	// 8 = 3 + 5, the county 16 = 8 + 8: every rest is 0, all is shown.
	loadCells(t, st, []cellRows{{560000, 6290000, "0881", 3}}, rand.New(rand.NewPCG(3, 3)))
	squares := map[string]int64{cells[0].square(): 6, cells[2].square(): 5, cells[3].square(): 5}
	want = map[string]int64{"county:08": 16, "municipality:0880": 8, "municipality:0881": 8}
	for k, v := range squares {
		want[k] = v
	}
	sameAreas(t, "report after 3 more in Nybro", published(t, st, measure.Area{}), want)
	// A new store: the tiles' decision is kept for measure.TileEvery.
	sameAreas(t, "tiles after 3 more in Nybro", tileSquares(t, measure.NewStore(pool), cells), squares)
}

// Kalmar county: Kalmar 7, Nybro 6, Emmaboda 3, each in a square of its
// own. The county less Kalmar and Nybro would tell Emmaboda's 3, so Nybro
// (the smaller) is withheld; then the county less Kalmar and Nybro's square
// would tell them again, so Nybro's square is withheld too.
func TestAMunicipalityThatWouldTellTheCountysRestIsWithheld(t *testing.T) {
	t.Parallel()
	st := measure.NewStore(dbtest.New(t))
	cells := []cellRows{{583000, 6280250, "0880", 7}, {560000, 6290000, "0881", 6}, {540000, 6270000, "0862", 3}}
	loadCells(t, st, cells, rand.New(rand.NewPCG(4, 4)))
	want := map[string]int64{"county:08": 16, "municipality:0880": 7, cells[0].square(): 7}
	sameAreas(t, "report", published(t, st, measure.Area{}), want)
	county, _ := measure.ParseArea("county:08")
	sameAreas(t, "report within the county", published(t, st, county), want)
	sameAreas(t, "tiles", tileSquares(t, st, cells), map[string]int64{cells[0].square(): 7})
	all, _ := measure.ParsePeriod("all")
	nybro, _ := measure.ParseArea("municipality:0881")
	if sum, err := st.Summary(context.Background(), nybro, all); err != nil || sum.Published {
		t.Errorf("Nybro's summary: %+v, %v; want it not published", sum, err)
	}
}

// On random data (municipalities of three counties, squares shared by two
// municipalities, some across a county border), for every municipality and
// county: its count less what is published of its parts is 0 or at least
// 5, in the report and on the map, computed here from the rows stored.
func TestNoAreaLessItsPublishedPartsTellsFewerThanFive(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	rng := rand.New(rand.NewPCG(20, 4))
	munis := []string{"0880", "0881", "0862", "0840", "0834", "0860", "0861", "0180", "0181", "0182", "0183", "1280", "1281", "1282"}
	var cells []cellRows
	for range 160 {
		// Squares on a 12 × 12 grid, 3 km across: many hold two or three
		// municipalities' measurements.
		c := cellRows{e: 500000 + 250*rng.Int64N(12), n: 6500000 + 250*rng.Int64N(12), muni: munis[rng.IntN(len(munis))],
			rows: 1 + rng.IntN(4)}
		if rng.IntN(5) == 0 {
			c.rows += 5 + rng.IntN(6)
		}
		cells = append(cells, c)
	}
	loadCells(t, st, cells, rng)

	type cellKey struct {
		square, muni string
	}
	part := map[cellKey]int64{}
	squareCount, muniCount, countyCount := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, c := range cells {
		part[cellKey{c.square(), c.muni}] += int64(c.rows)
		squareCount[c.square()] += int64(c.rows)
		muniCount[c.muni] += int64(c.rows)
		countyCount[c.muni[:2]] += int64(c.rows)
	}
	rep := published(t, st, measure.Area{})
	ok := func(rest int64) bool { return rest == 0 || rest >= measure.MinPublished }
	var shownSquares, withheld int
	for sq, n := range squareCount {
		got, shown := rep[sq]
		if shown {
			shownSquares++
			if got != n || n < measure.MinPublished {
				t.Errorf("square %s: %d published, it holds %d", sq, got, n)
			}
		} else if n >= measure.MinPublished {
			withheld++
		}
	}
	for m, n := range muniCount {
		got, shown := rep["municipality:"+m]
		if !shown {
			if n >= measure.MinPublished {
				withheld++
			}
			continue
		}
		if got != n || n < measure.MinPublished {
			t.Errorf("municipality %s: %d published, it holds %d", m, got, n)
		}
		rest := n
		for k, p := range part {
			if _, sq := rep[k.square]; sq && k.muni == m {
				rest -= p
			}
		}
		if !ok(rest) {
			t.Errorf("municipality %s (%d) less its published squares leaves %d", m, n, rest)
		}
	}
	for c, n := range countyCount {
		got, shown := rep["county:"+c]
		if shown != (n >= measure.MinPublished) || shown && got != n {
			t.Errorf("county %s: %d published (%v), it holds %d", c, got, shown, n)
		}
		if !shown {
			continue
		}
		restMunis, restSquares := n, n
		for m, mn := range muniCount {
			if _, pub := rep["municipality:"+m]; pub && m[:2] == c {
				restMunis -= mn
			}
		}
		for k, p := range part {
			if _, sq := rep[k.square]; sq && k.muni[:2] == c {
				restSquares -= p
				if _, pub := rep["municipality:"+k.muni]; !pub {
					restMunis -= p
				}
			}
		}
		if !ok(restMunis) || !ok(restSquares) {
			t.Errorf("county %s (%d) less its published municipalities (and the squares of the others) leaves %d, less its published squares %d",
				c, n, restMunis, restSquares)
		}
	}
	if shownSquares < 5 || withheld < 2 {
		t.Errorf("%d squares shown, %d areas of at least 5 withheld: the data does not try the rule", shownSquares, withheld)
	}
	tiles := map[string]int64{}
	for k, v := range rep {
		if _, ok := squareCount[k]; ok {
			tiles[k] = v
		}
	}
	sameAreas(t, "tiles against the report", tileSquares(t, st, cells), tiles)
	// Asked within a county, the answer is the country's, cut to the county.
	for c := range countyCount {
		within, _ := measure.ParseArea("county:" + c)
		got := published(t, st, within)
		for k, v := range got {
			if rep[k] != v {
				t.Errorf("within county %s: %s = %d, the country's report says %d", c, k, v, rep[k])
			}
		}
	}
}

// wantPublished is the rule of measure.decideAreas written anew from its
// text: area ("square:250m-…", "municipality:0880", "county:08") → shown.
// parts: measurements per square and municipality.
func wantPublished(parts map[[2]string]int64) map[string]bool {
	count := map[string]int64{}
	for k, n := range parts {
		count["square:"+k[0]] += n
		count["municipality:"+k[1]] += n
		count["county:"+k[1][:2]] += n
	}
	shown := map[string]bool{}
	for a, n := range count {
		shown[a] = n >= measure.MinPublished
	}
	var keys [][2]string
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0] < keys[j][0] })
	bad := func(rest int64) bool { return rest > 0 && rest < measure.MinPublished }
	// withholdSmallest withholds the smallest shown of areas (by count, then
	// name without its kind) and says whether there was one.
	withholdSmallest := func(areas []string) bool {
		best := ""
		for _, a := range areas {
			if !shown[a] {
				continue
			}
			if best == "" || count[a] < count[best] || count[a] == count[best] && name(a) < name(best) {
				best = a
			}
		}
		shown[best] = false
		return best != ""
	}
	var munis, counties []string
	for a := range count {
		switch {
		case strings.HasPrefix(a, "municipality:"):
			munis = append(munis, a)
		case strings.HasPrefix(a, "county:"):
			counties = append(counties, a)
		}
	}
	sort.Strings(munis)
	sort.Strings(counties)
	for changed := true; changed; {
		changed = false
		for _, c := range counties {
			for shown[c] {
				rest, subtracted := count[c], []string{}
				for _, m := range munis {
					if m[len("municipality:"):][:2] == c[len("county:"):] && shown[m] {
						rest -= count[m]
						subtracted = append(subtracted, m)
					}
				}
				for _, k := range keys {
					if "county:"+k[1][:2] == c && !shown["municipality:"+k[1]] && shown["square:"+k[0]] {
						rest -= parts[k]
						subtracted = append(subtracted, "square:"+k[0])
					}
				}
				if !bad(rest) || !withholdSmallest(subtracted) {
					break
				}
				changed = true
			}
		}
		for _, m := range munis {
			for shown[m] {
				rest, squares := count[m], []string{}
				for _, k := range keys {
					if "municipality:"+k[1] == m && shown["square:"+k[0]] {
						rest -= parts[k]
						squares = append(squares, "square:"+k[0])
					}
				}
				if !bad(rest) || !withholdSmallest(squares) {
					break
				}
				changed = true
			}
		}
	}
	return shown
}

func name(area string) string { return area[strings.IndexByte(area, ':')+1:] }

// A square a resident brings to five is on the map at once: the tiles'
// decision, kept for the tile period, is made again after a measurement is
// stored (a tile asked for before it saw only four).
func TestTheTilesShowASquareOnceAResidentMakesItFive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := measure.NewStore(dbtest.New(t))
	cells := []cellRows{{583000, 6280250, "0880", 4}}
	loadCells(t, st, cells, rand.New(rand.NewPCG(2, 2)))
	sameAreas(t, "tiles with 4", tileSquares(t, st, cells), map[string]int64{})
	kalmar, _ := measure.MunicipalityByCode("0880")
	m := measure.Measurement{ID: "6f1c2a9e-4b7d-4c3e-9a51-2d8e7f0b1c3a", MeasuredAt: time.Now().UTC().Truncate(time.Hour),
		Square:       geo.Square{E: 583000, N: 6280250, Size: 250},
		Municipality: kalmar, DownMbps: 250, UpMbps: 50, Connection: "fiber", Source: "test"}
	if _, err := st.Submit(ctx, m, ""); err != nil {
		t.Fatal(err)
	}
	sameAreas(t, "tiles after the fifth", tileSquares(t, st, cells), map[string]int64{cells[0].square(): 5})
}
