package server_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

// Each answer reads one state of the database: the gap report's figures
// and its list, an OGC page's numberMatched and its features. A re-import
// of the snapshot lands while each request is held (it waits for a lock on
// the targets table, after its first read): the answer is the old snapshot
// whole or the new one whole, never the old figures over an empty list or a
// numberMatched of features the page lacks.
func TestAnswersReadOneStateOfTheDatabase(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	raw, err := os.ReadFile("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	versions := []string{
		strings.NewReplacer(";40;2;", ";80;2;", ";3;0;0;", ";6;0;0;").Replace(string(raw)),
		string(raw),
	}
	get := func(path string) string {
		resp, b := fx.do(t, route{method: "GET", path: path}, coordinator)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	for i, path := range []string{
		"/api/v1/municipalities/0880/gaps?format=csv",
		"/api/v1/municipalities/0880/gaps?format=xlsx",
		"/ogc/collections/gaps/items?limit=3",
		"/api/v1/municipalities/0880",
	} {
		comparable := func(body string) string { // an OGC page's timeStamp differs from one answer to the next
			var page map[string]any
			if strings.HasPrefix(path, "/ogc/") && json.Unmarshal([]byte(body), &page) == nil {
				delete(page, "timeStamp")
				b, _ := json.Marshal(page)
				return string(b)
			}
			return body
		}
		old := comparable(get(path))
		ctx := context.Background()
		tx, err := fx.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "LOCK TABLE targets IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		held := make(chan string, 1)
		go func() {
			resp, b := fx.do(t, route{method: "GET", path: path}, coordinator)
			if resp.StatusCode != 200 {
				t.Errorf("%s while re-imported: %d %s", path, resp.StatusCode, b)
			}
			held <- comparable(string(b))
		}()
		waitForLockWait(t, fx)
		if _, err := coverage.NewStore(fx.pool).Import(ctx, strings.NewReader(versions[i%2]), coverage.ImportOptions{
			Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
			t.Fatal(err)
		}
		tx.Rollback(ctx)
		got := <-held
		now := comparable(get(path))
		if now == old {
			t.Fatalf("%s: the re-import changed nothing: the test proves nothing", path)
		}
		if got != old && got != now {
			t.Errorf("%s while re-imported is neither the old answer nor the new:\n got %.600s\n old %.600s\n new %.600s", path, got, old, now)
		}
	}
}

// waitForLockWait waits until a request of the fixture's server waits for a lock.
func waitForLockWait(t *testing.T, fx *authzFixture) {
	t.Helper()
	for range 300 {
		var n int
		fx.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the request never waited for the lock")
}
