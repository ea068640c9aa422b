package seeds_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/seeds"
)

// demoPoints: 600 households around Kalmar, a third each on fibre
// (1 Gbit/s), DSL (24 Mbit/s) and cable (500 Mbit/s).
func demoPoints() []seeds.MeasurementPoint {
	r := rand.New(rand.NewPCG(1, 2))
	var pts []seeds.MeasurementPoint
	techs := []struct {
		tech string
		mbps float64
	}{{"fiber", 1000}, {"dsl", 24}, {"cable", 500}}
	for i := range 600 {
		t := techs[i%3]
		pts = append(pts, seeds.MeasurementPoint{
			AddressID: fmt.Sprintf("P%d", i), MunicipalityCode: "0880",
			Pos:        geo.SWEREF{E: 580000 + r.Float64()*6000, N: 6278000 + r.Float64()*6000},
			Households: 1 + r.IntN(3), BestMbps: t.mbps, Technology: t.tech,
		})
	}
	return pts
}

func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

func TestDemoMeasurementsArePlausible(t *testing.T) {
	t.Parallel()
	pts := demoPoints()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	flawed := []geo.Square{geo.SquareOf(pts[0].Pos, 250), geo.SquareOf(pts[3].Pos, 250)} // squares of fibre points
	cfg := seeds.MeasurementsConfig{Seed: 7, Count: 3000, Now: now}
	ms := seeds.DemoMeasurements(pts, flawed, cfg)
	if again := seeds.DemoMeasurements(pts, flawed, cfg); !reflect.DeepEqual(ms, again) {
		t.Fatal("the same seed, points and time gave other measurements")
	}
	if len(ms) != 3000 {
		t.Fatalf("%d measurements, want 3000", len(ms))
	}
	squares := map[geo.Square]bool{}
	for _, p := range pts {
		squares[geo.SquareOf(p.Pos, 250)] = true
	}
	ids := map[string]bool{}
	ratio := map[string][]float64{}
	inFlawed := map[geo.Square][]float64{}
	named := 0
	for _, m := range ms {
		if ids[m.ID] {
			t.Fatalf("id %s twice", m.ID)
		}
		ids[m.ID] = true
		if m.Operator != "" {
			named++
			if measure.FoldOperator(m.Operator) != m.Operator {
				t.Fatalf("operator %q is no key of measure.Operators", m.Operator)
			}
		}
		if !squares[m.Square] || m.Municipality.Code != "0880" || m.Municipality.Name != "Kalmar" {
			t.Fatalf("placed in %v %+v, not at a point", m.Square, m.Municipality)
		}
		if m.MeasuredAt.After(now) || m.MeasuredAt.Before(now.AddDate(-2, 0, -2)) {
			t.Fatalf("measured at %v, outside the two years before %v", m.MeasuredAt, now)
		}
		if !(m.DownMbps > 0 && m.DownMbps <= measure.MaxMbps && m.UpMbps > 0 && m.UpMbps <= measure.MaxMbps) ||
			m.LatencyMs != nil && !(*m.LatencyMs > 0 && *m.LatencyMs <= measure.MaxLatencyMs) {
			t.Fatalf("a measurement the API would refuse: %+v", m)
		}
		if slices := flawedIndex(flawed, m.Square); slices >= 0 {
			inFlawed[m.Square] = append(inFlawed[m.Square], m.DownMbps)
			continue
		}
		if m.SubscribedDownMbps != nil {
			ratio[m.Connection] = append(ratio[m.Connection], m.DownMbps / *m.SubscribedDownMbps)
		}
	}
	if r := median(ratio["fiber"]); r < 0.75 || r > 1 {
		t.Errorf("fibre measures a median %.2f of its subscription, want near it", r)
	}
	if r := median(ratio["dsl"]); r > 0.7 {
		t.Errorf("DSL measures a median %.2f of what it pays for, want far below", r)
	}
	for _, sq := range flawed {
		v := inFlawed[sq]
		if len(v) < 6 || median(v) >= 100 {
			t.Errorf("flawed square %s: %d measurements, median %.1f; want at least 6 below 100 Mbit/s", sq.ID(), len(v), median(v))
		}
	}
	if named < 1500 || named > 2100 { // three in five name one
		t.Errorf("%d of 3000 name their operator, want about 1800", named)
	}
	if other := seeds.DemoMeasurements(pts, flawed, seeds.MeasurementsConfig{Seed: 8, Count: 3000, Now: now}); other[0].ID == ms[0].ID {
		t.Error("another seed gave the same ids")
	}
}

func flawedIndex(flawed []geo.Square, sq geo.Square) int {
	for i, f := range flawed {
		if f == sq {
			return i
		}
	}
	return -1
}

func TestLoadMeasurementsOnceAndFlagged(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	// 40 households in each of 3 squares: two offered gigabit, one DSL.
	var b strings.Builder
	b.WriteString("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;up_mbps\n")
	for i := range 120 {
		e, tech, mbps := 583010+(i/40)*250, "fiber", 1000
		if i >= 80 {
			tech, mbps = "dsl", 24
		}
		fmt.Fprintf(&b, "A%d;0880;%d;%d;1;0;%s;connected;%d;%d\n", i, e, 6280260+i%40, tech, mbps, mbps/10)
	}
	if _, err := coverage.NewStore(pool).Import(ctx, strings.NewReader(b.String()), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
		AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "demo.csv"}); err != nil {
		t.Fatal(err)
	}
	cfg := seeds.MeasurementsConfig{Seed: 1, Count: 500, Flawed: 1}
	n, err := seeds.LoadMeasurements(ctx, pool, cfg)
	if err != nil || n != 500 {
		t.Fatalf("first load: %d, %v; want 500", n, err)
	}
	if n, err := seeds.LoadMeasurements(ctx, pool, cfg); err != nil || n != 0 {
		t.Errorf("second load: %d, %v; want 0 (loaded already)", n, err)
	}
	all, _ := measure.ParsePeriod("all")
	rep, err := measure.NewStore(pool).Report(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FlaggedSquares != 1 || len(rep.Squares) != 3 {
		t.Errorf("%d squares published, %d flagged; want 3 and the 1 flawed", len(rep.Squares), rep.FlaggedSquares)
	}
}
