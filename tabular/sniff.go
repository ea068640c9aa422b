package tabular

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// saveAsUTF8 is the remedy every encoding refusal names.
const saveAsUTF8 = `save it as UTF-8 ("CSV UTF-8" in Excel)`

// notUTF8 is the message for a value that is not UTF-8: almost always a
// file saved by a spreadsheet as Latin-1 or Windows-1252.
const notUTF8 = "the file is not UTF-8 (saved as Latin-1 or Windows-1252?): " + saveAsUTF8 +
	", or name its encoding (gigakoll import coverage --encoding windows-1252)"

// sniffSize is how much of the start of a file is looked at to tell text
// from UTF-16 or binary data.
const sniffSize = 64 << 10

// binaryFormats are files a user may pick by mistake, by their first bytes.
var binaryFormats = []struct{ magic, what string }{
	{"PK\x03\x04", "a zip archive (an Excel workbook, .xlsx?)"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"},
	{"%PDF-", "a PDF document"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"BZh", "a bzip2 archive"},
	{"\xfd7zXZ\x00", "an xz archive"},
	{"\x28\xb5\x2f\xfd", "a zstd archive"},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
	{"SQLite format 3\x00", "an SQLite database"},
}

// sniffText looks at the first bytes of the (decompressed) file and says why
// it is no CSV text in UTF-8, or "". A UTF-8 byte order mark is fine.
func sniffText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xfe\x00\x00")), bytes.HasPrefix(b, []byte("\x00\x00\xfe\xff")):
		return "the file is UTF-32, not UTF-8: " + saveAsUTF8
	case bytes.HasPrefix(b, []byte("\xff\xfe")):
		return "the file is UTF-16 (little-endian), not UTF-8: " + saveAsUTF8
	case bytes.HasPrefix(b, []byte("\xfe\xff")):
		return "the file is UTF-16 (big-endian), not UTF-8: " + saveAsUTF8
	}
	for _, f := range binaryFormats {
		if bytes.HasPrefix(b, []byte(f.magic)) {
			return "not a CSV text file: it is " + f.what + `: save it as CSV ("CSV UTF-8" in Excel)`
		}
	}
	// UTF-16 without a byte order mark: text with a NUL beside each letter.
	var nul [2]int
	controls := 0
	for i, c := range b {
		switch {
		case c == 0:
			nul[i%2]++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1a, c == 0x7f:
			controls++
		}
	}
	pairs := len(b) / 2
	switch {
	case nul[1] > pairs*3/10 && nul[0] <= nul[1]/10:
		return "the file is UTF-16 (little-endian, without a byte order mark), not UTF-8: " + saveAsUTF8
	case nul[0] > pairs*3/10 && nul[1] <= nul[0]/10:
		return "the file is UTF-16 (big-endian, without a byte order mark), not UTF-8: " + saveAsUTF8
	case nul[0]+nul[1] > 0:
		return "not a CSV text file: it holds NUL bytes (binary data)"
	case controls > 0 && controls*100 >= len(b):
		return "not a CSV text file: it holds control characters (binary data)"
	case invalidUTF8(b)*10 > len(b)*3:
		return "not a CSV text file: most of it is neither text nor UTF-8 (binary data)"
	}
	return ""
}

// invalidUTF8 counts the bytes of b that are not UTF-8, leaving out a
// sequence cut off at the end of the sample.
func invalidUTF8(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(b) {
				break
			}
			n++
		}
		b = b[size:]
	}
	return n
}

// hasNonASCIIUTF8 reports whether b is UTF-8 with at least one letter beyond
// ASCII: such a file is UTF-8, whatever encoding it is said to be in.
func hasNonASCIIUTF8(b []byte) bool {
	for i := max(len(b)-3, 0); i < len(b); i++ { // a sequence cut off by the sample
		if b[i] >= 0xc0 {
			b = b[:i]
			break
		}
	}
	return utf8.Valid(b) && bytes.ContainsFunc(b, func(r rune) bool { return r >= 0x80 })
}

// encodings are the encodings a file may be declared in besides UTF-8: the
// single-byte ones Swedish spreadsheets save in.
var encodings = map[string]encoding.Encoding{
	"windows-1252": charmap.Windows1252,
	"cp1252":       charmap.Windows1252,
	"iso-8859-1":   charmap.ISO8859_1,
	"latin1":       charmap.ISO8859_1,
	"latin-1":      charmap.ISO8859_1,
	"iso-8859-15":  charmap.ISO8859_15,
	"latin-9":      charmap.ISO8859_15,
}

// Encodings lists the names Options.Encoding accepts, "utf-8" first.
func Encodings() []string {
	names := []string{"utf-8"}
	for n := range encodings {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return names
}

// lookupEncoding returns the decoder of a named encoding; nil for UTF-8.
func lookupEncoding(name string) (encoding.Encoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || n == "utf-8" || n == "utf8" {
		return nil, nil
	}
	if e, ok := encodings[n]; ok {
		return e, nil
	}
	return nil, fmt.Errorf("encoding %q: want one of %s", name, strings.Join(Encodings(), ", "))
}

// CheckEncoding says whether Options.Encoding accepts name.
func CheckEncoding(name string) error {
	_, err := lookupEncoding(name)
	return err
}
