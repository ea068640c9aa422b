package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestMain lets the test binary stand in for gigakoll: run with
// GIGAKOLL_TEST_MAIN=1 it is the command itself, so these tests drive the
// real CLI, exit codes and signals included.
func TestMain(m *testing.M) {
	if os.Getenv("GIGAKOLL_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// gigakoll returns the command, run as a separate process against dbURL.
func gigakoll(ctx context.Context, dbURL string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GIGAKOLL_TEST_MAIN=1", "DATABASE_URL="+dbURL, "GIGAKOLL_LOG_FORMAT=json")
	return cmd
}

const rulesCSV = "../../coverage/testdata/rules.csv"

func TestImportCommand(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()

	out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2024-10-01").CombinedOutput()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"imported rules.csv as of 2024-10-01: 14 address points, 21 rows, 180 households, 13 workplaces, 2 warnings",
		"warning: rules.csv:1: column kommentar", "warning: rules.csv:22: column municipality_code"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The same file, gzipped, on stdin, as another date.
	raw, _ := os.ReadFile(rulesCSV)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	cmd := gigakoll(ctx, dbURL, "import", "coverage", "-", "--as-of", "2023-10-01")
	cmd.Stdin = &gz
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "imported (stdin) as of 2023-10-01: 14 address points") {
		t.Errorf("gzip on stdin: %v\n%s", err, out)
	}

	// A file with errors: exit 1, every error on stderr as FILE:LINE: column
	// NAME: value "…": message, nothing imported.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	lines[3] = strings.Replace(lines[3], ";cable;", ";kabel;", 1)
	lines[8] = strings.Replace(lines[8], ";30;", ";trettio;", 1)
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	var stdout, stderr bytes.Buffer
	cmd = gigakoll(ctx, dbURL, "import", "coverage", bad, "--as-of", "2022-10-01")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("a bad file exits with %v, want status 1", err)
	}
	for _, want := range []string{`bad.csv:4: column technology: value "kabel": unknown technology`,
		`bad.csv:9: column down_mbps: value "trettio": not a number`, "bad.csv has 2 errors; nothing was imported"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	var n int
	pool.QueryRow(ctx, "SELECT count(*) FROM snapshots WHERE as_of = '2022-10-01'").Scan(&n)
	if n != 0 {
		t.Error("a file with errors left a snapshot")
	}

	// The residents' address suggestions follow the latest snapshot.
	var streets int
	pool.QueryRow(ctx, "SELECT count(*) FROM address_search WHERE street = 'Björkvägen'").Scan(&streets)
	if streets != 1 {
		t.Errorf("address suggestions hold Björkvägen %d times after the import, want once", streets)
	}

	// The list and the report read what was imported.
	out, err = gigakoll(ctx, dbURL, "snapshots", "list").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "2023-10-01  14") || !strings.Contains(string(out), "2024-10-01  14") {
		t.Errorf("snapshots list: %v\n%s", err, out)
	}
	out, err = gigakoll(ctx, dbURL, "report", "targets", "--format", "json", "--municipality", "0881").Output()
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	var rep struct {
		AsOf  string `json:"as_of"`
		Areas []struct {
			Code    string
			Targets []struct {
				ID            string
				GapHouseholds int64 `json:"gap_households"`
			}
		}
	}
	if err := json.Unmarshal(out, &rep); err != nil || rep.AsOf != "2024-10-01" || len(rep.Areas) != 1 || rep.Areas[0].Targets[0].GapHouseholds != 1 {
		t.Errorf("report of the latest snapshot for Nybro: %v %+v", err, rep)
	}
}

// bigFile writes a valid coverage file large enough to kill its import at
// each phase: rows address points of two technologies each.
func bigFile(t *testing.T, points int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(7, 7))
	fmt.Fprintln(w, "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;number")
	for i := range points {
		x, y := 560000+rng.IntN(30000), 6270000+rng.IntN(20000)
		h, wp := rng.IntN(4), rng.IntN(2)
		fmt.Fprintf(w, "B%07d;0880;%d;%d;%d;%d;dsl;connected;%d;Väg %d;%d\n", i, x, y, h, wp, 8+rng.IntN(50), i/100, i%100)
		fmt.Fprintf(w, "B%07d;0880;%d;%d;%d;%d;fiber;passed;1000;Väg %d;%d\n", i, x, y, h, wp, i/100, i%100)
	}
	w.Flush()
	f.Close()
	return path
}

// state is a digest of everything an import writes, and of the tables.
func state(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT concat_ws(' / ',
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM snapshots x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM area_figures x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM square_figures x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM address_points x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM public_squares x),
		(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM audit_log x),
		(SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'address_points%' AND relkind IN ('r', 'p')))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKilledImportChangesNothing kills the import with SIGKILL in each phase:
// while copying, stalled before the aggregates, and stalled after all its
// work just before it commits. To stop it at a phase without racing it, the
// test holds a lock the import needs there. The database must be exactly as
// before every time.
func TestKilledImportChangesNothing(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	before := state(t, pool)
	big := bigFile(t, 150_000)

	for _, phase := range []struct {
		name string
		lock string // taken before the import starts; "" for none
		wait func(msg string) bool
	}{
		{"while copying", "", func(msg string) bool { return msg == "reading" }},
		// inserting square figures waits for the test's SHARE lock
		{"before the aggregates", "LOCK TABLE square_figures IN SHARE MODE",
			func(msg string) bool { return msg == "address points keyed" && waiting(t, pool) }},
		// replacing the earlier snapshot waits for the test's row lock: all
		// the work is done, the commit is next
		{"just before the commit", "SELECT 1 FROM snapshots WHERE as_of = '2024-10-01' FOR UPDATE",
			func(msg string) bool { return msg == "indexed and attached address points" && waiting(t, pool) }},
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
			cmd := gigakoll(ctx, dbURL, "import", "coverage", big, "--as-of", "2024-10-01")
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
			if after := state(t, pool); after != before {
				t.Errorf("killed %s, the database changed:\nbefore %s\nafter  %s", phase.name, before, after)
			}
		})
	}
}

// TestKilledAfterTheCommitKeepsTheAuditedSnapshot kills an import after its
// commit, while it refreshes the residents' address suggestions: the
// snapshot and its audit entry are there together (they commit in one
// transaction), and the next import, even of an older year, repairs the
// suggestions.
func TestKilledAfterTheCommitKeepsTheAuditedSnapshot(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// the refresh after the commit waits for the test's lock
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE address_search IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	cmd := gigakoll(ctx, dbURL, "import", "coverage", bigFile(t, 20_000), "--as-of", "2025-10-01")
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
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "import committed" && waiting(t, pool) {
			cmd.Process.Kill()
			killed = true
		}
	}
	cmd.Wait()
	tx.Rollback(ctx)
	if !killed {
		t.Fatal("the import ended before its refresh of the suggestions")
	}
	waitForBackends(t, pool, dbURL)
	var points, audited, suggestionsOf int64
	err = pool.QueryRow(ctx, `SELECT (SELECT points FROM snapshots WHERE as_of = '2025-10-01'),
		(SELECT count(*) FROM audit_log WHERE action = 'import' AND snapshot_as_of = '2025-10-01'),
		(SELECT coalesce(max(s.as_of) = '2025-10-01', false)::int FROM address_search a JOIN snapshots s ON s.id = a.snapshot_id)`).
		Scan(&points, &audited, &suggestionsOf)
	if err != nil || points != 20_000 || audited != 1 || suggestionsOf != 0 {
		t.Fatalf("after the kill: %d points, %d audit entries, suggestions of 2025: %d (err %v); want 20000, 1, 0", points, audited, suggestionsOf, err)
	}
	// an older year's import repairs the suggestions
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2023-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	err = pool.QueryRow(ctx, `SELECT coalesce(bool_and(snapshot_id = (SELECT id FROM snapshots WHERE as_of = '2025-10-01')), false)::int
		FROM address_search`).Scan(&suggestionsOf)
	if err != nil || suggestionsOf != 1 {
		t.Errorf("the next import did not rebuild the suggestions from the 2025 snapshot (err %v)", err)
	}
}

// waiting reports, within a few seconds, whether a gigakoll session of the
// test's database is waiting for a lock: the import has stalled where the
// test wants it.
func waiting(t *testing.T, pool *pgxpool.Pool) bool {
	t.Helper()
	for range 100 {
		var n int
		pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'gigakoll' AND wait_event_type = 'Lock'`).Scan(&n)
		if n > 0 {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("the import did not stall at the lock")
	return true
}

// waitForBackends waits until the killed client's session has ended, as
// PostgreSQL notices the closed connection and rolls back.
func waitForBackends(t *testing.T, pool *pgxpool.Pool, dbURL string) {
	t.Helper()
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	if i := strings.Index(name, "?"); i >= 0 {
		name = name[:i]
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var n int
		pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = $1 AND application_name = 'gigakoll'`, name).Scan(&n)
		if n == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the killed import's session did not end within 2 minutes")
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	args := []string{"seed", "demo", "--years", "2023-2024", "--scale", "0.05", "--mobile-years", "2024"}
	out, err := gigakoll(ctx, dbURL, args...).Output()
	if err != nil || strings.Count(string(out), ": imported ") != 2 || strings.Contains(string(out), " 0 residents' measurements") ||
		!strings.Contains(string(out), "project register: version 1 in force") ||
		!strings.Contains(string(out), "demo mobile coverage: 1 of 1 years loaded now") {
		t.Fatalf("first seed demo: %v\n%s", err, out)
	}
	out, err = gigakoll(ctx, dbURL, args...).Output()
	if err != nil || strings.Count(string(out), "loaded already") != 2 || !strings.Contains(string(out), "0 of 2 years loaded now, 0 residents' measurements") ||
		!strings.Contains(string(out), "project register: the demo's is in force (version 1); figures built against 0 more snapshots") ||
		!strings.Contains(string(out), "demo mobile coverage: 0 of 1 years loaded now, 0 residents' mobile measurements") {
		t.Errorf("second seed demo should load nothing: %v\n%s", err, out)
	}
	out, err = gigakoll(ctx, dbURL, "report", "targets", "--format", "csv").Output()
	if err != nil || !strings.HasPrefix(string(out), "\uFEFFTyp;Kod;Namn;Mål;") || !strings.Contains(string(out), "kommun;0880;Kalmar;se-2025-1g;2025;1000;98,0;") {
		t.Errorf("report of the demo: %v\n%.400s", err, out)
	}
}
