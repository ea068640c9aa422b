package coverage

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Speed is an exact speed in Mbit/s, the decimal Mant × 10^Exp as the file
// gives it, so that 99.9999 is never rounded into the
// 100 Mbit/s class. The reader keeps Mant < 10^15 and -30 < Exp ≤ 0.
type Speed struct {
	Mant  int64
	Exp   int32
	Valid bool // false: no value (an up speed not given)
}

// NumericValue lets pgx write the decimal to a numeric column.
func (d Speed) NumericValue() (pgtype.Numeric, error) {
	if !d.Valid {
		return pgtype.Numeric{}, nil
	}
	return pgtype.Numeric{Int: big.NewInt(d.Mant), Exp: d.Exp, Valid: true}, nil
}

// ScanNumeric reads a numeric column back, exactly: NULL is a Speed that is
// not Valid.
func (d *Speed) ScanNumeric(v pgtype.Numeric) error {
	if !v.Valid {
		*d = Speed{}
		return nil
	}
	if v.NaN || v.InfinityModifier != pgtype.Finite || !v.Int.IsInt64() {
		return fmt.Errorf("coverage: speed %v out of range", v)
	}
	m, e := v.Int.Int64(), v.Exp
	for ; e > 0; e-- {
		if m > math.MaxInt64/10 || m < math.MinInt64/10 {
			return fmt.Errorf("coverage: speed %v out of range", v)
		}
		m *= 10
	}
	*d = Speed{Mant: m, Exp: e, Valid: true}
	return nil
}

// Cmp compares two valid decimals exactly: -1, 0 or +1.
func (d Speed) Cmp(o Speed) int {
	// Bring both to the smaller exponent in 128-bit integers: mantissas
	// below 10^15 times at most 10^30 fit.
	ah, al := scale(d.Mant, d.Exp-min(d.Exp, o.Exp))
	bh, bl := scale(o.Mant, o.Exp-min(d.Exp, o.Exp))
	switch {
	case ah != bh:
		return cmpUint(ah, bh)
	default:
		return cmpUint(al, bl)
	}
}

// AtLeast reports whether d ≥ n, for the class thresholds.
func (d Speed) AtLeast(n int64) bool { return d.Valid && d.Cmp(Speed{Mant: n, Valid: true}) >= 0 }

// IsZero reports whether d is a valid 0.
func (d Speed) IsZero() bool { return d.Valid && d.Mant == 0 }

// String writes the decimal with a point: "999.9".
func (d Speed) String() string {
	if !d.Valid {
		return ""
	}
	s := strconv.FormatInt(d.Mant, 10)
	if d.Exp >= 0 {
		return s + strings.Repeat("0", int(d.Exp))
	}
	n := int(-d.Exp)
	if len(s) <= n {
		s = strings.Repeat("0", n-len(s)+1) + s
	}
	return s[:len(s)-n] + "." + s[len(s)-n:]
}

// scale returns m × 10^k as a 128-bit unsigned (hi, lo), k ≥ 0.
func scale(m int64, k int32) (hi, lo uint64) {
	lo = uint64(m)
	for ; k > 0; k-- {
		h1, l1 := bits.Mul64(lo, 10)
		hi = hi*10 + h1
		lo = l1
	}
	return hi, lo
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ParseSpeed parses a speed in Mbit/s given as a decimal with a point
// ("1000", "250.5"), exactly: what another package compares with an address
// point's offer (a project's down_mbps) follows the same rule.
func ParseSpeed(s string) (Speed, error) { return parseSpeed(s, false) }

// ParseFileSpeed parses a speed in Mbit/s as a file of the coverage
// family gives it, exactly, with a decimal comma when the file uses one
// (mobile's reader follows coverage's rule).
func ParseFileSpeed(s string, decimalComma bool) (Speed, error) { return parseSpeed(s, decimalComma) }
