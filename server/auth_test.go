package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
)

// browser is an HTTP client with cookies that does not follow redirects,
// so that each step of a sign-in shows.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(t, c, req)
}

func getPage(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return send(t, c, req)
}

var hiddenField = func(name string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`)
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	secret, tok, err := auth.NewStore(fx.pool).CreateToken(context.Background(),
		auth.NewToken{Name: "Kalmar kommun, GIS", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)

	resp, body := getPage(t, c, fx.url+"/logga-in?next=/uppladdning")
	m := hiddenField("form").FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, `name="next" value="/uppladdning"`) {
		t.Fatalf("sign-in page: %d, form token %v\n%s", resp.StatusCode, m, body)
	}
	form := url.Values{"form": {m[1]}, "token": {secret}, "next": {"/logga-in"}}

	t.Run("a wrong token is refused in Swedish", func(t *testing.T) {
		resp, body := postForm(t, c, fx.url+"/logga-in", url.Values{"form": {m[1]}, "token": {"gk_fel"}})
		if resp.StatusCode != 401 || !strings.Contains(body, "Token är okänd") || len(resp.Cookies()) > 0 && resp.Cookies()[0].Name == auth.SessionCookie {
			t.Errorf("status %d, cookies %v", resp.StatusCode, resp.Cookies())
		}
	})
	t.Run("a form without its token is refused", func(t *testing.T) {
		resp, _ := postForm(t, browser(t), fx.url+"/logga-in", url.Values{"token": {secret}})
		if resp.StatusCode != 403 {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	})
	t.Run("a cross-site post is refused", func(t *testing.T) {
		resp, _ := postForm(t, c, fx.url+"/logga-in", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if resp.StatusCode != 403 {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	})
	t.Run("a redirect never leaves the site", func(t *testing.T) {
		_, body := getPage(t, browser(t), fx.url+"/logga-in?next=//evil.example/x")
		if strings.Contains(body, "evil.example") {
			t.Error("the sign-in form carries a next that leaves the site")
		}
	})

	resp, _ = postForm(t, c, fx.url+"/logga-in", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logga-in" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.SessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" || session.Value == secret {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, not the token", session)
	}
	var stored int
	if err := fx.pool.QueryRow(context.Background(), "SELECT count(*) FROM sessions WHERE hash = sha256($1::bytea)", []byte(session.Value)).Scan(&stored); err != nil || stored != 1 {
		t.Errorf("the session is stored by its digest: %d rows (%v)", stored, err)
	}

	resp, body = getPage(t, c, fx.url+"/logga-in")
	if !strings.Contains(body, "Kalmar kommun, GIS") || !strings.Contains(body, "/api/v1/municipalities/0880/gaps?level=address&amp;format=xlsx") ||
		strings.Contains(body, "0881/gaps") || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("the account page lacks the user's name or downloads, or shows another's:\n%s", body)
	}
	csrf := hiddenField("csrf").FindStringSubmatch(body)
	if csrf == nil {
		t.Fatal("the layout's Logga ut form has no csrf field")
	}
	resp, _ = getPage(t, c, fx.url+"/api/v1/municipalities/0880/gaps?format=csv&level=address")
	if resp.StatusCode != 200 {
		t.Errorf("download with the session: %d", resp.StatusCode)
	}

	t.Run("signing out needs the form token", func(t *testing.T) {
		resp, _ := postForm(t, c, fx.url+"/logga-ut", url.Values{"csrf": {"fel"}})
		if resp.StatusCode != 403 {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	})
	resp, _ = postForm(t, c, fx.url+"/logga-ut", url.Values{"csrf": {csrf[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out: %d", resp.StatusCode)
	}
	resp, _ = getPage(t, c, fx.url+"/uppladdning")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in?next=") {
		t.Errorf("after sign-out /uppladdning: %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}

	t.Run("revoking the token ends its sessions", func(t *testing.T) {
		c := browser(t)
		_, body := getPage(t, c, fx.url+"/logga-in")
		f := hiddenField("form").FindStringSubmatch(body)
		postForm(t, c, fx.url+"/logga-in", url.Values{"form": {f[1]}, "token": {secret}})
		if _, body := getPage(t, c, fx.url+"/logga-in"); !strings.Contains(body, "Ditt konto") {
			t.Fatal("not signed in")
		}
		if _, err := auth.NewStore(fx.pool).Revoke(context.Background(), tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, body := getPage(t, c, fx.url+"/logga-in"); strings.Contains(body, "Ditt konto") {
			t.Error("still signed in after the token was revoked")
		}
	})
}

func TestEveryAddressLevelDownloadIsAudited(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	for _, rt := range []struct{ who, path string }{
		{m0880, "/api/v1/municipalities/0880/gaps?format=xlsx"},
		{m0880, "/api/v1/municipalities/0880/gaps?format=csv&target=se-2025-100"},
		{m0881, "/ogc/collections/gaps/items"},
		{coordinator, "/ogc/collections/addresses/items?limit=3"},
		{public, "/api/v1/municipalities/0880/gaps?format=csv"}, // by square: not address-level
		{m0881, "/api/v1/municipalities/0880/gaps?format=csv"},  // likewise
	} {
		fx.do(t, route{method: "GET", path: rt.path}, rt.who)
	}
	rows, err := fx.pool.Query(context.Background(),
		"SELECT actor, action, coalesce(municipality_code, ''), coalesce(target_id, ''), coalesce(format, ''), rows FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var actor, action, muni, target, format string
		var n int64
		if err := rows.Scan(&actor, &action, &muni, &target, &format, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{actor, action, muni, target, format, strconv.FormatInt(n, 10)}, " | "))
	}
	// Counted by hand from testdata/gaps.csv: 0880 lacks 1 Gbit/s at 9
	// points (all but G1), 100 Mbit/s at 8 (G3 has 500) and 30 Mbit/s at 4
	// (G2, G6, G7, G9); 0881 lacks 1 Gbit/s at one (N2); the coordinator
	// read 3 addresses. The XLSX lists every target: 8 + 9 + 8 + 4 + 9.
	// The fixture's import is audited too, with its 15 rows.
	want := []string{
		"test | import |  |  |  | 15",
		"Kalmar kommun | gaps | 0880 | se-2020-100,se-2025-1g,se-2025-100,se-2025-30,kalmar-2025-1g,eu-2030-1g | xlsx | 47",
		"Kalmar kommun | gaps | 0880 | se-2025-100 | csv | 8",
		"Nybro kommun | gaps | 0881 |  | geojson | 1",
		"Regionen | addresses |  |  | geojson | 3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
