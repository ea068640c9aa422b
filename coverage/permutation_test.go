package coverage_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// permutationFile writes a coverage file of n address points around three
// towns of Kalmar län, most of them with several technologies (one row
// each), sorted by address: the rows of a point together. It returns the
// path and the data rows, so that the test can write the same rows in other
// orders.
func permutationFile(t *testing.T, n int) (header string, rows []string) {
	t.Helper()
	r := rand.New(rand.NewPCG(16, 2026))
	towns := []struct {
		code string
		e, n float64
	}{{"0880", 583000, 6280000}, {"0881", 560000, 6290000}, {"0882", 590000, 6350000}}
	techs := []string{"fiber", "cable", "dsl", "fixed_wireless", "mobile", "satellite", "other"}
	speeds := []string{"1000", "999.9", "500", "250", "100", "99.99", "60", "30", "29.99", "24", "10", "9.99", "8", "2"}
	statuses := []string{"connected", "passed", "planned"}
	header = "address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;street;number;postcode;locality;operator;planned_year"
	for i := range n {
		town := towns[r.IntN(len(towns))]
		// clustered: a third of the points in the town's centre, where 1 km
		// squares hold 100 households or more (urban)
		spread := 8000.0
		if r.IntN(3) == 0 {
			spread = 900
		}
		x, y := town.e+r.NormFloat64()*spread, town.n+r.NormFloat64()*spread
		hh, wp, fh := r.IntN(13), r.IntN(4)/3, r.IntN(3)/2
		id := fmt.Sprintf("P-%s-%06d", town.code, i)
		street := fmt.Sprintf("Väg %d;%d;%05d;Ort %s", r.IntN(300), r.IntN(90)+1, 39000+r.IntN(900), town.code)
		line := func(tech, status, down, year string) {
			rows = append(rows, fmt.Sprintf("%s;%s;%.1f;%.1f;%d;%d;%d;%s;%s;%s;;%s;Nät %d;%s",
				id, town.code, x, y, hh, wp, fh, tech, status, down, street, r.IntN(4), year))
		}
		if r.IntN(20) == 0 {
			line("none", "", "0", "")
			if r.IntN(2) == 0 {
				line("mobile", "connected", speeds[r.IntN(len(speeds))], "")
			}
			continue
		}
		for _, k := range r.Perm(len(techs))[:1+r.IntN(4)] {
			status := statuses[r.IntN(len(statuses))]
			year := ""
			if status == "planned" && r.IntN(3) > 0 {
				year = fmt.Sprint(2024 + r.IntN(6))
			}
			line(techs[k], status, speeds[r.IntN(len(speeds))], year)
		}
	}
	return header, rows
}

func writeLines(t *testing.T, name, header string, rows []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEveryOrderOfRowsGivesTheSameFigures imports a 20 000-point file in
// the order a register exports it (by address), shuffled so that every
// point's rows are apart, and sorted by technology as network owners export,
// with the default error limit and with --max-errors 1, and checks each
// snapshot's figures against the independent computation of the sorted
// file, and the points and public squares against each other.
func TestEveryOrderOfRowsGivesTheSameFigures(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	header, rows := permutationFile(t, 20_000)
	sorted := writeLines(t, "sorted.csv", header, rows)
	want := indepFigures(t, sorted)

	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	byTech := slices.Clone(rows)
	techOf := func(row string) string { return strings.Split(row, ";")[7] }
	slices.SortStableFunc(byTech, func(a, b string) int { return strings.Compare(techOf(a), techOf(b)) })

	variants := []struct {
		name  string
		path  string
		asOf  time.Time
		limit int
	}{
		{"sorted by address", sorted, time.Date(2021, 10, 1, 0, 0, 0, 0, time.UTC), 0},
		{"shuffled", writeLines(t, "shuffled.csv", header, shuffled), time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC), 0},
		{"sorted by technology", writeLines(t, "by-technology.csv", header, byTech), time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC), 0},
		{"shuffled, --max-errors 1", writeLines(t, "shuffled-1.csv", header, shuffled), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), 1},
	}
	for _, v := range variants {
		f, err := os.Open(v.path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Import(context.Background(), f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
			AsOf: v.asOf, Name: filepath.Base(v.path), Limit: v.limit})
		f.Close()
		var ie *coverage.ImportError
		if errors.As(err, &ie) {
			t.Fatalf("%s: %v\n%s", v.name, err, ie.Problems.Report())
		}
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if res.Snapshot.Points != 20_000 || res.Snapshot.Rows != int64(len(rows)) {
			t.Errorf("%s: %d points and %d rows, want 20000 and %d", v.name, res.Snapshot.Points, res.Snapshot.Rows, len(rows))
		}
		rep, err := s.TargetsReport(context.Background(), coverage.ReportQuery{AsOf: v.asOf})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range rep.Areas {
			all := want[a.Code]["all"]
			if all == nil {
				all = &indepArea{}
			}
			if a.HouseholdsTotal != all.households || a.WorkplacesTotal != all.workplaces {
				t.Errorf("%s: %s totals %d/%d, want %d/%d", v.name, a.Code, a.HouseholdsTotal, a.WorkplacesTotal, all.households, all.workplaces)
			}
			for _, c := range []struct {
				class    int64
				got, any [2]int64
			}{
				{1000, [2]int64{a.Households.GE1000, a.Workplaces.GE1000}, [2]int64{a.IncludingMobile.Households.GE1000, a.IncludingMobile.Workplaces.GE1000}},
				{100, [2]int64{a.Households.GE100, a.Workplaces.GE100}, [2]int64{a.IncludingMobile.Households.GE100, a.IncludingMobile.Workplaces.GE100}},
				{30, [2]int64{a.Households.GE30, a.Workplaces.GE30}, [2]int64{a.IncludingMobile.Households.GE30, a.IncludingMobile.Workplaces.GE30}},
				{10, [2]int64{a.Households.GE10, a.Workplaces.GE10}, [2]int64{a.IncludingMobile.Households.GE10, a.IncludingMobile.Workplaces.GE10}},
			} {
				if h, w := all.covered(c.class, -1); c.got != [2]int64{h, w} {
					t.Errorf("%s: %s ≥ %d Mbit/s %v, want %d/%d", v.name, a.Code, c.class, c.got, h, w)
				}
				if h, w := all.coveredAny(c.class); c.any != [2]int64{h, w} {
					t.Errorf("%s: %s ≥ %d Mbit/s including mobile %v, want %d/%d", v.name, a.Code, c.class, c.any, h, w)
				}
			}
			for i, it := range indepTargets {
				if it.county == "" || it.county == a.Code[:2] {
					checkTarget(t, v.name+" "+a.Code, "all", it, a.Targets[i], all)
				}
				for _, part := range []struct {
					name string
					rep  *coverage.PartReport
				}{{"urban", a.Urban}, {"rural", a.Rural}} {
					area := want[a.Code][part.name]
					if area == nil {
						area = &indepArea{}
					}
					if part.rep != nil {
						checkTarget(t, v.name+" "+a.Code, part.name, it, part.rep.Targets[i], area)
					}
				}
			}
		}
	}

	// Every point and every public square is the same in all four.
	var differ, squares int
	err := pool.QueryRow(context.Background(), `
		WITH p AS (SELECT s.as_of, a.* FROM address_points a JOIN snapshots s ON s.id = a.snapshot_id)
		SELECT count(*) FROM p a JOIN p b ON a.address_id = b.address_id AND a.as_of = '2021-10-01' AND b.as_of > a.as_of
		WHERE (a.best_fixed_mbps, a.best_fixed_technology, a.best_fixed_operator, a.best_any_mbps, a.planned_mbps,
		       a.planned_year, a.households, a.workplaces, a.holiday_homes, a.street, a.number, a.postcode, a.locality,
		       a.geom, a.inside_municipality, cardinality(a.offers))
		      IS DISTINCT FROM
		      (b.best_fixed_mbps, b.best_fixed_technology, b.best_fixed_operator, b.best_any_mbps, b.planned_mbps,
		       b.planned_year, b.households, b.workplaces, b.holiday_homes, b.street, b.number, b.postcode, b.locality,
		       b.geom, b.inside_municipality, cardinality(b.offers))`).Scan(&differ)
	if err != nil || differ != 0 {
		t.Errorf("%d points differ between the orders (err %v)", differ, err)
	}
	err = pool.QueryRow(context.Background(), `
		WITH q AS (SELECT s.as_of, p.municipality_code, p.size, p.e, p.n, p.households, p.workplaces, p.households_ge_1000,
		                  p.households_ge_10, p.geom
		           FROM public_squares p JOIN snapshots s ON s.id = p.snapshot_id)
		SELECT count(*) FROM (
			SELECT municipality_code, size, e, n, households, workplaces, households_ge_1000, households_ge_10, ST_AsBinary(geom), count(*)
			FROM q GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING count(*) <> 4) d`).Scan(&squares)
	if err != nil || squares != 0 {
		t.Errorf("%d public squares are not the same in all four orders (err %v)", squares, err)
	}
}
