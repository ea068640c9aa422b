package measure_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// percentile interpolates as PostgreSQL's percentile_cont does, written
// here from its definition: the value at position f·(n−1) of the sorted
// values, linear between neighbours.
func percentile(values []float64, f float64) float64 {
	x := append([]float64(nil), values...)
	sort.Float64s(x)
	pos := f * float64(len(x)-1)
	lo, hi := int(math.Floor(pos)), int(math.Ceil(pos))
	return x[lo] + (pos-float64(lo))*(x[hi]-x[lo])
}

type sample struct {
	square   geo.Square
	muni     string
	at       time.Time
	down, up float64
	latency  *float64
}

// figuresFixture: measurements in four squares of the coverage fixture.
// Storgatan (gigabit offered) measures slowly and is flagged; Lillgatan
// (gigabit for 2 of 3 households) measures fast; Byvägen (DSL) measures
// slowly but is offered nothing better; Nybro's square has only 4
// measurements, and another 1 (Nybro's 5 are published, its squares not).
// The times straddle the turn of October 2026 in Swedish time.
func figuresFixture(rng *rand.Rand) []sample {
	sq := func(e, n int64) geo.Square { return geo.Square{E: e, N: n, Size: 250} }
	storgatan, lillgatan, byvagen, nybro := sq(583000, 6280250), sq(583250, 6280250), sq(579750, 6277000), sq(560000, 6290000)
	times := []time.Time{
		time.Date(2026, 10, 31, 22, 59, 0, 0, time.UTC), // 23:59 in Sweden: October
		time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), // 00:30 on 1 November in Sweden
		time.Date(2026, 9, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 10, 0, 0, time.UTC), // 2026 in Sweden
	}
	var out []sample
	add := func(s geo.Square, muni string, n int, lo, hi float64, latencies int) {
		for i := range n {
			sm := sample{square: s, muni: muni, at: times[rng.IntN(len(times))],
				down: lo + rng.Float64()*(hi-lo), up: 1 + rng.Float64()*50}
			if i < latencies {
				sm.latency = ptr(2 + rng.Float64()*40)
			}
			out = append(out, sm)
		}
	}
	add(storgatan, "0880", 9, 20, 95, 9)
	add(lillgatan, "0880", 7, 150, 950, 4)
	add(byvagen, "0880", 6, 5, 22, 6)
	add(nybro, "0881", 4, 100, 1000, 4)
	add(sq(561000, 6291000), "0881", 1, 100, 1000, 1)
	return out
}

func TestFiguresAgainstAnIndependentComputation(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withCoverage(t, pool)
	st := measure.NewStore(pool)
	ctx := context.Background()
	samples := figuresFixture(rand.New(rand.NewPCG(4, 12)))
	var ms []measure.Measurement
	for _, s := range samples {
		muni, _ := measure.MunicipalityByCode(s.muni)
		ms = append(ms, measure.Measurement{MeasuredAt: s.at, Square: s.square, Municipality: muni,
			DownMbps: s.down, UpMbps: s.up, LatencyMs: s.latency, Connection: "fiber", Source: "test"})
	}
	if n, err := st.Load(ctx, ms); err != nil || n != int64(len(ms)) {
		t.Fatalf("Load: %d, %v", n, err)
	}

	inPeriod := func(p string, at time.Time) bool {
		local := at.Truncate(time.Hour).In(measure.Stockholm)
		switch len(p) {
		case 3:
			return true
		case 4:
			return local.Format("2006") == p
		}
		return local.Format("2006-01") == p
	}
	areas := []struct {
		area string
		in   func(s sample) bool
	}{
		{"square:250m-E583000-N6280250", func(s sample) bool { return s.square.E == 583000 && s.square.N == 6280250 }},
		{"square:250m-E583250-N6280250", func(s sample) bool { return s.square.E == 583250 }},
		{"square:250m-E579750-N6277000", func(s sample) bool { return s.square.E == 579750 }},
		{"square:250m-E560000-N6290000", func(s sample) bool { return s.square.E == 560000 }},
		{"square:250m-E561000-N6291000", func(s sample) bool { return s.square.E == 561000 }},
		{"municipality:0880", func(s sample) bool { return s.muni == "0880" }},
		{"municipality:0881", func(s sample) bool { return s.muni == "0881" }},
		{"county:08", func(s sample) bool { return true }},
	}
	withheld := 0
	for _, period := range []string{"all", "2026", "2026-10", "2026-11", "2026-09", "2025"} {
		parts := map[[2]string]int64{}
		for _, s := range samples {
			if inPeriod(period, s.at) {
				parts[[2]string{s.square.ID(), s.muni}]++
			}
		}
		shown := wantPublished(parts)
		for _, a := range areas {
			var down, up, lat []float64
			var ge100, ge1000 int
			for _, s := range samples {
				if !a.in(s) || !inPeriod(period, s.at) {
					continue
				}
				down, up = append(down, s.down), append(up, s.up)
				if s.latency != nil {
					lat = append(lat, *s.latency)
				}
				if s.down >= 100 {
					ge100++
				}
				if s.down >= 1000 {
					ge1000++
				}
			}
			area, err := measure.ParseArea(a.area)
			if err != nil {
				t.Fatal(err)
			}
			p, err := measure.ParsePeriod(period)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := st.Summary(ctx, area, p)
			if err != nil {
				t.Fatal(err)
			}
			name := a.area + " " + period
			if len(down) >= measure.MinPublished && !shown[a.area] {
				withheld++
			}
			if len(down) < measure.MinPublished || !shown[a.area] { // too few, or would tell a rest of 1–4
				if sum.Published || sum.Figures != nil {
					t.Errorf("%s: %d measurements published: %+v", name, len(down), sum.Figures)
				}
				continue
			}
			if !sum.Published || sum.Figures == nil {
				t.Errorf("%s: %d measurements not published", name, len(down))
				continue
			}
			f := sum.Figures
			close := func(what string, got, want float64) {
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s: %s = %v, want %v", name, what, got, want)
				}
			}
			if f.Count != int64(len(down)) {
				t.Errorf("%s: count %d, want %d", name, f.Count, len(down))
			}
			close("down median", f.DownMbps.Median, percentile(down, 0.5))
			close("down p10", f.DownMbps.P10, percentile(down, 0.1))
			close("up median", f.UpMbps.Median, percentile(up, 0.5))
			close("up p10", f.UpMbps.P10, percentile(up, 0.1))
			close("share >= 100", f.ShareGE100, float64(ge100)/float64(len(down)))
			close("share >= 1000", f.ShareGE1000, float64(ge1000)/float64(len(down)))
			if len(lat) < measure.MinPublished {
				if f.LatencyMs != nil {
					t.Errorf("%s: latency published from %d values", name, len(lat))
				}
			} else if f.LatencyMs == nil {
				t.Errorf("%s: latency of %d values not published", name, len(lat))
			} else {
				close("latency median", f.LatencyMs.Median, percentile(lat, 0.5))
				close("latency p10", f.LatencyMs.P10, percentile(lat, 0.1))
			}
		}
	}
	if withheld == 0 {
		t.Error("no figure of at least 5 withheld: the fixture does not try the rule")
	}
}

func TestExperiencedVersusOffered(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withCoverage(t, pool)
	st := measure.NewStore(pool)
	ctx := context.Background()
	var ms []measure.Measurement
	for _, s := range figuresFixture(rand.New(rand.NewPCG(4, 12))) {
		muni, _ := measure.MunicipalityByCode(s.muni)
		ms = append(ms, measure.Measurement{MeasuredAt: s.at, Square: s.square, Municipality: muni,
			DownMbps: s.down, UpMbps: s.up, LatencyMs: s.latency, Connection: "fiber", Source: "test"})
	}
	if _, err := st.Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	all, _ := measure.ParsePeriod("all")
	rep, err := st.Report(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]measure.SquareFigures{}
	for _, sq := range rep.Squares {
		got[sq.Square] = sq
	}
	// Storgatan: 5 of 5 households offered 1 Gbit/s, measured 20–95 Mbit/s.
	if s := got["250m-E583000-N6280250"]; !s.Flagged || s.Offered == nil || !s.Offered.Gigabit ||
		s.Offered.Households != 5 || s.Offered.HouseholdsGE1000 != 5 || s.Figures.Count != 9 {
		t.Errorf("Storgatan: %+v %+v, want flagged with 9 measurements", s, s.Offered)
	}
	// Lillgatan: 4 of 6 offered 1 Gbit/s (gigabit by majority), measured fast.
	if s := got["250m-E583250-N6280250"]; s.Flagged || s.Offered == nil || !s.Offered.Gigabit {
		t.Errorf("Lillgatan: %+v, want offered gigabit and not flagged", s)
	}
	// Byvägen: DSL offered, measured slowly: nothing to raise with the owner.
	if s := got["250m-E579750-N6277000"]; s.Flagged || s.Offered == nil || s.Offered.Gigabit || s.Offered.BestFixedMbps != 24 {
		t.Errorf("Byvägen: %+v, want offered 24 Mbit/s and not flagged", s)
	}
	// Nybro's square has 4 measurements: absent, not zero.
	if s, ok := got["250m-E560000-N6290000"]; ok {
		t.Errorf("a square of 4 measurements is in the report: %+v", s)
	}
	if rep.FlaggedSquares != 1 {
		t.Errorf("flagged squares %d, want 1", rep.FlaggedSquares)
	}
	var areas []string
	for _, a := range rep.Areas {
		areas = append(areas, a.Kind+":"+a.Code)
	}
	if len(areas) != 3 || areas[0] != "county:08" || areas[1] != "municipality:0880" || areas[2] != "municipality:0881" {
		t.Errorf("areas %q, want county:08, municipality:0880 and municipality:0881", areas)
	}

	muni, _ := measure.ParseArea("municipality:0880")
	sum, err := st.Summary(ctx, muni, all)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.FlaggedSquares) != 1 || sum.FlaggedSquares[0].Square != "250m-E583000-N6280250" || sum.FlaggedSquares[0].Figures.Count != 9 {
		t.Errorf("Kalmar's flagged squares: %+v", sum.FlaggedSquares)
	}
	sq, _ := measure.ParseArea("square:250m-E583000-N6280250")
	sum, err = st.Summary(ctx, sq, all)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Flagged == nil || !*sum.Flagged || sum.Offered == nil || sum.Offered.AsOf != "2025-10-01" {
		t.Errorf("Storgatan's summary: flagged %v, offered %+v", sum.Flagged, sum.Offered)
	}
}

func TestReportFormats(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withCoverage(t, pool)
	st := measure.NewStore(pool)
	ctx := context.Background()
	samples := figuresFixture(rand.New(rand.NewPCG(4, 12)))
	var ms []measure.Measurement
	var storgatan []float64
	for _, s := range samples {
		muni, _ := measure.MunicipalityByCode(s.muni)
		ms = append(ms, measure.Measurement{MeasuredAt: s.at, Square: s.square, Municipality: muni,
			DownMbps: s.down, UpMbps: s.up, LatencyMs: s.latency, Connection: "fiber", Source: "test"})
		if s.square.E == 583000 {
			storgatan = append(storgatan, s.down)
		}
	}
	if _, err := st.Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	all, _ := measure.ParsePeriod("all")
	rep, err := st.Report(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	var csvOut, tableOut, jsonOut strings.Builder
	for format, w := range map[string]*strings.Builder{"csv": &csvOut, "table": &tableOut, "json": &jsonOut} {
		if err := measure.WriteReport(w, rep, format); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+3+3 || recs[0][0] != "Typ" {
		t.Fatalf("CSV: %d rows, want a header, the county, Kalmar, Nybro and 3 squares:\n%s", len(recs), csvOut.String())
	}
	median := strings.Replace(strconv.FormatFloat(percentile(storgatan, 0.5), 'f', 1, 64), ".", ",", 1)
	found := false
	for _, rec := range recs[1:] {
		if rec[0] == "ruta" && rec[1] == "250m-E583000-N6280250" {
			found = true
			if rec[3] != "9" || rec[4] != median || rec[13] != "ja" || rec[15] != "ja" {
				t.Errorf("Storgatan's CSV row %q, want 9 measurements, median %s, offered gigabit, flagged", rec, median)
			}
		}
	}
	if !found {
		t.Errorf("no row for Storgatan's square:\n%s", csvOut.String())
	}
	if !strings.Contains(tableOut.String(), "FLAGGED") || !strings.Contains(tableOut.String(), "municipality 0880") {
		t.Errorf("table:\n%s", tableOut.String())
	}
	var back measure.Report
	if err := json.Unmarshal([]byte(jsonOut.String()), &back); err != nil || len(back.Squares) != 3 || back.FlaggedSquares != 1 {
		t.Errorf("JSON: %v %+v", err, back)
	}
}

// The map's measurements layer shows exactly the report's squares, with
// its counts, medians and flags.
func TestTheTileLayerShowsTheReportsSquares(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withCoverage(t, pool)
	st := measure.NewStore(pool)
	ctx := context.Background()
	var ms []measure.Measurement
	for _, s := range figuresFixture(rand.New(rand.NewPCG(4, 12))) {
		muni, _ := measure.MunicipalityByCode(s.muni)
		ms = append(ms, measure.Measurement{MeasuredAt: s.at, Square: s.square, Municipality: muni,
			DownMbps: s.down, UpMbps: s.up, LatencyMs: s.latency, Connection: "fiber", Source: "test"})
	}
	if _, err := st.Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	all, _ := measure.ParsePeriod("all")
	rep, err := st.Report(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	var snapshot int64
	if err := pool.QueryRow(ctx, `SELECT id FROM snapshots`).Scan(&snapshot); err != nil {
		t.Fatal(err)
	}
	// Every zoom-11 tile over the fixture's squares (Kalmar and Nybro).
	var b orb.Bound
	for i, m := range ms {
		for j, c := range []geo.SWEREF{{E: float64(m.Square.E), N: float64(m.Square.N)}, {E: float64(m.Square.E + 250), N: float64(m.Square.N + 250)}} {
			if p := geo.ToWGS84(c); i == 0 && j == 0 {
				b = p.Bound()
			} else {
				b = b.Extend(p)
			}
		}
	}
	type feature struct {
		count   int64
		median  float64
		flagged bool
	}
	shown := map[string]feature{}
	for _, tile := range geo.TilesCovering(b, 11) {
		data, err := st.Tile(ctx, snapshot, tile)
		if err != nil {
			t.Fatal(err)
		}
		if data == nil {
			continue
		}
		layers, err := mvt.Unmarshal(data)
		if err != nil {
			t.Fatalf("tile %s: %v", geo.TilePath(tile), err)
		}
		for _, l := range layers {
			if l.Name != "measurements" {
				t.Errorf("layer %q in tile %s", l.Name, geo.TilePath(tile))
			}
			for _, f := range l.Features {
				sq := f.Properties.MustString("square")
				shown[sq] = feature{count: int64(f.Properties.MustFloat64("measurements")),
					median: f.Properties.MustFloat64("median_down"), flagged: f.Properties.MustBool("flagged")}
			}
		}
	}
	if len(shown) != len(rep.Squares) {
		t.Errorf("the tiles show %d squares, the report %d: %v", len(shown), len(rep.Squares), shown)
	}
	for _, sq := range rep.Squares {
		f, ok := shown[sq.Square]
		if !ok || f.count != sq.Figures.Count || math.Abs(f.median-sq.Figures.DownMbps.Median) > 1e-9 || f.flagged != sq.Flagged {
			t.Errorf("square %s: tile %+v (shown %v), report count %d median %v flagged %v",
				sq.Square, f, ok, sq.Figures.Count, sq.Figures.DownMbps.Median, sq.Flagged)
		}
	}
}
