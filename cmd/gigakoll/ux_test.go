package main

import (
	"bytes"
	"context"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestVersionShowsTheCommit: the Makefile's build stamps the commit, and
// gigakoll version prints it; a plain go build falls back on Go's VCS stamp.
func TestVersionShowsTheCommit(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	rev := strings.TrimSpace(string(head))
	out, err := exec.Command("make", "-C", "../..", "-n", "-B", "bin/gigakoll").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "-X main.commit="+rev) {
		t.Errorf("make's build does not stamp the commit %s:\n%s", rev, out)
	}

	if bi := buildInfoOf("v1", rev+"-dirty", nil); bi.Revision != rev || !bi.Modified {
		t.Errorf("stamped %s-dirty: revision %q, modified %v", rev, bi.Revision, bi.Modified)
	}
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}}}
	if bi := buildInfoOf("v1", "", info); bi.Revision != "abc123" {
		t.Errorf("from the VCS stamp: revision %q, want abc123", bi.Revision)
	}
}

// TestDatesThatDoNotExistAreNamed: --as-of 2013-02-30 says the day does not
// exist, rather than asking for the format it already has.
func TestDatesThatDoNotExistAreNamed(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"import", "coverage", rulesCSV, "--as-of", "2013-02-30"},
		func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "no such day: February 2013 has 28 days") {
		t.Errorf("err = %v, want it to say February 2013 has 28 days", err)
	}
	err = run(context.Background(), []string{"import", "coverage", rulesCSV, "--as-of", "2999-10-01"},
		func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "as of 2999-10-01 is in the future") {
		t.Errorf("err = %v, want the future date refused", err)
	}
}

// TestSnapshotsDeleteAsksFirst: without --yes the command asks, and anything
// but "yes" keeps the snapshot; --yes deletes at once.
func TestSnapshotsDeleteAsksFirst(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	cmd := gigakoll(ctx, dbURL, "snapshots", "delete", "2024-10-01")
	cmd.Stdin = strings.NewReader("no\n")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Delete the snapshot as of 2024-10-01 (14 address points") ||
		!strings.Contains(string(out), "nothing deleted") {
		t.Errorf("answered no: %v\n%s", err, out)
	}
	if out, _ := gigakoll(ctx, dbURL, "snapshots", "list").CombinedOutput(); !strings.Contains(string(out), "2024-10-01") {
		t.Errorf("the snapshot is gone after answering no:\n%s", out)
	}
	cmd = gigakoll(ctx, dbURL, "snapshots", "delete", "2024-10-01")
	cmd.Stdin = strings.NewReader("yes\n")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "deleted the snapshot as of 2024-10-01") {
		t.Errorf("answered yes: %v\n%s", err, out)
	}
	if out, err := gigakoll(ctx, dbURL, "snapshots", "delete", "2024-10-01", "--yes").CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "no snapshot as of 2024-10-01; none is imported yet") {
		t.Errorf("deleting it again: %v\n%s", err, out)
	}
}
