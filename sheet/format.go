package sheet

import (
	"math"
	"strconv"
	"strings"
)

// Undefined stands for a figure that does not exist (a share of nobody): an
// en dash, never a 0 that could be read as a figure.
const Undefined = "–"

// FormatDecimal rounds f half away from zero to d decimals and writes it
// with a decimal comma: FormatDecimal(83.45, 1) is "83,5".
func FormatDecimal(f float64, d int) string {
	p := math.Pow(10, float64(d))
	r := math.Round(f*p) / p
	if r == 0 {
		r = 0 // no "-0,0"
	}
	return strings.Replace(strconv.FormatFloat(r, 'f', d, 64), ".", ",", 1)
}

// FormatPercent shows a share (a fraction) in percent with one decimal and
// a space before the sign, as Swedish writes it: 0.835 is "83,5 %", nil is
// Undefined.
func FormatPercent(share *float64) string {
	if share == nil || math.IsNaN(*share) {
		return Undefined
	}
	return FormatDecimal(*share*100, 1) + " %"
}

// FormatInt groups an integer's digits by three with a space: 31250 is
// "31 250". (An ordinary space: a terminal shows a narrow no-break space
// as wide as any other character, and some fonts not at all.)
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// formatMbps writes a speed as given, with a decimal comma: 99.99 is
// "99,99", never rounded up to the 100 it does not reach.
func formatMbps(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}
