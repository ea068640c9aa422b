package coverage_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

var (
	asOf2023 = time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	asOf2024 = time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
)

func importFile(t *testing.T, s *coverage.Store, path string, asOf time.Time) (coverage.ImportResult, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return s.Import(context.Background(), f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf, Name: path})
}

func importString(t *testing.T, s *coverage.Store, name, data string, asOf time.Time) (coverage.ImportResult, error) {
	t.Helper()
	return s.Import(context.Background(), strings.NewReader(data), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf, Name: name})
}

func mustImport(t *testing.T, s *coverage.Store, path string, asOf time.Time) coverage.ImportResult {
	t.Helper()
	res, err := importFile(t, s, path, asOf)
	var ie *coverage.ImportError
	if errors.As(err, &ie) {
		t.Fatalf("import %s: %v\n%s", path, err, ie.Problems.Report())
	}
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// TestFiguresMatchAnIndependentComputation imports the fixture that holds
// every rule of the format and compares every figure of the targets report
// with the computation in independent_test.go.
func TestFiguresMatchAnIndependentComputation(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	res := mustImport(t, s, "testdata/rules.csv", asOf2024)
	if res.Snapshot.Points != 14 || res.Snapshot.Rows != 21 {
		t.Errorf("snapshot has %d points and %d rows, want 14 and 21", res.Snapshot.Points, res.Snapshot.Rows)
	}
	rep, err := s.TargetsReport(context.Background(), coverage.ReportQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := indepFigures(t, "testdata/rules.csv")

	if len(rep.Areas) != 13 {
		t.Errorf("report has %d areas, want Kalmar län's 12 municipalities and the county", len(rep.Areas))
	}
	for _, a := range rep.Areas {
		parts := want[a.Code]
		all := parts["all"]
		if all == nil {
			all = &indepArea{}
		}
		if a.HouseholdsTotal != all.households || a.WorkplacesTotal != all.workplaces {
			t.Errorf("%s: totals %d/%d, want %d/%d", a.Code, a.HouseholdsTotal, a.WorkplacesTotal, all.households, all.workplaces)
		}
		for _, c := range []struct {
			class int64
			got   [2]int64
		}{{1000, [2]int64{a.Households.GE1000, a.Workplaces.GE1000}}, {100, [2]int64{a.Households.GE100, a.Workplaces.GE100}}, {30, [2]int64{a.Households.GE30, a.Workplaces.GE30}}} {
			h, w := all.covered(c.class, -1)
			if c.got != [2]int64{h, w} {
				t.Errorf("%s: ≥ %d Mbit/s households/workplaces %v, want %d/%d", a.Code, c.class, c.got, h, w)
			}
		}
		if len(a.Targets) != len(indepTargets) {
			t.Errorf("%s: %d targets, want %d (the regional one applies in Kalmar län)", a.Code, len(a.Targets), len(indepTargets))
			continue
		}
		for i, it := range indepTargets {
			got := a.Targets[i]
			checkTarget(t, a.Code, "all", it, got, all)
			// forecast with planned builds due by the target's year
			h, w := all.covered(it.class, it.year)
			wantFc := indepShare(it.population(h, w, all.households, all.workplaces))
			if (wantFc == nil) != (got.Forecast.Share == nil) || wantFc != nil && math.Abs(*got.Forecast.Share-ratFloat(wantFc)) > 1e-12 {
				t.Errorf("%s %s: forecast %s, want %v", a.Code, it.id, fmtShare(got.Forecast.Share), wantFc)
			}
			for _, part := range []struct {
				name string
				rep  *coverage.PartReport
			}{{"urban", a.Urban}, {"rural", a.Rural}} {
				area := parts[part.name]
				if area == nil {
					area = &indepArea{}
				}
				if part.rep == nil {
					t.Errorf("%s: no %s figures", a.Code, part.name)
					continue
				}
				checkTarget(t, a.Code, part.name, it, part.rep.Targets[i], area)
			}
		}
	}
}

func checkTarget(t *testing.T, code, part string, it indepTarget, got coverage.TargetResult, a *indepArea) {
	t.Helper()
	h, w := a.covered(it.class, -1)
	share := indepShare(it.population(h, w, a.households, a.workplaces))
	met := share != nil && share.Cmp(it.threshold) >= 0
	gapW := indepGap(it.threshold, w, a.workplaces)
	if it.householdsOnly {
		gapW = 0 // workplaces are not in the target's population
	}
	if got.ID != it.id || got.Met != met ||
		got.GapHouseholds != indepGap(it.threshold, h, a.households) || got.GapWorkplaces != gapW {
		t.Errorf("%s %s %s: met %v gaps %d/%d, want met %v gaps %d/%d", code, part, it.id, got.Met,
			got.GapHouseholds, got.GapWorkplaces, met, indepGap(it.threshold, h, a.households), gapW)
	}
	if (share == nil) != (got.Share == nil) || share != nil && math.Abs(*got.Share-ratFloat(share)) > 1e-12 {
		t.Errorf("%s %s %s: share %s, want %v", code, part, it.id, fmtShare(got.Share), share)
	}
}

// TestFiguresByHand pins a few figures computed by hand from
// testdata/rules.csv, so that a mistake shared by the code and the
// independent computation still shows.
func TestFiguresByHand(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	mustImport(t, s, "testdata/rules.csv", asOf2024)
	rep, err := s.TargetsReport(context.Background(), coverage.ReportQuery{})
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]coverage.AreaReport{}
	for _, a := range rep.Areas {
		areas[a.Code] = a
	}
	target := func(code, id string) coverage.TargetResult {
		for _, r := range areas[code].Targets {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("%s has no target %s", code, id)
		return coverage.TargetResult{}
	}

	// Kalmar: 160 households and 13 workplaces. ≥ 1 Gbit/s: K1 (fibre) and
	// K3 (passed fibre): 121 households, 4 workplaces. K2's 999.9 Mbit/s cable
	// is not a gigabit, its 1000 Mbit/s mobile row does not count.
	k := areas["0880"]
	if k.HouseholdsTotal != 160 || k.WorkplacesTotal != 13 || k.Households.GE1000 != 121 || k.Workplaces.GE1000 != 4 {
		t.Errorf("Kalmar: %d/%d households/workplaces, %d/%d with a gigabit; want 160/13, 121/4",
			k.HouseholdsTotal, k.WorkplacesTotal, k.Households.GE1000, k.Workplaces.GE1000)
	}
	// ≥ 100: K1, K2, K3, K7 (other, 100): 151 households, 11 workplaces; K4's
	// 99.99 is not. ≥ 30: + K4, K5 (30 exactly): 156 and 12; K6's 29.999 is not.
	if k.Households.GE100 != 151 || k.Workplaces.GE100 != 11 || k.Households.GE30 != 156 || k.Workplaces.GE30 != 12 {
		t.Errorf("Kalmar ≥ 100: %d/%d, ≥ 30: %d/%d; want 151/11 and 156/12", k.Households.GE100, k.Workplaces.GE100, k.Households.GE30, k.Workplaces.GE30)
	}
	// Including mobile and satellite: K2's mobile gigabit and K5's satellite 100.
	if k.IncludingMobile.Households.GE1000 != 151 || k.IncludingMobile.Households.GE100 != 154 {
		t.Errorf("Kalmar including mobile: ≥ 1000 %d, ≥ 100 %d; want 151 and 154", k.IncludingMobile.Households.GE1000, k.IncludingMobile.Households.GE100)
	}
	g := target("0880", "se-2025-1g")
	// gap: ceil(0.98 × 160) − 121 = 157 − 121 = 36; ceil(0.98 × 13) − 4 = 13 − 4 = 9
	if g.GapHouseholds != 36 || g.GapWorkplaces != 9 || g.Met || math.Abs(*g.Share-125.0/173) > 1e-12 {
		t.Errorf("Kalmar se-2025-1g = %+v; want share 125/173, gaps 36 and 9, not met", g)
	}
	// forecast 2025: + K4 (planned 2025) and K6 (planned, no year): 124 + 6; K10 is due in 2026
	if math.Abs(*g.Forecast.Share-130.0/173) > 1e-12 {
		t.Errorf("Kalmar se-2025-1g forecast %v, want 130/173", *g.Forecast.Share)
	}
	// forecast 2020 for ≥ 100: only K6 (no year): 152 + 12
	if f := target("0880", "se-2020-100").Forecast; math.Abs(*f.Share-164.0/173) > 1e-12 {
		t.Errorf("Kalmar se-2020-100 forecast %v, want 164/173", *f.Share)
	}
	// Urban: K1–K4 share a 1 km square with 153 households.
	if k.Urban.HouseholdsTotal != 153 || k.Rural.HouseholdsTotal != 7 {
		t.Errorf("Kalmar urban/rural households %d/%d, want 153/7", k.Urban.HouseholdsTotal, k.Rural.HouseholdsTotal)
	}

	// Nybro: 18 of 20 households with ≥ 100 Mbit/s (100 exactly, passed
	// cable), the gap to 95 % is ceil(0.95 × 20) − 18 = 1 (spec/targets.md).
	n := target("0881", "se-2020-100")
	if n.GapHouseholds != 1 || n.Met || math.Abs(*n.Share-0.9) > 1e-12 {
		t.Errorf("Nybro se-2020-100 = %+v; want share 0.9, gap 1, not met", n)
	}
	if n := target("0881", "se-2025-100"); n.GapHouseholds != 2 { // ceil(0.999 × 20) = 20
		t.Errorf("Nybro se-2025-100 gap %d, want 2", n.GapHouseholds)
	}
	if n := target("0881", "se-2025-30"); !n.Met || n.GapHouseholds != 0 {
		t.Errorf("Nybro se-2025-30 = %+v, want met: every household has ≥ 30", n)
	}

	// Borgholm has a point with holiday homes only; Högsby none at all.
	for _, code := range []string{"0885", "0821"} {
		a := areas[code]
		for _, r := range a.Targets {
			if r.Share != nil || r.Met || r.GapHouseholds != 0 {
				t.Errorf("%s %s = %+v; want share null, not met, no gap", code, r.ID, r)
			}
		}
	}
	if areas["0885"].HolidayHomes != 1 || areas["0885"].Points != 1 {
		t.Errorf("Borgholm: %d points, %d holiday homes; want 1 and 1", areas["0885"].Points, areas["0885"].HolidayHomes)
	}
	if len(areas["08"].Targets) != 6 {
		t.Errorf("Kalmar län has %d targets, want 6 with the regional one", len(areas["08"].Targets))
	}
}

func TestOutsideItsMunicipalityIsAWarning(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	res := mustImport(t, s, "testdata/rules.csv", asOf2024)
	// the unknown column kommentar, and A-0885-000417 on line 22, in Mönsterås
	if res.Problems.WarningCount != 2 || res.Snapshot.Outside != 1 || res.Snapshot.Warnings != 2 {
		t.Fatalf("warnings %d (snapshot %d), outside %d; want 2 and 1:\n%s", res.Problems.WarningCount,
			res.Snapshot.Warnings, res.Snapshot.Outside, res.Problems.WarningReport())
	}
	w := res.Problems.Warnings[1]
	if w.Line != 22 || !strings.Contains(w.Message, "A-0885-000417") || !strings.Contains(w.Message, "0861") {
		t.Errorf("warning = %q, want line 22 naming the point and Mönsterås (0861)", w.String())
	}
}

// dbState is a digest of everything an import writes.
func dbState(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT concat_ws(' / ',
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM snapshots x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM area_figures x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM area_gains x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM square_figures x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM address_points x),
		(SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'address_points%'),
		(SELECT count(*) FROM pg_class WHERE relname = 'address_points_loading'))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAnErrorOnTheLastLineChangesNothing(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	mustImport(t, s, "testdata/rules.csv", asOf2023)
	before := dbState(t, pool)
	good, _ := os.ReadFile("testdata/rules.csv")
	bad := string(good) + "Z9;0880;582100;6282100;1;0;0;fiber;connected;abc;;;;;;;;\n"
	for _, asOf := range []time.Time{asOf2023, asOf2024} {
		_, err := importString(t, s, "bad.csv", bad, asOf)
		var ie *coverage.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("import of a bad file as of %s: %v, want an ImportError", asOf.Format(time.DateOnly), err)
		}
		if ie.Problems.ErrorCount != 1 || ie.Problems.Errors[0].Line != 23 || ie.Problems.Errors[0].Column != "down_mbps" {
			t.Errorf("errors:\n%s want one on line 23, column down_mbps", ie.Problems.Report())
		}
		if after := dbState(t, pool); after != before {
			t.Errorf("the database changed after a failed import as of %s", asOf.Format(time.DateOnly))
		}
	}
}

func TestReimportReplacesOnlyItsDate(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	first := mustImport(t, s, "testdata/rules.csv", asOf2023)
	other := mustImport(t, s, "testdata/rules.csv", asOf2024)
	otherFigures := figuresOf(t, pool, other.Snapshot.ID)

	// the same date again, with Nybro's DSL point upgraded to fibre
	good, _ := os.ReadFile("testdata/rules.csv")
	changed := strings.Replace(string(good), "N3;0881;555900;6289900;2;0;0;dsl;connected;99;5", "N3;0881;555900;6289900;2;0;0;fiber;connected;1000;1000", 1)
	res, err := importString(t, s, "rules-v2.csv", changed, asOf2023)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Replaced || res.Snapshot.ID == first.Snapshot.ID {
		t.Errorf("re-import: replaced %v, id %d (was %d); want a new snapshot replacing the old", res.Replaced, res.Snapshot.ID, first.Snapshot.ID)
	}
	snaps, err := s.Snapshots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || snaps[0].ID != res.Snapshot.ID || snaps[0].Source != "rules-v2.csv" || snaps[1].ID != other.Snapshot.ID {
		t.Errorf("snapshots after re-import: %+v", snaps)
	}
	rep, err := s.TargetsReport(context.Background(), coverage.ReportQuery{AsOf: asOf2023, Municipality: "0881"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Areas[0].Households.GE100 != 20 {
		t.Errorf("Nybro ≥ 100 after re-import: %d households, want 20", rep.Areas[0].Households.GE100)
	}
	if got := figuresOf(t, pool, other.Snapshot.ID); got != otherFigures {
		t.Error("the 2024 snapshot changed when 2023 was re-imported")
	}
	var tables string
	pool.QueryRow(context.Background(), "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'address_points%'").Scan(&tables)
	if strings.Contains(tables, "_s"+itoa(first.Snapshot.ID)+",") || strings.HasSuffix(tables, "_s"+itoa(first.Snapshot.ID)) || strings.Contains(tables, "loading") {
		t.Errorf("partitions after re-import: %s; the replaced one must be gone", tables)
	}

	if _, err := s.DeleteSnapshot(context.Background(), asOf2023, auth.Entry{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SnapshotAt(context.Background(), asOf2023); !errors.Is(err, coverage.ErrNoSnapshot) {
		t.Errorf("after delete: %v, want ErrNoSnapshot", err)
	}
	if _, err := s.DeleteSnapshot(context.Background(), asOf2023, auth.Entry{Actor: "test"}); !errors.Is(err, coverage.ErrNoSnapshot) {
		t.Errorf("deleting twice: %v, want ErrNoSnapshot", err)
	}
}

func fmtShare(s *float64) string {
	if s == nil {
		return "null"
	}
	return big.NewFloat(*s).Text('g', 12)
}

func itoa(n int64) string { return big.NewInt(n).String() }

func figuresOf(t *testing.T, pool *pgxpool.Pool, id int64) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM (
		SELECT f::text AS x FROM area_figures f WHERE snapshot_id = $1
		UNION ALL SELECT p::text FROM address_points p WHERE snapshot_id = $1) u`, id).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRowsThatDisagreeNameBothLines covers the errors only the set of a
// point's rows shows.
func TestRowsThatDisagreeNameBothLines(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	h := "address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps\n"
	tests := []struct {
		name, rows string
		line       int
		column     string
		want       string
	}{
		{"duplicate technology", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0880;582100;6282100;3;1;0;fiber;passed;100\n", 3, "technology", "on line 2 already"},
		{"households disagree", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0880;582100;6282100;4;1;0;dsl;connected;24\n", 3, "households", "has 3 households on line 2"},
		{"workplaces disagree", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0880;582100;6282100;3;2;0;dsl;connected;24\n", 3, "workplaces", "has 1 workplaces on line 2"},
		{"holiday homes disagree", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0880;582100;6282100;3;1;2;dsl;connected;24\n", 3, "holiday_homes", "on line 2"},
		{"municipality disagrees", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0881;582100;6282100;3;1;0;dsl;connected;24\n", 3, "municipality_code", "in municipality 0880 on line 2"},
		{"position disagrees", "P1;0880;582100;6282100;3;1;0;fiber;connected;1000\nP1;0880;582900;6282100;3;1;0;dsl;connected;24\n", 3, "x", "lies 800 m away on line 2"},
		{"none beside fibre", "P1;0880;582100;6282100;3;1;0;none;;0\nP1;0880;582100;6282100;3;1;0;fiber;connected;1000\n", 3, "technology", "technology none (no fixed broadband) on line 2 and a fixed technology on line 3"},
	}
	for _, tt := range tests {
		_, err := importString(t, s, "in.csv", h+tt.rows, asOf2024)
		var ie *coverage.ImportError
		if !errors.As(err, &ie) {
			t.Errorf("%s: %v, want an ImportError", tt.name, err)
			continue
		}
		found := false
		for _, e := range ie.Problems.Errors {
			if e.Line == tt.line && e.Column == tt.column && strings.Contains(e.Message, tt.want) && strings.HasPrefix(e.String(), "in.csv:3: ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: errors\n%s want line %d, column %s, saying %q", tt.name, ie.Problems.Report(), tt.line, tt.column, tt.want)
		}
	}
	// No fixed broadband, but mobile and satellite: a consistent point.
	if _, err := importString(t, s, "ok.csv", h+"P1;0880;582100;6282100;3;1;0;none;;0\nP1;0880;582100;6282100;3;1;0;mobile;connected;50\nP1;0880;582100;6282100;3;1;0;satellite;connected;100\n", asOf2023); err != nil {
		t.Errorf("none beside mobile and satellite: %v, want it imported", err)
	}
	if snaps, _ := s.Snapshots(context.Background()); len(snaps) != 1 {
		t.Errorf("%d snapshots, want only the good file's", len(snaps))
	}
}

func TestEveryErrorIsReportedInOneRun(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	h := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n"
	data := h +
		"P1;0880;582100;6282100;3;1;fibre;connected;1000\n" + // line 2: technology
		"P2;0880;582100;6282100;3;1;fiber;connected;1000\n" +
		"P2;0880;582100;6282100;3;1;fiber;connected;100\n" + // line 4: duplicate
		"P3;9999;582100;6282100;3;1;fiber;connected;1000\n" // line 5: municipality
	_, err := importString(t, s, "in.csv", data, asOf2024)
	var ie *coverage.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("%v, want an ImportError", err)
	}
	lines := map[int]bool{}
	for _, e := range ie.Problems.Errors {
		lines[e.Line] = true
	}
	if ie.Problems.ErrorCount != 3 || !lines[2] || !lines[4] || !lines[5] {
		t.Errorf("errors:\n%s want lines 2, 4 and 5", ie.Problems.Report())
	}
}

func TestLonLatImportGivesTheSameFigures(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	mustImport(t, s, "testdata/rules.csv", asOf2023)
	// the same file with positions in WGS 84, as PostGIS transforms them
	rows, err := pool.Query(context.Background(), `SELECT address_id, ST_X(g), ST_Y(g) FROM
		(SELECT address_id, ST_Transform(geom, 4326) AS g FROM address_points) s`)
	if err != nil {
		t.Fatal(err)
	}
	ll := map[string][2]float64{}
	for rows.Next() {
		var id string
		var lon, lat float64
		rows.Scan(&id, &lon, &lat)
		ll[id] = [2]float64{lon, lat}
	}
	good, _ := os.ReadFile("testdata/rules.csv")
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	var b strings.Builder
	b.WriteString(strings.Replace(lines[0], ";x;y;", ";lon;lat;", 1) + "\n")
	for _, l := range lines[1:] {
		f := strings.Split(l, ";")
		p := ll[f[0]]
		f[2], f[3] = big.NewFloat(p[0]).Text('f', 9), big.NewFloat(p[1]).Text('f', 9)
		f[2], f[3] = strings.Replace(f[2], ".", ",", 1), strings.Replace(f[3], ".", ",", 1)
		b.WriteString(strings.Join(f, ";") + "\n")
	}
	if _, err := importString(t, s, "wgs84.csv", b.String(), asOf2024); err != nil {
		t.Fatal(err)
	}
	var differ int
	err = pool.QueryRow(context.Background(), `SELECT count(*) FROM address_points a JOIN address_points b USING (address_id)
		WHERE a.snapshot_id < b.snapshot_id AND (ST_Distance(a.geom, b.geom) > 0.01 OR a.inside_municipality <> b.inside_municipality OR a.best_fixed_mbps <> b.best_fixed_mbps)`).Scan(&differ)
	if err != nil || differ != 0 {
		t.Errorf("%d points differ between the x/y and the lon/lat import (err %v)", differ, err)
	}
}

// TestScatteredRowsGiveTheSameFigures imports the fixture with its lines
// shuffled, so that most points arrive in pieces, and expects every figure
// and every point to equal those of the file in order.
func TestScatteredRowsGiveTheSameFigures(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := coverage.NewStore(pool)
	mustImport(t, s, "testdata/rules.csv", asOf2023)
	good, _ := os.ReadFile("testdata/rules.csv")
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	body := lines[1:]
	// a fixed shuffle that separates the rows of K1, K2, K4, K5, K6 and K10
	order := []int{0, 5, 10, 2, 7, 15, 1, 8, 3, 11, 16, 4, 9, 12, 6, 13, 14, 17, 18, 19, 20}
	shuffled := []string{lines[0]}
	for _, i := range order {
		shuffled = append(shuffled, body[i])
	}
	res, err := importString(t, s, "shuffled.csv", strings.Join(shuffled, "\n")+"\n", asOf2024)
	if err != nil {
		var ie *coverage.ImportError
		if errors.As(err, &ie) {
			t.Fatalf("%v\n%s", err, ie.Problems.Report())
		}
		t.Fatal(err)
	}
	if res.Snapshot.Points != 14 {
		t.Errorf("%d points, want 14", res.Snapshot.Points)
	}
	var differ int
	err = pool.QueryRow(context.Background(), `
		WITH a AS (SELECT * FROM address_points WHERE snapshot_id = (SELECT id FROM snapshots WHERE as_of = '2023-10-01')),
		     b AS (SELECT * FROM address_points WHERE snapshot_id = (SELECT id FROM snapshots WHERE as_of = '2024-10-01'))
		SELECT count(*) FROM a FULL JOIN b USING (address_id)
		WHERE a.address_id IS NULL OR b.address_id IS NULL
		   OR (a.best_fixed_mbps, a.best_fixed_technology, a.best_fixed_operator, a.best_any_mbps, a.planned_mbps, a.planned_year,
		       a.households, a.workplaces, a.holiday_homes, a.street, a.postcode)
		      IS DISTINCT FROM
		      (b.best_fixed_mbps, b.best_fixed_technology, b.best_fixed_operator, b.best_any_mbps, b.planned_mbps, b.planned_year,
		       b.households, b.workplaces, b.holiday_homes, b.street, b.postcode)
		   OR cardinality(a.offers) <> cardinality(b.offers)`).Scan(&differ)
	if err != nil || differ != 0 {
		t.Errorf("%d points differ between the file in order and shuffled (err %v)", differ, err)
	}
	var figures int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM (
		SELECT kind, code, part, points, households, workplaces, households_ge_1000, households_ge_100, households_ge_30,
		       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, households_any_ge_100 FROM area_figures f
		JOIN snapshots s ON s.id = f.snapshot_id WHERE s.as_of = '2023-10-01'
		EXCEPT
		SELECT kind, code, part, points, households, workplaces, households_ge_1000, households_ge_100, households_ge_30,
		       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, households_any_ge_100 FROM area_figures f
		JOIN snapshots s ON s.id = f.snapshot_id WHERE s.as_of = '2024-10-01') d`).Scan(&figures)
	if figures != 0 {
		t.Errorf("%d area figures differ between the file in order and shuffled", figures)
	}

	// Scattered rows that disagree are errors naming both lines.
	bad := strings.Replace(strings.Join(shuffled, "\n"), "K2;0880;582300;6282400;30;2;0;mobile", "K2;0880;582300;6282400;31;2;0;mobile", 1)
	_, err = importString(t, s, "shuffled-bad.csv", bad+"\n", asOf2024)
	var ie *coverage.ImportError
	if !errors.As(err, &ie) || !strings.Contains(ie.Problems.Report(), "address point K2 has 30 households on line") {
		t.Errorf("scattered rows of K2 with 30 and 31 households: %v", err)
		if ie != nil {
			t.Log(ie.Problems.Report())
		}
	}
}
