package ogc

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// The collections' readers: municipalities and squares from the
// aggregates, gaps and addresses from the address points through the
// coverage store. Properties follow the collection's schema (schema.go): a
// property without a value is left out, a number that may have a fraction
// is written with one (number), so that a client guessing field types from
// a page (QGIS) makes it a real, not an integer.

// number is a JSON number written with a fraction: 1000 as 1000.0.
type number float64

// MarshalJSON writes the number with at least one decimal.
func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	b := strconv.AppendFloat(nil, f, 'f', -1, 64)
	for _, c := range b {
		if c == '.' {
			return b, nil
		}
	}
	return append(b, ".0"...), nil
}

// props are a feature's properties, those without a value left out.
type props map[string]any

// share sets a class's share of households and workplaces, left out where
// there are none.
func (p props) share(key string, covered, total int64) {
	if s := coverage.Share(covered, total); s != nil {
		p[key] = number(*s)
	}
}

func (p props) classes(h, w int64, hb, wb coverage.ClassCounts) {
	p["households_ge_1000"], p["households_ge_100"], p["households_ge_30"], p["households_ge_10"] = hb.GE1000, hb.GE100, hb.GE30, hb.GE10
	p["workplaces_ge_1000"], p["workplaces_ge_100"], p["workplaces_ge_30"], p["workplaces_ge_10"] = wb.GE1000, wb.GE100, wb.GE30, wb.GE10
	p.share("share_ge_1000", hb.GE1000+wb.GE1000, h+w)
	p.share("share_ge_100", hb.GE100+wb.GE100, h+w)
	p.share("share_ge_30", hb.GE30+wb.GE30, h+w)
}

func (sel selection) featureFilter() coverage.FeatureFilter {
	return coverage.FeatureFilter{Snapshots: sel.Snapshots, BBox: sel.BBox, BBoxSRID: sel.BBoxSRID, Key: sel.Key,
		Where: sel.Where, Limit: sel.Limit, Offset: sel.Offset, SRID: sel.SRID}
}

func (s *service) countMunicipalities(ctx context.Context, sel selection) (int64, error) {
	return s.Coverage.CountMunicipalityFeatures(ctx, sel.featureFilter())
}

func (s *service) eachMunicipality(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachMunicipalityFeature(ctx, sel.featureFilter(), func(m *coverage.MunicipalityFeature) error {
		day := m.AsOf.Format(time.DateOnly)
		p := props{"as_of": day, "code": m.Code, "name": m.Name, "county_code": m.CountyCode, "address_points": m.Points,
			"households": m.Households, "workplaces": m.Workplaces, "holiday_homes": m.HolidayHomes}
		p.classes(m.Households, m.Workplaces, m.HouseholdsBy, m.WorkplacesBy)
		return fn(feature{Type: "Feature", ID: day + "." + m.Code, Geometry: m.Geometry, Properties: p})
	})
}

func (s *service) countSquares(ctx context.Context, sel selection) (int64, error) {
	return s.Coverage.CountPublicSquares(ctx, sel.featureFilter())
}

func (s *service) eachSquare(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachPublicSquare(ctx, sel.featureFilter(), func(q *coverage.PublicSquare) error {
		day := q.AsOf.Format(time.DateOnly)
		p := props{"as_of": day, "cell": q.Key(), "square": coverage.SquareName(q.Size, q.E, q.N), "size_m": q.Size,
			"e": q.E, "n": q.N, "municipality_code": q.Municipality, "households": q.Households, "workplaces": q.Workplaces,
			"holiday_homes": q.HolidayHomes, "best_mbps": number(q.BestMbps)}
		p.classes(q.Households, q.Workplaces, q.HouseholdsBy, q.WorkplacesBy)
		return fn(feature{Type: "Feature", ID: day + "." + q.Key(), Geometry: q.Geometry, Properties: p})
	})
}

func (sel selection) gapFilter() coverage.GapFilter {
	return coverage.GapFilter{Snapshots: sel.Snapshots, Municipalities: sel.Municipalities, Class: sel.Class,
		BBox: sel.BBox, BBoxSRID: sel.BBoxSRID, Where: sel.Where, Limit: sel.Limit, Offset: sel.Offset,
		AddressID: sel.Key, SRID: sel.SRID}
}

func (s *service) countPoints(ctx context.Context, sel selection) (int64, error) {
	if sel.Key != "" {
		return s.eachPoint(ctx, sel, func(feature) error { return nil })
	}
	return s.Coverage.CountGapPoints(ctx, sel.gapFilter())
}

func (s *service) eachPoint(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachGapPoint(ctx, sel.gapFilter(), func(gp *coverage.GapPoint) error {
		pp := gp.Properties() // the names of the gap report's GeoJSON
		p := props{"as_of": pp.AsOf, "address_id": pp.AddressID, "municipality_code": pp.MunicipalityCode,
			"street": pp.Street, "number": pp.Number, "postcode": pp.Postcode, "locality": pp.Locality,
			"households": pp.Households, "workplaces": pp.Workplaces, "technology": pp.Technology,
			"mbps": number(pp.Mbps), "operator": pp.Operator}
		if pp.HolidayHomes != nil {
			p["holiday_homes"] = *pp.HolidayHomes
		}
		if pp.PlannedMbps != nil {
			p["planned_mbps"] = number(*pp.PlannedMbps)
		}
		if pp.PlannedYear != nil {
			p["planned_year"] = *pp.PlannedYear
		}
		if pp.NearestGigabit != nil {
			p["nearest_gigabit"], p["nearest_gigabit_municipality"] = *pp.NearestGigabit, *pp.NearestGigabitMuni
			p["nearest_gigabit_m"] = number(*pp.NearestGigabitMetres)
		}
		if pp.NearestGigabitID != nil {
			p["nearest_gigabit_address_id"] = *pp.NearestGigabitID
		}
		if pp.ProjectID != nil {
			p["project_id"], p["project_name"] = *pp.ProjectID, *pp.ProjectName
		}
		return fn(feature{Type: "Feature", ID: pp.AsOf + "." + pp.AddressID, Geometry: gp.Geometry, Properties: p})
	})
}
