package measure

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Operator is an internet provider a resident may name with a measurement:
// a key that is stored (migrations/0080_measurement_operator.sql) and the
// name the pages show. Free text is folded to a key (FoldOperator): the
// known names and their brands land on their operator, anything else on
// OperatorOther. The text typed is never stored: a resident may type
// anything there, and a provider nobody else names would single them out.
type Operator struct {
	Key  string // "telia"; lower-case letters, digits and single hyphens
	Name string // "Telia", as the pages and sheets show it
	// Also are further names and brands it goes by, as a resident might
	// write them ("Halebop" is Telia's); folded as FoldOperator does.
	Also []string
}

// OperatorOther is the key of every provider not on the list.
const OperatorOther = "annan"

// MaxOperatorLen is the longest operator a submission may give, in
// characters.
const MaxOperatorLen = 64

// Operators are the internet providers the page suggests and the figures
// group by: the larger providers of fixed and mobile broadband to Swedish
// households, with their brands. A brand that merged into another provider
// is an alias of it (Com Hem of Tele2, Bredbandsbolaget of Telenor). New
// ones are added at the end of the list, before OperatorOther; a key, once
// stored, is never renamed.
var Operators = []Operator{
	{Key: "telia", Name: "Telia", Also: []string{"Telia Sverige", "Telia Company", "TeliaSonera", "Halebop", "Fello"}},
	{Key: "tele2", Name: "Tele2 / Com Hem", Also: []string{"Com Hem", "Comhem", "Comviq", "Boxer"}},
	{Key: "telenor", Name: "Telenor", Also: []string{"Bredbandsbolaget", "Vimla", "Glocalnet"}},
	{Key: "tre", Name: "Tre", Also: []string{"3", "Hi3G", "Hi3G Access", "Hallon"}},
	{Key: "bahnhof", Name: "Bahnhof"},
	{Key: "bredband2", Name: "Bredband2", Also: []string{"Bredband 2", "B2"}},
	{Key: "ownit", Name: "Ownit"},
	{Key: "ip-only", Name: "IP-Only", Also: []string{"IP Only", "IPOnly"}},
	{Key: "sappa", Name: "Sappa"},
	{Key: "t3", Name: "T3", Also: []string{"T3 Bredband"}},
	{Key: "starlink", Name: "Starlink", Also: []string{"SpaceX"}},
	{Key: OperatorOther, Name: "Annan", Also: []string{"Annan operatör", "Other"}},
}

// noiseWords are left out when a name is folded: the company form and the
// country, which residents add or not ("Telia Sverige AB" is Telia).
var noiseWords = map[string]bool{"ab": true, "publ": true, "aktiebolag": true, "sverige": true, "sweden": true,
	"company": true, "group": true, "ltd": true, "as": true, "asa": true, "oy": true}

// operatorKeys maps each folded name and alias to its operator's key.
var operatorKeys = func() map[string]string {
	m := map[string]string{}
	for _, op := range Operators {
		for _, name := range append([]string{op.Key, op.Name}, op.Also...) {
			m[foldName(name)] = op.Key
		}
	}
	return m
}()

// foldName is a name as it is compared: compatibility-normalised (full-width
// letters become plain ones), lower case, without punctuation, spaces and
// noise words. "TELIA Sverige AB" and "telia" fold alike, and so do
// "IP-Only" and "ip only".
func foldName(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, w := range words {
		if !noiseWords[w] || len(words) == 1 {
			b.WriteString(w)
		}
	}
	return b.String()
}

// FoldOperator is the key of the operator a resident named: a known name,
// key or brand of Operators, or OperatorOther for any other.
func FoldOperator(text string) string {
	if key, ok := operatorKeys[foldName(text)]; ok {
		return key
	}
	return OperatorOther
}

// OperatorName is the name the pages show for an operator's key; an unknown
// key is shown as it is.
func OperatorName(key string) string {
	for _, op := range Operators {
		if op.Key == key {
			return op.Name
		}
	}
	return key
}

// validOperator says what is wrong with an operator a submission gives, or
// "": text of at most MaxOperatorLen printable characters with at least one
// letter or digit.
func validOperator(v string) string {
	switch {
	case strings.TrimSpace(v) == "" || strings.IndexFunc(v, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0:
		return "must be the name of your internet provider, such as Telia"
	case utf8.RuneCountInString(v) > MaxOperatorLen:
		return "must be at most 64 characters"
	case strings.IndexFunc(v, func(r rune) bool { return !unicode.IsGraphic(r) || r == unicode.ReplacementChar }) >= 0:
		return "must be printable text, without control characters or line breaks"
	}
	return ""
}
