package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The no-loss run's PostgreSQL cluster: one of its own, never 15/main,
// which other tests use. Created at the start and dropped at the end.
const (
	nolossCluster = "bench"
	nolossPort    = "5433"
	nolossTotal   = 20_000
	nolossWorkers = 16
)

// BenchmarkMeasureNoLoss sends 20 000 submissions to the gigakoll binary,
// each with an Idempotency-Key of its own, and restarts PostgreSQL (a
// cluster of its own, 15/bench on port 5433) once when half have been
// answered. Every answer must be 201 or 503 with Retry-After; a 503 is
// retried with the same key until it is a 201. Afterwards every first-try
// 201 must be in the database, the database must hold exactly 20 000
// measurements, and it reports how many first tries were 503 and how many
// of those had in fact been stored (the retry got the first answer back).
// Needs root (pg_createcluster) and Debian's postgresql-15.
//
//	make bench-measure    (or: go test ./bench -run '^$' -bench MeasureNoLoss -benchtime 1x -v)
func BenchmarkMeasureNoLoss(b *testing.B) {
	for _, tool := range []string{"pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "runuser"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Fatalf("%s is missing: the no-loss run needs Debian's postgresql-15 and root", tool)
		}
	}
	dbURL := nolossClusterUp(b)
	base := startGigakoll(b, dbURL)
	for range b.N {
		nolossRun(b, base, dbURL)
	}
}

type nolossAnswer struct {
	first    int    // the first try's status
	id       string // the measurement's id (from the final 201)
	tries    int
	replayed bool // the final 201 was the first answer of a try answered 503
	bad      string
}

func nolossRun(b *testing.B, base, dbURL string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `TRUNCATE measurements CASCADE`); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)

	answers := make([]nolossAnswer, nolossTotal)
	jobs := make(chan int)
	var done atomic.Int64
	var restart sync.Once
	restarted := make(chan time.Duration, 1)
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: nolossWorkers}}
	start := time.Now()
	var wg sync.WaitGroup
	for range nolossWorkers {
		wg.Go(func() {
			for i := range jobs {
				answers[i] = submitUntilStored(client, base, i)
				if done.Add(1) == nolossTotal/2 {
					restart.Do(func() {
						go func() {
							t := time.Now()
							out, err := exec.Command("pg_ctlcluster", "15", nolossCluster, "restart").CombinedOutput()
							if err != nil {
								b.Errorf("pg_ctlcluster restart: %v\n%s", err, out)
							}
							restarted <- time.Since(t)
						}()
					})
				}
			}
		})
	}
	for i := range nolossTotal {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	var restartTook time.Duration
	select {
	case restartTook = <-restarted:
	case <-time.After(time.Minute):
		b.Fatal("the restart never finished")
	}

	conn, err = pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id::text FROM measurements`)
	if err != nil {
		b.Fatal(err)
	}
	stored := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	statuses := map[int]int{}
	var retried, replayed, lost, maxTries int
	for i, a := range answers {
		statuses[a.first]++
		if a.bad != "" {
			b.Errorf("submission %d: %s", i, a.bad)
			continue
		}
		if a.first == http.StatusCreated && !stored[a.id] {
			lost++
		}
		if a.first == http.StatusServiceUnavailable {
			retried++
			if a.replayed {
				replayed++
			}
		}
		maxTries = max(maxTries, a.tries)
	}
	if lost > 0 {
		b.Errorf("%d submissions answered 201 are not in the database", lost)
	}
	if len(stored) != nolossTotal {
		b.Errorf("the database holds %d measurements after every submission was stored once, want %d", len(stored), nolossTotal)
	}
	for st := range statuses {
		if st != http.StatusCreated && st != http.StatusServiceUnavailable {
			b.Errorf("%d first tries answered %d: only 201 and 503 are allowed", statuses[st], st)
		}
	}
	b.ReportMetric(float64(statuses[http.StatusServiceUnavailable]), "first-503s")
	b.ReportMetric(float64(lost), "lost-201s")
	b.ReportMetric(float64(nolossTotal)/elapsed.Seconds(), "req/s")
	b.Logf("%d submissions in %.1f s (%.0f/s), PostgreSQL restarted after %d (pg_ctlcluster took %.1f s)",
		nolossTotal, elapsed.Seconds(), float64(nolossTotal)/elapsed.Seconds(), nolossTotal/2, restartTook.Seconds())
	b.Logf("first tries: %d answered 201, %d answered 503 with Retry-After, others %d",
		statuses[http.StatusCreated], statuses[http.StatusServiceUnavailable],
		nolossTotal-statuses[http.StatusCreated]-statuses[http.StatusServiceUnavailable])
	b.Logf("every 201 in the database: %v (%d lost); rows %d, want %d", lost == 0, lost, len(stored), nolossTotal)
	b.Logf("the %d 503s were retried with their Idempotency-Key until 201 (at most %d tries); %d of them had been stored after all and got their first answer back",
		retried, maxTries, replayed)
}

// submitUntilStored sends submission i, and again with the same key after
// a 503, until it is a 201; anything else is recorded as bad.
func submitUntilStored(client *http.Client, base string, i int) nolossAnswer {
	body := fmt.Sprintf(`{"down_mbps": %d.%03d, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615, "source": "noloss"}`, 1+i/1000, i%1000)
	key := fmt.Sprintf("noloss-%d", i)
	var a nolossAnswer
	wait := 100 * time.Millisecond
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		a.tries++
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/measurements", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := client.Do(req)
		if err != nil {
			a.bad = fmt.Sprintf("try %d: %v", a.tries, err)
			return a
		}
		reply, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if a.tries == 1 {
			a.first = resp.StatusCode
		}
		switch resp.StatusCode {
		case http.StatusCreated:
			var st struct{ ID string }
			if err := json.Unmarshal(reply, &st); err != nil || st.ID == "" {
				a.bad = fmt.Sprintf("a 201 without an id: %s", reply)
			}
			a.id = st.ID
			a.replayed = a.tries > 1 && resp.Header.Get("Idempotent-Replayed") == "true"
			return a
		case http.StatusServiceUnavailable:
			if resp.Header.Get("Retry-After") == "" {
				a.bad = "a 503 without Retry-After"
				return a
			}
			time.Sleep(wait) // shorter than Retry-After, to keep the run short
			wait = min(2*wait, time.Second)
		default:
			a.bad = fmt.Sprintf("try %d answered %d: %s", a.tries, resp.StatusCode, reply)
			return a
		}
	}
	a.bad = "still not stored after two minutes"
	return a
}

// nolossClusterUp creates the cluster 15/bench on port 5433 with a
// superuser and a database for gigakoll, and drops it when the run ends.
func nolossClusterUp(b *testing.B) string {
	b.Helper()
	drop := func() {
		exec.Command("pg_dropcluster", "--stop", "15", nolossCluster).Run() // absent: nothing to do
	}
	drop()
	run := func(name string, args ...string) {
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("pg_createcluster", "15", nolossCluster, "--port", nolossPort, "--start")
	b.Cleanup(drop)
	psql := func(sql string) {
		run("runuser", "-u", "postgres", "--", "psql", "-p", nolossPort, "-v", "ON_ERROR_STOP=1", "-qc", sql)
	}
	psql(`CREATE ROLE gkbench LOGIN SUPERUSER PASSWORD 'gkbench'`)
	psql(`CREATE DATABASE gk_noloss OWNER gkbench`)
	return "postgres://gkbench:gkbench@127.0.0.1:" + nolossPort + "/gk_noloss?sslmode=disable"
}

// startGigakoll builds the binary, serves it on a free loopback port over
// dbURL (it migrates at start) with the rate limit off, and stops it with
// SIGTERM at the end. It returns the base URL once /readyz answers 200.
func startGigakoll(b *testing.B, dbURL string) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "gigakoll")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/gigakoll").CombinedOutput(); err != nil {
		b.Fatalf("build gigakoll: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logs, err := os.Create(filepath.Join(b.TempDir(), "gigakoll.log"))
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "GIGAKOLL_ADDR="+addr, "GIGAKOLL_MEASURE_RATE=off",
		"GIGAKOLL_LOG_FORMAT=json", "GIGAKOLL_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		logs.Close()
		if b.Failed() {
			text, _ := os.ReadFile(logs.Name())
			b.Logf("gigakoll's log:\n%s", text)
		}
	})
	base := "http://" + addr
	for deadline := time.Now().Add(2 * time.Minute); ; {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("gigakoll did not get ready: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
