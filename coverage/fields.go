package coverage

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The field parsers: each returns a message that says what is wrong in the
// words of the format, never Go's.

var (
	errNotCount   = errors.New("must be a whole number ≥ 0")
	errNegative   = errors.New("must be ≥ 0")
	errNotNumber  = errors.New("not a number (digits with a decimal point, e.g. 100 or 0.5)")
	errNotYear    = errors.New("must be a year from 2000 to 2100")
	errTooBig     = errors.New("too large")
	errTooPrecise = errors.New("too many digits (at most 15 significant digits)")
)

// parseCount parses a household or workplace count.
func parseCount(s string) (int32, error) {
	if s == "" {
		return 0, errors.New("required: a whole number ≥ 0")
	}
	if strings.HasPrefix(s, "-") && allDigits(s[1:]) && len(s) > 1 {
		return 0, errNotCount
	}
	if !allDigits(s) {
		return 0, errNotCount
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, errTooBig
	}
	return int32(n), nil
}

// parseYear parses a planned_year.
func parseYear(s string) (int16, error) {
	if !allDigits(s) || len(s) != 4 {
		return 0, errNotYear
	}
	n, _ := strconv.Atoi(s)
	if n < 2000 || n > 2100 {
		return 0, errNotYear
	}
	return int16(n), nil
}

// maxSpeed bounds a speed in Mbit/s: 1 Tbit/s is no offer of this decade.
const maxSpeed = 1_000_000

// parseSpeed parses a speed in Mbit/s exactly, as a decimal: a speed of
// 99.99999999999 must never round up into the 100 Mbit/s class.
func parseSpeed(s string, decimalComma bool) (Speed, error) {
	if s == "" {
		return Speed{}, errors.New("required: a number ≥ 0")
	}
	mant, exp, err := parseDecimal(s, decimalComma)
	if err != nil {
		return Speed{}, err
	}
	// mant × 10^exp > maxSpeed, decided in integers (exp ≤ 0, mant < 10^15)
	limit := int64(maxSpeed)
	for e := exp; e < 0 && limit <= 1e15; e++ {
		limit *= 10
	}
	if mant > limit {
		return Speed{}, errors.New("more than 1 000 000 Mbit/s: check the unit (Mbit/s)")
	}
	return Speed{Mant: mant, Exp: exp, Valid: true}, nil
}

// parseDecimal parses digits with at most one decimal separator ("." or,
// with decimalComma, ","): no sign, no exponent, no thousands separators.
// It returns the value as mant × 10^exp, exp ≤ 0, with at most 15
// significant digits.
func parseDecimal(s string, decimalComma bool) (mant int64, exp int32, err error) {
	if strings.HasPrefix(s, "-") {
		if _, _, err := parseDecimal(s[1:], decimalComma); err == nil {
			return 0, 0, errNegative
		}
		return 0, 0, errNotNumber
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
			return 0, 0, errNotNumber
		}
	}
	if digits == 0 {
		return 0, 0, errNotNumber
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
		return 0, 0, errTooPrecise
	}
	m, err := strconv.ParseInt(sig, 10, 64)
	if err != nil {
		return 0, 0, errTooPrecise
	}
	return m, -int32(len(frac)), nil
}

// parseCoordinate parses a coordinate as a float: positions need no exact
// decimal arithmetic, but the same strict syntax as any number.
func parseCoordinate(s string, decimalComma bool) (float64, error) {
	if s == "" {
		return 0, errors.New("required")
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	if _, _, err := parseDecimal(body, decimalComma); err != nil && err != errTooPrecise {
		return 0, errNotNumber
	}
	if decimalComma {
		body = strings.Replace(body, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errNotNumber
	}
	if neg {
		f = -f
	}
	return f, nil
}

func allDigits(s string) bool {
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

// checkAddressID: 1–64 characters of printable text.
func checkAddressID(s string) string {
	switch {
	case s == "":
		return "required: the id of the address point"
	case utf8.RuneCountInString(s) > 64:
		return "longer than 64 characters"
	}
	return checkText(s, 64)
}

// checkText: valid UTF-8 without control characters, at most n characters.
func checkText(s string, n int) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8 (save the file as UTF-8)"
	}
	if utf8.RuneCountInString(s) > n {
		return "longer than " + strconv.Itoa(n) + " characters"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "holds a control character"
		}
	}
	return ""
}

// normalizePostcode accepts "39231" and "392 31" and returns "39231".
func normalizePostcode(s string) (string, string) {
	pc := strings.Replace(s, " ", "", 1)
	if len(pc) != 5 || !allDigits(pc) {
		return "", "must be a postnummer of 5 digits, e.g. 392 31"
	}
	return pc, ""
}
