package server_test

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	osexec "os/exec"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// ipForms are the ways an IPv4 address could show up in a dump or a log:
// dotted, as hex (either case, as bytea too), as one integer, IPv4-mapped.
// The dotted forms alone can be searched for in the whole database (a
// boundary's hex WKB holds every run of eight hex digits sooner or later).
func ipForms(ip string) []string {
	a := netip.MustParseAddr(ip).As4()
	hex := fmt.Sprintf("%02x%02x%02x%02x", a[0], a[1], a[2], a[3])
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	return []string{ip, hex, strings.ToUpper(hex), fmt.Sprint(n), "::ffff:" + ip,
		fmt.Sprintf("%d.%d.%d", a[1], a[2], a[3])}
}

// positionForms are a WGS 84 position at several precisions, and its
// SWEREF 99 TM coordinates at several more; withIntegers adds the whole
// metres, which only a small dump can be searched for (a boundary's hex
// WKB holds every run of six digits sooner or later).
func positionForms(lat, lon float64, withIntegers bool) []string {
	var out []string
	for _, prec := range []int{6, 5, 4} {
		out = append(out, fmt.Sprintf("%.*f", prec, lat), fmt.Sprintf("%.*f", prec, lon))
	}
	s := geo.ToSWEREF(orb.Point{lon, lat})
	for _, prec := range []int{3, 2, 1} {
		out = append(out, fmt.Sprintf("%.*f", prec, s.E), fmt.Sprintf("%.*f", prec, s.N))
	}
	if withIntegers {
		out = append(out, fmt.Sprintf("%.0f", s.E), fmt.Sprintf("%.0f", s.N), fmt.Sprintf("%d", int64(s.E)), fmt.Sprintf("%d", int64(s.N)))
	}
	return out
}

func pgDump(t *testing.T, dbURL string, tables ...string) string {
	t.Helper()
	args := []string{"--data-only", "--no-owner", "--dbname=" + dbURL}
	for _, tb := range tables {
		args = append(args, "--table="+tb)
	}
	out, err := osexec.Command("pg_dump", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	return string(out)
}

func assertAbsent(t *testing.T, where, text string, forms []string) {
	t.Helper()
	for _, f := range forms {
		if i := strings.Index(text, f); i >= 0 {
			t.Errorf("%s holds %q: …%s…", where, f, text[max(0, i-80):min(len(text), i+len(f)+80)])
		}
	}
}

// After submissions from a known address and position, and by an address
// typed in, neither the client's IP address (in any form) nor the exact
// position (at any precision, in WGS 84 or SWEREF 99 TM) nor the address
// typed in is in the measurement tables, and none of them is in the logs;
// the IP and the position are nowhere in the whole database either.
func TestNothingRecordsTheClient(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	withMeasureCoverage(t, pool)
	const ip = "198.51.100.23"
	const lat, lon = 56.663217, 16.361543 // near Kalmar cathedral, on no address point
	const address = "Storgatan 3, 392 31 Kalmar"
	const key = "privacy-test-idempotency-key"
	chosen, chosenLogs := measureServer(t, pool, measureServerOpts{remote: ip + ":51234"})
	loopback, loopbackLogs := measureServer(t, pool, measureServerOpts{})

	position := fmt.Sprintf(`{"down_mbps": 87.5, "up_mbps": 9.5, "lat": %.6f, "lon": %.6f, "connection": "dsl"}`, lat, lon)
	byAddress := `{"down_mbps": 912, "up_mbps": 480, "address": "` + address + `", "connection": "fiber"}`
	for _, base := range []string{chosen.URL, loopback.URL} {
		for _, tt := range []struct {
			body    string
			headers []string
			status  int
		}{
			{position, []string{"Idempotency-Key", key}, 201},
			{position, []string{"Idempotency-Key", key}, 201}, // a replay
			{position, nil, 201},
			{byAddress, nil, 201},
			{strings.Replace(position, `"dsl"`, `"pigeon"`, 1), nil, 400}, // refused, and the log must not tell why with the position
			{strings.Replace(byAddress, "Storgatan 3", "Storgatan 99", 1), nil, 400},
			{position, []string{"Content-Type", "text/plain"}, 415},
		} {
			if resp, body := post(t, base, tt.body, tt.headers...); resp.StatusCode != tt.status {
				t.Fatalf("%s: %d %s, want %d", tt.body, resp.StatusCode, body, tt.status)
			}
		}
		if resp, _ := mapFetch(t, base+"/api/v1/addresses?q="+url.QueryEscape(address)); resp.StatusCode != 200 {
			t.Fatalf("suggestions: %d", resp.StatusCode)
		}
	}
	// 3 from each server, less the second server's first one with the key:
	// any server recognises a key, so it got the first answer back.
	var stored int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM measurements`).Scan(&stored); err != nil || stored != 5 {
		t.Fatalf("%d measurements stored, want 5", stored)
	}

	tables := pgDump(t, dbURL, "measurements", "measurement_requests")
	if !strings.Contains(tables, "250m") && !strings.Contains(tables, "0880") {
		t.Fatalf("the dump of the measurement tables looks empty:\n%s", tables)
	}
	addressForms := []string{address, "Storgatan 3", "Storgatan", "392 31", "39231"}
	clientForms := append(ipForms(ip), ipForms("127.0.0.1")...)
	assertAbsent(t, "the measurement tables", tables, clientForms)
	assertAbsent(t, "the measurement tables", tables, positionForms(lat, lon, true))
	assertAbsent(t, "the measurement tables", tables, addressForms)
	assertAbsent(t, "the measurement tables", tables, []string{key})

	whole := pgDump(t, dbURL)
	assertAbsent(t, "the database", whole, []string{ip, "::ffff:" + ip})
	assertAbsent(t, "the database", whole, positionForms(lat, lon, false))

	logs := chosenLogs.String() + loopbackLogs.String()
	if !strings.Contains(logs, `"route":"/api/v1/measurements"`) {
		t.Fatalf("the logs lack the requests, so they prove nothing:\n%s", logs)
	}
	assertAbsent(t, "the logs", logs, clientForms)
	assertAbsent(t, "the logs", logs, positionForms(lat, lon, true))
	assertAbsent(t, "the logs", logs, addressForms)
	assertAbsent(t, "the logs", logs, []string{key})
}

// The measured time is kept to the hour: too coarse to match the
// submission against a request log.
func TestTheTimeIsKeptToTheHour(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ts, _ := measureServer(t, pool, measureServerOpts{})
	at := time.Now().Add(-26 * time.Hour).UTC().Truncate(time.Second)
	body := fmt.Sprintf(`{"down_mbps": 1, "up_mbps": 1, "lat": 56.66, "lon": 16.36, "measured_at": %q}`, at.Format(time.RFC3339))
	if resp, b := post(t, ts.URL, body); resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var got time.Time
	if err := pool.QueryRow(context.Background(), `SELECT measured_at FROM measurements`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(at.Truncate(time.Hour)) {
		t.Errorf("stored %v, want %v", got, at.Truncate(time.Hour))
	}
	_ = measure.MinPublished
}
