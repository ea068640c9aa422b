// Package sheet writes the tables of gigakoll's reports for the people who
// read them: CSV and XLSX as Swedish spreadsheets open them (Swedish
// headers, decimal comma, number formats), and aligned tables for a
// terminal. Every report (targets, gaps, measurements, and the mobile and
// project reports to come) writes through it, so that a rule such as the
// neutralising of formulas in CSV has one home.
package sheet

import (
	"fmt"
	"math"
)

// Kind says how a column's values are written.
type Kind int

// The kinds of columns.
const (
	Text    Kind = iota
	Integer      // an integer, grouped by thousands in XLSX: 31 250
	Percent      // a share as a fraction (0.835): 83,5 in CSV, 83,5% in XLSX, 83,5 % in a terminal
	Decimal      // a number with one decimal: a speed, a distance
	YesNo        // a bool, written ja/nej
	Mbps         // a speed as given, never rounded up past a class: 99,99
	Plain        // an integer without digit grouping: a year, a coordinate
)

// Column is a column of a report: a Swedish header for the people who open
// it, and how its values look.
type Column struct {
	Header string
	Kind   Kind
	Width  float64 // in characters, for XLSX; 0: from the header
}

// Writer writes the rows of one or more sheets: CSV for any spreadsheet (one
// sheet), XLSX for Excel and LibreOffice (one or more).
type Writer interface {
	// Sheet starts a sheet with its columns; a CSV file takes one only.
	Sheet(name string, cols []Column) error
	// Row writes a row, one value per column: nil (or a nil pointer) for
	// none; an integer, a float64 or a bool; a string or a fmt.Stringer.
	Row(values ...any) error
	// Close finishes the file; it does not close the io.Writer below.
	Close() error
}

// value reduces what a report passes for a cell to nil, int64, float64 or
// string, the same way for every format: a bool becomes "ja" or "nej", a
// NaN or an infinity nothing.
func value(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case *int:
		if x == nil {
			return nil
		}
		return int64(*x)
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		return value(*x)
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// rowError is the error of a row whose length does not match the columns.
func rowError(values, cols int) error {
	return fmt.Errorf("sheet: row of %d values for %d columns", values, cols)
}
