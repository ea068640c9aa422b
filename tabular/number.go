package tabular

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The number conventions of every tabular import: digits with at most one
// decimal separator ("." always, "," too when the delimiter is ";"), no
// sign unless the column allows one, no exponent, no thousands separators.
// The errors say what is wrong in the words of the format, never Go's.
var (
	ErrNotCount   = errors.New("must be a whole number ≥ 0")
	ErrNegative   = errors.New("must be ≥ 0")
	ErrNotNumber  = errors.New("not a number (digits with a decimal point, e.g. 100 or 0.5)")
	ErrTooPrecise = errors.New("too many digits (at most 15 significant digits)")
	// ErrCountTooLarge names the largest count, so that a value in the
	// wrong column or unit is recognised as such.
	ErrCountTooLarge = errors.New("too large: at most 2 147 483 647")
)

// ParseCount parses a count: a whole number from 0 to 2 147 483 647.
func ParseCount(s string) (int32, error) {
	if s == "" {
		return 0, errors.New("required: a whole number ≥ 0")
	}
	if !AllDigits(s) {
		return 0, ErrNotCount
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, ErrCountTooLarge
	}
	return int32(n), nil
}

// ParseDecimal parses a number ≥ 0 exactly, as mant × 10^exp with exp ≤ 0
// and at most 15 significant digits, so that 99.99999999999 is never
// rounded to 100. With decimalComma, "," is the decimal separator as well
// as ".".
func ParseDecimal(s string, decimalComma bool) (mant int64, exp int32, err error) {
	if strings.HasPrefix(s, "-") {
		if _, _, err := ParseDecimal(s[1:], decimalComma); err == nil {
			return 0, 0, ErrNegative
		}
		return 0, 0, ErrNotNumber
	}
	digits, point := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case (c == '.' || c == ',' && decimalComma) && point < 0:
			point = i
		default:
			return 0, 0, ErrNotNumber
		}
	}
	if digits == 0 {
		return 0, 0, ErrNotNumber
	}
	intPart, frac := s, ""
	if point >= 0 {
		intPart, frac = s[:point], s[point+1:]
	}
	frac = strings.TrimRight(frac, "0") // 1.50 is 15 × 10^-1
	sig := strings.TrimLeft(intPart+frac, "0")
	if sig == "" {
		return 0, 0, nil
	}
	if len(sig) > 15 {
		return 0, 0, ErrTooPrecise
	}
	m, err := strconv.ParseInt(sig, 10, 64)
	if err != nil {
		return 0, 0, ErrTooPrecise
	}
	return m, -int32(len(frac)), nil
}

// ParseFloat parses a signed number with the same syntax as ParseDecimal,
// as a float: for positions, which need no exact decimal arithmetic.
func ParseFloat(s string, decimalComma bool) (float64, error) {
	if s == "" {
		return 0, errors.New("required")
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	if _, _, err := ParseDecimal(body, decimalComma); err != nil && err != ErrTooPrecise {
		return 0, ErrNotNumber
	}
	if decimalComma {
		body = strings.Replace(body, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, ErrNotNumber
	}
	if neg {
		f = -f
	}
	return f, nil
}

// AllDigits reports whether s is one or more ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CheckText returns what is wrong with a text value, or "": it must be
// valid UTF-8 without control characters, at most n characters.
func CheckText(s string, n int) string {
	runes := 0
	for i := 0; i < len(s); runes++ {
		if c := s[i]; c < utf8.RuneSelf { // ASCII, most of every file
			if c < 0x20 || c == 0x7f {
				return "holds a control character"
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return "not valid UTF-8 (save the file as UTF-8)"
		case unicode.IsControl(r):
			return "holds a control character"
		}
		i += size
	}
	if runes > n {
		return "longer than " + strconv.Itoa(n) + " characters"
	}
	return ""
}
