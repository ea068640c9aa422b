package coverage_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// nearestFixture writes a snapshot file of n random address points around
// Kalmar, 0880 west of an invented border at E 590 000 and 0881 east of it,
// about a third with fibre at 1 Gbit/s, the rest slower; in clusters (towns)
// and scattered, its rows shuffled. With gigabit false no point has 1 Gbit/s.
// Besides them:
//   - CROSS (0880) lies 30 m from B1, a gigabit point across the border in
//     0881, and kilometres from any gigabit point of 0880;
//   - FAR (0880) lies about 190 km from any other point: the nearest gigabit
//     point is far beyond any neighbourhood a search might be bounded to;
//   - PLAN (0880) has only a planned gigabit build: never anyone's nearest.
func nearestFixture(t *testing.T, n int, seed uint64, gigabit bool) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 21))
	var rows []string
	row := func(id, muni string, x, y float64, h, w int, offer string) {
		rows = append(rows, fmt.Sprintf("%s;%s;%.0f;%.0f;%d;%d;0;%s;Gatan;%s;39231;Kalmar;Op AB;", id, muni, x, y, h, w, offer,
			strings.TrimPrefix(id, "P")))
	}
	const slow, cable, fibre = "dsl;connected;24;2", "cable;connected;500;50", "fiber;connected;1000;1000"
	towns := [][2]float64{{575000, 6280000}, {586000, 6290000}, {596000, 6285000}}
	for i := range n {
		var x, y float64
		if i%3 == 0 { // scattered over 30 × 20 km
			x, y = 570000+rng.Float64()*30000, 6275000+rng.Float64()*20000
		} else {
			c := towns[rng.IntN(len(towns))]
			x, y = c[0]+rng.NormFloat64()*800, c[1]+rng.NormFloat64()*800
		}
		muni := "0880"
		if x >= 590000 {
			muni = "0881"
		}
		offer := slow
		switch r := rng.IntN(10); {
		case r < 3 && gigabit:
			offer = fibre
		case r < 5:
			offer = cable
		case r == 5:
			offer = "none;;0;0"
		}
		row(fmt.Sprintf("P%d", i), muni, x, y, rng.IntN(20), rng.IntN(3), offer)
	}
	// the border: nothing else within 3 km of CROSS
	keep := rows[:0]
	for _, r := range rows {
		f := strings.Split(r, ";")
		x, _ := strconv.ParseFloat(f[2], 64)
		y, _ := strconv.ParseFloat(f[3], 64)
		if math.Hypot(x-589990, y-6300000) > 3000 {
			keep = append(keep, r)
		}
	}
	rows = keep
	row("CROSS", "0880", 589990, 6300000, 5, 1, slow)
	b1 := slow
	if gigabit {
		b1 = fibre
	}
	row("B1", "0881", 590010, 6300022, 2, 0, b1) // 29.73 m from CROSS
	row("FAR", "0880", 470000, 6430000, 1, 0, "dsl;connected;8;1")
	row("PLAN", "0880", 589000, 6299000, 3, 0, "fiber;planned;1000;1000")
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	path := filepath.Join(t.TempDir(), fmt.Sprintf("nearest-%d.csv", seed))
	head := "address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year\n"
	if err := os.WriteFile(path, []byte(head+strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// noNearestTies fails when a point lacking 1 Gbit/s has two nearest gigabit
// points at the same distance: which of them a report names is not defined.
func noNearestTies(t *testing.T, points []*gapFixturePoint) {
	t.Helper()
	for _, p := range points {
		var ds []float64
		for _, q := range points {
			if q.has(1000, -1) {
				ds = append(ds, math.Hypot(q.x-p.x, q.y-p.y))
			}
		}
		slices.Sort(ds)
		if len(ds) > 1 && ds[0] == ds[1] {
			t.Fatalf("the fixture has a tie: %s has two nearest gigabit points at %g m", p.id, ds[0])
		}
	}
}

// TestGapNearestGigabitMatchesABruteForceSearch compares every address-level
// gap report row (the nearest gigabit point and its distance) with a
// brute-force search over every point of the file, on shuffled points in
// dense towns and scattered, with a nearest point across the municipality
// border, one 190 km away, and a snapshot without any gigabit point.
func TestGapNearestGigabitMatchesABruteForceSearch(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	asOf2023 := time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	withGigabit := nearestFixture(t, 1500, 1, true)
	without := nearestFixture(t, 300, 2, false)
	mustImport(t, s, withGigabit, asOf2024)
	mustImport(t, s, without, asOf2023)
	points := readGapFixture(t, withGigabit)
	noNearestTies(t, points)

	for _, tc := range []struct {
		name   string
		points []*gapFixturePoint
		asOf   time.Time
		muni   string
	}{
		{"2024 0880", points, asOf2024, "0880"},
		{"2024 0881", points, asOf2024, "0881"},
		{"2023 without gigabit 0880", readGapFixture(t, without), asOf2023, "0880"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := coverage.GapQuery{Municipality: tc.muni, AsOf: tc.asOf, Target: "se-2025-1g"}
			b, n := writeGaps(t, s, q, coverage.FormatCSV)
			recs := readSwedishCSV(t, b)
			want := expectedGapRows(tc.points, tc.muni, 1000)
			if n != int64(len(want)) || len(recs)-1 != len(want) {
				t.Fatalf("%d rows (%d counted), want %d", len(recs)-1, n, len(want))
			}
			for i, row := range want {
				if !slices.Equal(recs[i+1], row) {
					t.Errorf("row %d:\n got %q\nwant %q", i+1, recs[i+1], row)
				}
			}
			// The GeoJSON gives the distance to the decimetre.
			b, _ = writeGaps(t, s, q, coverage.FormatGeoJSON)
			var fc struct {
				Features []struct {
					ID         string `json:"id"`
					Properties struct {
						Metres *float64 `json:"nearest_gigabit_m"`
						Muni   *string  `json:"nearest_gigabit_municipality"`
					} `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(b, &fc); err != nil {
				t.Fatal(err)
			}
			byID := map[string]*gapFixturePoint{}
			for _, p := range tc.points {
				byID[p.id] = p
			}
			if len(fc.Features) != len(want) {
				t.Fatalf("%d features, want %d", len(fc.Features), len(want))
			}
			for _, f := range fc.Features {
				p := byID[f.ID]
				best := math.Inf(1)
				for _, q := range tc.points {
					if q.has(1000, -1) {
						best = min(best, math.Hypot(q.x-p.x, q.y-p.y))
					}
				}
				switch {
				case math.IsInf(best, 1):
					if f.Properties.Metres != nil || f.Properties.Muni != nil {
						t.Errorf("%s: nearest %v m in %v, want none (the snapshot has no gigabit point)", f.ID,
							*f.Properties.Metres, f.Properties.Muni)
					}
				case f.Properties.Metres == nil:
					t.Errorf("%s: no nearest gigabit point, want one %.3f m away", f.ID, best)
				case *f.Properties.Metres != math.Round(best*10)/10: // to the decimetre
					t.Errorf("%s: nearest gigabit point %.1f m away, want %.3f", f.ID, *f.Properties.Metres, best)
				}
			}
		})
	}
	// The special points say what they say: across the border, the
	// municipality only; far away, the distance however far.
	recs := readSwedishCSV(t, must(writeGaps(t, s, coverage.GapQuery{Municipality: "0880", AsOf: asOf2024, Target: "se-2025-1g"}, coverage.FormatCSV)))
	got := map[string][]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r
	}
	if r := got["CROSS"]; r == nil || r[13] != "i kommun 0881" || r[14] != "30" {
		t.Errorf("CROSS: %q, want its nearest gigabit point in 0881, 30 m away", r)
	}
	if r := got["FAR"]; r == nil || r[13] == "" || len(r[14]) < 6 {
		t.Errorf("FAR: %q, want a nearest gigabit point over 100 km away", r)
	}
}

func must(b []byte, _ int64) []byte { return b }
