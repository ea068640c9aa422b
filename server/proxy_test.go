package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// Behind a trusted proxy each resident has a rate limit of their own, by the
// address the proxy puts last into X-Forwarded-For (what a client writes
// there itself stands to the left of it and is not believed); from anyone
// else the header changes nothing. No form of the forwarded addresses
// reaches the log.
func TestTrustedProxiesNameTheClient(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	serve := func(trusted string) (*httptest.Server, *syncBuffer) {
		logs := &syncBuffer{}
		h, err := server.New(server.Deps{Pool: pool, Registry: prometheus.NewRegistry(), QueryTimeout: 10 * time.Second,
			Log:            slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			MeasureRate:    measure.Rate{N: 1, Per: time.Hour},
			TrustedProxies: []netip.Prefix{netip.MustParsePrefix(trusted)}})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		t.Cleanup(ts.Close)
		return ts, logs
	}
	const body = `{"down_mbps": 90, "up_mbps": 10, "lat": 56.6632, "lon": 16.3615}`
	behind, logs := serve("127.0.0.0/8") // the test's connections come from loopback: the proxy
	for _, tt := range []struct {
		forwarded string
		want      int
	}{
		{"198.51.100.1", 201},
		{"198.51.100.1", 429},                 // the same resident again
		{"198.51.100.2", 201},                 // another resident
		{"203.0.113.66, 198.51.100.1", 429},   // a forged address left of the proxy's: still 198.51.100.1
		{"198.51.100.3, 127.0.0.5", 201},      // through two trusted proxies: 198.51.100.3
		{"2001:db8:77:1::1", 201},             // IPv6: its /64
		{"2001:db8:77:1::2", 429},             // the same /64
		{"198.51.100.1, not-an-address", 201}, // a header no proxy wrote: the proxy is the client
		{"", 429},                             // no header: the proxy itself, again
		{"198.51.100.4, 198.51.100.5", 201},   // the right-most untrusted one
		{"198.51.100.4", 201},                 // and the one left of it was not counted
		{"::ffff:198.51.100.2", 429},          // a mapped IPv4 address is that address
		{"198.51.100.6:41234", 429},           // not an address: the proxy, which has used its limit
	} {
		resp, b := post(t, behind.URL, body, "X-Forwarded-For", tt.forwarded)
		if resp.StatusCode != tt.want {
			t.Errorf("behind a trusted proxy, X-Forwarded-For %q: %d %s, want %d", tt.forwarded, resp.StatusCode, b, tt.want)
		}
	}
	for _, form := range []string{"198.51.100", "203.0.113.66", "2001:db8:77"} {
		if strings.Contains(logs.String(), form) {
			t.Errorf("the log holds %s", form)
		}
	}

	direct, _ := serve("10.0.0.0/8") // loopback is no proxy of this one
	if resp, b := post(t, direct.URL, body, "X-Forwarded-For", "198.51.100.1"); resp.StatusCode != 201 {
		t.Fatalf("first: %d %s", resp.StatusCode, b)
	}
	if resp, _ := post(t, direct.URL, body, "X-Forwarded-For", "198.51.100.2"); resp.StatusCode != 429 {
		t.Errorf("from an untrusted peer X-Forwarded-For chose another rate limit: %d, want 429", resp.StatusCode)
	}

	// HSTS: over TLS only, as a trusted proxy says it; never over plain HTTP.
	for _, tt := range []struct {
		base, proto string
		want        bool
	}{{behind.URL, "https", true}, {behind.URL, "", false}, {direct.URL, "https", false}} {
		req, _ := http.NewRequest(http.MethodGet, tt.base+"/healthz", nil)
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security") != ""; got != tt.want {
			t.Errorf("X-Forwarded-Proto %q (trusted: %v): HSTS %v, want %v", tt.proto, tt.base == behind.URL, got, tt.want)
		}
	}
}
