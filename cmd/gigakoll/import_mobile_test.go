package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

const mobileCSV = "../../mobile/testdata/mobile250.csv"

// bigMobileFile writes a valid mobile coverage file of 250 m squares east of
// Kalmar, four operators with 4G and 5G in each: large enough to kill its
// import at each phase.
func bigMobileFile(t *testing.T, side int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big-mobile.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor")
	for i := range side {
		for j := range side {
			e, n := 560000+250*i, 6270000+250*j
			for k, op := range []string{"Telia", "Tele2", "Telenor", "Tre"} {
				fmt.Fprintf(w, "%d;%d;250;%s;4g;%d;%d\n", e, n, op, 10+(i+j+k)%90, (i+k)%20)
				fmt.Fprintf(w, "%d;%d;250;%s;5g;%d;\n", e, n, op, 100+(i*j+k)%400)
			}
		}
	}
	w.Flush()
	f.Close()
	return path
}

// mobileState is a digest of everything a mobile import writes (the grid
// sets aside: a cache of the boundaries, kept whoever computed it), and of
// the tables and the audit log.
func mobileState(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT concat_ws(' / ',
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_snapshots x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_squares x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_area_squares x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM mobile_area_people x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM audit_log x),
		(SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'mobile_%' AND relkind IN ('r', 'p')))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKilledMobileImportChangesNothing kills gigakoll import mobile with
// SIGKILL in each phase, as TestKilledImportChangesNothing does the coverage
// import: while copying, stalled before the areas' figures, and stalled after
// all its work just before it commits (by locks the test holds). The
// database must be exactly as before every time.
func TestKilledMobileImportChangesNothing(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	for _, args := range [][]string{
		{"import", "coverage", rulesCSV, "--as-of", "2024-10-01"},
		{"import", "mobile", mobileCSV, "--as-of", "2024-10-01"},
	} {
		if out, err := gigakoll(ctx, dbURL, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	before := mobileState(t, pool)
	big := bigMobileFile(t, 110) // 96 800 rows

	for _, phase := range []struct {
		name string
		lock string // taken before the import starts; "" for none
		wait func(msg string) bool
	}{
		{"while copying", "", func(msg string) bool { return msg == "reading" }},
		// the areas' squares wait for the test's SHARE lock
		{"before the figures", "LOCK TABLE mobile_area_squares IN SHARE MODE",
			func(msg string) bool { return msg == "mobile squares built" && waiting(t, pool) }},
		// replacing the earlier snapshot waits for the test's row lock: all
		// the work is done, the commit is next
		{"just before the commit", "SELECT 1 FROM mobile_snapshots WHERE as_of = '2024-10-01' FOR UPDATE",
			func(msg string) bool { return msg == "mobile figures where people are built" && waiting(t, pool) }},
	} {
		t.Run(phase.name, func(t *testing.T) {
			var holder interface{ Rollback(context.Context) error }
			if phase.lock != "" {
				tx, err := pool.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec(ctx, phase.lock); err != nil {
					t.Fatal(err)
				}
				holder = tx
			}
			cmd := gigakoll(ctx, dbURL, "import", "mobile", big, "--as-of", "2024-10-01")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			killed := false
			sc := bufio.NewScanner(stderr)
			for sc.Scan() && !killed {
				var line struct{ Msg string }
				if json.Unmarshal(sc.Bytes(), &line) != nil {
					continue
				}
				if phase.wait(line.Msg) {
					cmd.Process.Kill() // SIGKILL: no deferred function, no rollback from the client
					killed = true
				}
			}
			cmd.Wait()
			if holder != nil {
				holder.Rollback(ctx)
			}
			if !killed {
				t.Fatalf("the import ended before it reached the phase")
			}
			waitForBackends(t, pool, dbURL)
			if after := mobileState(t, pool); after != before {
				t.Errorf("killed %s, the database changed:\nbefore %s\nafter  %s", phase.name, before, after)
			}
		})
	}
	// and unhindered, the same file lands whole, replacing the date's snapshot
	if out, err := gigakoll(ctx, dbURL, "import", "mobile", big, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	var squares, rows, audited int64
	err := pool.QueryRow(ctx, `SELECT squares, rows, (SELECT count(*) FROM audit_log WHERE action = 'import' AND detail LIKE 'mobile coverage big-mobile.csv%')
		FROM mobile_snapshots WHERE as_of = '2024-10-01'`).Scan(&squares, &rows, &audited)
	if err != nil || squares != 110*110 || rows != 110*110*8 || audited != 1 {
		t.Errorf("after the unhindered import: %d squares, %d rows, %d audit entries (err %v); want %d, %d, 1",
			squares, rows, audited, err, 110*110, 110*110*8)
	}
}

// TestReportMobileFormats: gigakoll report mobile gives the same figures as
// a table, JSON, CSV (for Swedish spreadsheets) and XLSX (with the targets
// and the operators per square).
func TestReportMobileFormats(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	for _, args := range [][]string{
		{"import", "coverage", "../../mobile/testdata/coverage.csv", "--as-of", "2024-10-01"},
		{"import", "mobile", mobileCSV, "--as-of", "2024-10-01"},
	} {
		if out, err := gigakoll(ctx, dbURL, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	report := func(args ...string) []byte {
		t.Helper()
		out, err := gigakoll(ctx, dbURL, append([]string{"report", "mobile", "--municipality", "0880"}, args...)...).Output()
		if err != nil {
			t.Fatalf("report mobile %v: %v", args, err)
		}
		return out
	}
	var rep struct {
		AsOf         string `json:"as_of"`
		CoverageAsOf string `json:"coverage_as_of"`
		Areas        []struct {
			Code    string
			Name    string
			Outdoor struct {
				GE10 struct{ Households int64 } `json:"ge_10"`
			}
			Targets []struct{ ID string }
		}
	}
	if err := json.Unmarshal(report("--format", "json"), &rep); err != nil || rep.AsOf != "2024-10-01" || rep.CoverageAsOf != "2024-10-01" ||
		len(rep.Areas) != 1 || rep.Areas[0].Code != "0880" {
		t.Fatalf("json: %v %+v", err, rep)
	}
	kalmar := rep.Areas[0]
	if len(kalmar.Targets) != 2 || kalmar.Targets[0].ID != "se-2023-mobile" || kalmar.Targets[1].ID != "eu-2030-5g" {
		t.Errorf("json targets %+v, want se-2023-mobile and eu-2030-5g", kalmar.Targets)
	}
	want := fmt.Sprintf(";Alla;utomhus;10;%d;", kalmar.Outdoor.GE10.Households)

	csv := string(report("--format", "csv"))
	if !strings.HasPrefix(csv, "\uFEFFTyp;Kod;Namn;Operatör;Täckning;") || !strings.Contains(csv, "kommun;0880;Kalmar"+want) {
		t.Errorf("csv lacks the BOM, the Swedish header or Kalmar's %q:\n%.3000s", want, csv)
	}
	table := string(report("--format", "table"))
	if !strings.Contains(table, "Kalmar") {
		t.Errorf("table without Kalmar:\n%s", table)
	}

	path := filepath.Join(t.TempDir(), "mobil.xlsx")
	report("--format", "xlsx", "-o", path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[1] != "Mål" || sheets[2] != "Operatörer per ruta" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 6 && r[1] == "0880" && r[3] == "Alla" && r[4] == "utomhus" && r[5] == "10" {
			found = r[6] == fmt.Sprint(kalmar.Outdoor.GE10.Households)
		}
	}
	if !found {
		t.Errorf("xlsx: Kalmar's households outdoors at 10 Mbit/s are not %d", kalmar.Outdoor.GE10.Households)
	}
	targets, _ := f.GetRows("Mål")
	if len(targets) != 3 {
		t.Errorf("xlsx Mål: %d rows, want the header and Kalmar's two targets", len(targets))
	}
}
