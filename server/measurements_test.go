package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

const valid = `{"down_mbps": 250.5, "up_mbps": 40, "latency_ms": 9.5, "lat": 56.6632, "lon": 16.3615, "connection": "fiber"}`

// checkPost validates a POST /api/v1/measurements response against the
// OpenAPI document.
func (c apiContract) checkPost(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	u, _ := url.Parse("/api/v1/measurements")
	req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{"Content-Type": {"application/json"}}}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		t.Fatalf("POST /api/v1/measurements is not in the document: %v", err)
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		t.Errorf("POST = %d: the response does not fit the document: %v\n%s", resp.StatusCode, err, body)
	}
}

func TestSubmissionStatuses(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withMeasureCoverage(t, pool)
	ts, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 1000, Per: time.Minute}})
	c := loadContract(t, ts.URL)
	big := `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "source": "` + strings.Repeat("x", 17<<10) + `"}`
	tests := []struct {
		name    string
		body    string
		headers []string
		status  int
		fields  []string // named in a 400
	}{
		{"a measurement with a position", valid, nil, 201, nil},
		{"a measurement with an address", `{"down_mbps": 24, "up_mbps": 2, "address": "Storgatan 3, 392 31 Kalmar"}`, nil, 201, nil},
		{"charset utf-8 is JSON too", valid, []string{"Content-Type", "application/json; charset=UTF-8"}, 201, nil},
		{"every bad field named", `{"down_mbps": 0, "up_mbps": "x", "lat": 56.66, "connection": "pigeon", "wifi": true}`, nil, 400,
			[]string{"connection", "down_mbps", "lon", "up_mbps", "wifi"}},
		{"outside Sweden", `{"down_mbps": 1, "up_mbps": 1, "lat": 55.6761, "lon": 12.5683}`, nil, 400, []string{"lat", "lon"}},
		{"an address that is nowhere", `{"down_mbps": 1, "up_mbps": 1, "address": "Månvägen 1, 999 99 Ingenstans"}`, nil, 400, []string{"address"}},
		{"an ambiguous address", `{"down_mbps": 1, "up_mbps": 1, "address": "Storgatan 1"}`, nil, 400, []string{"address"}},
		{"measured_at in the future", `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "measured_at": "2099-01-01T00:00:00Z"}`, nil, 400, []string{"measured_at"}},
		{"not JSON", `down=3`, nil, 400, []string{""}},
		{"an address with NUL", `{"down_mbps": 1, "up_mbps": 1, "address": "Storgatan\u0000 3, 392 31 Kalmar"}`, nil, 400, []string{"address"}},
		{"an address with a line break", `{"down_mbps": 1, "up_mbps": 1, "address": "Storgatan 3\n392 31 Kalmar"}`, nil, 400, []string{"address"}},
		{"a source with NUL", `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "source": "a\u0000b"}`, nil, 400, []string{"source"}},
		{"a connection with NUL", `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "connection": "fiber\u0000"}`, nil, 400, []string{"connection"}},
		{"measured_at with NUL", `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "measured_at": "2026-01-01T00:00:00Z\u0000"}`, nil, 400, []string{"measured_at"}},
		{"a bad Idempotency-Key", valid, []string{"Idempotency-Key", "två ord"}, 400, []string{"Idempotency-Key"}},
		{"over 16 KiB", big, nil, 413, nil},
		{"over 16 KiB without a length", big, []string{"Transfer-Encoding", "chunked"}, 413, nil},
		{"text/plain", valid, []string{"Content-Type", "text/plain"}, 415, nil},
		{"no Content-Type", valid, []string{"Content-Type", ""}, 415, nil},
		{"another charset", valid, []string{"Content-Type", "application/json; charset=latin1"}, 415, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(t, ts.URL, tt.body, tt.headers...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			c.checkPost(t, resp, body)
			if tt.status == 201 {
				var st measure.Stored
				if err := json.Unmarshal(body, &st); err != nil || st.ID == "" || !strings.HasPrefix(st.Square, "250m-E") || st.Municipality.Code != "0880" {
					t.Errorf("201 body %s", body)
				}
				var n int
				if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements WHERE id = $1`, st.ID).Scan(&n); err != nil || n != 1 {
					t.Errorf("the 201's measurement is not in the database: %d %v", n, err)
				}
			}
			if tt.fields != nil {
				got := errorFields(t, body)
				sort.Strings(got)
				if !reflect.DeepEqual(got, tt.fields) {
					t.Errorf("named %q, want %q: %s", got, tt.fields, body)
				}
			}
		})
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d measurements stored, want the 3 answered 201", n)
	}
}

func TestIdempotencyKeyOverHTTP(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{remote: "192.0.2.44:50000"})
	c := loadContract(t, ts.URL)
	first, firstBody := post(t, ts.URL, valid, "Idempotency-Key", "3f1c8a0e-1")
	again, againBody := post(t, ts.URL, valid, "Idempotency-Key", "3f1c8a0e-1")
	if first.StatusCode != 201 || again.StatusCode != 201 || !bytes.Equal(firstBody, againBody) {
		t.Fatalf("first %d %s, again %d %s: want the same 201 twice", first.StatusCode, firstBody, again.StatusCode, againBody)
	}
	if again.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("Idempotent-Replayed: first %q, again %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
	}
	c.checkPost(t, again, againBody)
	other, otherBody := post(t, ts.URL, strings.Replace(valid, "250.5", "251", 1), "Idempotency-Key", "3f1c8a0e-1")
	if other.StatusCode != http.StatusUnprocessableEntity || !slices.Contains(errorFields(t, otherBody), "Idempotency-Key") {
		t.Errorf("the key with another body: %d %s, want 422 naming Idempotency-Key", other.StatusCode, otherBody)
	}
	c.checkPost(t, other, otherBody)
	if fresh, _ := post(t, ts.URL, valid, "Idempotency-Key", "3f1c8a0e-2"); fresh.StatusCode != 201 || fresh.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("a new key: %d", fresh.StatusCode)
	}
	if plain, _ := post(t, ts.URL, valid); plain.StatusCode != 201 {
		t.Errorf("no key: %d", plain.StatusCode)
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d measurements, want 3 (the replay and the 422 store nothing)", n)
	}
}

func TestTooManySubmissionsAnswer429(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 3, Per: time.Minute}, remote: "203.0.113.5:4000"})
	c := loadContract(t, ts.URL)
	for i := range 3 {
		if resp, body := post(t, ts.URL, valid); resp.StatusCode != 201 {
			t.Fatalf("submission %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := post(t, ts.URL, valid)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("the 4th submission in a minute: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	c.checkPost(t, resp, body)
	// Another client is not held back.
	other, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 3, Per: time.Minute}, remote: "203.0.113.6:4000"})
	if resp, _ := post(t, other.URL, valid); resp.StatusCode != 201 {
		t.Errorf("another client: %d", resp.StatusCode)
	}
}

func TestUnreachableDatabaseAnswers503(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	ts, _ := measureServer(t, pool, measureServerOpts{})
	c := loadContract(t, ts.URL)
	admin := adminPool(t)
	name := strings.TrimPrefix(mustParse(t, dbURL).Path, "/")
	exec(t, admin, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false")
	exec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
	resp, body := post(t, ts.URL, valid, "Idempotency-Key", "during-the-outage")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("with the database unreachable: %d %s, Retry-After %q; want 503 with Retry-After",
			resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	c.checkPost(t, resp, body)
	exec(t, admin, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true")
	// The client retries as told, with the same key: stored once.
	resp, body = post(t, ts.URL, valid, "Idempotency-Key", "during-the-outage")
	if resp.StatusCode != 201 {
		t.Fatalf("the retry: %d %s", resp.StatusCode, body)
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d measurements after a 503 and a retry, want 1", n)
	}
}

func TestAddressSuggestionsShowNoCoverage(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withMeasureCoverage(t, pool)
	ts, _ := measureServer(t, pool, measureServerOpts{})
	c := loadContract(t, ts.URL)
	resp, body := c.check(t, ts.URL, "/api/v1/addresses?q="+url.QueryEscape("Storgatan"))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var got struct{ Addresses []map[string]any }
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Addresses) != 4 || len(got.Addresses) > 10 {
		t.Fatalf("%d suggestions, want the 4 Storgatan addresses: %s", len(got.Addresses), body)
	}
	for _, a := range got.Addresses {
		var keys []string
		for k := range a {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if want := []string{"label", "locality", "number", "postcode", "square", "street"}; !reflect.DeepEqual(keys, want) {
			t.Errorf("a suggestion has %q, want only %q: no coverage figures", keys, want)
		}
	}
	if strings.Contains(string(body), "1000") || strings.Contains(string(body), "fiber") {
		t.Errorf("the suggestions mention an offer: %s", body)
	}
	for _, q := range []string{"", "q=", "q=" + strings.Repeat("a", 101)} {
		resp, body := c.check(t, ts.URL, "/api/v1/addresses?"+q)
		if resp.StatusCode != 400 || !slices.Contains(errorFields(t, body), "q") {
			t.Errorf("?%s: %d %s, want 400 naming q", q, resp.StatusCode, body)
		}
	}
}

func TestSummaryPublishesFiveOrMore(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withMeasureCoverage(t, pool)
	ts, _ := measureServer(t, pool, measureServerOpts{rate: measure.Rate{N: 100, Per: time.Minute}})
	c := loadContract(t, ts.URL)
	// Storgatan 3's square: 4 measurements say nothing, the 5th publishes.
	area := "/api/v1/measurements/summary?area=square:250m-E583000-N6280250"
	for i := range 5 {
		if resp, body := post(t, ts.URL, `{"down_mbps": `+[]string{"50", "60", "70", "80", "90"}[i]+`, "up_mbps": 10, "address": "Storgatan 3, 392 31 Kalmar"}`); resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		resp, body := c.check(t, ts.URL, area)
		var sum measure.Summary
		if err := json.Unmarshal(body, &sum); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if i < 4 {
			if sum.Published || sum.Figures != nil || strings.Contains(string(body), `"count"`) {
				t.Errorf("after %d measurements the square publishes: %s", i+1, body)
			}
			continue
		}
		if !sum.Published || sum.Figures == nil || sum.Figures.Count != 5 || sum.Figures.DownMbps.Median != 70 ||
			sum.Figures.DownMbps.P10 != 54 || sum.Flagged == nil || !*sum.Flagged {
			t.Errorf("after 5 measurements (50–90 Mbit/s in a gigabit square): %s", body)
		}
	}
	for _, p := range []string{
		"/api/v1/measurements/summary?area=municipality:0880&period=2026",
		"/api/v1/measurements/summary?area=county:08&period=all",
	} {
		if resp, body := c.check(t, ts.URL, p); resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
	for _, tt := range []struct{ query, field string }{
		{"", "area"},
		{"area=kommun:0880", "area"},
		{"area=municipality:9999", "area"},
		{"area=square:1000m-E583000-N6280000", "area"},
		{"area=county:08&period=2026-13", "period"},
		{"area=county:08&period=senaste", "period"},
	} {
		resp, body := c.check(t, ts.URL, "/api/v1/measurements/summary?"+tt.query)
		if resp.StatusCode != 400 || !slices.Contains(errorFields(t, body), tt.field) {
			t.Errorf("?%s: %d %s, want 400 naming %s", tt.query, resp.StatusCode, body, tt.field)
		}
	}
}
