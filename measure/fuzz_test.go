package measure_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gigakoll/gigakoll/measure"
)

// FuzzParse feeds the request decoding and validation arbitrary bodies: it
// must never panic; a body it accepts satisfies every rule of
// spec/measurements.md that Parse checks; a body it refuses is refused with
// a list of bad fields that encodes as the API's JSON. The seed corpus is
// testdata/fuzz/FuzzParse; run it longer with
// go test ./measure -run '^$' -fuzz FuzzParse -fuzztime 2m.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"down_mbps": 250.5, "up_mbps": 40, "lat": 56.6634, "lon": 16.3568}`,
		`{"down_mbps": 1e5, "up_mbps": 0.001, "address": "Storgatan 1, 392 31 Kalmar", "connection": "dsl",
		  "latency_ms": 12, "jitter_ms": 0, "subscribed_down_mbps": 100, "measured_at": "2026-11-20T10:00:00+01:00", "source": "page"}`,
		`{"down_mbps": "1", "up_mbps": null, "x": 1, "x": 2}`,
		`{"down_mbps": 1e400}`,
		`[]`, `null`, `{}`, `{"a":`, `{} {}`, `"\ud800"`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := measure.Parse(bytes.NewReader(body), now, "api")
		if err != nil {
			var inv measure.InvalidError
			if !errors.As(err, &inv) || len(inv) == 0 {
				t.Fatalf("Parse(%q) = %v, want an InvalidError with fields", body, err)
			}
			for _, fe := range inv {
				if fe.Message == "" {
					t.Fatalf("Parse(%q): field %q without a message", body, fe.Field)
				}
			}
			if _, err := json.Marshal(map[string]any{"errors": inv}); err != nil {
				t.Fatalf("Parse(%q): the errors do not encode: %v", body, err)
			}
			return
		}
		inRange := func(v, lo, hi float64, open bool) bool { return v <= hi && (v > lo || !open && v == lo) }
		switch {
		case !inRange(c.DownMbps, 0, measure.MaxMbps, true), !inRange(c.UpMbps, 0, measure.MaxMbps, true):
			t.Fatalf("Parse(%q) accepted speeds %v/%v", body, c.DownMbps, c.UpMbps)
		case c.LatencyMs != nil && !inRange(*c.LatencyMs, 0, measure.MaxLatencyMs, true):
			t.Fatalf("Parse(%q) accepted latency %v", body, *c.LatencyMs)
		case c.JitterMs != nil && !inRange(*c.JitterMs, 0, measure.MaxLatencyMs, false):
			t.Fatalf("Parse(%q) accepted jitter %v", body, *c.JitterMs)
		case c.HasPosition == (c.Address != ""):
			t.Fatalf("Parse(%q) accepted position %v and address %q", body, c.HasPosition, c.Address)
		case c.HasPosition && (c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180):
			t.Fatalf("Parse(%q) accepted lat %v lon %v", body, c.Lat, c.Lon)
		case c.MeasuredAt.After(now.Add(measure.ClockSkew)) || c.MeasuredAt.Before(now.Add(-measure.MaxAge)):
			t.Fatalf("Parse(%q) accepted measured_at %v", body, c.MeasuredAt)
		case c.Source == "" || utf8.RuneCountInString(c.Source) > measure.MaxSourceLen || !utf8.ValidString(c.Source):
			t.Fatalf("Parse(%q) accepted source %q", body, c.Source)
		}
		ok := false
		for _, k := range measure.Connections {
			ok = ok || k == c.Connection
		}
		if !ok {
			t.Fatalf("Parse(%q) accepted connection %q", body, c.Connection)
		}
	})
}
