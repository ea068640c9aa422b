package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"
)

// SessionCookie holds the sign-in session id.
const SessionCookie = "gigakoll_session"

// formCookie holds the double-submit token of the sign-in form, which is
// filled in before there is a session to bind a token to.
const formCookie = "gigakoll_form"

// ErrorWriter answers a request with an error; package server's writeError
// is the one that maps ErrUnauthenticated to 401 and ErrForbidden to 403.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// Middleware puts the request's principal into its context: from an
// "Authorization: Bearer gk_…" header, or HTTP Basic with the token as the
// password and any user name (what QGIS's built-in Basic method and GDAL's
// GDAL_HTTP_AUTH=BASIC send), else from the session cookie, else nil (the
// public). Credentials that do not work are answered with
// ErrUnauthenticated at once, whatever the route, public data included: the
// client meant to be someone and must learn that it is not, rather than see
// the public's data and take it for its own. A session that ran out is only
// dropped (the cookie cleared): the browser goes on as the public, and the
// pages that need a sign-in send it to /logga-in.
func (s *Store) Middleware(fail ErrorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if h := r.Header.Get("Authorization"); h != "" {
				secret, ok := TokenFromHeader(h)
				if !ok {
					fail(w, r, ErrUnauthenticated)
					return
				}
				p, err := s.Authenticate(r.Context(), secret)
				if err != nil {
					fail(w, r, err)
					return
				}
				next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
				return
			}
			if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				p, err := s.Session(r.Context(), c.Value)
				switch {
				case err == nil:
					r = r.WithContext(WithPrincipal(r.Context(), p))
				case errors.Is(err, ErrUnauthenticated):
					ClearSessionCookie(w, r)
				default:
					fail(w, r, err)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TokenFromHeader returns the token an Authorization header carries:
// "Bearer gk_…", or "Basic" with base64 of "user:gk_…" (the user name is
// ignored: a token says who it is). False for any other scheme or a Basic
// value that does not decode.
func TokenFromHeader(h string) (string, bool) {
	scheme, value, _ := strings.Cut(strings.TrimSpace(h), " ")
	value = strings.TrimSpace(value)
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		return value, value != ""
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			return "", false
		}
		_, password, ok := strings.Cut(string(raw), ":")
		password = strings.TrimSpace(password)
		return password, ok && password != ""
	}
	return "", false
}

// UsesBasic reports whether the request sent HTTP Basic credentials: its
// 401 then challenges for Basic, which QGIS and GDAL answer.
func UsesBasic(r *http.Request) bool {
	scheme, _, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return strings.EqualFold(scheme, "Basic")
}

// Require lets through only principals that hold role (a coordinator holds
// every role): the public gets ErrUnauthenticated, others ErrForbidden.
func Require(role Role, fail ErrorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := FromContext(r.Context())
			switch {
			case p == nil:
				fail(w, r, ErrUnauthenticated)
			case !p.Has(role):
				fail(w, r, ErrForbidden)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// Secure reports whether the request reached us over TLS, directly or
// through a proxy that says so: the cookies are then marked Secure.
func Secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// SetSessionCookie gives the browser its session: HttpOnly (no script reads
// it), SameSite=Strict (no other site's page sends it), Secure over TLS.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, sid string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sid, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, Secure: Secure(r), SameSite: http.SameSiteStrictMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: Secure(r), SameSite: http.SameSiteStrictMode})
}

// FormToken returns the token the sign-in form carries, setting its cookie
// when the browser has none yet (double submit: a page of another site can
// neither read the cookie nor set it, so it cannot fill in the field).
func FormToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: v, Path: "/logga-in", HttpOnly: true,
		Secure: Secure(r), SameSite: http.SameSiteStrictMode})
	return v
}

// CheckFormToken reports whether the sign-in form's field matches its cookie.
func CheckFormToken(r *http.Request, field string) bool {
	c, err := r.Cookie(formCookie)
	if err != nil || c.Value == "" || field == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(field)) == 1
}
