package ogc

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// crs84 is the one CRS served: WGS 84 longitude, latitude.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// itemsQuery is an items request's parameters, parsed once (the shape of
// pg_featureserv's param.go).
type itemsQuery struct {
	Limit    int
	Offset   int
	BBox     *[4]float64 // lon/lat; nil: none
	Datetime string      // as given, for the links
	Target   string      // gaps: whose class is lacking; "": se-2025-1g
}

// maxLimit is the largest page: GDAL and QGIS page through next links.
const maxLimit = 10_000

func parseItemsQuery(q url.Values) (itemsQuery, error) {
	iq := itemsQuery{Limit: 100, Datetime: q.Get("datetime"), Target: q.Get("target")}
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
	if v := q.Get("bbox"); v != "" {
		parts := strings.Split(v, ",")
		if len(parts) != 4 && len(parts) != 6 {
			return iq, &ParamError{"bbox", "minlon,minlat,maxlon,maxlat in WGS 84"}
		}
		var f []float64
		for _, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return iq, &ParamError{"bbox", "minlon,minlat,maxlon,maxlat in WGS 84"}
			}
			f = append(f, x)
		}
		if len(f) == 6 { // minx,miny,minz,maxx,maxy,maxz
			f = []float64{f[0], f[1], f[3], f[4]}
		}
		if f[0] > f[2] || f[1] > f[3] || f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90 {
			return iq, &ParamError{"bbox", "minlon,minlat,maxlon,maxlat in WGS 84, min before max"}
		}
		iq.BBox = &[4]float64{f[0], f[1], f[2], f[3]}
	}
	for _, p := range []string{"bbox-crs", "crs"} {
		if v := q.Get(p); v != "" && v != crs84 {
			return iq, &ParamError{p, crs84 + " (the only CRS served)"}
		}
	}
	return iq, nil
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
