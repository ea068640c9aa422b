package replicas_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/replicas"
	"github.com/gigakoll/gigakoll/replicas/standbytest"
)

// These tests run against a real hot standby of the test's database
// (standbytest, made by scripts/replica.sh in make test).

func newSet(t *testing.T, pool *pgxpool.Pool, o replicas.Options) *replicas.Set {
	t.Helper()
	if o.CheckEvery == 0 {
		o.CheckEvery = 100 * time.Millisecond
	}
	set, err := replicas.New(context.Background(), pool, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(set.Close)
	return set
}

// eventually polls cond every 50 ms for up to 30 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second) // the machine may be busy with other tests
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s, still not %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func inRecovery(t *testing.T, set *replicas.Set, ctx context.Context) bool {
	t.Helper()
	var standby bool
	if err := set.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		t.Fatal(err)
	}
	return standby
}

func TestReadsGoToTheStandby(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	sb := standbytest.New(t, dbURL)
	set := newSet(t, pool, replicas.Options{URLs: []string{sb.URL}})
	ctx := set.Pin(context.Background())
	if !inRecovery(t, set, ctx) {
		t.Error("a pinned read ran on the primary, not the standby")
	}
	st := set.Status()
	if len(st) != 1 || !st[0].Up || st[0].Name != set.Target(ctx) || strings.Contains(st[0].Name, "gigakoll@") {
		t.Errorf("status %+v, target %q: want the standby up, named host:port/database", st, set.Target(ctx))
	}

	none := newSet(t, pool, replicas.Options{})
	if inRecovery(t, none, none.Pin(context.Background())) || none.Target(context.Background()) != "primary" {
		t.Error("without replicas, reads must go to the primary")
	}

	// The work after a write reads on the primary, also for a request
	// pinned to the standby, and also when it begins a transaction.
	onPrimary := replicas.OnPrimary(ctx)
	if inRecovery(t, set, onPrimary) || inRecovery(t, set, replicas.OnPrimary(context.Background())) || set.Target(onPrimary) != "primary" {
		t.Error("a read under OnPrimary ran on the standby")
	}
	tx, err := set.BeginTx(onPrimary, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var standby bool
	if err := tx.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil || standby {
		t.Errorf("a transaction under OnPrimary: in recovery %v (%v), want the primary", standby, err)
	}
}

func TestAStandbyBehindServesWhatItHas(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	sb := standbytest.New(t, dbURL)
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE TABLE published (id int)")
	exec("INSERT INTO published VALUES (1)")
	sb.CatchUp(pool)
	set := newSet(t, pool, replicas.Options{URLs: []string{sb.URL}})
	strict := newSet(t, pool, replicas.Options{URLs: []string{sb.URL}, MaxLag: 300 * time.Millisecond})

	sb.Pause()
	exec("INSERT INTO published VALUES (2)") // the next import, on the primary
	count := func(set *replicas.Set, ctx context.Context) (n int) {
		t.Helper()
		if err := set.QueryRow(ctx, "SELECT count(*) FROM published").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	eventually(t, "lagging by some seconds and bytes", func() bool {
		st := set.Status()[0]
		return st.Up && st.LagSeconds >= 0.5 && st.LagBytes > 0
	})
	pinned := set.Pin(ctx)
	if n := count(set, pinned); n != 1 {
		t.Errorf("the paused standby served %d rows, want the 1 it has", n)
	}
	var n int
	err := pgx.BeginTxFunc(pinned, set, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(pinned, "SELECT count(*) FROM published").Scan(&n)
	})
	if err != nil || n != 1 {
		t.Errorf("a read-only transaction on the standby saw %d rows (%v), want 1", n, err)
	}
	// With a bound on the lag, the standby is skipped: the primary answers.
	eventually(t, "skipped for its lag", func() bool { return strict.Status()[0].Lagging })
	if p := strict.Pin(ctx); strict.Target(p) != "primary" || count(strict, p) != 2 {
		t.Errorf("a standby beyond MaxLag must be skipped: target %q", strict.Target(p))
	}

	sb.Resume()
	// Caught up: its lag back under the strict bound, so reads go to it
	// again. Not a lag of 0 bytes: the primary is shared with other tests,
	// whose writes a standby replays a moment after they happen.
	eventually(t, "caught up", func() bool {
		return set.Status()[0].LagSeconds < 0.3 && !strict.Status()[0].Lagging
	})
	if p := strict.Pin(ctx); strict.Target(p) == "primary" {
		t.Error("a standby that caught up must be read from again")
	}
	sb.CatchUp(pool) // has replayed the second row
	if n := count(set, set.Pin(ctx)); n != 2 {
		t.Errorf("after catching up the standby served %d rows, want 2", n)
	}
}

func TestAStoppedStandbyIsSkippedAndComesBack(t *testing.T) {
	pool, dbURL := dbtest.NewWithURL(t)
	sb := standbytest.New(t, dbURL)
	set := newSet(t, pool, replicas.Options{URLs: []string{sb.URL}})
	ctx := context.Background()

	// Readers keep reading while the standby stops: every read is answered,
	// by the standby and then by the primary.
	var reads, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rctx, cancel := context.WithTimeout(set.Pin(ctx), 10*time.Second)
				var one int
				err := set.QueryRow(rctx, "SELECT 1").Scan(&one)
				cancel()
				reads.Add(1)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	sb.Stop()
	eventually(t, "skipped as unreachable", func() bool {
		st := set.Status()[0]
		return !st.Up && st.Reason == "unreachable"
	})
	if set.Target(set.Pin(ctx)) != "primary" {
		t.Error("with the standby down, reads must go to the primary")
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		err, _ := firstErr.Load().(error)
		t.Errorf("%d of %d reads failed while the standby stopped, the first: %v", n, reads.Load(), errors.Unwrap(err))
	}

	sb.Start()
	eventually(t, "back", func() bool { return set.Status()[0].Up })
	p := set.Pin(ctx)
	if set.Target(p) == "primary" || !inRecovery(t, set, p) {
		t.Error("once back, the standby must serve reads again")
	}
}
