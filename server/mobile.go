package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/mobile"
)

// Mobile coverage (server/openapi/mobile.json): the mobile report of
// spec/mobile.md, the squares where residents' mobile measurements fall
// short of the operators' claim, and the map's mobile layer. All public:
// the squares carry no address data, and the households of an area are
// published only as the area's figures (municipality, county, Sweden),
// never per square.

// mobileError turns the mobile store's errors into what a client sees.
func mobileError(err error) error {
	switch {
	case errors.Is(err, mobile.ErrNoSnapshot):
		return &apiError{Status: http.StatusNotFound, Field: "as_of", Message: "no mobile snapshot for that date"}
	case errors.Is(err, mobile.ErrUnknownArea):
		return &apiError{Status: http.StatusNotFound, Field: "code", Message: "no such municipality or county in the mobile snapshot"}
	}
	return err
}

// getMobile is the mobile report as JSON (the shape of spec/mobile.md), or
// as CSV or XLSX. ?county= and ?municipality= narrow it. Its ETag is the
// hash of the answer: the report reads a few hundred aggregate rows.
func (s *Server) getMobile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := parseReportParams(q, coverage.FormatJSON, coverage.FormatCSV, coverage.FormatXLSX)
	if err != nil {
		return err
	}
	county, muni := q.Get("county"), q.Get("municipality")
	if county != "" && (len(county) != 2 || !allDigits(county)) {
		return &apiError{Status: http.StatusBadRequest, Field: "county", Message: "a county code of 2 digits, such as 08"}
	}
	if muni != "" && !municipalityCode.MatchString(muni) {
		return &apiError{Status: http.StatusBadRequest, Field: "municipality", Message: "a municipality code of 4 digits, such as 0880"}
	}
	// the figures where people are may be computed again first (a coverage
	// snapshot changed): that is the store's work, under its own deadline
	ctx, cancel := context.WithTimeout(r.Context(), max(s.queryTimeout, time.Minute))
	defer cancel()
	rep, err := s.mobile.Report(ctx, mobile.ReportQuery{AsOf: p.asOf, County: county, Municipality: muni, Today: s.today()})
	if err != nil {
		return mobileError(err)
	}
	var buf bytes.Buffer
	if err := mobile.WriteReport(&buf, rep, p.format); err != nil {
		return fmt.Errorf("write the mobile report as %s: %w", p.format, err)
	}
	sum := sha256.Sum256(append([]byte(s.version+"\x00"), buf.Bytes()...))
	if notModified(w, r, `"`+hex.EncodeToString(sum[:16])+`"`, coverageCacheControl) {
		return nil
	}
	switch p.format {
	case coverage.FormatJSON:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	case coverage.FormatCSV:
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case coverage.FormatXLSX:
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	if p.format != coverage.FormatJSON {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mobiltackning-%s.%s"`, rep.AsOf, p.format))
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err = buf.WriteTo(w)
	return err // only the client going away; the status is sent
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// today is the day that decides the targets in force.
func (s *Server) today() time.Time { return time.Now() }

// getMobileFlags answers the 250 m squares where the operators claim at
// least 30 Mbit/s outdoors (mobile.Flagged) and the residents' mobile
// measurements of the period (at least 5: measure.MinPublished) have a
// median below 10 Mbit/s, as GeoJSON, with the count and the median: the
// regulator's sample check, made by residents. measure counts, mobile
// claims and decides; this only puts them together.
func (s *Server) getMobileFlags(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := parseReportParams(q)
	if err != nil {
		return err
	}
	periodName := q.Get("period")
	if periodName == "" {
		periodName = "all"
	}
	period, err := measure.ParsePeriod(periodName)
	if err != nil {
		return &apiError{Status: http.StatusBadRequest, Field: "period", Message: "want all, a year such as 2026 or a month such as 2026-10"}
	}
	on, err := parseOn(q)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	fc := geojson.NewFeatureCollection()
	snap, err := s.mobileMemo.snapshot(ctx, s, p.asOf, on)
	if errors.Is(err, mobile.ErrNoSnapshot) && (!on.IsZero() || p.asOf.IsZero()) { // none in force (or none yet): nothing to check
		fc.ExtraMembers = geojson.Properties{"as_of": nil, "period": period.Name, "min_count": measure.MinPublished,
			"claimed_mbps": int(mobile.ClaimedMbps), "slow_mbps": mobile.SlowMbps}
		return writeGeoJSON(w, fc)
	}
	if err != nil {
		return mobileError(err)
	}
	medians, err := s.measurements.MobileSquares(ctx, period)
	if err != nil {
		return err
	}
	squares := make([]geo.Square, len(medians))
	for i, m := range medians {
		squares[i] = m.Square
	}
	claims, err := s.mobile.Claims(ctx, snap, squares)
	if err != nil {
		return err
	}
	for _, m := range medians {
		claimed := claims[m.Square]
		if !mobile.Flagged(claimed, m.MedianDown) {
			continue
		}
		f := geojson.NewFeature(squareWGS84(m.Square))
		f.ID = m.Square.ID()
		f.Properties = geojson.Properties{"square": m.Square.ID(), "measurements": m.Count, "median_down": m.MedianDown,
			"claimed_mbps": int(claimed)}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"as_of": snap.AsOf.Format(time.DateOnly), "period": period.Name,
		"min_count": measure.MinPublished, "claimed_mbps": int(mobile.ClaimedMbps), "slow_mbps": mobile.SlowMbps}
	return writeGeoJSON(w, fc)
}

func writeGeoJSON(w http.ResponseWriter, fc *geojson.FeatureCollection) error {
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Type", "application/geo+json")
	_, err = w.Write(append(b, '\n'))
	return err
}

// parseOn reads ?on=, a day: the mobile snapshot in force then (the latest
// on or before it; mobile.InForce). Zero when absent.
func parseOn(q url.Values) (time.Time, error) {
	v := q.Get("on")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &apiError{Status: http.StatusBadRequest, Field: "on", Message: "a date as YYYY-MM-DD, such as 2024-10-01"}
	}
	return t, nil
}

// mobileSnapshotJSON is a mobile snapshot as the API lists it.
type mobileSnapshotJSON struct {
	AsOf         coverage.Date  `json:"as_of"`
	Source       string         `json:"source"`
	SquareSize   int64          `json:"square_size"`
	Squares      int64          `json:"squares"`
	Operators    []string       `json:"operators"`
	CoverageAsOf *coverage.Date `json:"coverage_as_of"`
}

// getMobileSnapshots lists the mobile snapshots, oldest first, and names
// the latest and the one in force on ?on= (null: none).
func (s *Server) getMobileSnapshots(w http.ResponseWriter, r *http.Request) error {
	on, err := parseOn(r.URL.Query())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	snaps, err := s.mobile.Snapshots(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Snapshots []mobileSnapshotJSON `json:"snapshots"`
		Latest    *coverage.Date       `json:"latest"`
		InForce   *coverage.Date       `json:"in_force"`
	}{Snapshots: []mobileSnapshotJSON{}}
	for _, sn := range snaps {
		j := mobileSnapshotJSON{AsOf: coverage.Date(sn.AsOf), Source: sn.Source, SquareSize: sn.Size, Squares: sn.Squares,
			Operators: sn.Operators}
		if sn.CoverageID != 0 {
			d := coverage.Date(sn.CoverageAsOf)
			j.CoverageAsOf = &d
		}
		out.Snapshots = append(out.Snapshots, j)
	}
	if len(snaps) > 0 {
		d := coverage.Date(snaps[len(snaps)-1].AsOf)
		out.Latest = &d
	}
	if sn, ok := mobile.InForce(snaps, on); ok {
		d := coverage.Date(sn.AsOf)
		out.InForce = &d
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// squareWGS84 is a grid square as a polygon in WGS 84.
func squareWGS84(q geo.Square) orb.Polygon {
	corner := func(e, n int64) orb.Point { return geo.ToWGS84(geo.SWEREF{E: float64(e), N: float64(n)}) }
	ring := orb.Ring{corner(q.E, q.N), corner(q.E+q.Size, q.N), corner(q.E+q.Size, q.N+q.Size), corner(q.E, q.N+q.Size), corner(q.E, q.N)}
	return orb.Polygon{ring}
}

// mobileTileLayer is the map's mobile layer (server/tiles.go lists it):
// public, cached per mobile snapshot.
func (s *Server) mobileTileLayer() tileLayer {
	return tileLayer{name: mobile.TileLayer, public: true, minZoom: mobile.TileMinZoom, maxZoom: mobile.TileMaxZoom,
		description: "The operators' mobile coverage per grid square of the mobile snapshot in force (?on=) or of a date (?as_of=); zoomed out, cells of 1 km and more with what at least half their squares reach. No address data.",
		fields: map[string]string{"size": "the cell's side, metres", "square": "the cell, e.g. 250m-E583000-N6280250",
			"outdoor_mbps": "the best class outdoors over every operator and technology: 0, 10, 30 or 100 Mbit/s",
			"indoor_mbps":  "the same indoors (absent when no row gives an indoor speed)",
			"fiveg":        "some operator offers 5G", "operators": "operators with at least 10 Mbit/s outdoors"},
		version: func(ctx context.Context, r *http.Request) (tileVersion, error) {
			p, err := parseReportParams(r.URL.Query())
			if err != nil {
				return tileVersion{}, err
			}
			on, err := parseOn(r.URL.Query())
			if err != nil {
				return tileVersion{}, err
			}
			snap, err := s.mobileMemo.snapshot(ctx, s, p.asOf, on)
			if errors.Is(err, mobile.ErrNoSnapshot) && (!on.IsZero() || p.asOf.IsZero()) {
				return tileVersion{Key: "none"}, nil // none in force then, or none yet: empty tiles
			}
			if err != nil {
				return tileVersion{}, mobileError(err)
			}
			return tileVersion{ID: snap.ID, Key: "m" + strconv.FormatInt(snap.ID, 10)}, nil
		},
		tile: func(ctx context.Context, v tileVersion, t geo.Tile) ([]byte, error) {
			if v.ID == 0 {
				return nil, nil
			}
			snap, err := s.mobileMemo.byID(ctx, s, v.ID)
			if err != nil {
				return nil, err
			}
			return s.mobile.Tile(ctx, snap, t)
		},
	}
}

// mobileMemo keeps the mobile snapshots for a few seconds, as coverageMemo
// does, one list per database read from (the primary, or a read replica
// that may be behind: a tile names a snapshot its own database has).
type mobileMemo struct {
	mu   sync.Mutex
	byDB map[string]mobileList
}

// mobileList is the snapshots one database had when they were read.
type mobileList struct {
	at    time.Time
	snaps []mobile.Snapshot
}

func (m *mobileMemo) list(ctx context.Context, s *Server) ([]mobile.Snapshot, error) {
	db := "primary"
	if s.readers != nil {
		db = s.readers.Target(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.byDB[db]; ok && time.Since(l.at) < coverageMemoTTL {
		return l.snaps, nil
	}
	snaps, err := s.mobile.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	if m.byDB == nil {
		m.byDB = map[string]mobileList{}
	}
	m.byDB[db] = mobileList{at: time.Now(), snaps: snaps}
	return snaps, nil
}

// forget makes the next read fetch the list: a snapshot was imported here.
func (m *mobileMemo) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.byDB)
}

// snapshot picks the mobile snapshot of the date asOf, or the one in force
// on the day on, or the latest when both are zero.
func (m *mobileMemo) snapshot(ctx context.Context, s *Server, asOf, on time.Time) (mobile.Snapshot, error) {
	snaps, err := m.list(ctx, s)
	if err != nil {
		return mobile.Snapshot{}, err
	}
	if !asOf.IsZero() {
		for _, sn := range snaps {
			if sn.AsOf.Equal(asOf) {
				return sn, nil
			}
		}
		return mobile.Snapshot{}, mobile.ErrNoSnapshot
	}
	if sn, ok := mobile.InForce(snaps, on); ok {
		return sn, nil
	}
	return mobile.Snapshot{}, mobile.ErrNoSnapshot
}

func (m *mobileMemo) byID(ctx context.Context, s *Server, id int64) (mobile.Snapshot, error) {
	snaps, err := m.list(ctx, s)
	if err != nil {
		return mobile.Snapshot{}, err
	}
	for _, sn := range snaps {
		if sn.ID == id {
			return sn, nil
		}
	}
	return mobile.Snapshot{}, mobile.ErrNoSnapshot
}
