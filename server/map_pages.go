package server

import "net/http"

// mapPage is the coordinator's map (Karta): public aggregates.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "map.html", nil)
}

// targetsPage is the county's target table (Mål).
func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "mal.html", nil)
}
