package server

import "net/http"

// projectsPage is /utbyggnad (Utbyggnad): the build-out projects, sortable
// and by municipality, with the cost curve of closing the gap; its script
// reads /api/v1/projects.
func (s *Server) projectsPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "utbyggnad.html", nil)
}
