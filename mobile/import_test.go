package mobile_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/tabular"
)

func importString(t *testing.T, s *mobile.Store, name, data string) (mobile.ImportResult, error) {
	t.Helper()
	return s.Import(context.Background(), strings.NewReader(data), mobile.ImportOptions{AsOf: asOf2024, Name: name,
		Audit: auth.Entry{Actor: "test"}})
}

// problemsOf returns the listed errors of a refused import, one a line.
func problemsOf(t *testing.T, err error) string {
	t.Helper()
	var ie *tabular.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want a refused file, got %v", err)
	}
	return ie.Problems.Report()
}

// dbState digests everything an import writes.
func dbState(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT concat_ws(' / ',
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_snapshots x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_squares x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_area_squares x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_area_people x),
		(SELECT count(*) FROM audit_log WHERE action = 'import'),
		(SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'mobile_squares%' AND relkind IN ('r', 'p')))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const header = "e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor\n"

// TestEveryErrorIsLocated feeds a file with one of each error of the format
// and wants each as FILE:LINE: column NAME: value "…": what, all in one run,
// with the warnings, and nothing imported.
func TestEveryErrorIsLocated(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	_, s := stores(pool)
	before := dbState(t, pool)
	file := header +
		"582000;6282000;250;Telia;4g;100;30\n" + // 2: good
		"582010;6282000;250;Telia;4g;100;\n" + // 3: e not a multiple
		"582000;6282000;100;Telia;3g;100;\n" + // 4: a second size
		"100000;6282000;250;Telia;4g;100;\n" + // 5: outside Sweden
		"582000;8000000;250;Telia;4g;100;\n" + // 6: outside Sweden
		"582000;6282000;250;Telia;6g;100;\n" + // 7: technology
		"582000;6282000;250;;4g;100;\n" + // 8: no operator
		"582000;6282000;250;Telia;5g;-3;\n" + // 9: negative
		"582000;6282000;250;Telia;2g;snabb;\n" + // 10: not a number
		"582000;6282000;250;Telia;3g;10;20\n" + // 11: indoor > outdoor: a warning
		"582000;6282000;300;Telia;4g;10;\n" + // 12: size
		"58200a;6282000;250;Telia;4g;10;\n" // 13: not a whole number
	_, err := importString(t, s, "fel.csv", file)
	got := problemsOf(t, err)
	for _, want := range []string{
		`fel.csv:3: column e: value "582010": not a multiple of the size (250)`,
		`fel.csv:4: column size: value "100": two sizes in one file: line 2 has 250`,
		`fel.csv:5: column e: value "100000": easting outside Sweden's extent`,
		`fel.csv:6: column n: value "8000000": northing outside Sweden's extent`,
		`fel.csv:7: column technology: value "6g": unknown technology (want 2g, 3g, 4g or 5g)`,
		`fel.csv:8: column operator: value "": required`,
		`fel.csv:9: column down_mbps_outdoor: value "-3": must be ≥ 0`,
		`fel.csv:10: column down_mbps_outdoor: value "snabb": not a number`,
		`fel.csv:12: column size: value "300": must be 100 or 250`,
		`fel.csv:13: column e: value "58200a": must be a whole number`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	var ie *tabular.ImportError
	errors.As(err, &ie)
	if ie.Problems.ErrorCount != 10 || ie.Problems.WarningCount != 1 ||
		!strings.Contains(ie.Problems.WarningReport(), `fel.csv:11: column down_mbps_indoor: value "20": indoors faster than outdoors (10 Mbit/s)`) {
		t.Errorf("%d errors, %d warnings:\n%s", ie.Problems.ErrorCount, ie.Problems.WarningCount, ie.Problems.WarningReport())
	}
	if after := dbState(t, pool); after != before {
		t.Errorf("a refused file changed the database")
	}
	var refused int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'import-refused' AND detail LIKE 'mobile coverage fel.csv: 10 errors'`).Scan(&refused)
	if refused != 1 {
		t.Errorf("the refusal was audited %d times, want once", refused)
	}
}

// shuffled writes a file of squares × operators × technologies in a random
// order, with the rows of dups repeated at the end.
func shuffled(seed uint64, squares int, repeat []int) (string, []string) {
	r := rand.New(rand.NewPCG(seed, seed))
	var rows []string
	for i := range squares {
		for _, op := range []string{"Telia", "Tele2", "Tre"} {
			for _, tech := range []string{"4g", "5g"} {
				rows = append(rows, fmt.Sprintf("%d;%d;250;%s;%s;%d;", 560000+250*(i%200), 6280000+250*(i/200), op, tech, r.IntN(200)))
			}
		}
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var dups []string
	for _, i := range repeat {
		rows = append(rows, rows[i])
		dups = append(dups, rows[i])
	}
	return header + strings.Join(rows, "\n") + "\n", dups
}

// TestRepeatsAreFoundInAShuffledFile: a row that repeats a square, operator
// and technology is an error wherever it is in the file, naming both lines.
func TestRepeatsAreFoundInAShuffledFile(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	_, s := stores(pool)
	file, dups := shuffled(3, 2000, []int{5, 7000})
	_, err := importString(t, s, "dubbel.csv", file)
	got := problemsOf(t, err)
	lines := strings.Split(file, "\n")
	for _, d := range dups {
		var at []int
		for i, l := range lines {
			if l == d {
				at = append(at, i+1)
			}
		}
		want := fmt.Sprintf("dubbel.csv:%d: column technology: value %q: a second row for square", at[1], strings.Split(d, ";")[4])
		if len(at) != 2 || !strings.Contains(got, want) || !strings.Contains(got, fmt.Sprintf("see line %d (one row each)", at[0])) {
			t.Errorf("the repeat of lines %v is not reported as %q:\n%s", at, want, got)
		}
	}
}

// TestFileConventions: the same figures from the file as ",", as ";" with
// decimal commas, with a BOM, gzipped, in Windows-1252 with --encoding, and
// a damaged gzip refused.
func TestFileConventions(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	_, s := stores(pool)
	semicolon := header + "582000;6282000;250;Telia;4g;99,99;9,5\n582000;6282000;250;Télé Öst;5g;100;\n"
	comma := strings.NewReplacer(";", ",", "99,99", "99.99", "9,5", "9.5").Replace(semicolon)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\xef\xbb\xbf" + semicolon))
	zw.Close()
	latin1 := strings.ReplaceAll(strings.ReplaceAll(semicolon, "é", "\xe9"), "Ö", "\xd6")

	var digests []string
	for _, c := range []struct{ name, data, encoding string }{
		{"semikolon.csv", semicolon, ""}, {"komma.csv", comma, ""}, {"bom.csv.gz", gz.String(), ""},
		{"latin1.csv", latin1, "windows-1252"},
	} {
		res, err := s.Import(context.Background(), strings.NewReader(c.data), mobile.ImportOptions{AsOf: asOf2024, Name: c.name,
			Encoding: c.encoding, Audit: auth.Entry{Actor: "test"}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if fmt.Sprint(res.Snapshot.Operators) != "[Telia Télé Öst]" {
			t.Errorf("%s: operators %q", c.name, res.Snapshot.Operators)
		}
		var d string
		pool.QueryRow(context.Background(), `SELECT string_agg(concat_ws(',', e, n, outdoor, indoor, fiveg, operators, best_outdoor_mbps, ops), ';')
			FROM mobile_squares`).Scan(&d)
		digests = append(digests, d)
	}
	for _, d := range digests[1:] {
		if d != digests[0] {
			t.Errorf("the conventions give other squares: %q, want %q", d, digests[0])
		}
	}
	// Telia: 99.99 is class 30 (index 2), indoor 9.5 below 10 (index 0):
	// 1000 + 10 + 2; the other: 5G, 100 outdoors, no indoor: 2000 + 100 + 3
	if digests[0] != "582000,6282000,100,0,t,2,100,{1012,2103}" {
		t.Errorf("squares %s: want the best of each class over both operators", digests[0])
	}

	// without the encoding, Latin-1 is named at its line; a gzip cut short is refused as damaged
	_, err := importString(t, s, "latin1.csv", latin1)
	if got := problemsOf(t, err); !strings.Contains(got, "latin1.csv:3:") || !strings.Contains(got, "--encoding") && !strings.Contains(got, "UTF-8") {
		t.Errorf("Latin-1 without --encoding: %s", got)
	}
	_, err = importString(t, s, "kort.csv.gz", gz.String()[:gz.Len()-12])
	if got := problemsOf(t, err); !strings.Contains(got, "the file ends early") && !strings.Contains(got, "damaged") {
		t.Errorf("a gzip cut short: %s", got)
	}
}

// TestReimportReplacesItsDateOnly: a second file of a date replaces the
// first, whole; a file with an error on its last line changes nothing.
func TestReimportReplacesItsDateOnly(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	_, s := stores(pool)
	mustImportMobile(t, s, "testdata/mobile250.csv", asOf2023)
	first := mustImportMobile(t, s, "testdata/mobile250.csv", asOf2024)
	res := mustImportMobile(t, s, "testdata/mobile100.csv", asOf2024)
	if !res.Replaced || first.Replaced || res.Snapshot.Size != 100 {
		t.Errorf("replaced %v (first %v), size %d", res.Replaced, first.Replaced, res.Snapshot.Size)
	}
	snaps, err := s.Snapshots(context.Background())
	if err != nil || len(snaps) != 2 || snaps[0].Size != 250 || snaps[1].Size != 100 {
		t.Fatalf("snapshots %+v, %v", snaps, err)
	}
	var parts int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_class WHERE relname LIKE 'mobile_squares_s%' AND relkind = 'r'`).Scan(&parts)
	if parts != 2 {
		t.Errorf("%d partitions of squares, want 2 (the replaced one dropped)", parts)
	}
	before := dbState(t, pool)
	_, err = importString(t, s, "sist.csv", header+"582000;6282000;250;Telia;4g;100;\n582000;6282000;250;Telia;4g;1e3;\n")
	if got := problemsOf(t, err); !strings.Contains(got, `sist.csv:3: column down_mbps_outdoor: value "1e3"`) {
		t.Errorf("the last line's error: %s", got)
	}
	if after := dbState(t, pool); after != before {
		t.Error("a file with an error on its last line changed the database")
	}
}

// TestFiguresFollowTheCoverageInForce: the figures where people are count
// the coverage snapshot in force on the mobile date, else the earliest; a
// coverage snapshot imported, replaced or deleted later is followed at the
// next report, and Refresh does the same for every mobile snapshot.
func TestFiguresFollowTheCoverageInForce(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	cov, s := stores(pool)
	ctx := context.Background()
	households := func(asOf string) (int64, string) {
		t.Helper()
		d, _ := time.Parse(time.DateOnly, asOf)
		rep, err := s.Report(ctx, mobile.ReportQuery{AsOf: d, County: "08"})
		if err != nil {
			t.Fatal(err)
		}
		named := "none"
		if rep.CoverageAsOf != nil {
			named = rep.CoverageAsOf.String()
		}
		return rep.Areas[len(rep.Areas)-1].HouseholdsTotal, named
	}
	// no coverage at all: the figures are there, without people
	mustImportMobile(t, s, "testdata/mobile250.csv", asOf2023)
	if h, named := households("2023-10-01"); h != 0 || named != "none" {
		t.Errorf("without coverage: %d households against %s", h, named)
	}
	// a coverage snapshot after the mobile date: the earliest, so it counts
	importCoverage(t, cov, "testdata/coverage.csv", asOf2024)
	if h, named := households("2023-10-01"); h != 214 || named != "2024-10-01" {
		t.Errorf("against the earliest: %d households against %s, want 214 against 2024-10-01", h, named)
	}
	// one on or before the mobile date takes over: the smaller file of Nybro only
	small := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\nN1;0881;555700;6289700;11;0;fiber;connected;100\n"
	if _, err := cov.Import(ctx, strings.NewReader(small), coverage.ImportOptions{AsOf: asOf2023, Name: "small.csv",
		Audit: auth.Entry{Actor: "test"}}); err != nil {
		t.Fatal(err)
	}
	if h, named := households("2023-10-01"); h != 11 || named != "2023-10-01" {
		t.Errorf("against the one in force: %d households against %s, want 11 against 2023-10-01", h, named)
	}
	// Refresh brings every stale snapshot up to date without a report
	mustImportMobile(t, s, "testdata/mobile250.csv", asOf2024)
	if _, err := cov.DeleteSnapshot(ctx, asOf2024, auth.Entry{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	done, err := s.Refresh(ctx)
	if err != nil || len(done) != 1 || !done[0].Equal(asOf2024) {
		t.Errorf("Refresh refreshed %v (%v), want the 2024 snapshot only", done, err)
	}
	snap, _ := s.SnapshotAt(ctx, asOf2024)
	if !snap.CoverageAsOf.Equal(asOf2023) {
		t.Errorf("after Refresh the 2024 figures count coverage of %v, want 2023", snap.CoverageAsOf)
	}
}
