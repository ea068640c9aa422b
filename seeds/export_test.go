package seeds

import "github.com/gigakoll/gigakoll/geo"

// OnLand reports whether the generator's land mask has p on land, for the
// external tests.
func OnLand(g *Generator, p geo.SWEREF) bool { return g.ly.mask.land(p) }
