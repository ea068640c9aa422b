//go:build reliability

// The slow reliability reruns (make reliability; README, "Reliability"):
// what must never regress, tried many times at random moments.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// figures is a digest of a snapshot's derived figures without its id or
// times: equal for two whole imports of one file.
//
// imports counts the audit entries of imports of the day.
func figures(t *testing.T, pool *pgxpool.Pool, asOf string) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `WITH sn AS (SELECT id FROM snapshots WHERE as_of = $1)
		SELECT concat_ws(' / ',
			(SELECT points || ',' || households || ',' || workplaces || ',' || rows FROM snapshots WHERE as_of = $1),
			(SELECT md5(coalesce(string_agg(concat_ws(',', kind, code, part, points, households, households_ge_1000, households_ge_100), '|' ORDER BY kind, code, part), ''))
			 FROM area_figures WHERE snapshot_id = (SELECT id FROM sn)),
			(SELECT md5(coalesce(string_agg(concat_ws(',', size, e, n, municipality_code, households), '|' ORDER BY size, e, n, municipality_code), ''))
			 FROM public_squares WHERE snapshot_id = (SELECT id FROM sn)),
			(SELECT count(*) FROM address_points WHERE snapshot_id = (SELECT id FROM sn)))`, asOf).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func imports(t *testing.T, pool *pgxpool.Pool, asOf string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'import' AND snapshot_as_of = $1`, asOf).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An import killed with SIGKILL at 20 random moments, from its first line
// to after its commit, leaves the database intact every time: exactly as
// it was, or (killed after the commit) with the whole snapshot and its
// audit entry, as a finished import leaves it; never a part of it.
func TestReliabilityKillImportAtRandomMoments(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", rulesCSV, "--as-of", "2024-10-01").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	big := bigFile(t, 60_000)
	const day = "2025-10-01"
	// The whole import, once, for its figures and its time.
	start := time.Now()
	if out, err := gigakoll(ctx, dbURL, "import", "coverage", big, "--as-of", day).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	took := time.Since(start)
	whole := figures(t, pool, day)
	if out, err := gigakoll(ctx, dbURL, "snapshots", "delete", day).CombinedOutput(); err != nil {
		t.Fatalf("delete: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 22))
	intact, committed := 0, 0
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		before, audited := state(t, pool), imports(t, pool, day)
		at := time.Duration(rng.Int64N(int64(took) * 12 / 10)) // up to a fifth past its usual end
		cmd := gigakoll(ctx, dbURL, "import", "coverage", big, "--as-of", day)
		var logs bytes.Buffer
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(at)
		cmd.Process.Kill()
		cmd.Wait()
		waitForBackends(t, pool, dbURL)
		var have int
		pool.QueryRow(ctx, "SELECT count(*) FROM snapshots WHERE as_of = $1", day).Scan(&have)
		var leftovers int
		pool.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = 'address_points_loading'
			OR relname LIKE 'address_points_s%' AND relkind = 'r' AND NOT relispartition`).Scan(&leftovers)
		switch {
		case leftovers > 0:
			t.Errorf("round %d, killed after %v: %d tables left behind", round, at, leftovers)
		case state(t, pool) == before:
			intact++
		case have == 1 && figures(t, pool, day) == whole && imports(t, pool, day) == audited+1:
			intact++
			committed++
			if out, err := gigakoll(ctx, dbURL, "snapshots", "delete", day).CombinedOutput(); err != nil {
				t.Fatalf("delete: %v\n%s", err, out)
			}
		default:
			t.Errorf("round %d, killed after %v (a whole import takes %v): the database is neither as before nor whole:\n%d snapshots of the day, figures %s\nbefore %s\nafter  %s\nlog: %s",
				round, at, took, have, figures(t, pool, day), before, state(t, pool), lastLine(logs.String()))
		}
	}
	t.Logf("%d of %d imports killed at random moments left the database intact (%d after their commit); a whole import takes %v",
		intact, rounds, committed, took.Round(time.Millisecond))
	if intact != rounds {
		t.Errorf("%d of %d intact", intact, rounds)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// Two servers on one database take submissions from clients that retry
// with their Idempotency-Key on the other server whenever an answer does
// not come (a timeout, a refused connection); one server or the other is
// killed with SIGKILL at random moments and started again. Afterwards
// every submission is stored exactly once: no 201 lost, no retry stored
// twice, although some commits' answers were lost with the process.
func TestReliabilityServerCrashesLoseNothing(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	ctx := context.Background()
	var mu sync.Mutex
	servers := []*serveProcess{startProcess(t, dbURL), startProcess(t, dbURL)}
	base := func(i int) string {
		mu.Lock()
		defer mu.Unlock()
		return servers[i%2].base
	}
	const total, workers, crashes = 3000, 8, 6
	ids := make([]string, total)
	var retries, replays atomic.Int64
	client := &http.Client{Timeout: 10 * time.Second}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				body := fmt.Sprintf(`{"down_mbps": %d.%03d, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615, "source": "crash"}`, 1+i/1000, i%1000)
				key := fmt.Sprintf("crash-%d", i)
				for try := 0; ; try++ {
					if try > 200 {
						t.Errorf("submission %d never stored", i)
						break
					}
					req, _ := http.NewRequest(http.MethodPost, base(i+try)+"/api/v1/measurements", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Idempotency-Key", key)
					resp, err := client.Do(req)
					if err != nil {
						retries.Add(1)
						time.Sleep(50 * time.Millisecond)
						continue
					}
					reply, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusServiceUnavailable {
						retries.Add(1)
						time.Sleep(50 * time.Millisecond)
						continue
					}
					var st struct{ ID string }
					if resp.StatusCode != http.StatusCreated || json.Unmarshal(reply, &st) != nil {
						t.Errorf("submission %d: %d %s", i, resp.StatusCode, reply)
						break
					}
					if resp.Header.Get("Idempotent-Replayed") == "true" {
						replays.Add(1)
					}
					ids[i] = st.ID
					break
				}
			}
		})
	}
	go func() {
		for i := range total {
			jobs <- i
		}
		close(jobs)
	}()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for c := range crashes {
		time.Sleep(time.Duration(500+rng.IntN(1500)) * time.Millisecond)
		mu.Lock()
		victim := servers[c%2]
		mu.Unlock()
		victim.kill(t)
		fresh := startProcess(t, dbURL)
		mu.Lock()
		servers[c%2] = fresh
		mu.Unlock()
	}
	wg.Wait()

	stored := map[string]bool{}
	rows, err := pool.Query(ctx, "SELECT id::text FROM measurements")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		stored[id] = true
	}
	lost := 0
	for _, id := range ids {
		if id != "" && !stored[id] {
			lost++
		}
	}
	t.Logf("%d submissions, %d server crashes (SIGKILL) and restarts: %d stored, %d duplicates, %d answers lost; %d retries, %d answered with the first answer",
		total, crashes, len(stored), len(stored)-total, lost, retries.Load(), replays.Load())
	if len(stored) != total || lost != 0 {
		t.Errorf("%d stored, want %d; %d 201s not stored", len(stored), total, lost)
	}
}
