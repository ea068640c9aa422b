package tabular

import "testing"

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int32
		err  string
	}{
		{"0", 0, ""},
		{"2147483647", 2147483647, ""},
		{"2147483648", 0, "too large: at most 2 147 483 647"},
		{"99999999999999999999", 0, "too large: at most 2 147 483 647"},
		{"-3", 0, "must be a whole number ≥ 0"},
		{"1,5", 0, "must be a whole number ≥ 0"},
		{"", 0, "required: a whole number ≥ 0"},
	}
	for _, tt := range tests {
		n, err := ParseCount(tt.in)
		if n != tt.want || (err == nil) != (tt.err == "") || err != nil && err.Error() != tt.err {
			t.Errorf("ParseCount(%q) = %d, %v; want %d, %q", tt.in, n, err, tt.want, tt.err)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		mant  int64
		exp   int32
		err   error
	}{
		{"99.99999999999", false, 9999999999999, -11, nil},
		{"1.50", false, 15, -1, nil},
		{"1,5", true, 15, -1, nil},
		{"1,5", false, 0, 0, ErrNotNumber}, // a decimal comma only with ";"
		{"0.000", false, 0, 0, nil},
		{"1e3", false, 0, 0, ErrNotNumber},
		{"1 000", false, 0, 0, ErrNotNumber},
		{"-4", false, 0, 0, ErrNegative},
		{"1234567890123456", false, 0, 0, ErrTooPrecise},
		{"1.2.3", false, 0, 0, ErrNotNumber},
	}
	for _, tt := range tests {
		m, e, err := ParseDecimal(tt.in, tt.comma)
		if m != tt.mant || e != tt.exp || err != tt.err {
			t.Errorf("ParseDecimal(%q, %v) = %d × 10^%d, %v; want %d × 10^%d, %v", tt.in, tt.comma, m, e, err, tt.mant, tt.exp, tt.err)
		}
	}
	if f, err := ParseFloat("-12,25", true); f != -12.25 || err != nil {
		t.Errorf("ParseFloat(-12,25) = %v, %v", f, err)
	}
}
