package server

import (
	"net/http"
	"net/url"

	"github.com/gigakoll/gigakoll/auth"
)

// loginPage is the .Page of login.html: the sign-in form for the public, the
// account and its downloads for a signed-in user.
type loginPage struct {
	Form    string   // the form's double-submit token
	Next    string   // where to go after signing in
	Error   string   // in Swedish
	Account *account // nil: not signed in
}

// account is what a signed-in user may download.
type account struct {
	Name           string
	Coordinator    bool
	Municipalities []accountMunicipality
	OGC            string // the OGC API – Features URL for QGIS
}

type accountMunicipality struct {
	Code, Name string
	Gaps       string // the gap report's API path, without the format
}

// loginPage is the sign-in page (Logga in); signed in, it shows the account.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderLogin(w, r, http.StatusOK, loginPage{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, page loginPage) error {
	if p := auth.FromContext(r.Context()); p != nil {
		all, codes := p.Scope()
		munis, err := s.coverage.GapMunicipalities(r.Context(), all, codes)
		if err != nil {
			return err
		}
		a := &account{Name: p.Name, Coordinator: p.Role == auth.Coordinator, OGC: baseURL(r) + "/ogc"}
		for _, m := range munis {
			a.Municipalities = append(a.Municipalities, accountMunicipality{Code: m.Code, Name: m.Name,
				Gaps: "/api/v1/municipalities/" + url.PathEscape(m.Code) + "/gaps"})
		}
		page.Account = a
	} else {
		page.Form = auth.FormToken(w, r)
	}
	return s.pages.Render(w, r, status, "login.html", s.pageData(r, page))
}

// baseURL is the scheme and host the client used.
func baseURL(r *http.Request) string {
	scheme := "http"
	if auth.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// uploadPage is the coordinators' import page (Importera data).
func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "upload.html", newUploadPageData())
}
