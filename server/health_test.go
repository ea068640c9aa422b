package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

func newServer(t *testing.T, pool *pgxpool.Pool) *httptest.Server {
	t.Helper()
	h, err := server.New(server.Deps{
		Pool:         pool,
		Log:          slog.New(slog.DiscardHandler),
		Registry:     prometheus.NewRegistry(),
		QueryTimeout: 2 * time.Second,
		Version:      "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ts := newServer(t, pool)

	if code, body := get(t, ts.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("readyz on a migrated database = %d %s, want 200", code, body)
	}

	// Make the database unreachable: refuse new connections and end the
	// open ones, as a restart or a network cut would.
	admin := adminPool(t)
	name := strings.TrimPrefix(mustParse(t, dbURL).Path, "/")
	exec(t, admin, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false")
	exec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
	code, body := get(t, ts.URL+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database unreachable = %d %s, want 503", code, body)
	}
	var reply struct{ Status, Check, Reason string }
	if err := json.Unmarshal([]byte(body), &reply); err != nil || reply.Check != "database" || reply.Reason == "" {
		t.Errorf("503 body %q should name the database check and the reason (err %v)", body, err)
	}
	u := mustParse(t, dbURL)
	noConnectionDetails(t, body, u.User.Username(), name, u.Hostname(), u.Port(), "127.0.0.1", "::1", "localhost", "user=", "host=")
	if code, _ := get(t, ts.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("healthz with the database unreachable = %d, want 200: the process is up", code)
	}

	exec(t, admin, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true")
	if code, body := get(t, ts.URL+"/readyz"); code != http.StatusOK {
		t.Errorf("readyz after the database is back = %d %s, want 200", code, body)
	}
}

func TestReadyzNoServer(t *testing.T) {
	t.Parallel()
	pool, err := pgxpool.New(context.Background(), "postgres://nobody:x@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ts := newServer(t, pool)
	code, body := get(t, ts.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"check":"database"`) {
		t.Errorf("readyz with no database server = %d %s, want 503 naming the database check", code, body)
	}
	noConnectionDetails(t, body, "nobody", "none", "127.0.0.1", ":1", "connect", "dial", "refused")
}

// noConnectionDetails fails when /readyz's answer, which anyone may read,
// holds any of the database's connection details.
func noConnectionDetails(t *testing.T, body string, details ...string) {
	t.Helper()
	for _, d := range details {
		if d != "" && strings.Contains(body, d) {
			t.Errorf("readyz tells anyone %q: %s", d, body)
		}
	}
}

func TestReadyzSchemaBehind(t *testing.T) {
	t.Parallel()
	ts := newServer(t, dbtest.Empty(t))
	code, body := get(t, ts.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "migrate") {
		t.Errorf("readyz on an unmigrated database = %d %s, want 503 saying to migrate", code, body)
	}
}

func TestMetricsByRoutePattern(t *testing.T) {
	t.Parallel()
	ts := newServer(t, dbtest.New(t))
	get(t, ts.URL+"/healthz")
	get(t, ts.URL+"/no/such/path/12345")
	code, body := get(t, ts.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("metrics = %d", code)
	}
	for _, want := range []string{
		`gigakoll_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`,
		`gigakoll_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
		`gigakoll_db_pool_max_conns`,
		`gigakoll_db_pool_acquires_total`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "12345") {
		t.Error("metrics hold a raw request path: labels must be route patterns")
	}
}

func adminPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(context.Background(), dbtest.ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func exec(t *testing.T, p *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := p.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
