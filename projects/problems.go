package projects

import (
	"fmt"
	"strings"

	"github.com/gigakoll/gigakoll/tabular"
)

// Problem is one error or warning about a register file, located by the
// feature (its index in the file's features, from 0, as jq's
// .features[12] counts) and the property, so that whoever fixes the file in
// QGIS finds it:
//
//	FILE: feature 12 (id "P-0881-004"): property status: value "done": want planned, in_progress, completed or cancelled
type Problem struct {
	File     string
	Feature  int    // -1: the file as a whole
	ID       string // the feature's id property, when it has a usable one
	Property string // "status", "funding[1].amount_sek", "geometry"; "" for none
	Value    string // the offending value as written in the file, if any
	Message  string // what is wrong, in English
	// Code names the kind of problem ("p-status"; see Codes) so that the
	// upload page says it in Swedish from a table of its own; Params holds
	// the figures its text names. Empty: show Message.
	Code   string
	Params map[string]string
}

// kind is a problem's code and params.
type kind struct {
	code   string
	params map[string]string
}

// kindOf builds a kind from its code and name, value pairs.
func kindOf(code string, kv ...string) kind { return kind{code: code, params: tabular.P(kv...)} }

// String formats the problem as FILE: feature N (id "…"): property P: value "…": message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(printable(p.File))
	b.WriteString(": ")
	if p.Feature >= 0 {
		fmt.Fprintf(&b, "feature %d", p.Feature)
		if p.ID != "" {
			fmt.Fprintf(&b, " (id %s)", quote(p.ID))
		}
		b.WriteString(": ")
	}
	if p.Property != "" {
		fmt.Fprintf(&b, "property %s: ", printable(p.Property))
	}
	if p.Value != "" {
		fmt.Fprintf(&b, "value %s: ", quote(p.Value))
	}
	b.WriteString(p.Message)
	return b.String()
}

// printable and quote clip and clean what a message echoes from the file,
// by the reading conventions every import shares (package tabular).
func printable(s string) string { return tabular.Printable(s, tabular.ValueRunes) }

func quote(s string) string { return tabular.Quote(s, tabular.ValueRunes) }

// Problems collects a file's errors and warnings: the first Limit of each
// listed, all of them counted.
type Problems struct {
	Limit        int
	Errors       []Problem
	ErrorCount   int
	Warnings     []Problem
	WarningCount int
}

// DefaultProblemLimit is how many errors and warnings are listed in detail.
const DefaultProblemLimit = 100

func newProblems(limit int) *Problems {
	if limit <= 0 {
		limit = DefaultProblemLimit
	}
	return &Problems{Limit: limit}
}

func (p *Problems) add(pr Problem) {
	p.ErrorCount++
	if len(p.Errors) < p.Limit {
		p.Errors = append(p.Errors, pr)
	}
}

func (p *Problems) warn(pr Problem) {
	p.WarningCount++
	if len(p.Warnings) < p.Limit {
		p.Warnings = append(p.Warnings, pr)
	}
}

// Report writes the listed errors, then a count of the ones left out.
func (p *Problems) Report() string { return tabular.ListReport(p.Errors, p.ErrorCount, "", "errors") }

// WarningReport writes the listed warnings, then a count of the ones left out.
func (p *Problems) WarningReport() string {
	return tabular.ListReport(p.Warnings, p.WarningCount, "warning: ", "warnings")
}

// ImportError says a register file had errors and nothing was imported;
// Problems lists them.
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
	return fmt.Sprintf("projects: %s has %d error%s; nothing was imported", printable(e.File), n, s)
}
