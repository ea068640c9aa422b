// Package standbytest gives tests the hot standby that make test provisions
// (scripts/replica.sh: pg_basebackup -R of the local primary into cluster
// 15/replica), as dbtest gives them a database: New returns the URL of a
// test's own database on the standby, and the test may stop, start, pause
// and resume the standby while it holds it.
package standbytest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvURL is set by make test to the standby's URL (that of the database
// gigakoll, on the standby's port), or to "none" when the primary is not on
// this machine and no standby could be made.
const EnvURL = "GIGAKOLL_TEST_READ_URL"

// lockFile is the lock scripts/replica.sh takes while it makes the standby,
// and a test takes while it uses it: one test at a time stops and starts it,
// across test binaries and worktrees.
const lockFile = "/tmp/gigakoll-replica.lock"

// Standby is the hot standby as one test sees it.
type Standby struct {
	t   testing.TB
	URL string // the test's database on the standby
}

// New waits for the standby (holding it until the test ends), and returns
// it once it has dbURL's database: the primary's test database, replicated.
// Without make test's standby it fails; with "none" it skips, saying why.
func New(t testing.TB, dbURL string) *Standby {
	t.Helper()
	base := os.Getenv(EnvURL)
	switch base {
	case "":
		t.Fatalf("standbytest: %s is not set: run the tests with make test, which makes a hot standby (scripts/replica.sh)", EnvURL)
	case "none":
		t.Skipf("standbytest: the database server is not on this machine, so make test made no hot standby (scripts/replica.sh)")
	}
	lock(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("standbytest: %s: %v", EnvURL, err)
	}
	p, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = p.Path
	s := &Standby{t: t, URL: u.String()}
	s.Start() // a test that failed may have left it stopped
	s.waitForDatabase()
	t.Cleanup(func() { s.Resume() })
	return s
}

// lock takes the standby for the test: released when the test ends.
func lock(t testing.TB) {
	f, err := os.OpenFile(lockFile, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("standbytest: %v", err)
	}
	deadline := time.Now().Add(15 * time.Minute)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("standbytest: %s held by another test for 15 minutes", lockFile)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Cleanup(func() { f.Close() }) // closing releases the lock
}

// waitForDatabase waits until the standby has replayed the creation of the
// test's database.
func (s *Standby) waitForDatabase() {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, s.URL)
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("standbytest: the standby has no copy of the test's database after 2 minutes: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the standby (pg_ctlcluster stop -m fast).
func (s *Standby) Stop() { s.script("stop") }

// Start starts the standby, and waits until it streams from the primary.
func (s *Standby) Start() { s.script("start") }

func (s *Standby) script(cmd string) {
	s.t.Helper()
	root, err := repoRoot()
	if err != nil {
		s.t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(root, "scripts", "replica.sh"), cmd).CombinedOutput()
	if err != nil {
		s.t.Fatalf("standbytest: scripts/replica.sh %s: %v\n%s", cmd, err, out)
	}
}

// Pause pauses the standby's replay (pg_wal_replay_pause): it keeps
// receiving the primary's WAL but applies none, so it serves what it had.
// The test's end resumes it.
func (s *Standby) Pause() { s.exec("SELECT pg_wal_replay_pause()") }

// Resume resumes the standby's replay.
func (s *Standby) Resume() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, s.URL); err == nil {
		conn.Exec(ctx, "SELECT pg_wal_replay_resume()") // fails harmlessly when it runs
		conn.Close(ctx)
	}
}

// CatchUp waits until the standby has replayed everything primary had
// written when it was called.
func (s *Standby) CatchUp(primary *pgxpool.Pool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var lsn string
	if err := primary.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		s.t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for {
		var done bool
		err := conn.QueryRow(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done)
		if err != nil {
			s.t.Fatalf("standbytest: waiting for the standby to catch up: %v", err)
		}
		if done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Standby) exec(sql string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		s.t.Fatalf("standbytest: %s: %v", sql, err)
	}
}

// repoRoot is the folder of go.mod, above the test's working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("standbytest: no go.mod above the working directory")
		}
		dir = parent
	}
}
