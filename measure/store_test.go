package measure_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func place(t *testing.T, st *measure.Store, body string) measure.Measurement {
	t.Helper()
	c, err := measure.Parse(stringsReader(body), time.Now(), "api")
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.Place(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func count(t *testing.T, pool *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSubmitStoresTheSquareOnly(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	// Kalmar cathedral.
	m := place(t, st, `{"down_mbps": 250.5, "up_mbps": 40, "latency_ms": 9.5, "lat": 56.6632, "lon": 16.3615,
		"connection": "fiber", "subscribed_down_mbps": 250, "source": "page"}`)
	got, err := st.Submit(ctx, m, "")
	if err != nil {
		t.Fatal(err)
	}
	// The square by PostGIS (PROJ), independent of geo.ToSWEREF.
	var wantE, wantN int
	if err := pool.QueryRow(ctx, `SELECT floor(ST_X(p) / 250) * 250, floor(ST_Y(p) / 250) * 250
		FROM ST_Transform(ST_SetSRID(ST_MakePoint(16.3615, 56.6632), 4326), 3006) AS p`).Scan(&wantE, &wantN); err != nil {
		t.Fatal(err)
	}
	wantSquare := fmt.Sprintf("250m-E%d-N%d", wantE, wantN)
	if got.Square != wantSquare || got.Municipality.Code != "0880" || got.Municipality.Name != "Kalmar" || got.Replayed {
		t.Errorf("stored %+v, want square %s in Kalmar", got, wantSquare)
	}
	if got.MeasuredAt.Minute() != 0 || got.MeasuredAt.Second() != 0 || time.Since(got.MeasuredAt) > time.Hour {
		t.Errorf("measured_at %v, want this hour", got.MeasuredAt)
	}
	var e, n int
	var muni, county, conn, source string
	var down, up, sub float64
	var latency *float64
	err = pool.QueryRow(ctx, `SELECT square_e, square_n, municipality_code, county_code, down_mbps, up_mbps, latency_ms,
		connection::text, subscribed_down_mbps, source FROM measurements WHERE id = $1`, got.ID).
		Scan(&e, &n, &muni, &county, &down, &up, &latency, &conn, &sub, &source)
	if err != nil {
		t.Fatal(err)
	}
	if e != wantE || n != wantN || muni != "0880" || county != "08" || down != 250.5 || up != 40 ||
		latency == nil || *latency != 9.5 || conn != "fiber" || sub != 250 || source != "page" {
		t.Errorf("row: %d %d %s %s %v %v %v %s %v %s", e, n, muni, county, down, up, latency, conn, sub, source)
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	body := `{"down_mbps": 90, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615}`

	first, err := st.Submit(ctx, place(t, st, body), "k-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.Submit(ctx, place(t, st, body), "k-1")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.ID != first.ID || again.Square != first.Square || !again.MeasuredAt.Equal(first.MeasuredAt) ||
		again.Municipality != first.Municipality {
		t.Errorf("replay %+v, want the first answer %+v", again, first)
	}
	// The same measurement written otherwise (fields reordered, a number
	// spelt differently, another position in the same square) is the same.
	same := `{"lon": 16.36151, "lat": 56.66321, "up_mbps": 10.0, "down_mbps": 9e1}`
	if r, err := st.Submit(ctx, place(t, st, same), "k-1"); err != nil || !r.Replayed || r.ID != first.ID {
		t.Errorf("the same measurement written otherwise: %+v %v, want the first answer", r, err)
	}
	// A store of its own (another server, or this one restarted) knows the key.
	if r, err := measure.NewStore(pool).Submit(ctx, place(t, st, body), "k-1"); err != nil || !r.Replayed || r.ID != first.ID {
		t.Errorf("another store: %+v %v, want the first answer", r, err)
	}
	if n := count(t, pool, "measurements"); n != 1 {
		t.Errorf("%d measurements after the replays, want 1", n)
	}

	for _, other := range []string{
		`{"down_mbps": 91, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615}`,
		`{"down_mbps": 90, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615, "connection": "fiber"}`,
		`{"down_mbps": 90, "up_mbps": 10, "lat": 57.6632, "lon": 16.3615}`,
	} {
		_, err = st.Submit(ctx, place(t, st, other), "k-1")
		if !errors.Is(err, measure.ErrIdempotencyMismatch) {
			t.Errorf("the same key with %s: %v, want ErrIdempotencyMismatch", other, err)
		}
	}
	if fresh, err := st.Submit(ctx, place(t, st, body), "k-2"); err != nil || fresh.Replayed || fresh.ID == first.ID {
		t.Errorf("a new key: %+v %v, want a new measurement", fresh, err)
	}
	if n := count(t, pool, "measurements"); n != 2 {
		t.Errorf("%d measurements, want 2", n)
	}
	if n := count(t, pool, "measurement_requests"); n != 2 {
		t.Errorf("%d idempotency records, want 2", n)
	}
	// The record holds the key's SHA-256, not the key.
	var raw int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM measurement_requests
		WHERE position(convert_to('k-1', 'UTF8') IN key_hash) > 0`).Scan(&raw); err != nil || raw != 0 {
		t.Errorf("a record holds the key itself (%d, %v)", raw, err)
	}
}

// A key's record lives 24 hours: a retry within them gets the first
// answer, one after them is a new measurement.
func TestIdempotencyKeyLivesADay(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	body := `{"down_mbps": 90, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615}`
	first, err := st.Submit(ctx, place(t, st, body), "a-day")
	if err != nil {
		t.Fatal(err)
	}
	age := func(d string) {
		if _, err := pool.Exec(ctx, `UPDATE measurement_requests SET created_at = date_trunc('hour', now()) - $1::interval`, d); err != nil {
			t.Fatal(err)
		}
	}
	age("23 hours")
	if r, err := st.Submit(ctx, place(t, st, body), "a-day"); err != nil || !r.Replayed || r.ID != first.ID {
		t.Errorf("23 hours on: %+v %v, want the first answer", r, err)
	}
	age("25 hours")
	r, err := st.Submit(ctx, place(t, st, body), "a-day")
	if err != nil || r.Replayed || r.ID == first.ID {
		t.Errorf("25 hours on: %+v %v, want a new measurement", r, err)
	}
	if r2, err := st.Submit(ctx, place(t, st, body), "a-day"); err != nil || !r2.Replayed || r2.ID != r.ID {
		t.Errorf("the key reused after a day is recognised anew: %+v %v", r2, err)
	}
}

func TestTheSameKeyAtOnceStoresOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	body := `{"down_mbps": 90, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615}`
	const n = 20
	answers := make([]measure.Stored, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i], errs[i] = st.Submit(context.Background(), place(t, st, body), "once")
		})
	}
	wg.Wait()
	fresh := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("submission %d: %v", i, errs[i])
		}
		if answers[i].ID != answers[0].ID {
			t.Errorf("answer %d names %s, answer 0 %s", i, answers[i].ID, answers[0].ID)
		}
		if !answers[i].Replayed {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d answers were not replays, want exactly 1", fresh)
	}
	if c := count(t, pool, "measurements"); c != 1 {
		t.Errorf("%d measurements, want 1", c)
	}
}

func TestAPositionOutsideSwedenIsNamed(t *testing.T) {
	t.Parallel()
	st := measure.NewStore(nil) // a position is placed without the database
	c, err := measure.Parse(stringsReader(`{"down_mbps": 1, "up_mbps": 1, "lat": 55.6761, "lon": 12.5683}`), time.Now(), "api")
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Place(context.Background(), c)
	if got := badFields(t, err); len(got) != 2 || got[0] != "lat" || got[1] != "lon" {
		t.Errorf("Copenhagen: %v", err)
	}
}
