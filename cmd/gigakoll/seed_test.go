package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// seed generate --scope sweden writes one gzip file, 2024, that the import
// takes whole: municipalities from all over the country, every point inside
// its municipality (no warning).
func TestSeedGenerateSweden(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := dbtest.NewWithURL(t)
	dir := t.TempDir()
	out, err := gigakoll(ctx, dbURL, "seed", "generate", "--scope", "sweden", "--scale", "0.004", "--out", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("seed generate --scope sweden: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	want := filepath.Join(dir, "coverage-sweden-2024-10-01.csv.gz")
	if len(files) != 1 || files[0] != want {
		t.Fatalf("wrote %v, want only %s", files, want)
	}
	out, err = gigakoll(ctx, dbURL, "import", "coverage", want, "--as-of", "2024-10-01").CombinedOutput()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if m := regexp.MustCompile(`imported \S+ as of 2024-10-01: \d+ address points, \d+ rows, \d+ households, \d+ workplaces, 0 warnings`).Find(out); m == nil {
		t.Errorf("import output lacks the summary with 0 warnings:\n%s", out)
	}
	var counties, municipalities int
	err = pool.QueryRow(ctx, `SELECT count(DISTINCT left(municipality_code, 2)), count(DISTINCT municipality_code)
		FROM address_points`).Scan(&counties, &municipalities)
	if err != nil {
		t.Fatal(err)
	}
	if counties != 21 || municipalities < 250 {
		t.Errorf("points in %d counties and %d municipalities, want all 21 and most of the 290 at this small scale", counties, municipalities)
	}
}

func TestSeedGenerateRefusesAnUnknownScope(t *testing.T) {
	t.Parallel()
	var stderr syncBuffer
	err := run(context.Background(), []string{"seed", "generate", "--scope", "norden", "--out", t.TempDir()},
		env(nil), strings.NewReader(""), os.Stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `--scope "norden": want kalmar or sweden`) {
		t.Errorf("err = %v, want it to name --scope and the two scopes", err)
	}
}
