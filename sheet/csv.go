package sheet

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
)

// NewCSV writes CSV as Swedish spreadsheets open it without an import
// dialogue: UTF-8 with a BOM, ";" between fields, decimal comma. A text
// cell that a spreadsheet would take for a formula is neutralised;
// numbers, negative ones too, are written as they are.
func NewCSV(w io.Writer) Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	c := csv.NewWriter(bw)
	c.Comma = ';'
	return &csvWriter{bw: bw, w: c}
}

type csvWriter struct {
	bw     *bufio.Writer
	w      *csv.Writer
	cols   []Column
	rec    []string
	sheets int
}

func (s *csvWriter) Sheet(name string, cols []Column) error {
	if s.sheets > 0 {
		return errors.New("sheet: a CSV file holds one sheet")
	}
	s.sheets++
	s.cols = cols
	if _, err := s.bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Header
	}
	return s.w.Write(h)
}

func (s *csvWriter) Row(values ...any) error {
	if s.sheets == 0 {
		return errors.New("sheet: Row before Sheet")
	}
	if len(values) != len(s.cols) {
		return rowError(len(values), len(s.cols))
	}
	s.rec = s.rec[:0]
	for i, v := range values {
		s.rec = append(s.rec, csvCell(s.cols[i].Kind, value(v)))
	}
	return s.w.Write(s.rec)
}

func (s *csvWriter) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// csvCell writes a value the Swedish way: decimal comma, a share in percent
// with one decimal (without the sign, so that it stays a number), ja/nej.
func csvCell(kind Kind, v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch kind {
		case Percent:
			return FormatDecimal(x*100, 1)
		case Mbps:
			return formatMbps(x)
		}
		return FormatDecimal(x, 1)
	case string:
		return neutralise(x)
	}
	return ""
}

// neutralise keeps a spreadsheet from running text as a formula (OWASP's
// rule against CSV injection): text that begins with =, +, -, @, a tab or a
// carriage return gets a single quote in front, so that a street named
// =HYPERLINK("http://…") shows as that text. Only text is passed through
// it: the CSV writer formats numbers itself and never neutralises them.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
