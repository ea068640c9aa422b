package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gigakoll/gigakoll/auth"
)

// mapPageData is the .Page of map.html: what the map's script needs before
// it asks the API.
type mapPageData struct {
	BasemapStyle string     `json:"basemap_style"` // a MapLibre style URL drawn under our layers; "": none
	Bounds       [4]float64 `json:"bounds"`        // where the map opens: west, south, east, north (WGS 84)
	// Addresses: the signed-in user may see address points (their own
	// municipalities'; a coordinator's all): the map offers the layer.
	Addresses bool `json:"addresses"`
	// Projects: a project register has been imported, so a municipality's
	// panel asks for its forecast with projects (GET /api/v1/projects answers
	// 404 without one, which the browser would log as an error).
	Projects bool `json:"projects"`
}

// swedenBounds is where the map opens when the database cannot say.
var swedenBounds = [4]float64{10.9, 55.3, 24.2, 69.1}

// mapPage is the coordinator's map (Karta): public aggregates.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	page := mapPageData{BasemapStyle: s.basemapStyle, Bounds: swedenBounds, Addresses: auth.FromContext(r.Context()) != nil}
	if s.pool != nil { // the page tests render without a database
		if b, err := s.coverage.MapBounds(ctx); err != nil {
			s.log.WarnContext(r.Context(), "map page opens on Sweden", "err", err)
		} else {
			page.Bounds = b
		}
		if regs, err := s.projects.Registers(ctx); err != nil {
			s.log.WarnContext(r.Context(), "map page without the project forecast", "err", err)
		} else {
			page.Projects = len(regs) > 0
		}
	}
	allowBasemap(w, s.basemapStyle)
	return s.render(w, r, "map.html", page)
}

// allowBasemap lets the map page load a base map style from another host:
// the style's origin joins connect-src (the style, its tiles, sprites and
// glyphs are fetched) and img-src. A style on this server needs nothing.
func allowBasemap(w http.ResponseWriter, style string) {
	u, err := url.Parse(style)
	if style == "" || err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return
	}
	origin := u.Scheme + "://" + u.Host
	csp := w.Header().Get("Content-Security-Policy")
	for _, dir := range []string{"connect-src ", "img-src "} {
		csp = strings.Replace(csp, dir, dir+origin+" ", 1)
	}
	w.Header().Set("Content-Security-Policy", csp)
}

// targetsPage is the county's target table (Mål).
func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "mal.html", nil)
}
