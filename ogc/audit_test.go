package ogc_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
)

func TestPagingThroughADownloadMakesOneAuditEntry(t *testing.T) {
	t.Parallel()
	g := newGISFixture(t)
	hdr := []string{"Authorization", basicAuth("qgis", g.token)}
	// GDAL before 3.8 asks for 10 a page; here 2, following the next links
	// as GDAL and QGIS do. The first page's next link asks for a full page.
	p, _ := g.page(t, "/collections/gaps/items?f=json&limit=2", hdr...)
	next := p.link("next")
	if !strings.Contains(next, "limit=1000") || !strings.Contains(next, "offset=2") {
		t.Fatalf("next link %q: want offset=2 and limit=1000", next)
	}
	pages, ids := 1, len(p.Features)
	for next != "" {
		u, _ := url.Parse(next)
		p, _ = g.page(t, strings.TrimPrefix(u.RequestURI(), "/ogc"), hdr...)
		pages, ids, next = pages+1, ids+len(p.Features), p.link("next")
	}
	if pages != 2 || ids != 9 {
		t.Errorf("%d pages of %d features, want 2 pages of the 9 gaps", pages, ids)
	}
	// Read again with a filter: another download.
	g.page(t, "/collections/gaps/items?technology=dsl", hdr...)

	entries, err := auth.NewStore(g.pool).AuditLog(context.Background(), auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var gaps []auth.Entry
	for _, e := range entries {
		if e.Action == auth.ActionGaps {
			gaps = append(gaps, e)
		}
	}
	if len(gaps) != 2 {
		t.Fatalf("%d gap entries, want 2 (one per download): %+v", len(gaps), gaps)
	}
	dsl, all := gaps[0], gaps[1] // newest first
	if all.Rows != 9 || all.Pages != 2 || all.Actor != "Kalmar GIS" || all.Municipality != "0880" || all.Format != "geojson" {
		t.Errorf("the download: %+v, want 9 rows in 2 pages by Kalmar GIS", all)
	}
	if dsl.Rows != 5 || dsl.Pages != 1 || !strings.Contains(dsl.Detail, "technology=dsl") {
		t.Errorf("the filtered download: %+v, want 5 rows in 1 page, its filter named", dsl)
	}

	// The HTML view keeps its page size: a person browsing asked for it.
	resp, b := get(t, "GET", g.base+"/collections/gaps/items?f=html&limit=2", hdr...)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "limit=2&amp;offset=2") {
		t.Errorf("the HTML view's next link should keep limit=2: %d", resp.StatusCode)
	}
}
