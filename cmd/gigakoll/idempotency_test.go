package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// A client retries a measurement with its Idempotency-Key, as after a
// timeout: on a second server of the same database, on the first after a
// graceful restart, and after a crash (SIGKILL) and a start. Every answer is
// the first one, and the measurement is stored once.
func TestIdempotencyKeySurvivesRestartsAndServers(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	a, b := startProcess(t, dbURL), startProcess(t, dbURL)

	const body = `{"down_mbps": 95.5, "up_mbps": 12, "lat": 56.6632, "lon": 16.3615, "connection": "dsl"}`
	const key = "5a0d7b8e-4a4b-4c1e-9a57-0b8f9d1c2e3f"
	submit := func(base string) (int, string, bool) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/measurements", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var st struct{ ID string }
		_ = json.Unmarshal(raw, &st)
		return resp.StatusCode, st.ID, resp.Header.Get("Idempotent-Replayed") == "true"
	}

	status, first, _ := submit(a.base)
	if status != http.StatusCreated || first == "" {
		t.Fatalf("first submission: %d", status)
	}
	check := func(when, base string) {
		t.Helper()
		status, id, replayed := submit(base)
		if status != http.StatusCreated || id != first || !replayed {
			t.Errorf("%s: %d, id %s, replayed %v; want 201 with the first answer %s", when, status, id, replayed, first)
		}
	}
	check("on a second server", b.base)
	if _, err := a.stop(t, time.Minute); err != nil {
		t.Fatalf("the first server stopped with %v", err)
	}
	a = startProcess(t, dbURL)
	check("after a graceful restart", a.base)
	b.kill(t)
	b = startProcess(t, dbURL)
	check("after a crash and a start", b.base)
	check("on the first server again", a.base)

	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM measurements`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d measurements stored (err %v), want 1", n, err)
	}
}
