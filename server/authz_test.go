package server_test

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/xuri/excelize/v2"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// The principals of the authorisation matrix (issue 12).
const (
	public         = "public"
	m0880          = "municipality 0880"
	m0881          = "municipality 0881"
	coordinator    = "coordinator"
	badToken       = "bad token"
	expiredToken   = "expired token"
	revokedToken   = "revoked token"
	expiredSession = "expired session"
)

var principals = []string{public, m0880, m0881, coordinator, badToken, expiredToken, revokedToken, expiredSession}

// caller is how a principal authenticates: a Bearer token for the API and
// the OGC endpoint, a session cookie for the pages.
type caller struct {
	bearer  string
	session string // the cookie's value
	csrf    string // the session's form token
}

// authzFixture is a server over testdata/gaps.csv with a token (and a
// session) for each principal.
type authzFixture struct {
	url     string
	pool    *pgxpool.Pool
	callers map[string]caller
	h       http.Handler
}

func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	f, err := os.Open("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := coverage.NewStore(pool).Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
		t.Fatal(err)
	}
	a := auth.NewStore(pool)
	fx := &authzFixture{pool: pool, callers: map[string]caller{public: {}}}
	newCaller := func(nt auth.NewToken) (caller, auth.Token) {
		secret, tok, err := a.CreateToken(ctx, nt)
		if err != nil {
			t.Fatal(err)
		}
		sid, p, _, err := a.SignIn(ctx, secret, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return caller{bearer: secret, session: sid, csrf: p.CSRF}, tok
	}
	fx.callers[m0880], _ = newCaller(auth.NewToken{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}})
	fx.callers[m0881], _ = newCaller(auth.NewToken{Name: "Nybro kommun", Role: auth.Municipality, Municipalities: []string{"0881"}})
	fx.callers[coordinator], _ = newCaller(auth.NewToken{Name: "Regionen", Role: auth.Coordinator})
	fx.callers[badToken] = caller{bearer: "gk_" + strings.Repeat("A", 43), session: "no-such-session"}
	exp, expTok := newCaller(auth.NewToken{Name: "Utgången", Role: auth.Municipality, Municipalities: []string{"0880"}})
	exec(t, pool, "UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1", expTok.ID)
	fx.callers[expiredToken] = exp
	rev, revTok := newCaller(auth.NewToken{Name: "Återkallad", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if _, err := a.Revoke(ctx, revTok.ID); err != nil {
		t.Fatal(err)
	}
	fx.callers[revokedToken] = rev
	old, _ := newCaller(auth.NewToken{Name: "Gammal session", Role: auth.Municipality, Municipalities: []string{"0880"}})
	exec(t, pool, "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE hash = sha256($1::bytea)", []byte(old.session))
	fx.callers[expiredSession] = caller{session: old.session, csrf: old.csrf}

	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	fx.url, fx.h = ts.URL, h
	return fx
}

// route is one row of the matrix.
type route struct {
	method, path string
	page         bool // authenticated by the session cookie (else by Bearer)
	body         func(c caller) (io.Reader, string)
	want         map[string]int // by principal
}

func (fx *authzFixture) do(t *testing.T, rt route, who string) (*http.Response, []byte) {
	t.Helper()
	c := fx.callers[who]
	var body io.Reader
	ctype := ""
	if rt.body != nil {
		body, ctype = rt.body(c)
	}
	req, err := http.NewRequest(rt.method, fx.url+rt.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch {
	case rt.page && c.session != "":
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c.session})
	case !rt.page && c.bearer != "":
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	case !rt.page && c.session != "": // an expired session calling the API from its browser
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c.session})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// statuses builds a row: the public's answer for the anonymous, 401 for
// the bad, expired and revoked tokens.
func statuses(publicStatus, m0880Status, m0881Status, coordStatus int) map[string]int {
	return map[string]int{public: publicStatus, m0880: m0880Status, m0881: m0881Status, coordinator: coordStatus,
		badToken: 401, expiredToken: 401, revokedToken: 401, expiredSession: publicStatus}
}

// pageStatuses is statuses for a page: a bad or ended sign-in is only
// dropped, and the browser goes on as the public.
func pageStatuses(publicStatus, m0880Status, m0881Status, coordStatus int) map[string]int {
	return map[string]int{public: publicStatus, m0880: m0880Status, m0881: m0881Status, coordinator: coordStatus,
		badToken: publicStatus, expiredToken: publicStatus, revokedToken: publicStatus, expiredSession: publicStatus}
}

func uploadBody(c caller) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("as_of", "2024-10-01")
	fw, _ := mw.CreateFormFile("file", "fel.csv")
	fw.Write([]byte("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\nX1;0880;inte;6282000;1;0;fiber;connected;1000\n"))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func logoutBody(c caller) (io.Reader, string) {
	return strings.NewReader("csrf=" + c.csrf), "application/x-www-form-urlencoded"
}

// myRoutes are the routes of issue 12 with what each principal gets.
var myRoutes = []route{
	// The gap report: by address for its own municipality and the
	// coordinator, by square for everyone else, never by address.
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=csv", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=xlsx", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=geojson", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/api/v1/municipalities/0881/gaps?format=geojson", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=csv&level=address", want: statuses(401, 200, 403, 200)},
	{method: "GET", path: "/api/v1/municipalities/0881/gaps?format=xlsx&level=address", want: statuses(401, 403, 200, 200)},
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=csv&level=square", want: statuses(200, 200, 200, 200)},
	// A signed-in browser downloads the same report with its cookie.
	{method: "GET", path: "/api/v1/municipalities/0880/gaps?format=csv&level=address", page: true, want: pageStatuses(401, 200, 403, 200)},
	// OGC API – Features.
	{method: "GET", path: "/ogc/", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/conformance", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/api", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/squares", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/squares/items", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/municipalities/items?f=html", want: statuses(200, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/gaps", want: statuses(401, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/gaps/items", want: statuses(401, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/addresses/items", want: statuses(401, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/addresses/items?f=html", want: statuses(401, 200, 200, 200)},
	{method: "GET", path: "/ogc/collections/addresses/items/2024-10-01.G2", want: statuses(401, 200, 404, 200)},
	{method: "GET", path: "/ogc/collections/gaps/items/2024-10-01.N2", want: statuses(401, 404, 200, 200)},
	// The map's addresses layer: street level for signed-in users, their
	// own municipalities only (0881 has no point in this tile of Kalmar).
	{method: "GET", path: "/tiles/addresses/14/8935/5046.mvt", want: statuses(403, 200, 204, 200)},
	{method: "GET", path: "/tiles/addresses/14/8935/5046.mvt", page: true, want: pageStatuses(403, 200, 204, 200)},
	// Operations: a monitoring system's own Authorization header is no
	// gigakoll token and is ignored there.
	{method: "GET", path: "/metrics", want: pageStatuses(200, 200, 200, 200)},
	{method: "GET", path: "/healthz", want: pageStatuses(200, 200, 200, 200)},
	// Pages.
	{method: "GET", path: "/logga-in", page: true, want: pageStatuses(200, 200, 200, 200)},
	{method: "GET", path: "/uppladdning", page: true, want: pageStatuses(303, 403, 403, 200)},
	{method: "POST", path: "/uppladdning", page: true, body: uploadBody, want: pageStatuses(401, 403, 403, 422)},
	{method: "POST", path: "/uppladdning", body: uploadBody, want: statuses(401, 403, 403, 422)},
	{method: "POST", path: "/logga-ut", page: true, body: logoutBody, want: pageStatuses(303, 303, 303, 303)},
}

// Address-level values of the fixture, per municipality: an id, street,
// operator or postcode that only an address-level answer holds.
var addressValues = map[string][]string{
	"0880": {`"G2"`, `"G3"`, `"G8"`, `.G2"`, "G2;", "G10;", ">G2<", ">2024-10-01.G2<", "Lilla gränd", "Åvägen", "Ängsvägen",
		"Ödevägen", "Verkstadsgatan", "Skogsbacken", "Gränsvägen", "Strandvägen", "Kungsgatan", "Kalmar Energi Stadsnät",
		"Net at Once", "Byanät Norr", "39231"},
	"0881": {`"N1"`, `"N2"`, `.N2"`, "N2;", ">N2<", "Nybro Energi"},
}

// addressFields are the names of address-level fields.
var addressFields = []string{`"address_id"`, `"street"`, `"postcode"`, "Adress-id", "Gata;", ">street<", ">address_id<"}

// mayNotSee lists the municipalities whose address-level data the
// principal must never receive.
func mayNotSee(who string) []string {
	switch who {
	case coordinator:
		return nil
	case m0880:
		return []string{"0881"}
	case m0881:
		return []string{"0880"}
	}
	return []string{"0880", "0881"}
}

// text is what a person would see of a body: an XLSX's cells, unzipped.
func text(t *testing.T, resp *http.Response, b []byte) string {
	t.Helper()
	if !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		return string(b)
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("not an XLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			sb.WriteString(strings.Join(r, ";") + ";\n")
		}
	}
	return sb.String()
}

func checkNoLeak(t *testing.T, who, path, body string) {
	t.Helper()
	if strings.HasPrefix(path, "/ogc/api") || strings.HasSuffix(path, "openapi.json") {
		return // the API documents: static text, whose examples may look like data
	}
	for _, muni := range mayNotSee(who) {
		for _, v := range addressValues[muni] {
			if strings.Contains(body, v) {
				t.Errorf("%s got %s's address-level %q from %s", who, muni, v, path)
			}
		}
	}
	if len(mayNotSee(who)) == 2 {
		for _, f := range addressFields {
			if strings.Contains(body, f) {
				t.Errorf("%s got the address-level field %s from %s", who, f, path)
			}
		}
	}
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	seen := map[string]bool{}
	for _, rt := range myRoutes {
		seen[rt.method+" "+strings.SplitN(rt.path, "?", 2)[0]] = true
		for _, who := range principals {
			t.Run(fmt.Sprintf("%s %s as %s", rt.method, rt.path, who), func(t *testing.T) {
				resp, b := fx.do(t, rt, who)
				if want := rt.want[who]; resp.StatusCode != want {
					t.Errorf("status %d, want %d\n%.300s", resp.StatusCode, want, b)
				}
				if resp.StatusCode == 401 && !rt.page && resp.Header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				checkNoLeak(t, who, rt.path, text(t, resp, b))
				checkHeaders(t, resp, b)
			})
		}
	}

	// The leak checks above see address-level data where it belongs.
	for _, c := range []struct{ who, path, want string }{
		{m0880, "/api/v1/municipalities/0880/gaps?format=csv", "Lilla gränd"},
		{m0880, "/api/v1/municipalities/0880/gaps?format=xlsx", "Verkstadsgatan"},
		{public, "/api/v1/municipalities/0880/gaps?format=csv", "Rutstorlek"},
		{m0881, "/api/v1/municipalities/0880/gaps?format=csv", "Rutstorlek"},
		{m0881, "/ogc/collections/gaps/items", `"N2"`},
		{coordinator, "/ogc/collections/addresses/items?limit=100", "Lilla gränd"},
		{m0880, "/tiles/addresses/14/8935/5046.mvt", "Lilla gränd"},
	} {
		resp, b := fx.do(t, route{method: "GET", path: c.path}, c.who)
		if strings.HasPrefix(c.path, "/tiles/addresses/") && resp.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s: Cache-Control %q, want private, no-store", c.path, resp.Header.Get("Cache-Control"))
		}
		if body := text(t, resp, b); !strings.Contains(body, c.want) {
			t.Errorf("%s: %s lacks %q:\n%.400s", c.who, c.path, c.want, body)
		}
	}

	// Every other GET route of the server, whoever wrote it: it answers the
	// public, both municipalities, the coordinator and an ended session
	// alike, refuses a bad, expired or revoked token, and never gives
	// address-level data to anyone who may not see it.
	routes, ok := fx.h.(chi.Routes)
	if !ok {
		t.Fatal("the server's handler is not a chi router: list its routes here")
	}
	var others []string
	err := chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == "GET" && !seen["GET "+pattern] && !strings.HasPrefix(pattern, "/ogc") {
			others = append(others, pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(others)
	params := regexp.MustCompile(`\{[^}]+\}`)
	for _, pattern := range others {
		path := strings.TrimSuffix(params.ReplaceAllStringFunc(pattern, func(p string) string {
			example := map[string]string{"{code}": "0880", "{z}": "12", "{x}": "2254", "{y}": "1285", "{layer}": "municipalities"}
			return cmp.Or(example[p], "0")
		}), "*")
		path = strings.ReplaceAll(path, "//", "/0/")
		isPage := !strings.HasPrefix(path, "/api/")
		t.Run("GET "+pattern, func(t *testing.T) {
			rt := route{method: "GET", path: path, page: isPage}
			pub, _ := fx.do(t, rt, public)
			for _, who := range principals {
				resp, b := fx.do(t, rt, who)
				want := pub.StatusCode
				if !isPage && (who == badToken || who == expiredToken || who == revokedToken) {
					want = 401
				}
				if resp.StatusCode != want && !(who == m0880 || who == m0881 || who == coordinator) {
					t.Errorf("%s: status %d, want %d", who, resp.StatusCode, want)
				}
				checkNoLeak(t, who, path, text(t, resp, b))
				checkHeaders(t, resp, b)
			}
		})
	}
}
