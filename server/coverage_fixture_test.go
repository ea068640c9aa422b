package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// The coverage fixture: coverage/testdata/rules.csv as of 2024-10-01, and
// the same file without K1's fibre row as of 2023-10-01.
//
// Kalmar (0880) by hand from rules.csv, K1–K10: 160 households and 13
// workplaces. With fixed access to ≥ 1 Gbit/s in 2024: K1 (120 households,
// 4 workplaces, fibre connected) and K3 (1 household, fibre passed): 125 of
// 173. In 2023 K1 has only DSL: 1 of 173. The gap to se-2025-1g (98 %) in
// 2024: ceil(0.98 × 160) − 121 = 36 households, ceil(0.98 × 13) − 4 = 9
// workplaces.
var (
	fixture2023 = time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	fixture2024 = time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
)

const (
	kalmarTotal      = 173
	kalmar1G2024     = 125
	kalmar1G2023     = 1
	kalmarGapHH2024  = 36
	kalmarGapWP2024  = 9
	rulesFixturePath = "../coverage/testdata/rules.csv"
)

// rules2023 is rules.csv without K1's fibre row.
func rules2023(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(rulesFixturePath)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if strings.HasPrefix(line, "K1;") && strings.Contains(line, ";fiber;") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "")
}

// importCoverage lands data as the snapshot of asOf.
func importCoverage(t *testing.T, pool *pgxpool.Pool, name string, data io.Reader, asOf time.Time) coverage.Snapshot {
	t.Helper()
	res, err := coverage.NewStore(pool).Import(context.Background(), data, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf, Name: name})
	if err != nil {
		t.Fatalf("import %s as of %s: %v", name, asOf.Format(time.DateOnly), err)
	}
	return res.Snapshot
}

// coverageFixture is a database with both snapshots of the fixture.
func coverageFixture(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := dbtest.New(t)
	importCoverage(t, pool, "rules-2023.csv", strings.NewReader(rules2023(t)), fixture2023)
	f, err := os.Open(rulesFixturePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	importCoverage(t, pool, "rules.csv", f, fixture2024)
	return pool
}

// mapServer serves pool with a registry the test can read.
func mapServer(t *testing.T, pool *pgxpool.Pool) (*httptest.Server, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	h, err := server.New(server.Deps{
		Pool:         pool,
		Log:          slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Registry:     reg,
		QueryTimeout: 10 * time.Second,
		Version:      "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, reg
}

func serveHandler(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// mapFetch sends a GET with the headers given as name, value pairs.
func mapFetch(t *testing.T, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}
