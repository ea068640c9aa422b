package e2e_test

import (
	"testing"

	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestOGCViews runs ogc.test.mjs: the OGC API's HTML views (landing page,
// collections, a collection, its schema and queryables, a page of items)
// answer in Swedish at desktop and phone width. The fixture is the map's.
func TestOGCViews(t *testing.T) {
	srv := e2e.Start(t, mapFixture)
	e2e.RunNode(t, srv.URL, "ogc.test.mjs")
}
