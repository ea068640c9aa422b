package projects

// Codes lists the kinds of problem a register import reports
// (Problem.Code). The upload page has a Swedish text for each
// (web/templates/upload.html). Their params:
//
//	p-json, p-cut-short, p-more-follows   byte
//	p-start-after-completion              completion
//	p-funding-above-cost                  funding, cost (SEK)
//	p-no-rings, p-position, p-ring-open   ring ("ring 0", "polygon 1, ring 0")
//	p-ring-short                          ring, positions
//	p-not-wgs84, p-sweref                 position ("x y")
//	p-unknown-properties                  names
//	p-id-twice                            other (the feature whose id it also is)
//	p-invalid-polygon                     reason (PostGIS's, in English)
//	p-overlaps                            other, other_id, area
var Codes = []string{
	"gzip-damaged", "p-json", "p-cut-short", "p-unreadable", "p-empty-file", "p-not-object", "p-more-follows",
	"p-collection-type", "p-crs-form", "p-crs", "p-features-array", "p-no-projects", "p-unknown-properties",
	"p-not-feature", "p-properties-object", "p-feature-type", "p-id-length", "p-id-twice", "p-status",
	"p-start-after-completion", "p-speed-zero", "p-speed", "p-amount", "p-missing", "p-not-text", "p-empty",
	"p-number-not-text", "p-not-number", "p-year-missing", "p-year", "p-funding-list", "p-funding-source-missing",
	"p-funding-source", "p-amount-missing", "p-funding-above-cost", "p-geometry-missing", "p-geometry-object",
	"p-coordinates", "p-geometry-type", "p-no-polygons", "p-no-rings", "p-position", "p-not-wgs84", "p-sweref",
	"p-ring-short", "p-ring-open", "p-invalid-polygon", "p-outside-sweden", "p-overlaps",
}
