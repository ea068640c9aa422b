package measure

import (
	"encoding/json"
	"math"
)

// The figures are computed exactly (percentile_cont interpolates in binary
// floating point: 40.3 and 40.38 give 40.339999999999996) and published
// rounded to what a measurement can tell: speeds and latencies to 0.01,
// shares to 0.0001 (0.01 of a percent). Decisions (Flagged) use the exact
// values.

// roundTo rounds v to the given number of decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}

// MarshalJSON writes the median and the 10th percentile to 0.01.
func (s Stat) MarshalJSON() ([]byte, error) {
	type plain Stat
	return json.Marshal(plain{Median: roundTo(s.Median, 2), P10: roundTo(s.P10, 2)})
}

// MarshalJSON writes the shares to 0.0001; the Stats round themselves.
func (f Figures) MarshalJSON() ([]byte, error) {
	type plain Figures
	p := plain(f)
	p.ShareGE100, p.ShareGE1000 = roundTo(f.ShareGE100, 4), roundTo(f.ShareGE1000, 4)
	return json.Marshal(p)
}
