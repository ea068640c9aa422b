package coverage

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/gigakoll/gigakoll/sheet"
)

// technologySV names the technologies in the spreadsheets.
var technologySV = map[string]string{
	"fiber": "fiber", "cable": "kabel-tv", "dsl": "DSL", "fixed_wireless": "fast radio",
	"mobile": "mobilt", "satellite": "satellit", "other": "annan", "none": "ingen", "": "ingen",
}

// gapSummaryColumns are the summary sheet's: one row per target.
var gapSummaryColumns = []sheet.Column{
	{Header: "Kommun", Kind: sheet.Text, Width: 16},
	{Header: "Datum", Kind: sheet.Text, Width: 12},
	{Header: "Mål", Kind: sheet.Text, Width: 16},
	{Header: "Beskrivning", Kind: sheet.Text, Width: 44},
	{Header: "Målår", Kind: sheet.Plain, Width: 8},
	{Header: "Hastighet (Mbit/s)", Kind: sheet.Integer},
	{Header: "Tröskel", Kind: sheet.Percent},
	{Header: "Andel idag", Kind: sheet.Percent},
	{Header: "Uppfyllt", Kind: sheet.YesNo},
	{Header: "Gap hushåll", Kind: sheet.Integer},
	{Header: "Gap arbetsställen", Kind: sheet.Integer},
	{Header: "Hushåll utan", Kind: sheet.Integer},
	{Header: "Arbetsställen utan", Kind: sheet.Integer},
	{Header: "Adresspunkter utan", Kind: sheet.Integer},
	{Header: "Prognos med planerad utbyggnad", Kind: sheet.Percent},
}

// gapPointColumns are the columns of a target's list of address points.
var gapPointColumns = []sheet.Column{
	{Header: "Adress-id", Kind: sheet.Text, Width: 16},
	{Header: "Gata", Kind: sheet.Text, Width: 20},
	{Header: "Nummer", Kind: sheet.Text, Width: 8},
	{Header: "Postnummer", Kind: sheet.Text, Width: 11},
	{Header: "Postort", Kind: sheet.Text, Width: 14},
	{Header: "Hushåll", Kind: sheet.Integer, Width: 9},
	{Header: "Arbetsställen", Kind: sheet.Integer},
	{Header: "Fritidshus", Kind: sheet.Integer},
	{Header: "Bästa teknik idag", Kind: sheet.Text},
	{Header: "Hastighet idag (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Operatör", Kind: sheet.Text, Width: 22},
	{Header: "Planerad utbyggnad (Mbit/s)", Kind: sheet.Mbps},
	{Header: "Planerat år", Kind: sheet.Plain},
	{Header: "Närmaste punkt med 1 Gbit/s", Kind: sheet.Text, Width: 26},
	{Header: "Avstånd till 1 Gbit/s (m)", Kind: sheet.Integer},
	{Header: "Öst (SWEREF 99 TM)", Kind: sheet.Plain},
	{Header: "Nord (SWEREF 99 TM)", Kind: sheet.Plain},
	{Header: "Utbyggnadsprojekt", Kind: sheet.Text, Width: 28},
}

// gapSquareColumns are the columns of the public report by square.
var gapSquareColumns = []sheet.Column{
	{Header: "Rutstorlek (m)", Kind: sheet.Integer},
	{Header: "Öst (SWEREF 99 TM)", Kind: sheet.Plain},
	{Header: "Nord (SWEREF 99 TM)", Kind: sheet.Plain},
	{Header: "Hushåll", Kind: sheet.Integer, Width: 9},
	{Header: "Arbetsställen", Kind: sheet.Integer},
	{Header: "Fritidshus", Kind: sheet.Integer},
	{Header: "Hushåll utan", Kind: sheet.Integer},
	{Header: "Arbetsställen utan", Kind: sheet.Integer},
	{Header: "Bästa hastighet i rutan (Mbit/s)", Kind: sheet.Mbps},
}

// WriteGaps writes the report in format (csv, xlsx or geojson), streaming
// the points from PostgreSQL to w: a report of 50 000 points never sits in
// memory whole. Everything is read in one snapshot of the database (a View;
// the caller's, if it holds one), so the summary and the lists agree. It
// returns the rows written (points, or squares), summed over the sheets.
func (s *Store) WriteGaps(ctx context.Context, w io.Writer, g *GapReport, format string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	var rows int64
	err := s.View(ctx, func(ctx context.Context) error {
		if err := s.pinPoints(ctx, []int64{g.Snapshot.ID}); err != nil {
			return err // before the first byte
		}
		// A nearest-neighbour search a point, each an index probe: the
		// planner prices the whole above jit_above_cost, and compiling its
		// expressions took longer (0.15–0.3 s) than the rest of Kalmar's
		// report.
		if err := jitOff(ctx); err != nil {
			return err
		}
		tx := s.reader(ctx)
		var err error
		switch format {
		case FormatCSV:
			rows, err = g.writeSheets(ctx, tx, sheet.NewCSV(w), false)
		case FormatXLSX:
			rows, err = g.writeSheets(ctx, tx, sheet.NewXLSX(w), true)
		case FormatGeoJSON:
			rows, err = g.writeGeoJSON(ctx, tx, w)
		default:
			err = fmt.Errorf("coverage: format %q: want csv, xlsx or geojson", format)
		}
		return err
	})
	if err != nil {
		return rows, fmt.Errorf("gap report %s: %w", g.FileName(format), err)
	}
	return rows, nil
}

func (g *GapReport) writeSheets(ctx context.Context, tx querier, sw sheet.Writer, summary bool) (int64, error) {
	if summary {
		if err := g.writeSummary(ctx, tx, sw); err != nil {
			return 0, err
		}
	}
	var total int64
	for _, t := range g.Targets {
		var n int64
		var err error
		if g.Query.Level == LevelSquare {
			if err := sw.Sheet(sheetName(t.ID), gapSquareColumns); err != nil {
				return total, err
			}
			n, err = eachGapSquare(ctx, tx, g.Snapshot.ID, g.Query.Municipality, t.Class, func(sq *GapSquare) error {
				return sw.Row(sq.Size, sq.E, sq.N, sq.Households, sq.Workplaces, sq.HolidayHomes,
					sq.HouseholdsLacking, sq.WorkplacesLacking, sq.BestMbps)
			})
		} else {
			if err := sw.Sheet(sheetName(t.ID), gapPointColumns); err != nil {
				return total, err
			}
			n, err = eachGapPoint(ctx, tx, g.filter(t), g.lookup, func(p *GapPoint) error {
				return sw.Row(gapPointRow(p)...)
			})
		}
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, sw.Close()
}

func (g *GapReport) filter(t Target) GapFilter {
	return GapFilter{Snapshots: []int64{g.Snapshot.ID}, Municipalities: []string{g.Query.Municipality}, Class: t.Class}
}

// sheetName fits a target id into Excel's 31 characters.
func sheetName(id string) string {
	if r := []rune(id); len(r) > 31 {
		return string(r[:31])
	}
	return id
}

func gapPointRow(p *GapPoint) []any {
	var holiday, planned, plannedYear, distance, nearest any
	if p.HolidayHomes != nil {
		holiday = *p.HolidayHomes
	}
	if p.PlannedMbps != nil {
		planned = *p.PlannedMbps
	}
	if p.PlannedYear != nil {
		plannedYear = *p.PlannedYear
	}
	if p.Nearest != nil {
		distance = int64(math.Round(p.Nearest.DistanceM))
		nearest = p.Nearest.Label()
	}
	var project any
	if p.Project != nil {
		project = p.Project.Name + " (" + p.Project.ID + ")"
	}
	return []any{p.AddressID, p.Street, p.Number, p.Postcode, p.Locality, p.Households, p.Workplaces, holiday,
		technologySV[p.Technology], p.Mbps, p.Operator, planned, plannedYear, nearest, distance,
		int64(math.Round(p.E)), int64(math.Round(p.N)), project}
}

// Label names the nearest point for a person: "Storgatan 1 (K1)", or only
// its municipality when it lies in another one.
func (n *NearestGigabit) Label() string {
	if n.AddressID == "" {
		return "i kommun " + n.Municipality
	}
	addr := n.Street
	if n.Number != "" {
		addr += " " + n.Number
	}
	if addr == "" {
		return n.AddressID
	}
	return addr + " (" + n.AddressID + ")"
}

func (g *GapReport) writeSummary(ctx context.Context, tx querier, sw sheet.Writer) error {
	lacking, err := lackingPoints(ctx, tx, g.Snapshot.ID, g.Query.Municipality)
	if err != nil {
		return err
	}
	if err := sw.Sheet("Sammanfattning", gapSummaryColumns); err != nil {
		return err
	}
	a := g.Area
	byID := map[string]Target{}
	for _, t := range g.all {
		byID[t.ID] = t
	}
	for _, r := range a.Targets {
		t := byID[r.ID]
		cl := Class(r.ClassMbps)
		var fc *float64
		if r.Forecast != nil {
			fc = r.Forecast.Share
		}
		if err := sw.Row(a.Code+" "+a.Name, g.Snapshot.AsOf.Format(time.DateOnly), r.ID, t.TitleSV, r.Year, r.ClassMbps,
			r.Threshold, r.Share, r.Met, r.GapHouseholds, r.GapWorkplaces,
			a.HouseholdsTotal-a.Households.At(cl), a.WorkplacesTotal-a.Workplaces.At(cl), lacking[cl], fc); err != nil {
			return err
		}
	}
	return nil
}

// gapFeature is one GeoJSON feature of the report.
type gapFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties any             `json:"properties"`
}

// GapPointProperties are a point's GeoJSON properties (the API's names).
type GapPointProperties struct {
	AsOf                 string   `json:"as_of"`
	AddressID            string   `json:"address_id"`
	MunicipalityCode     string   `json:"municipality_code"`
	Street               string   `json:"street"`
	Number               string   `json:"number"`
	Postcode             string   `json:"postcode"`
	Locality             string   `json:"locality"`
	Households           int64    `json:"households"`
	Workplaces           int64    `json:"workplaces"`
	HolidayHomes         *int64   `json:"holiday_homes"`
	Technology           string   `json:"technology"`
	Mbps                 float64  `json:"mbps"`
	Operator             string   `json:"operator"`
	PlannedMbps          *float64 `json:"planned_mbps"`
	PlannedYear          *int     `json:"planned_year"`
	NearestGigabit       *string  `json:"nearest_gigabit"`
	NearestGigabitID     *string  `json:"nearest_gigabit_address_id"`
	NearestGigabitMuni   *string  `json:"nearest_gigabit_municipality"`
	NearestGigabitMetres *float64 `json:"nearest_gigabit_m"`
	ProjectID            *string  `json:"project_id"` // the build-out project the point is in, if any
	ProjectName          *string  `json:"project_name"`
}

// Properties returns the point's GeoJSON properties.
func (p *GapPoint) Properties() GapPointProperties {
	tech := p.Technology
	if tech == "" {
		tech = "none"
	}
	pp := GapPointProperties{AsOf: p.AsOf.Format(time.DateOnly), AddressID: p.AddressID, MunicipalityCode: p.Municipality,
		Street: p.Street, Number: p.Number, Postcode: p.Postcode, Locality: p.Locality,
		Households: p.Households, Workplaces: p.Workplaces, HolidayHomes: p.HolidayHomes,
		Technology: tech, Mbps: p.Mbps, Operator: p.Operator, PlannedMbps: p.PlannedMbps, PlannedYear: p.PlannedYear}
	if p.Project != nil {
		id, name := p.Project.ID, p.Project.Name
		pp.ProjectID, pp.ProjectName = &id, &name
	}
	if n := p.Nearest; n != nil {
		label, d, m := n.Label(), math.Round(n.DistanceM*10)/10, n.Municipality
		pp.NearestGigabit, pp.NearestGigabitMetres, pp.NearestGigabitMuni = &label, &d, &m
		if n.AddressID != "" {
			id := n.AddressID
			pp.NearestGigabitID = &id
		}
	}
	return pp
}

type gapSquareProperties struct {
	Size              int     `json:"size_m"`
	E                 int     `json:"e"`
	N                 int     `json:"n"`
	Households        int64   `json:"households"`
	Workplaces        int64   `json:"workplaces"`
	HolidayHomes      int64   `json:"holiday_homes"`
	HouseholdsLacking int64   `json:"households_lacking"`
	WorkplacesLacking int64   `json:"workplaces_lacking"`
	BestMbps          float64 `json:"best_mbps"`
}

// writeGeoJSON writes an RFC 7946 FeatureCollection (WGS 84, no crs
// member), feature by feature.
func (g *GapReport) writeGeoJSON(ctx context.Context, tx querier, w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	t := g.Targets[0]
	head, err := json.Marshal(map[string]any{
		"type": "FeatureCollection", "name": g.FileName(FormatGeoJSON),
		"municipality_code": g.Query.Municipality, "as_of": g.Snapshot.AsOf.Format(time.DateOnly),
		"target": t.ID, "class_mbps": int(t.Class), "level": g.Query.Level,
	})
	if err != nil {
		return 0, err
	}
	bw.Write(head[:len(head)-1]) // the object left open for its features
	bw.WriteString(`,"features":[`)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	first := true
	sep := func() {
		if !first {
			bw.WriteByte(',')
		}
		first = false
	}
	var n int64
	if g.Query.Level == LevelSquare {
		n, err = eachGapSquare(ctx, tx, g.Snapshot.ID, g.Query.Municipality, t.Class, func(sq *GapSquare) error {
			sep()
			return enc.Encode(gapFeature{Type: "Feature", ID: fmt.Sprintf("%d-%d-%d", sq.Size, sq.E, sq.N), Geometry: sq.Geometry,
				Properties: gapSquareProperties{sq.Size, sq.E, sq.N, sq.Households, sq.Workplaces, sq.HolidayHomes,
					sq.HouseholdsLacking, sq.WorkplacesLacking, sq.BestMbps}})
		})
	} else {
		n, err = eachGapPoint(ctx, tx, g.filter(t), g.lookup, func(p *GapPoint) error {
			sep()
			return enc.Encode(gapFeature{Type: "Feature", ID: p.AddressID, Geometry: p.Geometry, Properties: p.Properties()})
		})
	}
	if err != nil {
		return n, err
	}
	bw.WriteString("]}\n")
	return n, bw.Flush()
}
