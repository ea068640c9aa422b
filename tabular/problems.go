package tabular

import (
	"fmt"
	"strings"
)

// Problem is one error or warning about an input file, located by line and
// column so that whoever fixes the file finds it.
type Problem struct {
	File    string
	Line    int    // 0: the whole file
	Column  string // the column's name in the file, if the problem has one
	Value   string // the offending value, if any
	Message string // what is wrong, in English
	// Code names the kind of problem ("not-number", "tab-separated"; see
	// Codes), so that a page renders it in its own language from a table of
	// its own; Params holds the figures its message names, by name. Empty
	// for a problem without a code: show Message.
	Code   string
	Params map[string]string
}

// P builds Params from name, value pairs.
func P(kv ...string) map[string]string {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// String formats the problem as FILE:LINE: column NAME: value "…": message.
// What came from the file (its name, a column's name, the value) is clipped
// to ValueRunes and made printable, so that a 10 MB header, a NUL byte or a
// Latin-1 byte never reaches a terminal or a page as it is.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(Printable(p.File, ValueRunes))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Column != "" {
		fmt.Fprintf(&b, "column %s: ", Printable(p.Column, ValueRunes))
	}
	if p.Value != "" || p.Column != "" && p.Line > 1 { // a header has no value to show
		fmt.Fprintf(&b, "value %s: ", Quote(p.Value, ValueRunes))
	}
	b.WriteString(Printable(p.Message, messageRunes))
	return b.String()
}

// messageRunes bounds a message: messages are written by the code, but some
// quote the file.
const messageRunes = 400

// Problems collects a file's errors and warnings. It keeps the first Limit of
// each in detail and counts them all, so that memory stays flat however bad
// the file is.
type Problems struct {
	Limit        int
	Errors       []Problem
	ErrorCount   int
	Warnings     []Problem
	WarningCount int
}

// DefaultLimit is how many errors and warnings are listed in detail.
const DefaultLimit = 100

// NewProblems returns an empty collector that lists up to limit of each kind.
func NewProblems(limit int) *Problems {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return &Problems{Limit: limit}
}

// Error records an error: the file will not be imported.
func (p *Problems) Error(pr Problem) {
	p.ErrorCount++
	if len(p.Errors) < p.Limit {
		p.Errors = append(p.Errors, pr)
	}
}

// Fatal records the error that ended the read (a damaged file, a wrong
// encoding). It is listed first, even when the list is full: it is the
// reason the file is refused, and whatever else is listed may be its echo.
func (p *Problems) Fatal(pr Problem) {
	p.ErrorCount++
	p.Errors = append([]Problem{pr}, p.Errors...)
}

// Warn records a warning: the row is imported, and the warning counted and listed.
func (p *Problems) Warn(pr Problem) {
	p.WarningCount++
	if len(p.Warnings) < p.Limit {
		p.Warnings = append(p.Warnings, pr)
	}
}

// Report writes the listed errors, then a count of the ones left out.
func (p *Problems) Report() string { return ListReport(p.Errors, p.ErrorCount, "", "errors") }

// WarningReport writes the listed warnings, then a count of the ones left out.
func (p *Problems) WarningReport() string {
	return ListReport(p.Warnings, p.WarningCount, "warning: ", "warnings")
}

// ListReport writes listed problems a line each, each after prefix, then
// how many of total were left out ("… and 3 more errors (103 in all)"):
// the report of every import's problems, whatever its Problem type.
func ListReport[T fmt.Stringer](listed []T, total int, prefix, noun string) string {
	var b strings.Builder
	for _, pr := range listed {
		b.WriteString(prefix)
		b.WriteString(pr.String())
		b.WriteByte('\n')
	}
	if more := total - len(listed); more > 0 {
		fmt.Fprintf(&b, "%s… and %d more %s (%d in all)\n", prefix, more, noun, total)
	}
	return b.String()
}

// ImportError says a file had errors and nothing was imported; Problems
// lists them.
type ImportError struct {
	File     string
	Problems *Problems
}

func (e *ImportError) Error() string {
	n := e.Problems.ErrorCount
	s := "s"
	if n == 1 {
		s = ""
	}
	return fmt.Sprintf("%s has %d error%s; nothing was imported", Printable(e.File, ValueRunes), n, s)
}
