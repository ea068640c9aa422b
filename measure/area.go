package measure

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Stockholm on a machine without a zoneinfo database

	"github.com/gigakoll/gigakoll/geo"
)

// Area kinds of the figures.
const (
	KindSquare       = "square"
	KindMunicipality = "municipality"
	KindCounty       = "county"
)

// Area is where figures are computed: a 250 m square, a municipality or a
// county.
type Area struct {
	Kind   string     // KindSquare, KindMunicipality or KindCounty
	Code   string     // kommunkod or länskod; the square's id for a square
	Square geo.Square // for KindSquare
	Name   string     // "Kalmar", "Kalmar län"; "" for a square
}

// String is the area as the API names it: "square:250m-E583000-N6280250",
// "municipality:0880", "county:08".
func (a Area) String() string { return a.Kind + ":" + a.Code }

// ParseArea reads an area as the API names it. The municipality or county
// must exist; a square must be a 250 m square inside Sweden's extent.
func ParseArea(s string) (Area, error) {
	kind, code, ok := strings.Cut(s, ":")
	switch {
	case !ok:
	case kind == KindSquare:
		sq, err := geo.ParseSquareID(code)
		if err != nil || sq.Size != geo.SquareSize || !geo.InSweden(sq.Center()) {
			return Area{}, fmt.Errorf("measure: area %q: want a 250 m square inside Sweden such as square:250m-E583000-N6280250", s)
		}
		return Area{Kind: kind, Code: code, Square: sq}, nil
	case kind == KindMunicipality:
		if m, ok := MunicipalityByCode(code); ok {
			return Area{Kind: kind, Code: code, Name: m.Name}, nil
		}
		return Area{}, fmt.Errorf("measure: area %q: no municipality has the code %q", s, code)
	case kind == KindCounty:
		if name, ok := countyName(code); ok {
			return Area{Kind: kind, Code: code, Name: name}, nil
		}
		return Area{}, fmt.Errorf("measure: area %q: no county has the code %q", s, code)
	}
	return Area{}, fmt.Errorf("measure: area %q: want square:<id>, municipality:<code> or county:<code>", s)
}

// Period is the time the figures cover: everything, a year or a month, in
// Swedish time.
type Period struct {
	Name     string     // "all", "2026", "2026-10"
	From, To *time.Time // [From, To); nil: open
}

// Stockholm is the time zone of the periods: a measurement at 00:30 on
// 1 November in Sweden counts for November.
var Stockholm = mustLocation("Europe/Stockholm")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("measure: time zone %s: %v", name, err)) // embedded by time/tzdata
	}
	return loc
}

// ParsePeriod reads "all", a year ("2026") or a month ("2026-10").
func ParsePeriod(s string) (Period, error) {
	if s == "all" {
		return Period{Name: s}, nil
	}
	var from, to time.Time
	if y, err := strconv.Atoi(s); err == nil && len(s) == 4 && y >= 2000 && y <= 2100 {
		from = time.Date(y, time.January, 1, 0, 0, 0, 0, Stockholm)
		to = from.AddDate(1, 0, 0)
	} else if t, err := time.ParseInLocation("2006-01", s, Stockholm); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
		from, to = t, t.AddDate(0, 1, 0)
	} else {
		return Period{}, fmt.Errorf("measure: period %q: want all, a year such as 2026 or a month such as 2026-10", s)
	}
	return Period{Name: s, From: &from, To: &to}, nil
}
