package e2e_test

import (
	"testing"

	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestMap runs map.test.mjs: the map draws the municipalities with the API's
// shares, clicking Kalmar opens its panel, the year picker and the class
// toggle change the figures, the keyboard reaches all of it, and the squares
// appear when zoomed in. The fixture is three years of the demo data.
func TestMap(t *testing.T) {
	srv := e2e.Start(t, mapFixture)
	e2e.RunNode(t, srv.URL, "map.test.mjs")
}
