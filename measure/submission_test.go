package measure_test

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/measure"
)

var receipt = time.Date(2026, 11, 23, 18, 5, 0, 0, time.UTC)

// base is a valid submission; each case changes it.
const base = `"down_mbps": 250.5, "up_mbps": 40, "lat": 56.6634, "lon": 16.3568`

func parse(body string) (measure.Checked, error) {
	return measure.Parse(strings.NewReader(body), receipt, "api")
}

// badFields returns the fields an InvalidError names, sorted.
func badFields(t *testing.T, err error) []string {
	t.Helper()
	var inv measure.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("error %v (%T), want an InvalidError", err, err)
	}
	var out []string
	for _, f := range inv {
		if f.Message == "" {
			t.Errorf("field %q has no message", f.Field)
		}
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

func TestEveryRuleNamesItsField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []string // the fields named; nil: valid
	}{
		{"a valid submission", `{` + base + `}`, nil},
		{"down_mbps missing", `{"up_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"down_mbps"}},
		{"up_mbps missing", `{"down_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"up_mbps"}},
		{"down_mbps zero", `{` + base + `, "down_mbps": 0}`, []string{"down_mbps"}},
		{"down_mbps negative", `{"down_mbps": -1, "up_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"down_mbps"}},
		{"down_mbps at the limit", `{"down_mbps": 100000, "up_mbps": 40, "lat": 56.66, "lon": 16.35}`, nil},
		{"down_mbps above the limit", `{"down_mbps": 100000.001, "up_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"down_mbps"}},
		{"up_mbps above the limit", `{"down_mbps": 1, "up_mbps": 100001, "lat": 56.66, "lon": 16.35}`, []string{"up_mbps"}},
		{"a tiny speed is fine", `{"down_mbps": 0.001, "up_mbps": 0.001, "lat": 56.66, "lon": 16.35}`, nil},
		{"latency zero", `{` + base + `, "latency_ms": 0}`, []string{"latency_ms"}},
		{"latency at the limit", `{` + base + `, "latency_ms": 60000}`, nil},
		{"latency above the limit", `{` + base + `, "latency_ms": 60000.5}`, []string{"latency_ms"}},
		{"jitter zero is fine", `{` + base + `, "jitter_ms": 0}`, nil},
		{"jitter negative", `{` + base + `, "jitter_ms": -0.1}`, []string{"jitter_ms"}},
		{"jitter above the limit", `{` + base + `, "jitter_ms": 60001}`, []string{"jitter_ms"}},
		{"subscribed zero", `{` + base + `, "subscribed_down_mbps": 0}`, []string{"subscribed_down_mbps"}},
		{"subscribed fine", `{` + base + `, "subscribed_down_mbps": 1000}`, nil},
		{"lat without lon", `{"down_mbps": 1, "up_mbps": 1, "lat": 56.66}`, []string{"lon"}},
		{"lon without lat", `{"down_mbps": 1, "up_mbps": 1, "lon": 16.35}`, []string{"lat"}},
		{"lat out of range", `{"down_mbps": 1, "up_mbps": 1, "lat": 91, "lon": 16.35}`, []string{"lat"}},
		{"lon out of range", `{"down_mbps": 1, "up_mbps": 1, "lat": 56, "lon": -181}`, []string{"lon"}},
		{"neither position nor address", `{"down_mbps": 1, "up_mbps": 1}`, []string{"lat", "lon"}},
		{"both position and address", `{` + base + `, "address": "Storgatan 1, 392 31 Kalmar"}`, []string{"address"}},
		{"an address alone", `{"down_mbps": 1, "up_mbps": 1, "address": "Storgatan 1, 392 31 Kalmar"}`, nil},
		{"a blank address", `{"down_mbps": 1, "up_mbps": 1, "address": "   "}`, []string{"address"}},
		{"an address too long", `{"down_mbps": 1, "up_mbps": 1, "address": "` + strings.Repeat("å", 201) + `"}`, []string{"address"}},
		{"connection fiber", `{` + base + `, "connection": "fiber"}`, nil},
		{"connection unknown value", `{` + base + `, "connection": "fibre"}`, []string{"connection"}},
		{"measured_at not RFC 3339", `{` + base + `, "measured_at": "2026-11-23 18:00"}`, []string{"measured_at"}},
		{"measured_at in the future", `{` + base + `, "measured_at": "2026-11-23T19:00:00Z"}`, []string{"measured_at"}},
		{"measured_at within the clock skew", `{` + base + `, "measured_at": "2026-11-23T18:05:30Z"}`, nil},
		{"measured_at 30 days ago", `{` + base + `, "measured_at": "2026-10-24T18:05:00Z"}`, nil},
		{"measured_at older than 30 days", `{` + base + `, "measured_at": "2026-10-24T18:04:59Z"}`, []string{"measured_at"}},
		{"source too long", `{` + base + `, "source": "` + strings.Repeat("x", 65) + `"}`, []string{"source"}},
		{"source of 64 characters", `{` + base + `, "source": "` + strings.Repeat("ä", 64) + `"}`, nil},
		{"source blank", `{` + base + `, "source": ""}`, []string{"source"}},
		{"source with a control character", `{` + base + `, "source": "bredband\u0007kollen"}`, []string{"source"}},
		{"an unknown field", `{` + base + `, "speed": 3}`, []string{"speed"}},
		{"two unknown fields", `{` + base + `, "speed": 3, "ip": "1.2.3.4"}`, []string{"ip", "speed"}},
		{"a field given twice", `{` + base + `, "up_mbps": 41}`, []string{"up_mbps"}},
		{"a number as a string", `{"down_mbps": "250", "up_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"down_mbps"}},
		{"a string as a number", `{` + base + `, "connection": 3}`, []string{"connection"}},
		{"a number too large for a float", `{"down_mbps": 1e400, "up_mbps": 40, "lat": 56.66, "lon": 16.35}`, []string{"down_mbps"}},
		{"null is left out", `{` + base + `, "latency_ms": null, "connection": null}`, nil},
		{"every bad field at once",
			`{"down_mbps": "fast", "up_mbps": -3, "latency_ms": 0, "jitter_ms": -1, "lat": 99, "lon": 16,
			  "connection": "pigeon", "measured_at": "yesterday", "source": "", "subscribed_down_mbps": -5, "colour": "blue"}`,
			[]string{"colour", "connection", "down_mbps", "jitter_ms", "lat", "latency_ms", "measured_at", "source", "subscribed_down_mbps", "up_mbps"}},
		{"not an object", `[1, 2]`, []string{""}},
		{"not JSON", `down_mbps=3`, []string{""}},
		{"empty", ``, []string{""}},
		{"cut short", `{"down_mbps": 3,`, []string{""}},
		{"something after the object", `{` + base + `} {}`, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.body)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Parse(%s) = %v, want valid", tt.body, err)
				}
				return
			}
			if got := badFields(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s) names %q, want %q (%v)", tt.body, got, tt.want, err)
			}
		})
	}
}

func TestDefaultsAreFilledIn(t *testing.T) {
	t.Parallel()
	c, err := parse(`{` + base + `}`)
	if err != nil {
		t.Fatal(err)
	}
	if !c.MeasuredAt.Equal(receipt) || c.Connection != "unknown" || c.Source != "api" {
		t.Errorf("defaults: measured_at %v, connection %q, source %q; want the receipt time, unknown, api",
			c.MeasuredAt, c.Connection, c.Source)
	}
	if !c.HasPosition || c.Lat != 56.6634 || c.Lon != 16.3568 || c.LatencyMs != nil {
		t.Errorf("checked %+v", c)
	}
	c, err = parse(`{` + base + `, "measured_at": "2026-11-20T07:30:00+01:00", "source": "bredbandskollen", "connection": "dsl", "latency_ms": 12.5}`)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 20, 6, 30, 0, 0, time.UTC); !c.MeasuredAt.Equal(want) || c.Source != "bredbandskollen" ||
		c.Connection != "dsl" || c.LatencyMs == nil || *c.LatencyMs != 12.5 {
		t.Errorf("given values: %+v", c)
	}
}
