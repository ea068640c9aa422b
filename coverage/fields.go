package coverage

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gigakoll/gigakoll/tabular"
)

// The field parsers of the coverage format: the number conventions are every
// tabular import's (package tabular); the ranges and units are coverage's.
// Each returns a message in the words of the format, never Go's.

var errNotYear = errors.New("must be a year from 2000 to 2100")

// parseYear parses a planned_year.
func parseYear(s string) (int16, error) {
	if !tabular.AllDigits(s) || len(s) != 4 {
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

var (
	errSpeedRequired = errors.New("required: a number ≥ 0")
	errSpeedTooHigh  = errors.New("more than 1 000 000 Mbit/s: check the unit (Mbit/s)")
)

// codeOf names the kind of a value error (see Codes): this package's own,
// or tabular's number errors.
// CodeOf is the kind of problem (tabular.Problem.Code) of an error from
// ParseFileSpeed or a tabular number parser, so that another import of
// speeds (mobile coverage) names its problems as this one does.
func CodeOf(err error) string { return codeOf(err) }

func codeOf(err error) string {
	switch err {
	case errSpeedRequired:
		return "required"
	case errSpeedTooHigh:
		return "speed-too-high"
	case errNotYear:
		return "not-year"
	}
	return tabular.CodeOf(err)
}

// parseSpeed parses a speed in Mbit/s exactly, as a decimal: a speed of
// 99.99999999999 must never round up into the 100 Mbit/s class. Every
// import of speeds (coverage, mobile coverage) reads them with it.
func parseSpeed(s string, decimalComma bool) (Speed, error) {
	if s == "" {
		return Speed{}, errSpeedRequired
	}
	mant, exp, err := tabular.ParseDecimal(s, decimalComma)
	if err != nil {
		return Speed{}, err
	}
	// mant × 10^exp > maxSpeed, decided in integers (exp ≤ 0, mant < 10^15)
	limit := int64(maxSpeed)
	for e := exp; e < 0 && limit <= 1e15; e++ {
		limit *= 10
	}
	if mant > limit {
		return Speed{}, errSpeedTooHigh
	}
	return Speed{Mant: mant, Exp: exp, Valid: true}, nil
}

// checkAddressID: 1–64 characters of printable text.
func checkAddressID(s string) (msg, code string) {
	switch {
	case s == "":
		return "required: the id of the address point", "required"
	case utf8.RuneCountInString(s) > 64:
		return "longer than 64 characters", "too-long"
	}
	return tabular.CheckTextCode(s, 64)
}

// normalizePostcode accepts "39231" and "392 31" and returns "39231".
func normalizePostcode(s string) (string, string) {
	pc := strings.Replace(s, " ", "", 1)
	if len(pc) != 5 || !tabular.AllDigits(pc) {
		return "", "must be a postnummer of 5 digits, e.g. 392 31" // code: postcode
	}
	return pc, ""
}
