package measure

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFiguresAreRoundedInJSON: no 40.339999999999996 in the API, which is
// what percentile_cont gives for the median of 12.1, 40.3, 40.38 and 99.7
// (checked in PostgreSQL 15).
func TestFiguresAreRoundedInJSON(t *testing.T) {
	f := Figures{Count: 3, DownMbps: Stat{Median: 40.339999999999996, P10: 20.560000000000002},
		UpMbps: Stat{Median: 10, P10: 1.005}, LatencyMs: &Stat{Median: 0.123456, P10: 0.1},
		ShareGE100: 1.0 / 3, ShareGE1000: 2.0 / 3}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"down_mbps":{"median":40.34,"p10":20.56}`, `"latency_ms":{"median":0.12,"p10":0.1}`,
		`"share_down_ge_100":0.3333`, `"share_down_ge_1000":0.6667`} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON %s lacks %s", got, want)
		}
	}
	if f.DownMbps.Median != 40.339999999999996 {
		t.Error("rounding for JSON changed the figure itself")
	}
}
