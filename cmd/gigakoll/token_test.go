package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// gk runs the CLI as a user does and returns stdout, stderr and the error.
func gk(t *testing.T, dbURL string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(map[string]string{"DATABASE_URL": dbURL, "USER": "tester"}),
		strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestTokensGapReportAndAuditFromTheCommandLine(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)

	out, errOut, err := gk(t, dbURL, "token", "create", "--role", "municipality", "--municipality", "0880,0881", "--name", "Kalmar och Nybro", "--expires", "90d")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, errOut)
	}
	secret := strings.TrimSpace(out)
	if !regexp.MustCompile(`^gk_[A-Za-z0-9_-]{43}$`).MatchString(secret) {
		t.Fatalf("token create printed %q: want gk_ and 43 base64url characters, alone on stdout", out)
	}
	if !strings.Contains(errOut, "shown only this once") {
		t.Errorf("token create should say the token is shown once: %s", errOut)
	}
	for _, bad := range [][]string{
		{"token", "create", "--role", "municipality", "--name", "x"},                           // no municipality
		{"token", "create", "--role", "coordinator", "--municipality", "0880", "--name", "x"},  // a coordinator sees all
		{"token", "create", "--role", "municipality", "--municipality", "9999", "--name", "x"}, // no such municipality
		{"token", "create", "--role", "admin", "--name", "x"},                                  // no such role
		{"token", "create", "--role", "coordinator", "--name", "x", "--expires", "tomorrow"},   // a bad lifetime
	} {
		if _, _, err := gk(t, dbURL, bad...); err == nil {
			t.Errorf("%v should fail", bad)
		}
	}

	out, _, err = gk(t, dbURL, "token", "list")
	if err != nil || !strings.Contains(out, "Kalmar och Nybro") || !strings.Contains(out, "0880,0881") || !strings.Contains(out, "active") {
		t.Fatalf("token list: %v\n%s", err, out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, secret[len(secret)-20:]) {
		t.Error("token list shows the secret")
	}

	if _, errOut, err := gk(t, dbURL, "import", "coverage", "../../coverage/testdata/gaps.csv", "--as-of", "2024-10-01"); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	file := filepath.Join(t.TempDir(), "gap.csv")
	if _, errOut, err := gk(t, dbURL, "report", "gaps", "--municipality", "0880", "--format", "csv", "-o", file); err != nil {
		t.Fatalf("report gaps: %v\n%s", err, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// testdata/gaps.csv: every 0880 point but G1 lacks 1 Gbit/s (coverage's
	// gaps_test.go checks each row against an independent computation).
	if lines := strings.Count(string(b), "\n"); !strings.HasPrefix(string(b), "\uFEFFAdress-id;") || lines != 10 {
		t.Errorf("report gaps wrote %d lines:\n%s", lines, b)
	}

	out, _, err = gk(t, dbURL, "audit", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cli:", "import", "gaps.csv", "gap-0880-se-2025-1g-2024-10-01.csv"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit list lacks %q:\n%s", want, out)
		}
	}

	out, _, err = gk(t, dbURL, "token", "revoke", "1")
	if err != nil || !strings.Contains(out, "revoked token 1") {
		t.Errorf("token revoke: %v %s", err, out)
	}
	if out, _, _ := gk(t, dbURL, "token", "list"); !strings.Contains(out, "revoked") {
		t.Errorf("token list after revoke:\n%s", out)
	}
}
