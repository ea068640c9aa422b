package tabular

import "fmt"

// sniffDelimiter picks the delimiter from the header line: the most frequent
// of ",", ";", tab and "|" outside quotes, "," on a tie with ";". The format
// allows "," and ";" (Swedish spreadsheets export ";"); a file separated by
// tabs or bars is refused once, naming what was found, rather than with an
// error for every column the header then seems to lack.
func sniffDelimiter(line []byte) (rune, string) {
	var n [256]int
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted:
			n[c]++
		}
	}
	comma, semi, tab, bar := n[','], n[';'], n['\t'], n['|']
	switch {
	case tab > 0 && tab >= comma && tab >= semi && tab >= bar:
		return 0, fmt.Sprintf(`the columns are separated by tabs (%d in the header), not by "," or ";": save the file as CSV ("CSV UTF-8" in Excel)`, tab)
	case bar > 0 && bar > comma && bar > semi:
		return 0, fmt.Sprintf(`the columns are separated by "|" (%d in the header), not by "," or ";": save the file as CSV`, bar)
	case comma == 0 && semi == 0:
		return 0, `the header has no "," or ";" between columns: is this a CSV file? (columns are separated by "," or ";")`
	case semi > comma:
		return ';', ""
	}
	return ',', ""
}
