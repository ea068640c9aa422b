package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The standard columns of the import format (spec/coverage-format.md).
const (
	colAddressID    = "address_id"
	colMunicipality = "municipality_code"
	colX            = "x"
	colY            = "y"
	colLon          = "lon"
	colLat          = "lat"
	colHouseholds   = "households"
	colWorkplaces   = "workplaces"
	colHolidayHomes = "holiday_homes"
	colTechnology   = "technology"
	colStatus       = "status"
	colDown         = "down_mbps"
	colUp           = "up_mbps"
	colStreet       = "street"
	colNumber       = "number"
	colPostcode     = "postcode"
	colLocality     = "locality"
	colOperator     = "operator"
	colPlannedYear  = "planned_year"
)

// Positions of the columns in standardColumns, so that a row's fields are
// found by index, not by name.
const (
	iAddressID = iota
	iMunicipality
	iX
	iY
	iLon
	iLat
	iHouseholds
	iWorkplaces
	iHolidayHomes
	iTechnology
	iStatus
	iDown
	iUp
	iStreet
	iNumber
	iPostcode
	iLocality
	iOperator
	iPlannedYear
)

// standardColumns lists every column the format knows, in the spec's order.
var standardColumns = [...]string{
	colAddressID, colMunicipality, colX, colY, colLon, colLat, colHouseholds, colWorkplaces,
	colHolidayHomes, colTechnology, colStatus, colDown, colUp, colStreet, colNumber,
	colPostcode, colLocality, colOperator, colPlannedYear,
}

// Mapping lets a file with other headers, and other words for the
// technologies and statuses (a network owner's Swedish export, say), import
// without being edited.
//
//	{"columns": {"address_id": "Adress-ID", "households": "Hushåll"},
//	 "values": {"status": {"Ansluten": "connected", "I absolut närhet": "passed"}}}
type Mapping struct {
	Columns map[string]string            `json:"columns"` // standard column → header in the file
	Values  map[string]map[string]string `json:"values"`  // "technology" or "status" → value in the file → standard value
}

// ReadMapping reads a mapping as JSON and checks that it names only standard
// columns and standard values.
func ReadMapping(r io.Reader, name string) (*Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("column mapping %s: %w", name, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("column mapping %s: %w", name, err)
	}
	return &m, nil
}

// Set maps one standard column to a header, as the --column flag does.
func (m *Mapping) Set(standard, header string) error {
	if m.Columns == nil {
		m.Columns = map[string]string{}
	}
	m.Columns[standard] = header
	return m.check()
}

func (m *Mapping) check() error {
	known := map[string]bool{}
	for _, c := range standardColumns {
		known[c] = true
	}
	seen := map[string]string{}
	keys := make([]string, 0, len(m.Columns))
	for k := range m.Columns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, std := range keys {
		header := m.Columns[std]
		if !known[std] {
			return fmt.Errorf("%q is no column of the import format (want one of %s)", std, strings.Join(standardColumns[:], ", "))
		}
		h := normalizeHeader(header)
		if h == "" {
			return fmt.Errorf("column %s is mapped to an empty header", std)
		}
		if other, ok := seen[h]; ok {
			return fmt.Errorf("header %q is mapped to both %s and %s", header, other, std)
		}
		seen[h] = std
	}
	for col, vals := range m.Values {
		for from, to := range vals {
			switch col {
			case colTechnology:
				if !technologies[Technology(to)] {
					return fmt.Errorf("values.technology: %q → %q: no such technology", from, to)
				}
			case colStatus:
				if !statuses[Status(to)] {
					return fmt.Errorf("values.status: %q → %q: no such status", from, to)
				}
			default:
				return fmt.Errorf("values: only technology and status values can be mapped, not %q", col)
			}
		}
	}
	return nil
}

// standardFor returns the standard column a file header stands for, or "".
func (m *Mapping) standardFor(header string) string {
	h := normalizeHeader(header)
	if m != nil {
		for std, mapped := range m.Columns {
			if normalizeHeader(mapped) == h {
				return std
			}
		}
	}
	for _, std := range standardColumns {
		if m != nil {
			if _, remapped := m.Columns[std]; remapped {
				continue // the standard name now means nothing
			}
		}
		if std == h {
			return std
		}
	}
	return ""
}

// value maps a file's word for a technology or status to the standard one.
func (m *Mapping) value(col, v string) string {
	if m != nil {
		if to, ok := m.Values[col][v]; ok {
			return to
		}
		for from, to := range m.Values[col] {
			if strings.EqualFold(from, v) {
				return to
			}
		}
	}
	return strings.ToLower(v)
}

func normalizeHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(h))
}
