package ogc

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/cql"
)

// itemsQuery is an items request's parameters, parsed once (the shape of
// pg_featureserv's param.go).
type itemsQuery struct {
	Limit    int
	Offset   int
	BBox     *[4]float64 // min x, min y, max x, max y in BBoxCRS (easting before northing); nil: none
	BBoxCRS  crsInfo
	CRS      crsInfo  // of the geometries written
	Datetime string   // as given, for the links
	Target   string   // gaps: whose class is lacking; "": se-2025-1g
	Filter   cql.Expr // filter= and the parameters named after queryables, ANDed; nil: none
	// Selection is every parameter but the page's (offset, limit): what
	// makes the pages of a download one download (the audit log) and a
	// page's ETag.
	Selection string
}

// Page sizes. GDAL from 3.8 and QGIS take limit's default and maximum from
// the API document (/api), so they page by 1000 without being told.
const (
	defaultLimit = 1000
	maxLimit     = 10_000
)

// itemsParams are the parameters of /items besides the queryables' names.
var itemsParams = []string{"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs"}

// onlyParams refuses a query parameter that is not one of allowed: a typo
// or a filter the endpoint does not know would otherwise be ignored and
// answer everything.
func onlyParams(r *http.Request, allowed ...string) error {
	for k := range r.URL.Query() {
		if !slices.Contains(allowed, k) {
			return &ParamError{k, "no such parameter here; there are " + strings.Join(allowed, ", ")}
		}
	}
	return nil
}

func parseItemsQuery(c *collection, q url.Values) (itemsQuery, error) {
	iq := itemsQuery{Limit: defaultLimit, Datetime: q.Get("datetime"), Target: q.Get("target")}
	allowed := slices.Clone(itemsParams)
	if c.ID == "gaps" {
		allowed = append(allowed, "target")
	}
	for _, qb := range c.Queryables {
		allowed = append(allowed, qb.Name)
	}
	for k, v := range q {
		if !slices.Contains(allowed, k) {
			return iq, &ParamError{k, "no such parameter of " + c.ID + "; there are " + strings.Join(allowed, ", ") +
				" (the properties a filter may name are listed at /collections/" + c.ID + "/queryables)"}
		}
		if len(v) > 1 {
			return iq, &ParamError{k, "one value (for several, use filter=" + k + " IN (…))"}
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return iq, &ParamError{"limit", "an integer from 1 to 10000"}
		}
		iq.Limit = min(n, maxLimit) // the standard lets a server lower the limit
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return iq, &ParamError{"offset", "an integer of 0 or more"}
		}
		iq.Offset = n
	}
	var err error
	if iq.CRS, err = parseCRS("crs", q.Get("crs")); err != nil {
		return iq, err
	}
	if iq.BBoxCRS, err = parseCRS("bbox-crs", q.Get("bbox-crs")); err != nil {
		return iq, err
	}
	if v := q.Get("bbox"); v != "" {
		if iq.BBox, err = parseBBox(v, iq.BBoxCRS); err != nil {
			return iq, err
		}
	}
	if iq.Filter, err = parseFilter(c, q); err != nil {
		return iq, err
	}
	sel := url.Values{}
	for k, v := range q {
		if k != "offset" && k != "limit" {
			sel[k] = v
		}
	}
	iq.Selection = sel.Encode() // sorted by key
	return iq, nil
}

// parseBBox reads bbox in crs: its corners in the CRS's axis order (for
// EPSG:3006 northing first), 4 numbers or 6 with heights.
func parseBBox(v string, crs crsInfo) (*[4]float64, error) {
	want := "minlon,minlat,maxlon,maxlat in WGS 84 (CRS84)"
	if crs.SRID == 3006 {
		want = "min northing,min easting,max northing,max easting in SWEREF 99 TM (EPSG:3006's axis order)"
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, &ParamError{"bbox", want}
	}
	var f []float64
	for _, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, &ParamError{"bbox", want}
		}
		f = append(f, x)
	}
	if len(f) == 6 { // min1,min2,minz,max1,max2,maxz
		f = []float64{f[0], f[1], f[3], f[4]}
	}
	if crs.Northing1 {
		f = []float64{f[1], f[0], f[3], f[2]}
	}
	if f[0] > f[2] || f[1] > f[3] {
		return nil, &ParamError{"bbox", want + ", min before max"}
	}
	if crs.SRID == 4326 && (f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90) {
		return nil, &ParamError{"bbox", want + ", within -180..180 and -90..90"}
	}
	return &[4]float64{f[0], f[1], f[2], f[3]}, nil
}

// parseFilter reads filter= (CQL2 text, OGC API – Features Part 3) and the
// parameters named after queryables (?municipality_code=0880 is
// municipality_code = '0880'), and checks them against the collection's
// queryables.
func parseFilter(c *collection, q url.Values) (cql.Expr, error) {
	var terms []cql.Expr
	for _, qb := range c.Queryables {
		v, ok := q[qb.Name]
		if !ok {
			continue
		}
		if qb.Type == cql.Integer || qb.Type == cql.Number {
			if _, err := strconv.ParseFloat(v[0], 64); err != nil {
				return nil, &ParamError{qb.Name, "a number"}
			}
		}
		terms = append(terms, cql.Equal(qb, v[0]))
	}
	switch lang := q.Get("filter-lang"); lang {
	case "", "cql2-text", "cql-text": // cql-text: what GDAL before 3.7 asks for
	default:
		return nil, &ParamError{"filter-lang", "cql2-text (cql2-json is not supported)"}
	}
	if v := q.Get("filter-crs"); v != "" {
		if c, err := parseCRS("filter-crs", v); err != nil || c.SRID != 4326 {
			return nil, &ParamError{"filter-crs", crs84 + " (a filter has no geometries)"}
		}
	}
	if f := q.Get("filter"); f != "" {
		e, err := cql.Parse(f)
		if err == nil {
			err = cql.Check(e, c.Queryables)
		}
		var ce *cql.Error
		if errors.As(err, &ce) {
			return nil, &ParamError{"filter", ce.Error()}
		}
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	return cql.AndOf(terms...), nil
}

// snapshotRef is a snapshot a request reads.
type snapshotRef struct {
	ID   int64
	AsOf time.Time
}

// snapshotsOf is how the collection maps datetime to its snapshots.
func (s *service) snapshotsOf(c *collection) func(context.Context, string) ([]snapshotRef, error) {
	if c.snapshots != nil {
		return c.snapshots
	}
	return s.snapshots
}

// snapshots maps datetime to snapshots by their as_of date: none given, the
// latest; an instant, the snapshot in force then (the latest as_of on or
// before it); an interval "a/b" (".." or empty for an open end), every
// snapshot inside it.
func (s *service) snapshots(ctx context.Context, datetime string) ([]snapshotRef, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	all, err := s.Coverage.Snapshots(ctx) // oldest first
	if err != nil {
		return nil, err
	}
	var out []snapshotRef
	ref := func(sn coverage.Snapshot) snapshotRef { return snapshotRef{sn.ID, sn.AsOf} }
	if datetime == "" {
		if sn, ok := coverage.InForce(all, time.Time{}); ok {
			out = append(out, ref(sn))
		}
		return out, nil
	}
	if from, to, ok := strings.Cut(datetime, "/"); ok {
		lo, err := parseTime(from, time.Time{})
		if err != nil {
			return nil, err
		}
		hi, err := parseTime(to, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, err
		}
		for _, sn := range all {
			if !sn.AsOf.Before(dayOf(lo)) && !sn.AsOf.After(hi) {
				out = append(out, ref(sn))
			}
		}
		return out, nil
	}
	at, err := parseTime(datetime, time.Time{})
	if err != nil || at.IsZero() {
		return nil, &ParamError{"datetime", "a date or date-time (RFC 3339), or an interval a/b with .. for an open end"}
	}
	if sn, ok := coverage.InForce(all, at); ok {
		out = append(out, ref(sn))
	}
	return out, nil
}

// parseTime reads a date or an RFC 3339 date-time; ".." or "" is open.
func parseTime(v string, open time.Time) (time.Time, error) {
	if v == "" || v == ".." {
		return open, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, &ParamError{"datetime", "a date or date-time (RFC 3339), or an interval a/b with .. for an open end"}
}

// dayOf truncates a time to its UTC day: a snapshot's as_of is a date.
func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
