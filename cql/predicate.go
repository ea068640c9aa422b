package cql

import (
	"strconv"
	"strings"
)

// functionKind names what a refused function call is.
func functionKind(name string) string {
	u := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(u, "S_"):
		return "the spatial function " + u
	case strings.HasPrefix(u, "T_"):
		return "the temporal function " + u
	case strings.HasPrefix(u, "A_"):
		return "the array function " + u
	case u == "CASEI" || u == "ACCENTI":
		return "case- and accent-insensitive comparison (" + u + ")"
	case u == "DATE" || u == "TIMESTAMP" || u == "INTERVAL":
		return "temporal literals (" + u + ")"
	case u == "POINT" || u == "LINESTRING" || u == "POLYGON" || u == "MULTIPOINT" || u == "MULTILINESTRING" ||
		u == "MULTIPOLYGON" || u == "GEOMETRYCOLLECTION" || u == "BBOX":
		return "geometry literals (" + u + ")"
	}
	return "the function " + name
}

// operand reads a property name or a literal; a function call is refused.
func (p *parser) operand() (prop string, lit *Literal, err error) {
	t := p.next()
	switch t.kind {
	case tQuoted:
		return t.text, nil, nil
	case tString:
		return "", &Literal{Type: String, Text: t.text}, nil
	case tNumber:
		if _, err := strconv.ParseFloat(t.text, 64); err != nil {
			return "", nil, &Error{Pos: t.pos, Message: "not a number: " + quote(t.text)}
		}
		return "", &Literal{Type: Number, Text: t.text}, nil
	case tIdent:
		if p.peek().kind == tLParen {
			return "", nil, &Error{Pos: t.pos, Message: functionKind(t.text) + " is not supported", Unsupported: true}
		}
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			return "", &Literal{Type: Boolean, Text: strings.ToLower(t.text)}, nil
		case "NULL":
			return "", nil, &Error{Pos: t.pos, Message: "NULL is compared with IS NULL"}
		}
		if isKeyword(t.text) {
			return "", nil, p.unexpected(t)
		}
		return t.text, nil, nil
	}
	return "", nil, p.unexpected(t)
}

func (p *parser) literal() (Literal, error) {
	t := p.peek()
	prop, lit, err := p.operand()
	if err != nil {
		return Literal{}, err
	}
	if lit == nil {
		return Literal{}, &Error{Pos: t.pos, Message: "comparing a property with another (" + prop + ") is not supported", Unsupported: true}
	}
	return *lit, nil
}

var flipped = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (p *parser) predicate() (Expr, error) {
	start := p.peek()
	prop, lit, err := p.operand()
	if err != nil {
		return nil, err
	}
	if lit != nil { // literal op property
		op := p.next()
		if op.kind != tOp {
			if lit.Type == Boolean && op.kind != tOther {
				return nil, &Error{Pos: start.pos, Message: "a filter that is only TRUE or FALSE is not supported", Unsupported: true}
			}
			return nil, p.unexpected(op)
		}
		t := p.peek()
		other, lit2, err := p.operand()
		if err != nil {
			return nil, err
		}
		if lit2 != nil {
			return nil, &Error{Pos: t.pos, Message: "comparing two literals is not supported", Unsupported: true}
		}
		return Compare{Property: other, Op: flipped[op.text], Value: *lit}, nil
	}
	t := p.next()
	if t.kind == tOp {
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		return Compare{Property: prop, Op: t.text, Value: v}, nil
	}
	if t.kind != tIdent {
		return nil, p.unexpected(t)
	}
	not := false
	if strings.EqualFold(t.text, "NOT") {
		not = true
		t = p.next()
	}
	switch strings.ToUpper(t.text) {
	case "LIKE", "ILIKE":
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		if v.Type != String {
			return nil, &Error{Pos: t.pos, Message: "LIKE takes a string pattern"}
		}
		return Like{Property: prop, Pattern: v.Text, Not: not, CaseInsensitive: strings.EqualFold(t.text, "ILIKE")}, nil
	case "BETWEEN":
		lo, err := p.literal()
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			return nil, p.unexpected(p.peek())
		}
		hi, err := p.literal()
		if err != nil {
			return nil, err
		}
		return Between{Property: prop, Low: lo, High: hi, Not: not}, nil
	case "IN":
		if l := p.next(); l.kind != tLParen {
			return nil, p.unexpected(l)
		}
		var vals []Literal
		for {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
			if c := p.next(); c.kind == tRParen {
				break
			} else if c.kind != tComma {
				return nil, p.unexpected(c)
			}
		}
		return In{Property: prop, Values: vals, Not: not}, nil
	case "IS":
		if not {
			return nil, p.unexpected(t)
		}
		isNot := p.keyword("NOT")
		if !p.keyword("NULL") {
			return nil, p.unexpected(p.peek())
		}
		return IsNull{Property: prop, Not: isNot}, nil
	}
	return nil, p.unexpected(t)
}
