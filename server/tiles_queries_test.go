package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// queryCounter counts the statements sent to the database, and those that
// make a tile (ST_AsMVT).
type queryCounter struct {
	mu           sync.Mutex
	total, tiles int
}

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	if strings.Contains(d.SQL, "ST_AsMVT(") {
		c.tiles++
	}
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *queryCounter) take() (total, tiles int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	total, tiles, c.total, c.tiles = c.total, c.tiles, 0, 0
	return total, tiles
}

// A cold tile costs the database one statement, its own: which snapshot it
// shows comes from memory (the list read at most every few seconds), and a
// warm tile costs none.
func TestColdTilesCostOneQueryEach(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	counter := &queryCounter{}
	cfg := pool.Config().Copy()
	cfg.ConnConfig.Tracer = counter
	traced, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	ts, _ := mapServer(t, traced)
	get := func(path string) {
		resp, body := mapFetch(t, ts.URL+path)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	get("/tiles/squares/14/9000/4800.mvt") // the first reads the snapshots and the targets
	first, _ := counter.take()
	refresh := first - 1 // one refresh of the list, should the test outlast its few seconds

	var paths []string
	for _, layer := range []string{"squares", "municipalities"} {
		for z, base := range map[int][2]int{8: {139, 78}, 10: {558, 314}, 12: {2233, 1257}, 14: {8935, 5046}} {
			for d := range 3 {
				paths = append(paths, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, z, base[0]+d, base[1]))
			}
		}
	}
	for _, p := range paths {
		get(p)
	}
	total, tiles := counter.take()
	if tiles != len(paths) || total-tiles > refresh {
		t.Errorf("%d cold tiles sent %d statements, %d of them tiles; want one tile query each and at most one refresh (%d) besides",
			len(paths), total, tiles, refresh)
	}
	for _, p := range paths {
		get(p)
	}
	if total, tiles := counter.take(); tiles != 0 || total > refresh {
		t.Errorf("the same %d tiles again sent %d statements, %d of them tiles; want none from the cache", len(paths), total, tiles)
	}
}
