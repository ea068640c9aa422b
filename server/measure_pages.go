package server

import "net/http"

// measurePage is the residents' speed test (Mätning).
func (s *Server) measurePage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "matning.html", nil)
}
