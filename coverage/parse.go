package coverage

import (
	"fmt"
	"strings"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/tabular"
)

// field returns the trimmed value of a standard column by its position in
// standardColumns, "" when the file lacks the column.
func (rd *Reader) field(rec []string, i int) string {
	p := rd.pos[i]
	if p < 0 {
		return ""
	}
	return strings.TrimSpace(rec[p])
}

// parse checks one record and fills rd.row; it reports every problem of the
// record, not only the first.
func (rd *Reader) parse(line int, rec []string) bool {
	ok := true
	bad := func(col, value, msg string) {
		rd.opt.Problems.Error(Problem{File: rd.opt.Name, Line: line, Column: rd.headerName(col), Value: value, Message: msg})
		ok = false
	}
	r := &rd.row
	*r = Row{Line: line}

	r.AddressID = rd.field(rec, iAddressID)
	if msg := checkAddressID(r.AddressID); msg != "" {
		bad(colAddressID, r.AddressID, msg)
	}
	r.MunicipalityCode = rd.field(rec, iMunicipality)
	if msg := rd.checkMunicipality(r.MunicipalityCode); msg != "" {
		bad(colMunicipality, r.MunicipalityCode, msg)
	}
	rd.parsePosition(rec, r, bad)

	var err error
	for _, c := range []struct {
		col string
		i   int
		dst *int32
	}{{colHouseholds, iHouseholds, &r.Households}, {colWorkplaces, iWorkplaces, &r.Workplaces}} {
		v := rd.field(rec, c.i)
		if *c.dst, err = tabular.ParseCount(v); err != nil {
			bad(c.col, v, err.Error())
		}
	}
	if v := rd.field(rec, iHolidayHomes); v != "" {
		n, err := tabular.ParseCount(v)
		if err != nil {
			bad(colHolidayHomes, v, err.Error())
		}
		r.HolidayHomes = &n
	}

	tech := rd.field(rec, iTechnology)
	r.Technology = Technology(rd.opt.Mapping.value(colTechnology, tech))
	if !technologies[r.Technology] {
		bad(colTechnology, tech, "unknown technology (want fiber, cable, dsl, fixed_wireless, mobile, satellite, other or none)")
	}
	status := rd.field(rec, iStatus)
	switch {
	case r.Technology == NoBroadband && status != "":
		bad(colStatus, status, "must be empty when technology is none")
	case r.Technology == NoBroadband:
	case status == "":
		bad(colStatus, status, "required unless technology is none (want connected, passed or planned)")
	default:
		r.Status = Status(rd.opt.Mapping.value(colStatus, status))
		if !statuses[r.Status] {
			bad(colStatus, status, "unknown status (want connected, passed or planned)")
		}
	}

	down := rd.field(rec, iDown)
	if r.DownMbps, err = parseSpeed(down, rd.decimal); err != nil {
		bad(colDown, down, err.Error())
	} else if r.Technology == NoBroadband && !r.DownMbps.IsZero() {
		bad(colDown, down, "must be 0 when technology is none")
	}
	if up := rd.field(rec, iUp); up != "" {
		if r.UpMbps, err = parseSpeed(up, rd.decimal); err != nil {
			bad(colUp, up, err.Error())
		} else if r.Technology == NoBroadband && !r.UpMbps.IsZero() {
			bad(colUp, up, "must be 0 or empty when technology is none")
		}
	}

	for _, t := range []struct {
		col string
		i   int
		dst *string
	}{{colStreet, iStreet, &r.Street}, {colNumber, iNumber, &r.Number}, {colLocality, iLocality, &r.Locality}, {colOperator, iOperator, &r.Operator}} {
		v := rd.field(rec, t.i)
		if msg := tabular.CheckText(v, 200); msg != "" {
			bad(t.col, v, msg)
		}
		*t.dst = v
	}
	if v := rd.field(rec, iPostcode); v != "" {
		pc, msg := normalizePostcode(v)
		if msg != "" {
			bad(colPostcode, v, msg)
		}
		r.Postcode = pc
	}
	if v := rd.field(rec, iPlannedYear); v != "" {
		y, err := parseYear(v)
		if err != nil {
			bad(colPlannedYear, v, err.Error())
		} else if r.Status != Planned && ok {
			rd.opt.Problems.Warn(Problem{File: rd.opt.Name, Line: line, Column: rd.headerName(colPlannedYear), Value: v,
				Message: "planned_year on a row that is not planned is ignored"})
		} else {
			r.PlannedYear = &y
		}
	}
	return ok
}

func (rd *Reader) parsePosition(rec []string, r *Row, bad func(col, value, msg string)) {
	if rd.lonLat {
		lonS, latS := rd.field(rec, iLon), rd.field(rec, iLat)
		lon, errLon := tabular.ParseFloat(lonS, rd.decimal)
		lat, errLat := tabular.ParseFloat(latS, rd.decimal)
		if errLon != nil {
			bad(colLon, lonS, errLon.Error())
		}
		if errLat != nil {
			bad(colLat, latS, errLat.Error())
		}
		if errLon != nil || errLat != nil {
			return
		}
		if lon < -180 || lon > 180 {
			bad(colLon, lonS, "longitude must be from -180 to 180 degrees")
			return
		}
		if lat < -90 || lat > 90 {
			bad(colLat, latS, "latitude must be from -90 to 90 degrees")
			return
		}
		p := geo.ToSWEREF([2]float64{lon, lat})
		r.E, r.N = p.E, p.N
		if !geo.InSweden(p) {
			bad(colLon, lonS, fmt.Sprintf("position (%s, %s) is outside Sweden", lonS, latS))
		}
		return
	}
	xs, ys := rd.field(rec, iX), rd.field(rec, iY)
	x, errX := tabular.ParseFloat(xs, rd.decimal)
	y, errY := tabular.ParseFloat(ys, rd.decimal)
	if errX != nil {
		bad(colX, xs, errX.Error())
	}
	if errY != nil {
		bad(colY, ys, errY.Error())
	}
	if errX != nil || errY != nil {
		return
	}
	r.E, r.N = x, y
	swapped := y >= geo.MinE && y <= geo.MaxE && x >= geo.MinN && x <= geo.MaxN
	if x < geo.MinE || x > geo.MaxE {
		msg := "easting outside Sweden's extent in SWEREF 99 TM (180 000–1 000 000 m)"
		if swapped {
			msg += ": x and y look swapped"
		}
		bad(colX, xs, msg)
	}
	if y < geo.MinN || y > geo.MaxN {
		bad(colY, ys, "northing outside Sweden's extent in SWEREF 99 TM (6 100 000–7 700 000 m)")
	}
}

func (rd *Reader) checkMunicipality(code string) string {
	if len(code) != 4 || !tabular.AllDigits(code) {
		if len(code) == 3 && tabular.AllDigits(code) {
			return fmt.Sprintf("must be 4 digits (a spreadsheet may have dropped the leading zero: %q)", "0"+code)
		}
		return "must be a kommunkod of 4 digits, e.g. 0880"
	}
	if rd.opt.Municipalities != nil && !rd.opt.Municipalities[code] {
		return "no municipality has this code"
	}
	return ""
}
