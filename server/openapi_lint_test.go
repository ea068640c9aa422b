package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	osexec "os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// Redocly CLI (npm, web/package.json; make test runs npm ci) lints both
// OpenAPI documents the server serves with its recommended rules
// (web/redocly.yaml): an error fails the test, warnings are logged.
func TestOpenAPIDocumentsPassRedoclysLinter(t *testing.T) {
	t.Parallel()
	redocly, err := filepath.Abs("../web/node_modules/.bin/redocly")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(redocly); err != nil {
		t.Fatalf("Redocly CLI is not installed: run npm ci in web (make test does): %v", err)
	}
	ts, _ := mapServer(t, dbtest.New(t))
	dir := t.TempDir()
	for name, path := range map[string]string{"api-v1.json": "/api/v1/openapi.json", "ogc-api.json": "/ogc/api"} {
		t.Run(path, func(t *testing.T) {
			resp, body := mapFetch(t, ts.URL+path)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s = %d", path, resp.StatusCode)
			}
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, body, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := osexec.CommandContext(ctx, redocly, "lint", "--format=json", "--config", "../web/redocly.yaml", file)
			cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			runErr := cmd.Run()
			var report struct {
				Problems []struct {
					RuleID   string `json:"ruleId"`
					Severity string `json:"severity"`
					Message  string `json:"message"`
					Location []struct {
						Pointer string `json:"pointer"`
					} `json:"location"`
				} `json:"problems"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("redocly lint %s: %v (%v)\n%s\n%s", path, err, runErr, stdout.String(), stderr.String())
			}
			for _, p := range report.Problems {
				where := ""
				if len(p.Location) > 0 {
					where = p.Location[0].Pointer
				}
				if p.Severity == "error" {
					t.Errorf("%s: %s at %s: %s", path, p.RuleID, where, p.Message)
				} else {
					t.Logf("%s: %s (%s) at %s: %s", path, p.RuleID, p.Severity, where, p.Message)
				}
			}
		})
	}
}
