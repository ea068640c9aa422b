package server

import (
	"context"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
)

// reportTimeout bounds a streamed report: far longer than the query timeout,
// as 50 000 points take a while to reach a slow client.
const reportTimeout = 15 * time.Minute

var gapContentTypes = map[string]string{
	coverage.FormatCSV:     "text/csv; charset=utf-8",
	coverage.FormatXLSX:    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	coverage.FormatGeoJSON: "application/geo+json",
}

// getGaps is GET /api/v1/municipalities/{code}/gaps: the municipality's gap
// report, at address level for the municipality's own users and the
// coordinator, by 250 m square for everyone else (spec/product.md).
func (s *Server) getGaps(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	code := chi.URLParam(r, "code")
	format := q.Get("format")
	if format == "" {
		format = coverage.FormatCSV
	}
	if _, ok := gapContentTypes[format]; !ok {
		return &apiError{Status: http.StatusBadRequest, Field: "format", Message: "format: want csv, xlsx or geojson"}
	}
	var asOf time.Time
	if v := q.Get("as_of"); v != "" {
		var err error
		if asOf, err = time.Parse(time.DateOnly, v); err != nil {
			return &apiError{Status: http.StatusBadRequest, Field: "as_of", Message: "as_of: want a date as YYYY-MM-DD"}
		}
	}
	p := auth.FromContext(r.Context())
	level := q.Get("level")
	switch level {
	case "":
		level = coverage.LevelSquare
		if p.MayAccess(code) {
			level = coverage.LevelAddress
		}
	case coverage.LevelSquare:
	case coverage.LevelAddress:
		if p == nil {
			return auth.ErrUnauthenticated
		}
		if !p.MayAccess(code) {
			return auth.ErrForbidden
		}
	default:
		return &apiError{Status: http.StatusBadRequest, Field: "level", Message: "level: want address or square"}
	}

	// The report's figures and its points are read in one transaction: a
	// re-import in between would leave the list empty, or answer 404.
	rctx, rcancel := context.WithTimeout(r.Context(), reportTimeout)
	defer rcancel()
	h := w.Header()
	out := &startedWriter{w: w}
	var g *coverage.GapReport
	var rows int64
	werr := s.coverage.View(rctx, func(ctx context.Context) error {
		qctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
		var err error
		g, err = s.coverage.GapReport(qctx, coverage.GapQuery{Municipality: code, AsOf: asOf, Target: q.Get("target"), Level: level}, format)
		cancel()
		if err != nil {
			return err
		}
		// The report may stream for longer than the server's WriteTimeout.
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Now().Add(reportTimeout)) // not every writer supports it (tests' recorders)
		h.Set("Content-Type", gapContentTypes[format])
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": g.FileName(format)}))
		h.Set("Vary", "Authorization, Cookie")
		if level == coverage.LevelAddress {
			h.Set("Cache-Control", "private, no-store") // the network owners' data: never in a shared cache
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		rows, err = s.coverage.WriteGaps(ctx, out, g, format)
		return err
	})
	if g == nil {
		return werr // no report to write: an ordinary error answer
	}
	if level == coverage.LevelAddress {
		day := g.Snapshot.AsOf
		e := p.Entry(auth.ActionGaps)
		e.Municipality, e.SnapshotAsOf, e.Target, e.Format, e.Rows, e.Detail = code, &day, g.TargetIDs(), format, rows, g.FileName(format)
		if werr != nil {
			e.Detail += " (incomplete: the download broke off)"
		}
		if err := s.auth.Audit(r.Context(), e); err != nil {
			s.log.ErrorContext(r.Context(), "audit entry lost", "err", err)
		}
	}
	if werr != nil {
		if !out.started {
			h.Del("Content-Disposition")
			return werr // nothing sent yet: an ordinary error answer
		}
		// Half a file is out: the status is sent; the client sees a broken download.
		s.log.WarnContext(r.Context(), "gap report broke off", "file", g.FileName(format), "rows", rows, "err", werr)
	}
	return nil
}

// startedWriter records whether any byte of the body went out.
type startedWriter struct {
	w       http.ResponseWriter
	started bool
}

func (s *startedWriter) Write(b []byte) (int, error) {
	if len(b) > 0 {
		s.started = true
	}
	return s.w.Write(b)
}

// The map's addresses layer (one entry in tileLayers): address points at
// street level for signed-in users, of their own municipalities only. It is
// never cached in the process or by a browser, and its version includes the
// caller's municipalities, so that concurrent requests of two municipalities
// never share a tile.

// addressesTileLayer is the map's addresses layer: street level, from zoom 13.
func (s *Server) addressesTileLayer() tileLayer {
	return tileLayer{name: "addresses", minZoom: 13, maxZoom: 18,
		description: "Address points of the caller's municipalities (a sign-in or a token)",
		fields: map[string]string{"address_id": "the point's id", "street": "street", "number": "number",
			"municipality_code": "its municipality", "households": "households", "workplaces": "workplaces",
			"mbps": "the best fixed speed today, Mbit/s", "technology": "its technology, or none",
			"planned_mbps": "the best planned build, Mbit/s", "planned_year": "its year"},
		allow: s.allowAddressTiles, version: s.addressTileVersion, tile: s.addressTile}
}

// allowAddressTiles refuses the public: the layer is address-level data.
func (s *Server) allowAddressTiles(r *http.Request) error {
	if auth.FromContext(r.Context()) == nil {
		return &apiError{Status: http.StatusForbidden, Field: "layer", Message: "the addresses layer needs a sign-in or a token"}
	}
	return nil
}

// addressTileVersion is the snapshot of ?as_of= and the caller's scope.
func (s *Server) addressTileVersion(ctx context.Context, r *http.Request) (tileVersion, error) {
	v, err := s.coverageTileVersion(false)(ctx, r)
	if err != nil {
		return v, err
	}
	if all, codes := auth.FromContext(r.Context()).Scope(); all {
		v.Key += "-all"
	} else {
		v.Key += "-m" + strings.Join(codes, ",")
	}
	return v, nil
}

// addressTile makes the tile of the caller's municipalities and audits it.
func (s *Server) addressTile(ctx context.Context, v tileVersion, t geo.Tile) ([]byte, error) {
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, auth.ErrForbidden // allowAddressTiles ran first; never serve the public
	}
	all, codes := p.Scope()
	if !all && codes == nil {
		codes = []string{}
	}
	mvt, n, err := s.coverage.AddressTile(ctx, v.ID, t, codes)
	if err != nil || n == 0 {
		return mvt, err
	}
	e := p.Entry(auth.ActionAddresses)
	e.Municipality, e.Format, e.Rows, e.Detail = strings.Join(codes, ","), "mvt", n, "tile "+geo.TilePath(t)
	if err := s.auth.Audit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit entry lost", "err", err)
	}
	return mvt, nil
}
