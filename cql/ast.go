// Package cql reads the filters of OGC API – Features Part 3 written in
// CQL2 text (OGC 21-065) and turns them into SQL over a domain's own
// columns. It knows the comparisons, LIKE, BETWEEN, IN, IS NULL, AND, OR,
// NOT and parentheses (Basic CQL2 and the advanced comparison operators);
// spatial, temporal and array functions, other functions, arithmetic and a
// property compared with another are refused with an *Error that names
// them. A domain package lists its Queryables (a name, a type and the SQL
// expression behind it); package ogc parses a request's filter and the
// domain's store calls SQL, so that no column name ever comes from a
// request.
package cql

import "fmt"

// Type is a queryable's value type, as JSON Schema names it.
type Type string

// The types a queryable may have.
const (
	String  Type = "string"
	Integer Type = "integer"
	Number  Type = "number"
	Boolean Type = "boolean"
)

// Queryable is a property a filter may name.
type Queryable struct {
	Name        string // as the features' properties name it: "municipality_code"
	Type        Type
	Column      string // the SQL expression it reads, in the store's query: "q.municipality_code"
	Description string
}

// Expr is a parsed filter: one of And, Or, Not, Compare, Like, Between, In
// and IsNull.
type Expr interface{ expr() }

// And holds when every one of its terms does.
type And struct{ Terms []Expr }

// Or holds when any of its terms does.
type Or struct{ Terms []Expr }

// Not holds when its term does not.
type Not struct{ Term Expr }

// Compare compares a property with a literal: Op is =, <>, <, <=, > or >=.
type Compare struct {
	Property string
	Op       string
	Value    Literal
}

// Like matches a string property with a pattern: % any run of characters,
// _ one character, \ escapes the next.
type Like struct {
	Property        string
	Pattern         string
	Not             bool
	CaseInsensitive bool // ILIKE, as GDAL before 3.7 writes it
}

// Between holds when Low <= property <= High.
type Between struct {
	Property  string
	Low, High Literal
	Not       bool
}

// In holds when the property equals one of Values.
type In struct {
	Property string
	Values   []Literal
	Not      bool
}

// IsNull holds when the property has no value.
type IsNull struct {
	Property string
	Not      bool
}

func (And) expr()     {}
func (Or) expr()      {}
func (Not) expr()     {}
func (Compare) expr() {}
func (Like) expr()    {}
func (Between) expr() {}
func (In) expr()      {}
func (IsNull) expr()  {}

// Literal is a value in a filter.
type Literal struct {
	Type Type   // String, Number (an integer is a Number too) or Boolean
	Text string // the string's value; the number as written; "true" or "false"
}

// Error is a filter that cannot be used: it does not parse, names what is
// not a queryable, compares a value of the wrong type, or uses what is not
// supported (Unsupported).
type Error struct {
	Pos         int // the byte offset in the filter where it went wrong; -1 when it is not about one place
	Message     string
	Unsupported bool
}

func (e *Error) Error() string {
	if e.Pos < 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (at character %d)", e.Message, e.Pos+1)
}

// Equal is the filter "property = value": what a query parameter named
// after a queryable asks for (?municipality_code=0880).
func Equal(q Queryable, value string) Expr {
	t := String
	if q.Type == Integer || q.Type == Number {
		t = Number
	} else if q.Type == Boolean {
		t = Boolean
	}
	return Compare{Property: q.Name, Op: "=", Value: Literal{Type: t, Text: value}}
}

// AndOf joins filters with AND, leaving out nils; nil when none is left.
func AndOf(es ...Expr) Expr {
	var terms []Expr
	for _, e := range es {
		if e != nil {
			terms = append(terms, e)
		}
	}
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return terms[0]
	}
	return And{Terms: terms}
}
