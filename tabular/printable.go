package tabular

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValueRunes is how much of a value, a column name or a file name a message
// echoes: enough to recognise it, never a whole header line.
const ValueRunes = 80

// Printable returns s clipped to n runes (with "…" when clipped) and with
// every control character and every byte that is not UTF-8 written as a Go
// escape (\x00, \n, \xe4), so that the result is valid, printable UTF-8.
// Printable text, "ä" included, is left as it is.
func Printable(s string, n int) string {
	s = clip(s, n)
	if plain(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case !unicode.IsPrint(r):
			q := strconv.QuoteRune(r) // '\x00', '\n', '\u200b'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Quote returns s clipped to n runes in double quotes, escaped as Go
// escapes strings: value "V\xe4xj\xf6" shows the bytes a Latin-1 file has.
func Quote(s string, n int) string {
	return strconv.Quote(clip(s, n))
}

// clip cuts s after n runes (a byte that is not UTF-8 counts as one) and
// marks the cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// plain reports whether s is valid UTF-8 without control characters.
func plain(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}
