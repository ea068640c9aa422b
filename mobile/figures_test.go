package mobile_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/tabular"
)

var (
	asOf2023 = time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	asOf2024 = time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
	today    = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
)

func importCoverage(t *testing.T, cov *coverage.Store, path string, asOf time.Time) coverage.Snapshot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := cov.Import(context.Background(), f, coverage.ImportOptions{AsOf: asOf, Name: path, Audit: auth.Entry{Actor: "test"}})
	var ie *coverage.ImportError
	if errors.As(err, &ie) {
		t.Fatalf("import %s: %v\n%s", path, err, ie.Problems.Report())
	}
	if err != nil {
		t.Fatal(err)
	}
	return res.Snapshot
}

func importMobile(t *testing.T, s *mobile.Store, path string, asOf time.Time) (mobile.ImportResult, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return s.Import(context.Background(), f, mobile.ImportOptions{AsOf: asOf, Name: path, Audit: auth.Entry{Actor: "test"}})
}

func mustImportMobile(t *testing.T, s *mobile.Store, path string, asOf time.Time) mobile.ImportResult {
	t.Helper()
	res, err := importMobile(t, s, path, asOf)
	var ie *tabular.ImportError
	if errors.As(err, &ie) {
		t.Fatalf("import %s: %v\n%s", path, err, ie.Problems.Report())
	}
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func stores(pool *pgxpool.Pool) (*coverage.Store, *mobile.Store) {
	cov := coverage.NewStore(pool)
	return cov, mobile.NewStore(pool, cov)
}

// TestFiguresMatchAnIndependentComputation imports a hand-made coverage file
// and a hand-made mobile file of each size that hold every rule (class edges
// 9.99/10/29.99/30/99.99/100 outdoors and indoors, indoor empty, four
// operators, 5G at 0 and above, a square on the border of Kalmar and Nybro
// with points of both, a square without people, people in squares absent
// from the file, a municipality with points and no squares, municipalities
// with neither) and checks every figure and target of every area against
// independent_test.go.
func TestFiguresMatchAnIndependentComputation(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/mobile250.csv", "testdata/mobile100.csv"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			pool := dbtest.New(t)
			cov, s := stores(pool)
			importCoverage(t, cov, "testdata/coverage.csv", asOf2024)
			res := mustImportMobile(t, s, file, asOf2024)
			rep, err := s.Report(context.Background(), mobile.ReportQuery{Today: today})
			if err != nil {
				t.Fatal(err)
			}

			points := indepPoints(t, "testdata/coverage.csv")
			squares, ops, size := indepSquares(t, file)
			locateCentres(t, pool, squares, size)
			totals := countSquares(t, pool, "08", size)
			want := indepAreas(points, squares, ops, size, totals, "08")

			if rep.SquareSize != size || rep.CoverageAsOf == nil || rep.CoverageAsOf.String() != "2024-10-01" ||
				res.Snapshot.Squares != int64(len(squares)) || fmt.Sprint(rep.Operators) != fmt.Sprint(ops) {
				t.Errorf("report of %d m squares against coverage %v, %d squares, operators %v; want %d, 2024-10-01, %d, %v",
					rep.SquareSize, rep.CoverageAsOf, res.Snapshot.Squares, rep.Operators, size, len(squares), ops)
			}
			if len(rep.Areas) != 13 || rep.Areas[12].Kind != "county" || rep.Areas[12].Code != "08" {
				t.Fatalf("want Kalmar län's 12 municipalities and the county (no Sweden: the file is not national), got %d areas", len(rep.Areas))
			}
			for _, a := range rep.Areas {
				w := want[a.Code]
				if w == nil {
					w = &indepArea{all: newIndepCoverage(), byOp: map[string]*indepCoverage{}, redundancy: map[int]*indepCounts{}}
				}
				checkArea(t, a, w, ops)
			}
			// the rules the fixture is there for
			kalmar, torsas, vimmerby := rep.Areas[6], rep.Areas[1], rep.Areas[10]
			if kalmar.Code != "0880" || kalmar.Outdoor.GE100.Squares == 0 || kalmar.FiveG.Households == 0 ||
				torsas.HouseholdsTotal == 0 || torsas.Outdoor.GE10.Squares != 0 ||
				vimmerby.HouseholdsTotal != 0 || vimmerby.SquaresTotal == 0 || vimmerby.Targets[0].Share != nil {
				t.Errorf("the fixture no longer tests what it should: %+v / %+v / %+v", kalmar, torsas, vimmerby)
			}
		})
	}
}

func counts(c mobile.Counts) indepCounts {
	return indepCounts{c.Households, c.Workplaces, c.HolidayHomes, c.Squares}
}

func checkCoverage(t *testing.T, where string, got mobile.Coverage, want *indepCoverage) {
	t.Helper()
	for _, cl := range indepClasses {
		g := got.Outdoor.At(coverage.Class(cl))
		if counts(*g) != *want.outdoor[cl] {
			t.Errorf("%s outdoor ≥ %d: %+v, want %+v", where, cl, counts(*g), *want.outdoor[cl])
		}
		g = got.Indoor.At(coverage.Class(cl))
		if counts(*g) != *want.indoor[cl] {
			t.Errorf("%s indoor ≥ %d: %+v, want %+v", where, cl, counts(*g), *want.indoor[cl])
		}
	}
	if counts(got.FiveG) != want.fiveg {
		t.Errorf("%s 5G: %+v, want %+v", where, counts(got.FiveG), want.fiveg)
	}
}

func checkArea(t *testing.T, a mobile.Area, w *indepArea, ops []string) {
	t.Helper()
	where := a.Kind + " " + a.Code
	if got := (indepCounts{a.HouseholdsTotal, a.WorkplacesTotal, a.HolidayHomesTotal, a.SquaresTotal}); got != w.total {
		t.Errorf("%s totals %+v, want %+v", where, got, w.total)
	}
	checkCoverage(t, where, a.Coverage, w.all)
	if len(a.Operators) != len(ops) {
		t.Fatalf("%s: %d operators, want %d", where, len(a.Operators), len(ops))
	}
	for i, op := range ops {
		if a.Operators[i].Operator != op {
			t.Errorf("%s operator %d is %s, want %s", where, i, a.Operators[i].Operator, op)
		}
		checkCoverage(t, where+" "+op, a.Operators[i].Coverage, w.byOp[op])
	}
	keys := sortedKeys(w.redundancy)
	if len(a.OperatorsPerSquare) != len(keys) {
		t.Errorf("%s operators per square: %+v, want %d entries", where, a.OperatorsPerSquare, len(keys))
	} else {
		for i, k := range keys {
			r := a.OperatorsPerSquare[i]
			if r.Operators != k || counts(r.Counts) != *w.redundancy[k] {
				t.Errorf("%s covered by %d operators: %+v, want %d: %+v", where, r.Operators, counts(r.Counts), k, *w.redundancy[k])
			}
		}
	}

	// the targets, written out again (spec/mobile.md): 2023 over households,
	// workplaces and holiday homes at ≥ 10 outdoors; 5G over households
	one := big.NewRat(1, 1)
	o10 := w.all.outdoor[10]
	for _, tc := range []struct {
		id                     string
		covered, total         int64
		gaps                   [3]*int64 // households, workplaces, holiday homes
		gotGaps                [3]*int64
		wantTargetInTheResults bool
	}{
		{id: "se-2023-mobile", covered: o10.h + o10.w + o10.hh, total: w.total.h + w.total.w + w.total.hh,
			gaps: [3]*int64{ptr(indepGap(one, o10.h, w.total.h)), ptr(indepGap(one, o10.w, w.total.w)), ptr(indepGap(one, o10.hh, w.total.hh))}},
		{id: "eu-2030-5g", covered: w.all.fiveg.h, total: w.total.h,
			gaps: [3]*int64{ptr(indepGap(one, w.all.fiveg.h, w.total.h)), nil, nil}},
	} {
		var got *mobile.TargetResult
		for i := range a.Targets {
			if a.Targets[i].ID == tc.id {
				got = &a.Targets[i]
			}
		}
		if got == nil {
			t.Errorf("%s lacks target %s", where, tc.id)
			continue
		}
		wantMet := tc.total > 0 && tc.covered >= tc.total
		var wantShare *float64
		if tc.total > 0 {
			f, _ := big.NewRat(tc.covered, tc.total).Float64()
			wantShare = &f
		}
		if fmt.Sprint(deref(got.Share)) != fmt.Sprint(deref(wantShare)) || (got.Share == nil) != (wantShare == nil) || got.Met != wantMet {
			t.Errorf("%s %s: share %v met %v, want %v %v", where, tc.id, deref(got.Share), got.Met, deref(wantShare), wantMet)
		}
		for i, g := range [3]*int64{got.GapHouseholds, got.GapWorkplaces, got.GapHolidayHomes} {
			if (g == nil) != (tc.gaps[i] == nil) || g != nil && *g != *tc.gaps[i] {
				t.Errorf("%s %s gap %d: %v, want %v", where, tc.id, i, deref(g), deref(tc.gaps[i]))
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
