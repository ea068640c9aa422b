package mobile

import (
	"github.com/gigakoll/gigakoll/coverage"
)

// Codes lists the kinds of problem a mobile import reports
// (tabular.Problem.Code): coverage's, which include tabular's reading and
// the header's, and the mobile format's own. The upload page has a Swedish
// text for each (web/templates/upload.html). Their params:
//
//	mobile-two-sizes      line, size: the first good row's line and size
//	mobile-not-corner     size
//	mobile-indoor-faster  outdoor: the row's outdoor speed in Mbit/s
//	mobile-operators      max
//	mobile-duplicate      e, n, lines: the square and the other rows' lines
var Codes = append(append([]string(nil), coverage.Codes...),
	"mobile-square-size", "mobile-two-sizes", "not-metres", "mobile-not-corner", "mobile-technology",
	"mobile-indoor-faster", "mobile-operators", "mobile-duplicate",
)
