package e2e_test

import (
	"testing"

	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestLayout runs layout.test.mjs: every page answers in Swedish with the
// shared layout, the menu works by keyboard, the 404 page is Swedish, and
// this Chromium has WebGL2 for MapLibre. It needs no data of its own.
func TestLayout(t *testing.T) {
	srv := e2e.Start(t, nil)
	e2e.RunNode(t, srv.URL, "layout.test.mjs")
}
