// Package e2e runs gigakoll's browser tests. A Go test starts the real HTTP
// handler in-process over a fresh test database (Start), optionally with
// fixture data, then runs Node test files (web/e2e/*.test.mjs) against it
// with `node --test` (RunNode); the Node side drives Debian's Chromium
// through playwright-core (browser.mjs).
//
// Each family of Node tests has its Go test, e.g. TestLayout in
// layout_test.go runs layout.test.mjs; TestMain fails the package when a
// *.test.mjs file is never run. make test provides the database, the build
// (make web) and Chromium (scripts/browser.sh); nothing here skips.
package e2e

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
	"github.com/gigakoll/gigakoll/web"
)

// Chromium is the browser the tests drive: Debian's, installed by
// scripts/browser.sh. Nothing downloads a browser of its own.
const Chromium = "/usr/bin/chromium"

// Server is gigakoll serving a test database on 127.0.0.1.
type Server struct {
	URL  string        // "http://127.0.0.1:41234", no trailing slash
	Pool *pgxpool.Pool // the test's own database, for checks after the browser acted
}

// Setup prepares a test's database before the server starts: fixture data
// for the pages under test. It runs with a deadline of two minutes.
type Setup func(ctx context.Context, pool *pgxpool.Pool) error

// Start serves gigakoll's handler (server.New, with the embedded pages) on
// 127.0.0.1:0 over a fresh, migrated test database, after running setup on
// it when setup is not nil. The server logs to the test's output and stops,
// and the database is dropped, when the test ends (kept if it failed).
func Start(t *testing.T, setup Setup) *Server {
	t.Helper()
	pages, err := web.New()
	if err != nil {
		t.Fatal(err)
	}
	if !pages.Built() {
		t.Fatal("e2e: the pages were never built: run make web (make test does), then the tests")
	}
	pool := dbtest.New(t)
	if setup != nil {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		if err := setup(ctx, pool); err != nil {
			t.Fatalf("e2e: setup: %v", err)
		}
	}
	h, err := server.New(server.Deps{
		Pool:         pool,
		Log:          slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo})),
		Registry:     prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second,
		Version:      "e2e",
		Pages:        pages,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h) // 127.0.0.1:0
	t.Cleanup(ts.Close)         // before the database is dropped: cleanups run last-in first-out
	return &Server{URL: ts.URL, Pool: pool}
}

// RunNode runs Node test files of web/e2e ("layout.test.mjs") against
// baseURL with `node --test`, one file at a time, and fails t with Node's
// output when a test fails. Node gets BASE_URL, CHROMIUM and SCREENSHOT_DIR
// (web/test-results), and TMPDIR is the test's temporary folder, where
// Chromium's fresh profile goes.
func RunNode(t *testing.T, baseURL string, files ...string) {
	t.Helper()
	if len(files) == 0 {
		t.Fatal("e2e: RunNode needs at least one *.test.mjs file")
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("e2e: %v (files are named relative to web/e2e)", err)
		}
		ran.Store(filepath.Base(f), true)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("e2e: node is not on PATH: install Node.js (see the README)")
	}
	if _, err := os.Stat(filepath.Join("..", "node_modules", "playwright-core")); err != nil {
		t.Fatal("e2e: web/node_modules lacks playwright-core: run make web (npm ci)")
	}
	if _, err := os.Stat(Chromium); err != nil {
		t.Fatalf("e2e: no %s: run scripts/browser.sh (make test does)", Chromium)
	}
	shots, err := filepath.Abs(filepath.Join("..", "test-results"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	args := append([]string{"--test", "--test-reporter=spec", "--test-concurrency=1"}, files...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = append(os.Environ(),
		"BASE_URL="+baseURL,
		"CHROMIUM="+Chromium,
		"SCREENSHOT_DIR="+shots,
		"TMPDIR="+t.TempDir(),
		"NO_COLOR=1",
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Node and the Chromium it starts form one process group, ended whole
	// when the deadline passes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("e2e: node --test %v: %v after %s\n%s", files, err, time.Since(start).Round(time.Millisecond), out.String())
	}
	t.Logf("node --test %v passed in %s\n%s", files, time.Since(start).Round(time.Millisecond), out.String())
}

// ran holds the *.test.mjs files given to RunNode in this process.
var ran sync.Map

// NotRun lists the *.test.mjs files of web/e2e that no RunNode call of this
// process ran. TestMain reports them after a full run, so that a Node test
// without its Go test cannot go unnoticed.
func NotRun() ([]string, error) {
	files, err := filepath.Glob("*.test.mjs")
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, f := range files {
		if _, ok := ran.Load(f); !ok {
			missing = append(missing, f)
		}
	}
	slices.Sort(missing)
	return missing, nil
}
