package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestImportEncoding: a file a spreadsheet saved as Windows-1252 is refused
// naming the first line where it shows and how to read it; with --encoding
// windows-1252 it imports with its å, ä and ö right.
func TestImportEncoding(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	raw, err := os.ReadFile(rulesCSV)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), ";Kalmar;", ";Växjö;") // the locality of Kalmar's points
	points := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, ";Växjö;") {
			points[strings.Split(l, ";")[0]] = true
		}
	}
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "latin.csv")
	if err := os.WriteFile(file, []byte(cp1252), 0o644); err != nil {
		t.Fatal(err)
	}

	var stderr bytes.Buffer
	cmd := gigakoll(ctx, dbURL, "import", "coverage", file, "--as-of", "2024-10-01")
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("a Windows-1252 file exits with %v, want status 1", err)
	}
	for _, want := range []string{`latin.csv:2: column locality: value "V\xe4xj\xf6": the file is not UTF-8`, "--encoding windows-1252", "latin.csv has 1 error; nothing was imported"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}

	out, err := gigakoll(ctx, dbURL, "import", "coverage", file, "--as-of", "2024-10-01", "--encoding", "windows-1252").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "imported latin.csv as of 2024-10-01: 14 address points") {
		t.Fatalf("import with --encoding windows-1252: %v\n%s", err, out)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM address_points WHERE locality = 'Växjö'").Scan(&n); err != nil || n != len(points) {
		t.Errorf("%d points in Växjö (err %v), want %d", n, err, len(points))
	}

	out, err = gigakoll(ctx, dbURL, "import", "coverage", file, "--as-of", "2023-10-01", "--encoding", "ebcdic").CombinedOutput()
	if err == nil || !strings.Contains(string(out), `--encoding: encoding "ebcdic": want one of utf-8,`) {
		t.Errorf("an unknown encoding: %v\n%s", err, out)
	}
}
