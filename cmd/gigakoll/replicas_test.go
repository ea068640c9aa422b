package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/replicas/standbytest"
)

// gigakoll serve with GIGAKOLL_READ_URL naming a real hot standby: the map's
// tiles, the API, OGC and the reports show the snapshots the standby has,
// also while it is behind an import; /readyz and /metrics report its lag;
// when it stops every request is still answered, by the primary, and when
// it starts again it is read from once more.
func TestServeReadsFromTheReplica(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	sb := standbytest.New(t, dbURL)
	ctx := context.Background()
	sbURL, err := url.Parse(sb.URL)
	if err != nil {
		t.Fatal(err)
	}
	sbHost, sbPort := sbURL.Hostname(), ":"+sbURL.Port()
	importAs := func(asOf string) {
		t.Helper()
		if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", asOf).CombinedOutput(); err != nil {
			t.Fatalf("import %s: %v\n%s", asOf, err, out)
		}
	}
	importAs("2023-10-01")
	sb.CatchUp(pool)
	base, stop, logs := startServe(t, map[string]string{"DATABASE_URL": dbURL, "GIGAKOLL_READ_URL": sb.URL,
		"GIGAKOLL_READ_CHECK_EVERY": "100ms", "GIGAKOLL_MEASURE_RATE": "off"})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, logs)
		}
	}()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	latest := func() string {
		t.Helper()
		code, body := get("/api/v1/snapshots")
		var s struct{ Latest string }
		if code != http.StatusOK || json.Unmarshal([]byte(body), &s) != nil {
			t.Fatalf("/api/v1/snapshots: %d %s", code, body)
		}
		return s.Latest
	}
	type replicaJSON struct {
		Name       string
		Status     string
		LagSeconds float64 `json:"lag_seconds"`
		LagBytes   int64   `json:"lag_bytes"`
	}
	ready := func() replicaJSON {
		t.Helper()
		code, body := get("/readyz")
		var r struct {
			Status   string
			Replicas []replicaJSON
		}
		if code != http.StatusOK || json.Unmarshal([]byte(body), &r) != nil || r.Status != "ready" || len(r.Replicas) != 1 {
			t.Fatalf("/readyz: %d %s", code, body)
		}
		if r.Replicas[0].Name != "replica-1" || strings.Contains(body, sbHost) || strings.Contains(body, sbPort) {
			t.Fatalf("/readyz names the replica by its address (anyone may ask): %s", body)
		}
		return r.Replicas[0]
	}
	metric := func(name string) float64 {
		t.Helper()
		_, body := get("/metrics")
		m := regexp.MustCompile(`(?m)^` + name + `\{replica="[^"]+"\} (\S+)$`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("/metrics lacks %s:\n%.2000s", name, body)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second) // the machine may be busy with other tests
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("after 60 s, still not %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// The standby behind an import serves the snapshot it has, in every channel.
	sb.Pause()
	importAs("2024-10-01")
	waitFor("lagging in /readyz", func() bool { r := ready(); return r.Status == "up" && r.LagSeconds > 0 && r.LagBytes > 0 })
	time.Sleep(5100 * time.Millisecond) // the tiles' list of snapshots is kept 5 s
	if got := latest(); got != "2023-10-01" {
		t.Errorf("/api/v1/snapshots: latest %s, want the standby's 2023-10-01", got)
	}
	if code, body := get("/api/v1/targets"); code != http.StatusOK || !strings.Contains(body, `"as_of":"2023-10-01"`) {
		t.Errorf("/api/v1/targets: %d %.300s, want the report as of 2023-10-01", code, body)
	}
	if code, body := get("/ogc/collections/municipalities/items?limit=1&f=json"); code != http.StatusOK || !strings.Contains(body, `"as_of":"2023-10-01"`) {
		t.Errorf("OGC municipalities: %d %.300s, want features as of 2023-10-01", code, body)
	}
	if code, _ := get("/tiles/municipalities/0/0/0.mvt"); code != http.StatusOK {
		t.Errorf("a tile of the latest snapshot: %d, want 200", code)
	}
	if code, _ := get("/tiles/municipalities/0/0/0.mvt?as_of=2024-10-01"); code != http.StatusNotFound {
		t.Errorf("a tile of the snapshot the standby lacks: %d, want 404", code)
	}
	if up, lag := metric("gigakoll_db_replica_up"), metric("gigakoll_db_replica_lag_bytes"); up != 1 || lag <= 0 {
		t.Errorf("/metrics: replica up %v, lag %v bytes; want 1 and more than 0", up, lag)
	}

	// Stopped, it is skipped: every request is answered, by the primary.
	sb.Stop()
	waitFor("unreachable in /readyz", func() bool { return ready().Status == "unreachable" })
	time.Sleep(5100 * time.Millisecond)
	for range 20 {
		if got := latest(); got != "2024-10-01" {
			t.Fatalf("with the standby stopped, latest %s, want the primary's 2024-10-01", got)
		}
	}
	if code, _ := get("/tiles/municipalities/0/0/0.mvt?as_of=2024-10-01"); code != http.StatusOK {
		t.Errorf("with the standby stopped, a 2024 tile: %d, want 200 from the primary", code)
	}
	if up := metric("gigakoll_db_replica_up"); up != 0 {
		t.Errorf("/metrics: replica up %v with the standby stopped, want 0", up)
	}

	// Started again (replaying what it missed), it is read from once more:
	// paused again, it hides the next import.
	sb.Start()
	waitFor("up in /readyz", func() bool { return ready().Status == "up" })
	sb.CatchUp(pool) // replayed what it missed (not a lag of 0 bytes: other tests write on the primary)
	sb.Pause()
	importAs("2025-10-01")
	waitFor("lagging again", func() bool { return ready().LagBytes > 0 })
	time.Sleep(5100 * time.Millisecond)
	if got := latest(); got != "2024-10-01" {
		t.Errorf("back and paused again: latest %s, want the standby's 2024-10-01", got)
	}
}
