package auth_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

func TestTheTokenIsTakenFromBearerOrFromBasicsPassword(t *testing.T) {
	t.Parallel()
	const tok = "gk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	for _, tc := range []struct {
		name, header, want string
		ok                 bool
	}{
		{"bearer", "Bearer " + tok, tok, true},
		{"bearer in lower case", "bearer " + tok, tok, true},
		{"basic, any user name", basic("kalmar", tok), tok, true},
		{"basic, no user name", basic("", tok), tok, true},
		{"basic, the scheme in capitals", "BASIC " + base64.StdEncoding.EncodeToString([]byte("x:"+tok)), tok, true},
		{"basic, the token as the user name only", basic(tok, ""), "", false},
		{"basic that is not base64", "Basic !!!", "", false},
		{"basic without a colon", "Basic " + base64.StdEncoding.EncodeToString([]byte(tok)), "", false},
		{"another scheme", "Digest username=x", "", false},
		{"bearer without a token", "Bearer ", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := auth.TokenFromHeader(tc.header)
			if got != tc.want || ok != tc.ok {
				t.Errorf("TokenFromHeader(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestBasicWithTheTokenAsPasswordSignsTheRequestIn(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := auth.NewStore(pool)
	secret, _, err := s.CreateToken(context.Background(), auth.NewToken{Name: "Kalmar GIS", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	h := s.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		failed = err
		w.WriteHeader(http.StatusUnauthorized)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if p == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte(p.Name))
	}))
	for _, tc := range []struct {
		name, header string
		status       int
		body         string
	}{
		{"the token as Basic's password", basic("qgis", secret), 200, "Kalmar GIS"},
		{"a wrong password", basic("qgis", secret+"x"), 401, ""},
		{"the token as the user name", basic(secret, "x"), 401, ""},
		{"nothing: the public", "", 204, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failed = nil
			req := httptest.NewRequest("GET", "/ogc/collections", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Errorf("status %d body %q (failed: %v); want %d %q", rec.Code, rec.Body.String(), failed, tc.status, tc.body)
			}
		})
	}
}
