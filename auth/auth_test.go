package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func TestTokensAreStoredAsDigestsOnly(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	s := auth.NewStore(pool)
	secret, tok, err := s.CreateToken(ctx, auth.NewToken{Name: "Kalmar", Role: auth.Municipality, Municipalities: []string{"0881", "0880", "0880"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "gk_") || len(secret) != 3+43 {
		t.Errorf("secret %q: want gk_ and 32 bytes in base64url", secret)
	}
	if strings.Join(tok.Municipalities, ",") != "0880,0881" {
		t.Errorf("municipalities %v, want sorted without duplicates", tok.Municipalities)
	}
	// No column of the row holds the secret or more than its hint.
	var row string
	if err := pool.QueryRow(ctx, "SELECT t::text FROM api_tokens t WHERE id = $1", tok.ID).Scan(&row); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(row, secret[3:]) || strings.Contains(row, secret[len(secret)-12:]) {
		t.Errorf("the stored row holds the secret: %s", row)
	}
	p, err := s.Authenticate(ctx, secret)
	if err != nil || p.Name != "Kalmar" || !p.MayAccess("0880") || !p.MayAccess("0881") || p.MayAccess("0885") {
		t.Errorf("Authenticate: %+v, %v", p, err)
	}
	for _, bad := range []string{"", "gk_", secret + "x", strings.ToUpper(secret), "Bearer " + secret} {
		if _, err := s.Authenticate(ctx, bad); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("Authenticate(%q) = %v, want ErrUnauthenticated", bad, err)
		}
	}
}

func TestExpiredAndRevokedTokensStopWorkingWithTheirSessions(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	s := auth.NewStore(pool)
	past := time.Now().Add(-time.Minute)
	expired, _, err := s.CreateToken(ctx, auth.NewToken{Name: "gammal", Role: auth.Coordinator, ExpiresAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, expired); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("an expired token: %v", err)
	}
	if _, _, _, err := s.SignIn(ctx, expired, time.Hour); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("signing in with an expired token: %v", err)
	}

	secret, tok, err := s.CreateToken(ctx, auth.NewToken{Name: "ny", Role: auth.Coordinator})
	if err != nil {
		t.Fatal(err)
	}
	sid, p, until, err := s.SignIn(ctx, secret, 8*time.Hour)
	if err != nil || p.CSRF == "" || until.Before(time.Now().Add(7*time.Hour)) {
		t.Fatalf("SignIn: %v, %+v, until %v", err, p, until)
	}
	if got, err := s.Session(ctx, sid); err != nil || got.TokenID != tok.ID || !got.CheckCSRF(p.CSRF) || got.CheckCSRF("x") {
		t.Errorf("Session: %+v, %v", got, err)
	}
	if _, err := s.Revoke(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, sid); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("a session of a revoked token: %v", err)
	}
	if _, err := s.Authenticate(ctx, secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("a revoked token: %v", err)
	}
	if _, err := s.Revoke(ctx, 999); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("revoking no token: %v", err)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header string
		secure bool
	}{
		{"plain HTTP", "", false},
		{"behind a TLS proxy", "https", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/logga-in", nil)
			if tc.header != "" {
				r.Header.Set("X-Forwarded-Proto", tc.header)
			}
			w := httptest.NewRecorder()
			auth.SetSessionCookie(w, r, "abc", time.Now().Add(time.Hour))
			c := w.Result().Cookies()[0]
			if c.Name != auth.SessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure != tc.secure {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/, Secure=%v", c, tc.secure)
			}
		})
	}
}

func TestRequireAndScope(t *testing.T) {
	t.Parallel()
	var got error
	fail := func(w http.ResponseWriter, r *http.Request, err error) { got = err }
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got = nil })
	muni := &auth.Principal{Name: "Kalmar", Role: auth.Municipality, Municipalities: []string{"0880"}}
	coord := &auth.Principal{Name: "Regionen", Role: auth.Coordinator}
	for _, tc := range []struct {
		p    *auth.Principal
		role auth.Role
		want error
	}{
		{nil, auth.Municipality, auth.ErrUnauthenticated},
		{muni, auth.Municipality, nil},
		{muni, auth.Coordinator, auth.ErrForbidden},
		{coord, auth.Municipality, nil},
		{coord, auth.Coordinator, nil},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r = r.WithContext(auth.WithPrincipal(r.Context(), tc.p))
		got = errors.New("not called")
		auth.Require(tc.role, fail)(ok).ServeHTTP(httptest.NewRecorder(), r)
		if !errors.Is(got, tc.want) && got != tc.want {
			t.Errorf("Require(%s) for %v: %v, want %v", tc.role, tc.p, got, tc.want)
		}
	}
	if all, codes := coord.Scope(); !all || codes != nil {
		t.Error("a coordinator's scope is every municipality")
	}
	if all, codes := muni.Scope(); all || len(codes) != 1 || codes[0] != "0880" {
		t.Error("a municipality's scope is its own codes")
	}
	var public *auth.Principal
	if all, codes := public.Scope(); all || codes != nil || public.MayAccess("0880") {
		t.Error("the public sees no address")
	}
}
