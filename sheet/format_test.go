package sheet_test

import (
	"math"
	"testing"

	"github.com/gigakoll/gigakoll/sheet"
)

func TestFormatInt(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1 000"}, {31250, "31 250"}, {-1234567, "-1 234 567"},
		{math.MaxInt64, "9 223 372 036 854 775 807"}, {math.MinInt64, "-9 223 372 036 854 775 808"},
	} {
		if got := sheet.FormatInt(tt.n); got != tt.want {
			t.Errorf("FormatInt(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	p := func(f float64) *float64 { return &f }
	for _, tt := range []struct {
		name  string
		share *float64
		want  string
	}{
		{"undefined: a share of nobody", nil, "–"},
		{"not a number", p(math.NaN()), "–"},
		{"one decimal, comma, space", p(0.835), "83,5 %"},
		{"everyone", p(1), "100,0 %"},
		{"nobody", p(0), "0,0 %"},
		{"just below a tenth rounds down", p(0.99949), "99,9 %"},
		{"just above half a tenth rounds up", p(0.99951), "100,0 %"},
	} {
		if got := sheet.FormatPercent(tt.share); got != tt.want {
			t.Errorf("%s: FormatPercent = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		d    int
		want string
	}{
		{2.25, 1, "2,3"}, {-2.25, 1, "-2,3"}, {-0.04, 1, "0,0"}, {95.3, 1, "95,3"}, {1234.5678, 2, "1234,57"}, {7, 0, "7"},
	} {
		if got := sheet.FormatDecimal(tt.f, tt.d); got != tt.want {
			t.Errorf("FormatDecimal(%v, %d) = %q, want %q", tt.f, tt.d, got, tt.want)
		}
	}
}
