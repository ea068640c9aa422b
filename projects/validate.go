package projects

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gigakoll/gigakoll/coverage"
)

// checked is a feature that passed the checks made in Go: the project, its
// geometry as the file has it (for PostGIS's checks) and its decimals as
// written (exact, for numeric columns).
type checked struct {
	Project
	geometry string
	down     string // down_mbps as written; "1000" by default
	cost     string // cost_sek as written; "" when not given
	funding  []fundingText
}

type fundingText struct {
	Source    FundingSource `json:"source"`
	Programme *string       `json:"programme"`
	Amount    string        `json:"amount_sek"`
}

// knownProperties are the properties of spec/projects.md; others (QGIS's
// fid, a layer name) are ignored and named once in a warning.
var knownProperties = map[string]bool{
	"id": true, "name": true, "owner": true, "status": true, "start_year": true, "completion_year": true,
	"down_mbps": true, "cost_sek": true, "funding": true,
}

// featureCheck checks one feature, recording every problem it has.
type featureCheck struct {
	file    string
	index   int
	id      string
	bad     bool
	p       *Problems
	unknown map[string]bool // property names seen that the spec does not know
}

func (c *featureCheck) fail(prop, value string, k kind, format string, args ...any) {
	c.bad = true
	c.p.add(Problem{File: c.file, Feature: c.index, ID: c.id, Property: prop, Value: value, Message: fmt.Sprintf(format, args...),
		Code: k.code, Params: k.params})
}

// checkFeature checks the raw feature i and returns it checked; ok is false
// when it has an error (each one recorded).
func checkFeature(file string, i int, raw json.RawMessage, p *Problems, unknown map[string]bool) (checked, bool) {
	c := &featureCheck{file: file, index: i, p: p, unknown: unknown}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil || f == nil {
		c.fail("", clipRaw(raw), kindOf("p-not-feature"), "not a GeoJSON Feature: want an object with type, geometry and properties")
		return checked{}, false
	}
	var props map[string]json.RawMessage
	if pr, ok := f["properties"]; ok && !isNull(pr) {
		if err := json.Unmarshal(pr, &props); err != nil {
			c.fail("properties", clipRaw(pr), kindOf("p-properties-object"), "want an object of properties")
		}
	}
	out := checked{Project: Project{Feature: i}}
	out.ID = c.text(props, "id", true)
	if out.ID != "" {
		c.id = out.ID
	}
	if t := string(f["type"]); t != `"Feature"` {
		c.fail("", clipRaw(f["type"]), kindOf("p-feature-type"), "type: want \"Feature\"")
	}
	if utf8.RuneCountInString(out.ID) > 64 {
		c.fail("id", out.ID, kindOf("p-id-length"), "want 1 to 64 characters")
	}
	out.Name = c.text(props, "name", true)
	out.Owner = c.text(props, "owner", false)
	out.Status = Status(c.text(props, "status", true))
	if raw, ok := props["status"]; ok && !isNull(raw) && !validStatus(out.Status) {
		c.fail("status", string(out.Status), kindOf("p-status"), "want planned, in_progress, completed or cancelled")
	}
	out.StartYear = c.year(props, "start_year", false)
	out.CompletionYear = c.year(props, "completion_year", out.Status != Cancelled && validStatus(out.Status))
	if out.StartYear != nil && out.CompletionYear != nil && *out.StartYear > *out.CompletionYear {
		c.fail("start_year", fmt.Sprint(*out.StartYear), kindOf("p-start-after-completion", "completion", fmt.Sprint(*out.CompletionYear)), "after completion_year %d", *out.CompletionYear)
	}
	out.down = "1000"
	if d, text, ok := c.number(props, "down_mbps"); ok {
		if d.Sign() <= 0 {
			c.fail("down_mbps", text, kindOf("p-speed-zero"), "want a speed in Mbit/s above 0")
		} else if sp, err := coverage.ParseSpeed(ratText(d)); err != nil {
			c.fail("down_mbps", text, kindOf("p-speed"), "want a speed in Mbit/s such as 1000 or 250.5")
		} else {
			out.Down, out.down = sp, text
		}
	}
	if !out.Down.Valid {
		out.Down = coverage.Speed{Mant: DefaultDownMbps, Valid: true}
	}
	if d, text, ok := c.number(props, "cost_sek"); ok {
		if d.Sign() < 0 {
			c.fail("cost_sek", text, kindOf("p-amount"), "want an amount in SEK of 0 or more")
		} else {
			out.CostSEK, out.cost = d, text
		}
	}
	c.fundingOf(props, &out)
	for k := range props {
		if !knownProperties[k] {
			unknown[k] = true
		}
	}
	out.geometry = c.geometry(f["geometry"])
	return out, !c.bad
}

func validStatus(s Status) bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// clipRaw is raw JSON as it may be echoed in a message.
func clipRaw(raw json.RawMessage) string { return strings.TrimSpace(string(raw)) }

// text reads a text property; required ones must be there and not empty.
func (c *featureCheck) text(props map[string]json.RawMessage, name string, required bool) string {
	raw, ok := props[name]
	if !ok || isNull(raw) {
		if required {
			c.fail(name, "", kindOf("p-missing"), "missing: it is required")
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		c.fail(name, clipRaw(raw), kindOf("p-not-text"), "want text (a string in quotes)")
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		c.fail(name, "", kindOf("p-empty"), "empty: it is required")
	}
	return s
}

// number reads a number property as an exact decimal and its text; ok is
// false when it is missing or null (recorded as an error when it is not a
// number).
func (c *featureCheck) number(props map[string]json.RawMessage, name string) (*big.Rat, string, bool) {
	raw, ok := props[name]
	if !ok || isNull(raw) {
		return nil, "", false
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil || strings.HasPrefix(strings.TrimSpace(string(raw)), `"`) {
		c.fail(name, clipRaw(raw), kindOf("p-number-not-text"), "want a number, not text")
		return nil, "", false
	}
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		c.fail(name, n.String(), kindOf("p-not-number"), "want a number")
		return nil, "", false
	}
	return r, n.String(), true
}

// year reads a year property: a whole number from 1990 to 2100.
func (c *featureCheck) year(props map[string]json.RawMessage, name string, required bool) *int {
	r, text, ok := c.number(props, name)
	if !ok {
		if raw, there := props[name]; required && (!there || isNull(raw)) {
			c.fail(name, "", kindOf("p-year-missing"), "missing: it is required unless the project is cancelled")
		}
		return nil
	}
	if !r.IsInt() || r.Num().Int64() < 1990 || r.Num().Int64() > 2100 {
		c.fail(name, text, kindOf("p-year"), "want a year from 1990 to 2100")
		return nil
	}
	y := int(r.Num().Int64())
	return &y
}

// fundingOf reads the funding list: an array of objects, or (as a
// shapefile or a text field in QGIS holds it) text that is such an array.
func (c *featureCheck) fundingOf(props map[string]json.RawMessage, out *checked) {
	out.FundingSEK, out.PublicSEK = new(big.Rat), new(big.Rat)
	raw, ok := props["funding"]
	if !ok || isNull(raw) {
		return
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if strings.TrimSpace(s) == "" {
			return
		}
		raw = json.RawMessage(s)
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		c.fail("funding", clipRaw(raw), kindOf("p-funding-list"), `want a list: [{"source": "regional", "programme": "…", "amount_sek": 1000000}]`)
		return
	}
	for i, f := range list {
		prop := fmt.Sprintf("funding[%d]", i)
		src := FundingSource(c.text(f, "source", false))
		if src == "" {
			c.fail(prop+".source", "", kindOf("p-funding-source-missing"), "missing: want regional, national, eu, municipal, private or other")
		} else if !validSource(src) {
			c.fail(prop+".source", string(src), kindOf("p-funding-source"), "want regional, national, eu, municipal, private or other")
		}
		var programme *string
		if pg := c.text(f, "programme", false); pg != "" {
			programme = &pg
		}
		amount, text, ok := c.number(f, "amount_sek")
		switch {
		case !ok:
			if r, there := f["amount_sek"]; !there || isNull(r) {
				c.fail(prop+".amount_sek", "", kindOf("p-amount-missing"), "missing: want an amount in SEK")
			}
			continue
		case amount.Sign() < 0:
			c.fail(prop+".amount_sek", text, kindOf("p-amount"), "want an amount in SEK of 0 or more")
			continue
		}
		for k := range f {
			if k != "source" && k != "programme" && k != "amount_sek" {
				c.unknown[prop+"."+k] = true
			}
		}
		fa, _ := amount.Float64()
		out.Funding = append(out.Funding, Funding{Source: src, Programme: deref(programme), AmountSEK: fa})
		out.funding = append(out.funding, fundingText{Source: src, Programme: programme, Amount: text})
		out.FundingSEK.Add(out.FundingSEK, amount)
		if src.Public() {
			out.PublicSEK.Add(out.PublicSEK, amount)
		}
	}
	if out.CostSEK != nil && out.FundingSEK.Cmp(out.CostSEK) > 0 {
		c.fail("funding", "", kindOf("p-funding-above-cost", "funding", ratText(out.FundingSEK), "cost", ratText(out.CostSEK)), "sums to %s SEK, more than cost_sek %s SEK", ratText(out.FundingSEK), ratText(out.CostSEK))
	}
}

func validSource(s FundingSource) bool {
	for _, x := range FundingSources {
		if s == x {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ratText writes an amount as people read it: whole, or with its decimals.
func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(15), "0"), ".")
}

// geometry checks the structure of a Polygon or MultiPolygon in Go (rings
// of at least 4 positions, closed, longitude and latitude in range) and
// returns it as written; PostGIS checks the rest (self-intersections,
// outside Sweden). "" when it has an error.
func (c *featureCheck) geometry(raw json.RawMessage) string {
	if isNull(raw) {
		c.fail("geometry", "", kindOf("p-geometry-missing"), "missing: want a Polygon or MultiPolygon, the project's area")
		return ""
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		c.fail("geometry", "", kindOf("p-geometry-object"), "want a GeoJSON geometry object")
		return ""
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			c.fail("geometry", "", kindOf("p-coordinates"), "coordinates: want rings of [longitude, latitude] positions")
			return ""
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			c.fail("geometry", "", kindOf("p-coordinates"), "coordinates: want polygons of rings of [longitude, latitude] positions")
			return ""
		}
	default:
		c.fail("geometry", g.Type, kindOf("p-geometry-type"), "want Polygon or MultiPolygon: a project is an area")
		return ""
	}
	bad := false
	where := func(pi, ri int) string {
		if g.Type == "Polygon" {
			return fmt.Sprintf("ring %d", ri)
		}
		return fmt.Sprintf("polygon %d, ring %d", pi, ri)
	}
	if len(polys) == 0 {
		c.fail("geometry", "", kindOf("p-no-polygons"), "no polygons: the area is empty")
		return ""
	}
	for pi, poly := range polys {
		if len(poly) == 0 {
			c.fail("geometry", "", kindOf("p-no-rings", "ring", where(pi, 0)), "%s: no rings", where(pi, 0))
			bad = true
		}
		for ri, ring := range poly {
			for _, pos := range ring {
				if len(pos) < 2 || math.IsNaN(pos[0]) || math.IsNaN(pos[1]) {
					c.fail("geometry", "", kindOf("p-position", "ring", where(pi, ri)), "%s: a position needs a longitude and a latitude", where(pi, ri))
					return ""
				}
				if pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90 {
					msg, code := "a position (%s) is not a longitude and latitude: GeoJSON is WGS 84 (RFC 7946)", "p-not-wgs84"
					if pos[0] > 100_000 && pos[0] < 1_100_000 && pos[1] > 6_000_000 && pos[1] < 7_800_000 {
						msg, code = "a position (%s) looks like SWEREF 99 TM metres: GeoJSON is WGS 84 longitude, latitude (RFC 7946); export the layer in EPSG:4326", "p-sweref"
					}
					c.fail("geometry", "", kindOf(code, "position", positionText(pos)), msg, positionText(pos))
					return ""
				}
			}
			switch {
			case len(ring) < 4:
				c.fail("geometry", "", kindOf("p-ring-short", "ring", where(pi, ri), "positions", fmt.Sprint(len(ring))), "%s has %d positions: a ring needs at least 4 (its first repeated as its last)", where(pi, ri), len(ring))
				bad = true
			case ring[0][0] != ring[len(ring)-1][0] || ring[0][1] != ring[len(ring)-1][1]:
				c.fail("geometry", "", kindOf("p-ring-open", "ring", where(pi, ri)), "%s is open: its last position (%s) is not its first (%s)", where(pi, ri),
					positionText(ring[len(ring)-1]), positionText(ring[0]))
				bad = true
			}
		}
	}
	if bad {
		return ""
	}
	return string(raw)
}

// positionText writes a position as it was in the file: 6282100, not
// 6.2821e+06.
func positionText(pos []float64) string {
	return strconv.FormatFloat(pos[0], 'f', -1, 64) + " " + strconv.FormatFloat(pos[1], 'f', -1, 64)
}
