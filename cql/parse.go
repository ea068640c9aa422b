package cql

import (
	"strings"
	"unicode"
)

// token kinds
const (
	tEOF = iota
	tIdent
	tQuoted // "a property name"
	tString
	tNumber
	tOp     // = <> < <= > >=
	tLParen // (
	tRParen // )
	tComma
	tOther // arithmetic and anything else
)

type token struct {
	kind int
	text string
	pos  int
}

type parser struct {
	src  string
	toks []token
	i    int
}

// Parse reads a filter in CQL2 text.
func Parse(src string) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return e, nil
}

func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", i})
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(src) {
					return nil, &Error{Pos: i, Message: "a string literal is not closed with '"}
				}
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' { // '' is one quote
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			toks = append(toks, token{tString, b.String(), i})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(src[i+1:], '"')
			if j < 0 {
				return nil, &Error{Pos: i, Message: `a quoted property name is not closed with "`}
			}
			toks = append(toks, token{tQuoted, src[i+1 : i+1+j], i})
			i += j + 2
		case c == '=' || c == '<' || c == '>' || c == '!':
			j := i + 1
			if j < len(src) && (src[j] == '=' || c == '<' && src[j] == '>') {
				j++
			}
			op := src[i:j]
			if op == "!" || op == "!=" {
				return nil, &Error{Pos: i, Message: "CQL2 writes not-equal as <>"}
			}
			toks = append(toks, token{tOp, op, i})
			i = j
		case c >= '0' && c <= '9' || c == '.' || (c == '-' || c == '+') && i+1 < len(src) && (src[i+1] >= '0' && src[i+1] <= '9' || src[i+1] == '.') && signAllowed(toks):
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				(src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			toks = append(toks, token{tNumber, src[i:j], i})
			i = j
		case c == '_' || c < 0x80 && unicode.IsLetter(rune(c)):
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] == ':' || src[j] == '.' || src[j] < 0x80 && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])))) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i})
			i = j
		default:
			toks = append(toks, token{tOther, string(c), i})
			i++
		}
	}
	return append(toks, token{tEOF, "", len(src)}), nil
}

// signAllowed says whether a + or - here starts a number (after an
// operator, a parenthesis, a comma, a keyword or at the start) rather than
// being arithmetic.
func signAllowed(toks []token) bool {
	if len(toks) == 0 {
		return true
	}
	switch last := toks[len(toks)-1]; last.kind {
	case tOp, tLParen, tComma:
		return true
	case tIdent:
		return isKeyword(last.text)
	}
	return false
}

var keywords = map[string]bool{"AND": true, "OR": true, "NOT": true, "LIKE": true, "ILIKE": true, "BETWEEN": true,
	"IN": true, "IS": true, "NULL": true, "TRUE": true, "FALSE": true}

func isKeyword(s string) bool { return keywords[strings.ToUpper(s)] }

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(k string) bool {
	if t := p.peek(); t.kind == tIdent && strings.EqualFold(t.text, k) {
		p.i++
		return true
	}
	return false
}

func (p *parser) unexpected(t token) error {
	switch {
	case t.kind == tEOF:
		return &Error{Pos: t.pos, Message: "the filter ends too early"}
	case t.kind == tOther && strings.ContainsAny(t.text, "+-*/%^"):
		return &Error{Pos: t.pos, Message: "arithmetic (" + t.text + ") is not supported", Unsupported: true}
	}
	return &Error{Pos: t.pos, Message: "unexpected " + quote(t.text)}
}

func quote(s string) string { return `"` + s + `"` }

func (p *parser) or() (Expr, error) {
	var terms []Expr
	for {
		e, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
		if !p.keyword("OR") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return Or{Terms: terms}, nil
}

func (p *parser) and() (Expr, error) {
	var terms []Expr
	for {
		e, err := p.factor()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
		if !p.keyword("AND") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return And{Terms: terms}, nil
}

func (p *parser) factor() (Expr, error) {
	if p.keyword("NOT") {
		e, err := p.factor()
		if err != nil {
			return nil, err
		}
		return Not{Term: e}, nil
	}
	if p.peek().kind == tLParen {
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tRParen {
			return nil, p.unexpected(t)
		}
		return e, nil
	}
	return p.predicate()
}
