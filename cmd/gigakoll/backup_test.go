package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// script runs one of scripts/ against dbURL.
func script(t *testing.T, dbURL, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join("..", "..", "scripts", name)}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// What the backup keeps, as a user sees it: the residents' published
// figures, the audit log, and which tokens work.
func backedUp(t *testing.T, pool *pgxpool.Pool, secrets []string) string {
	t.Helper()
	ctx := context.Background()
	all, _ := measure.ParsePeriod("all")
	rep, err := measure.NewStore(pool).Report(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	rep.Generated = time.Time{}
	log, err := auth.NewStore(pool).AuditLog(ctx, auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, s := range secrets {
		p, err := auth.NewStore(pool).Authenticate(ctx, s)
		if err != nil {
			who = append(who, "refused: "+err.Error())
			continue
		}
		who = append(who, p.Name)
	}
	var rows int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM measurements").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(map[string]any{"measurements": rows, "figures": rep, "audit": log, "tokens": who}, "", " ")
	return string(b)
}

// The production recipe's backup (README, "Backups"): scripts/backup.sh
// from a database in use, a new database migrated, scripts/restore.sh, the
// coverage imported again: the residents' figures, the audit log and the
// tokens come back identical, and the restored database goes on (a new
// audit entry, a new measurement). A restore that fails leaves nothing.
func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := dbtest.NewWithURL(t)
	file, err := os.ReadFile("../../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	reimport := func(pool *pgxpool.Pool) {
		t.Helper()
		if _, err := coverage.NewStore(pool).Import(ctx, strings.NewReader(string(file)), coverage.ImportOptions{
			Audit: auth.Entry{Actor: "cli:test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
			t.Fatal(err)
		}
	}
	reimport(pool)
	a := auth.NewStore(pool)
	var secrets []string
	for _, nt := range []auth.NewToken{{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}},
		{Name: "Regionen", Role: auth.Coordinator}} {
		s, tok, err := a.CreateToken(ctx, nt)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, s)
		e := auth.Entry{Actor: tok.Name, TokenID: &tok.ID, Action: auth.ActionGaps, Municipality: "0880", Format: "csv", Rows: 9}
		if err := a.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var ms []measure.Measurement
	for i := range 40 {
		ms = append(ms, measure.Measurement{MeasuredAt: time.Date(2026, 10, 1+i%20, i%24, 0, 0, 0, time.UTC),
			Square: geo.Square{E: 583000 + int64(i%3)*250, N: 6280250, Size: 250}, Municipality: measure.Municipality{Code: "0880"},
			DownMbps: 10 + float64(i)*7.25, UpMbps: 1 + float64(i)/3, Connection: "fiber", Source: "api"})
	}
	if _, err := measure.NewStore(pool).Load(ctx, ms); err != nil {
		t.Fatal(err)
	}
	before := backedUp(t, pool, secrets)

	backup := filepath.Join(t.TempDir(), "gigakoll.dump")
	out := script(t, dbURL, "backup.sh", backup)
	marked := regexp.MustCompile(`backed up (.*) to `).FindStringSubmatch(out)
	if marked == nil {
		t.Fatalf("backup.sh: %s", out)
	}
	// The README names exactly the tables the schema marks for backup.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^\s*The tables marked for backup: (.*)$`).FindSubmatch(readme)
	if line == nil {
		t.Fatal(`README.md lacks the line "The tables marked for backup: …"`)
	}
	var listed []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(string(line[1]), -1) {
		listed = append(listed, m[1])
	}
	slices.Sort(listed)
	if strings.Join(listed, " ") != marked[1] {
		t.Errorf("the README lists %v for backup, the schema marks %s", listed, marked[1])
	}

	restored, restoredURL := dbtest.NewWithURL(t)
	script(t, restoredURL, "restore.sh", backup)
	reimport(restored)
	// The re-import adds its own audit entry: it is the newest one.
	var lastAction string
	if err := restored.QueryRow(ctx, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&lastAction); err != nil || lastAction != auth.ActionImport {
		t.Errorf("the re-import's audit entry: %q %v", lastAction, err)
	}
	if _, err := restored.Exec(ctx, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"); err != nil {
		t.Fatal(err)
	}
	if after := backedUp(t, restored, secrets); after != before {
		t.Errorf("restored:\n%s\nbefore the backup:\n%s", after, before)
	}
	// The restored database goes on where the backup stopped.
	if _, err := measure.NewStore(restored).Load(ctx, ms[:1]); err != nil {
		t.Errorf("a measurement after the restore: %v", err)
	}

	// A second restore into the same database fails whole: nothing doubles.
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "restore.sh"), backup)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+restoredURL)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("a restore over the rows it holds succeeded:\n%s", out)
	}
	var n int
	if err := restored.QueryRow(ctx, "SELECT count(*) FROM measurements").Scan(&n); err != nil || n != len(ms)+1 {
		t.Errorf("%d measurements after a failed restore, want %d (%v)", n, len(ms)+1, err)
	}
}
