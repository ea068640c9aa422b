package sheet

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Table aligns rows of text for a terminal: columns marked in Right (the
// numbers) to the right, the others to the left, two spaces between. A row
// with fewer cells than the columns (an area's heading) runs on past the
// columns it spans and does not widen them.
type Table struct {
	Right []bool // one per column
	rows  [][]string
}

// Add adds a row.
func (t *Table) Add(cells ...string) { t.rows = append(t.rows, cells) }

// WriteTo writes the rows, each column as wide as its widest cell.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	width := make([]int, len(t.Right))
	for _, r := range t.rows {
		if len(r) < len(width) {
			continue
		}
		for i, c := range r[:len(width)] {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var out, line strings.Builder
	for _, r := range t.rows {
		line.Reset()
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := 0
			if i < len(width) && (len(r) >= len(width) || i < len(r)-1) { // a heading's last cell runs on
				pad = max(0, width[i]-utf8.RuneCountInString(c))
			}
			if i < len(t.Right) && t.Right[i] {
				line.WriteString(strings.Repeat(" ", pad) + c)
			} else {
				line.WriteString(c + strings.Repeat(" ", pad))
			}
		}
		out.WriteString(strings.TrimRight(line.String(), " "))
		out.WriteByte('\n')
	}
	n, err := io.WriteString(w, out.String())
	return int64(n), err
}
