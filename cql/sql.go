package cql

import (
	"strconv"
	"strings"
)

// SQL returns e as a boolean SQL expression over the queryables' columns,
// its literals as the parameters $first, $first+1, … (returned in order).
// An *Error says what e names that is not a queryable, or compares with a
// value of the wrong type. A nil e is "true".
func SQL(e Expr, qs []Queryable, first int) (string, []any, error) {
	c := compiler{qs: map[string]Queryable{}, next: first}
	for _, q := range qs {
		c.qs[q.Name] = q
	}
	if e == nil {
		return "true", nil, nil
	}
	s, err := c.expr(e)
	if err != nil {
		return "", nil, err
	}
	return s, c.args, nil
}

// Check reports whether e names only queryables, with values of their
// types: the same errors as SQL, without the SQL.
func Check(e Expr, qs []Queryable) error {
	_, _, err := SQL(e, qs, 1)
	return err
}

type compiler struct {
	qs   map[string]Queryable
	args []any
	next int
}

func (c *compiler) param(v any, cast string) string {
	c.args = append(c.args, v)
	s := "$" + strconv.Itoa(c.next) + "::" + cast
	c.next++
	return s
}

func (c *compiler) queryable(name string) (Queryable, error) {
	q, ok := c.qs[name]
	if !ok {
		return q, &Error{Pos: -1, Message: quote(name) + " is not a queryable of this collection (see its /queryables)"}
	}
	return q, nil
}

// value checks lit against q's type and returns it as a parameter.
func (c *compiler) value(q Queryable, lit Literal) (string, error) {
	switch q.Type {
	case Integer, Number:
		if lit.Type != Number {
			return "", &Error{Pos: -1, Message: q.Name + " is a number: compare it with a number, not " + describe(lit)}
		}
		return c.param(lit.Text, "numeric"), nil // exact: 99.9999 is not 100
	case Boolean:
		if lit.Type != Boolean {
			return "", &Error{Pos: -1, Message: q.Name + " is true or false, not " + describe(lit)}
		}
		return c.param(lit.Text == "true", "boolean"), nil
	default:
		if lit.Type != String {
			return "", &Error{Pos: -1, Message: q.Name + " is text: compare it with a string in single quotes, not " + describe(lit)}
		}
		return c.param(lit.Text, "text"), nil
	}
}

func describe(l Literal) string {
	if l.Type == String {
		return "'" + l.Text + "'"
	}
	return l.Text
}

func (c *compiler) join(terms []Expr, op string) (string, error) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		s, err := c.expr(t)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return "(" + strings.Join(parts, " "+op+" ") + ")", nil
}

func (c *compiler) expr(e Expr) (string, error) {
	switch e := e.(type) {
	case And:
		return c.join(e.Terms, "AND")
	case Or:
		return c.join(e.Terms, "OR")
	case Not:
		s, err := c.expr(e.Term)
		return "(NOT " + s + ")", err
	case Compare:
		q, err := c.queryable(e.Property)
		if err != nil {
			return "", err
		}
		if _, ok := flipped[e.Op]; !ok {
			return "", &Error{Pos: -1, Message: "unknown comparison " + e.Op}
		}
		v, err := c.value(q, e.Value)
		return "(" + q.Column + " " + e.Op + " " + v + ")", err
	case Like:
		q, err := c.queryable(e.Property)
		if err != nil {
			return "", err
		}
		if q.Type != String {
			return "", &Error{Pos: -1, Message: "LIKE compares text, and " + q.Name + " is a " + string(q.Type)}
		}
		op := "LIKE"
		if e.CaseInsensitive {
			op = "ILIKE"
		}
		if e.Not {
			op = "NOT " + op
		}
		return "(" + q.Column + " " + op + " " + c.param(e.Pattern, "text") + ")", nil
	case Between:
		q, err := c.queryable(e.Property)
		if err != nil {
			return "", err
		}
		if q.Type != Integer && q.Type != Number {
			return "", &Error{Pos: -1, Message: "BETWEEN compares numbers, and " + q.Name + " is a " + string(q.Type)}
		}
		lo, err := c.value(q, e.Low)
		if err != nil {
			return "", err
		}
		hi, err := c.value(q, e.High)
		if err != nil {
			return "", err
		}
		s := "(" + q.Column + " BETWEEN " + lo + " AND " + hi + ")"
		if e.Not {
			s = "(NOT " + s + ")"
		}
		return s, nil
	case In:
		q, err := c.queryable(e.Property)
		if err != nil {
			return "", err
		}
		var vals []string
		for _, l := range e.Values {
			v, err := c.value(q, l)
			if err != nil {
				return "", err
			}
			vals = append(vals, v)
		}
		s := "(" + q.Column + " IN (" + strings.Join(vals, ", ") + "))"
		if e.Not {
			s = "(NOT " + s + ")"
		}
		return s, nil
	case IsNull:
		q, err := c.queryable(e.Property)
		if err != nil {
			return "", err
		}
		if e.Not {
			return "(" + q.Column + " IS NOT NULL)", nil
		}
		return "(" + q.Column + " IS NULL)", nil
	}
	return "", &Error{Pos: -1, Message: "unknown filter"}
}
