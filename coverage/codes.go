package coverage

import "github.com/gigakoll/gigakoll/tabular"

// Codes lists the kinds of problem a coverage import reports
// (Problem.Code): tabular's, for the reading, and the coverage format's own.
// A page that renders problems in its own language needs a text for each
// (web/templates/upload.html holds the Swedish ones). Their params:
//
//	column-without-header  position
//	column-twice           name, first, second
//	missing-column, sum-too-large   name
//	leading-zero           code: the value with its zero put back
//	too-long               max
//	technology-twice       point, other_line
//	households-disagree, workplaces-disagree, holiday-homes-disagree, municipality-disagrees   point, other, other_line
//	position-disagrees     point, metres, other_line
//	none-and-fixed         point, none_line, fixed_line
//	outside-municipality   point, located ("" outside every municipality), metres
//	future-date            as_of, today (the upload page's own check of the date)
var Codes = append(append([]string(nil), tabular.Codes...),
	"column-without-header", "unknown-column", "column-twice", "missing-column", "both-positions", "missing-position",
	"leading-zero", "not-municipality-code", "unknown-municipality", "unknown-technology", "status-with-none",
	"status-required", "unknown-status", "speed-with-none", "speed-too-high", "not-year", "postcode",
	"planned-year-ignored", "longitude", "latitude", "outside-sweden", "easting", "swapped", "northing",
	"technology-twice", "households-disagree", "workplaces-disagree", "holiday-homes-disagree",
	"municipality-disagrees", "position-disagrees", "none-and-fixed", "sum-too-large", "outside-municipality",
	"future-date", "no-rows",
)
