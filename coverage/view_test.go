package coverage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func importAs(t *testing.T, pool *pgxpool.Pool, file string, day time.Time) {
	t.Helper()
	if _, err := coverage.NewStore(pool).Import(context.Background(), strings.NewReader(file),
		coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: day, Name: "gaps.csv"}); err != nil {
		t.Fatal(err)
	}
}

// whileReimported runs read while the targets table is locked, and once read
// waits for the lock (it has read the snapshot before), re-imports the
// snapshot of 2024-10-01 from file, which commits, then lets read go on.
// A read that takes its snapshot and its figures in two transactions sees
// a snapshot that is gone by the time it reads the figures.
func whileReimported[T any](t *testing.T, pool *pgxpool.Pool, file string, read func() (T, error)) (T, error) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "LOCK TABLE targets IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	waitForLock(t, pool)
	importAs(t, pool, file, asOf2024) // needs no lock on targets: it commits
	tx.Rollback(ctx)
	r := <-done
	return r.v, r.err
}

// waitForLock waits until a session of the test's database waits for a lock.
func waitForLock(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	for range 300 {
		var n int
		pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the read never waited for the lock")
}

func gapsFile(t *testing.T) (before, after string) {
	t.Helper()
	raw, err := os.ReadFile("testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	before = string(raw)
	// the re-import: every household of Kalmar doubled
	after = strings.NewReplacer(";40;2;", ";80;2;", ";3;0;0;", ";6;0;0;", ";4;1;", ";8;1;").Replace(before)
	if after == before {
		t.Fatal("the re-import changes nothing")
	}
	return before, after
}

func reportJSON(t *testing.T, rep *coverage.TargetsReport) string {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A targets report reads its snapshot, its targets and its figures in one
// transaction: a re-import of its date while it runs changes nothing in it
// (before: a report with no areas, or ErrUnknownArea, a false 404).
func TestTargetsReportReadsOneStateOfTheDatabase(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	before, after := gapsFile(t)
	importAs(t, pool, before, asOf2024)
	st := coverage.NewStore(pool)
	q := coverage.ReportQuery{Municipality: "0880"}
	want, err := st.TargetsReport(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := whileReimported(t, pool, after, func() (*coverage.TargetsReport, error) {
		return st.TargetsReport(context.Background(), q)
	})
	if err != nil {
		t.Fatalf("a report while its snapshot was re-imported: %v", err)
	}
	if reportJSON(t, got) != reportJSON(t, want) {
		t.Errorf("a report while its snapshot was re-imported is not the report of the snapshot it began with:\n got %.300s\nwant %.300s",
			reportJSON(t, got), reportJSON(t, want))
	}
	if now, _ := st.TargetsReport(context.Background(), q); reportJSON(t, now) == reportJSON(t, want) {
		t.Error("the re-import changed nothing: the test proves nothing")
	}
}

// A gap report read in a View (its figures, then its points) while its
// snapshot is re-imported is whole: the report of the new snapshot, read
// again, never the old figures over an empty list.
func TestGapReportInAViewIsOneSnapshot(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	before, after := gapsFile(t)
	importAs(t, pool, before, asOf2024)
	st := coverage.NewStore(pool)
	write := func() (string, error) {
		var buf bytes.Buffer
		err := st.View(context.Background(), func(ctx context.Context) error {
			buf.Reset()
			g, err := st.GapReport(ctx, coverage.GapQuery{Municipality: "0880", Level: coverage.LevelAddress}, coverage.FormatCSV)
			if err != nil {
				return err
			}
			_, err = st.WriteGaps(ctx, &buf, g, coverage.FormatCSV)
			return err
		})
		return buf.String(), err
	}
	old, err := write()
	if err != nil {
		t.Fatal(err)
	}
	got, err := whileReimported(t, pool, after, write)
	if err != nil {
		t.Fatalf("a gap report while its snapshot was re-imported: %v", err)
	}
	now, err := write()
	if err != nil {
		t.Fatal(err)
	}
	if now == old {
		t.Fatal("the re-import changed nothing: the test proves nothing")
	}
	if got != now {
		t.Errorf("the gap report read while its snapshot was re-imported is not the new one:\n%s\nwant\n%s", got, now)
	}
}
