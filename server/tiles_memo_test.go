package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// While the list of snapshots cannot be read (an import holding a lock on
// it, a slow database), public tiles are still answered from the list read
// last: no tile waits behind the refresh, which before held a mutex across
// the database call and made every tile wait, then fail, with it.
func TestTilesDoNotWaitForASlowRefresh(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	tile := func(path string) int {
		resp, _ := fx.do(t, route{method: "GET", path: path}, public)
		return resp.StatusCode
	}
	if got := tile("/tiles/squares/14/8935/5046.mvt"); got != http.StatusOK && got != http.StatusNoContent {
		t.Fatalf("a tile: %d", got)
	}
	ctx := context.Background()
	tx, err := fx.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "LOCK TABLE snapshots IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5100 * time.Millisecond) // the list read last is due for a refresh (coverageMemoTTL)
	for _, path := range []string{"/tiles/squares/14/8936/5046.mvt", "/tiles/squares/14/8935/5047.mvt", "/tiles/squares/13/4467/2523.mvt"} {
		if got := tile(path); got != http.StatusOK && got != http.StatusNoContent {
			t.Errorf("%s while the snapshots are locked: %d, want the tile", path, got)
		}
	}
}
