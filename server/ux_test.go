package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestADateWithoutASnapshotListsTheDatesThereAre: the 404 says which dates
// exist, and a day that does not exist is a 400 saying so.
func TestADateWithoutASnapshotListsTheDatesThereAre(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	resp, body := mapFetch(t, ts.URL+"/api/v1/municipalities?as_of=2013-10-01")
	if resp.StatusCode != 404 || !strings.Contains(string(body), "no coverage snapshot as of 2013-10-01; there are snapshots as of 2023-10-01, 2024-10-01") {
		t.Errorf("404 for a date without a snapshot: %d %s", resp.StatusCode, body)
	}
	resp, body = mapFetch(t, ts.URL+"/api/v1/targets?as_of=2013-02-30")
	if resp.StatusCode != 400 || !strings.Contains(string(body), "February 2013 has 28 days") {
		t.Errorf("a day that does not exist: %d %s", resp.StatusCode, body)
	}
}

// TestTargetsDownloadOfOneTarget: ?target= gives that target's rows only,
// named in the file name.
func TestTargetsDownloadOfOneTarget(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	resp, body := mapFetch(t, ts.URL+"/api/v1/targets?format=csv&target=se-2025-1g")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "mal-2024-10-01-se-2025-1g.csv") {
		t.Fatalf("status %d, %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")[1:]
	for _, l := range lines {
		if f := strings.Split(l, ";"); f[3] != "se-2025-1g" {
			t.Errorf("a row of another target: %s", l)
		}
	}
	if len(lines) < 2 {
		t.Errorf("%d rows, want the municipalities and the county", len(lines))
	}
	if resp, _ := mapFetch(t, ts.URL+"/api/v1/targets?format=csv&target=nej"); resp.StatusCode != 400 {
		t.Errorf("an unknown target: %d, want 400", resp.StatusCode)
	}
}

// TestAGapLinkAfterTheSessionEndedSaysSo: the account page's gap link,
// followed once the session has ended, sends a browser to sign in again with
// a message, and a script gets 401 saying the session ended; never the
// public report in its place.
func TestAGapLinkAfterTheSessionEndedSaysSo(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	secret, _, err := auth.NewStore(fx.pool).CreateToken(context.Background(),
		auth.NewToken{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	_, body := getPage(t, c, fx.url+"/logga-in")
	form := hiddenField("form").FindStringSubmatch(body)
	if resp, _ := postForm(t, c, fx.url+"/logga-in", map[string][]string{"form": {form[1]}, "token": {secret}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	_, account := getPage(t, c, fx.url+"/logga-in")
	link := "/api/v1/municipalities/0880/gaps?level=address&amp;format=csv"
	if !strings.Contains(account, link) {
		t.Fatalf("the account page lacks the link %s", link)
	}
	exec(t, fx.pool, "UPDATE sessions SET expires_at = now() - interval '1 minute'")

	req, _ := http.NewRequest("GET", fx.url+strings.ReplaceAll(link, "&amp;", "&"), nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, _ := send(t, c, req)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logga-in?utgangen=1" {
		t.Fatalf("the link after the session ended: %d to %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := getPage(t, c, fx.url+"/logga-in?utgangen=1")
	if !strings.Contains(page, "Din inloggning har gått ut") {
		t.Error("the sign-in page does not say the session ended")
	}

	// A script with a session cookie that has ended: 401 that says so.
	c2 := browser(t)
	_, body = getPage(t, c2, fx.url+"/logga-in")
	form = hiddenField("form").FindStringSubmatch(body)
	resp, _ = postForm(t, c2, fx.url+"/logga-in", map[string][]string{"form": {form[1]}, "token": {secret}})
	var sid string
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.SessionCookie {
			sid = ck.Value
		}
	}
	exec(t, fx.pool, "UPDATE sessions SET expires_at = now() - interval '1 minute'")
	req, _ = http.NewRequest("GET", fx.url+"/api/v1/municipalities/0880/gaps?format=csv", nil)
	req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: sid})
	resp, b := send(t, http.DefaultClient, req)
	if resp.StatusCode != 401 || !strings.Contains(b, "your session has ended") {
		t.Errorf("a script with an ended session: %d %s", resp.StatusCode, b)
	}
}

// TestOnlyStoredSubmissionsCountTowardTheRate: refused forms do not use up
// the rate; the stored ones do.
func TestOnlyStoredSubmissionsCountTowardTheRate(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 3, Per: time.Minute}, remote: "203.0.113.9:4000"})
	for i := range 5 {
		if resp, body := post(t, ts.URL, `{"down_mbps": -1, "up_mbps": 1, "lat": 56.66, "lon": 16.36}`); resp.StatusCode != 400 {
			t.Fatalf("refused submission %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	for i := range 3 {
		if resp, body := post(t, ts.URL, valid); resp.StatusCode != 201 {
			t.Fatalf("stored submission %d after five refused ones: %d %s", i+1, resp.StatusCode, body)
		}
	}
	if resp, _ := post(t, ts.URL, valid); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("the 4th stored submission in a minute: %d, Retry-After %q; want 429 and 60", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
