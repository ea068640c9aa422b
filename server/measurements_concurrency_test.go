package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// 2 000 submissions from 50 goroutines, some held back by the rate limit
// and some retries of an earlier one with its Idempotency-Key: afterwards
// the database holds exactly the measurements answered 201, each once.
func TestConcurrentSubmissionsAreStoredExactlyOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 1500, Per: time.Minute}})
	const total, workers = 2000, 50
	type answer struct {
		status int
		id     string
	}
	answers := make([]answer, total)
	jobs := make(chan int)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				// Submission 2k+1 retries submission 2k with the same key
				// and body, every fifth pair; the others are all different.
				n, key := i, ""
				if i%10 < 2 {
					n, key = i-i%2, fmt.Sprintf("pair-%d", i/2)
				}
				body := fmt.Sprintf(`{"down_mbps": %d.5, "up_mbps": 10, "lat": 56.66, "lon": 16.36, "source": "load"}`, n+1)
				req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/measurements", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if key != "" {
					req.Header.Set("Idempotency-Key", key)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("submission %d: %v", i, err)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answers[i].status = resp.StatusCode
				if resp.StatusCode == http.StatusCreated {
					var st measure.Stored
					if err := json.Unmarshal(b, &st); err != nil {
						t.Errorf("submission %d: %s", i, b)
					}
					answers[i].id = st.ID
				}
			}
		})
	}
	for i := range total {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	answered := map[string]bool{}
	statuses := map[int]int{}
	for i, a := range answers {
		statuses[a.status]++
		switch a.status {
		case http.StatusCreated:
			answered[a.id] = true
		case http.StatusTooManyRequests:
		default:
			t.Errorf("submission %d answered %d", i, a.status)
		}
	}
	if statuses[http.StatusTooManyRequests] == 0 || statuses[http.StatusCreated] < 1000 {
		t.Errorf("statuses %v: want most stored and some held back by the rate limit", statuses)
	}
	rows, err := pool.Query(context.Background(), `SELECT id::text FROM measurements`)
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(stored)
	if len(slices.Compact(slices.Clone(stored))) != len(stored) {
		t.Error("a measurement is stored twice")
	}
	for _, id := range stored {
		if !answered[id] {
			t.Errorf("measurement %s is stored but no submission was answered 201 for it", id)
		}
	}
	if len(stored) != len(answered) {
		t.Errorf("%d measurements stored, %d distinct ones answered 201", len(stored), len(answered))
	}
	// A pair answered 201 twice names one measurement.
	for i := 0; i+1 < total; i += 2 {
		a, b := answers[i], answers[i+1]
		if i%10 < 2 && a.status == 201 && b.status == 201 && a.id != b.id {
			t.Errorf("submissions %d and %d share a key and a body but were stored as %s and %s", i, i+1, a.id, b.id)
		}
	}
	t.Logf("statuses %v, %d stored", statuses, len(stored))
}
