package server

import "net/http"

// loginPage is the sign-in page (Logga in).
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "login.html", nil)
}
