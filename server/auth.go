package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gigakoll/gigakoll/auth"
)

// authFail answers a request whose credentials failed in the auth
// middleware: JSON for the API, the OGC endpoint and any client that sent a
// token, the Swedish pages' answer (a redirect or a page) otherwise.
func (s *Server) authFail(w http.ResponseWriter, r *http.Request, err error) {
	if wantsJSON(r) || r.Header.Get("Authorization") != "" || strings.HasPrefix(r.URL.Path, "/ogc") {
		s.writeError(w, r, err)
		return
	}
	s.writePageError(w, r, err)
}

// crossOrigin refuses state-changing requests that a browser sends from
// another site (Sec-Fetch-Site, Origin): the first of the two CSRF defences
// of every form; the form's own token is the second.
func (s *Server) crossOrigin() func(http.Handler) http.Handler {
	c := http.NewCrossOriginProtection()
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writePageError(w, r, &apiError{Status: http.StatusForbidden, Message: "cross-origin request refused"})
	}))
	return c.Handler
}

// signIn exchanges a token for a session (POST /logga-in, the sign-in form).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		return &apiError{Status: http.StatusBadRequest, Message: "bad form"}
	}
	next := safeNext(r.PostForm.Get("next"))
	if !auth.CheckFormToken(r, r.PostForm.Get("form")) {
		return s.renderLogin(w, r, http.StatusForbidden, loginPage{Next: next,
			Error: "Formuläret har gått ut. Ladda om sidan och försök igen."})
	}
	secret := strings.TrimSpace(r.PostForm.Get("token"))
	sid, p, expires, err := s.auth.SignIn(r.Context(), secret, auth.SessionTTL)
	if errors.Is(err, auth.ErrUnauthenticated) {
		s.log.InfoContext(r.Context(), "sign-in refused") // never the token
		return s.renderLogin(w, r, http.StatusUnauthorized, loginPage{Next: next,
			Error: "Token är okänd, har gått ut eller har återkallats. Kontrollera att du klistrat in hela token."})
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed in", "token_id", p.TokenID)
	auth.SetSessionCookie(w, r, sid, expires)
	if next == "" {
		next = "/logga-in"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// signOut ends the session (POST /logga-ut, the layout's form).
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		return &apiError{Status: http.StatusBadRequest, Message: "bad form"}
	}
	p := auth.FromContext(r.Context())
	if p != nil && p.CSRF != "" {
		if !p.CheckCSRF(r.PostForm.Get("csrf")) {
			return &apiError{Status: http.StatusForbidden, Message: "bad form token"}
		}
		if c, err := r.Cookie(auth.SessionCookie); err == nil {
			if err := s.auth.SignOut(r.Context(), c.Value); err != nil {
				return err
			}
		}
	}
	auth.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// safeNext keeps a redirect target on this site: a path, never "//host".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

// requirePage is auth.Require for pages: the public is sent to sign in and
// comes back, a principal without the role gets the Swedish 403 page.
func (s *Server) requirePage(role auth.Role) func(http.Handler) http.Handler {
	return auth.Require(role, s.writePageError)
}

// authenticate is auth's middleware on every route but the operational
// ones and the built assets: a monitoring system may call /metrics with an
// Authorization header of its own, which is no gigakoll token and must not
// make it fail, and a signed-in browser's requests for scripts and styles
// need no session lookup.
func (s *Server) authenticate(next http.Handler) http.Handler {
	withPrincipal := s.auth.Middleware(s.authFail)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/healthz", p == "/readyz", p == "/metrics",
			strings.HasPrefix(p, "/assets/"), strings.HasPrefix(p, "/ndt7/"):
			next.ServeHTTP(w, r)
		default:
			withPrincipal.ServeHTTP(w, r)
		}
	})
}
