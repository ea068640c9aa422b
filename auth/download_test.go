package auth_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func TestPagesOfOneDownloadMakeOneAuditEntry(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	s := auth.NewStore(pool)
	page := func(key string, rows, end int64) {
		t.Helper()
		e := auth.Entry{Actor: "Kalmar GIS", Action: auth.ActionGaps, Municipality: "0880", Format: "geojson", Rows: rows, Detail: "ogc gaps"}
		if err := s.AuditPage(ctx, key, e, end); err != nil {
			t.Fatal(err)
		}
	}
	// GDAL before 3.8: 10 features to learn the fields, then from the start
	// again: 10, then pages of 1000 through the next links.
	page("gdal", 10, 10)
	page("gdal", 10, 10)
	page("gdal", 1000, 1010)
	page("gdal", 191, 1201)
	// Another filter is another download; two pages of it at once take turns.
	var wg sync.WaitGroup
	for _, end := range []int64{500, 1000} {
		wg.Go(func() { page("other", 500, end) })
	}
	wg.Wait()

	entries, err := s.AuditLog(ctx, auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string][]auth.Entry{}
	for _, e := range entries {
		byKey[e.DownloadKey] = append(byKey[e.DownloadKey], e)
	}
	if g := byKey["gdal"]; len(g) != 1 || g[0].Rows != 1201 || g[0].Pages != 4 {
		t.Errorf("GDAL's download: %+v, want one entry of 1201 rows in 4 pages", g)
	}
	if o := byKey["other"]; len(o) != 1 || o[0].Rows != 1000 || o[0].Pages != 2 {
		t.Errorf("the other download: %+v, want one entry of 1000 rows in 2 pages", o)
	}

	// Pages read after the window are a download of their own.
	if _, err := pool.Exec(ctx, "UPDATE audit_log SET last_at = last_at - interval '11 minutes' WHERE download_key = 'gdal'"); err != nil {
		t.Fatal(err)
	}
	page("gdal", 10, 10)
	entries, err = s.AuditLog(ctx, auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.DownloadKey == "gdal" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d entries of GDAL's key, want 2: a page 11 minutes after the last one starts another download", n)
	}
}
