package ogc

import (
	"context"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// The collections' readers: municipalities and squares from the
// aggregates, gaps and addresses from the address points through the
// coverage store.

// share is covered/total, nil when total is 0.
func share(covered, total int64) *float64 { return coverage.Share(covered, total) }

func (sel selection) featureFilter() coverage.FeatureFilter {
	return coverage.FeatureFilter{Snapshots: sel.Snapshots, BBox: sel.BBox, Key: sel.Key, Limit: sel.Limit, Offset: sel.Offset}
}

func (s *service) countMunicipalities(ctx context.Context, sel selection) (int64, error) {
	return s.Coverage.CountMunicipalityFeatures(ctx, sel.featureFilter())
}

func (s *service) eachMunicipality(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachMunicipalityFeature(ctx, sel.featureFilter(), func(m *coverage.MunicipalityFeature) error {
		day := m.AsOf.Format(time.DateOnly)
		h, w, hb, wb := m.Households, m.Workplaces, m.HouseholdsBy, m.WorkplacesBy
		props := map[string]any{
			"as_of": day, "code": m.Code, "name": m.Name, "county_code": m.CountyCode,
			"address_points": m.Points, "households": h, "workplaces": w, "holiday_homes": m.HolidayHomes,
			"households_ge_1000": hb.GE1000, "households_ge_100": hb.GE100, "households_ge_30": hb.GE30, "households_ge_10": hb.GE10,
			"workplaces_ge_1000": wb.GE1000, "workplaces_ge_100": wb.GE100, "workplaces_ge_30": wb.GE30, "workplaces_ge_10": wb.GE10,
			"share_ge_1000": share(hb.GE1000+wb.GE1000, h+w), "share_ge_100": share(hb.GE100+wb.GE100, h+w),
			"share_ge_30": share(hb.GE30+wb.GE30, h+w),
		}
		return fn(feature{Type: "Feature", ID: day + "." + m.Code, Geometry: m.Geometry, Properties: props})
	})
}

func (s *service) countSquares(ctx context.Context, sel selection) (int64, error) {
	return s.Coverage.CountPublicSquares(ctx, sel.featureFilter())
}

func (s *service) eachSquare(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachPublicSquare(ctx, sel.featureFilter(), func(q *coverage.PublicSquare) error {
		day := q.AsOf.Format(time.DateOnly)
		h, w, hb, wb := q.Households, q.Workplaces, q.HouseholdsBy, q.WorkplacesBy
		props := map[string]any{
			"as_of": day, "square": coverage.SquareName(q.Size, q.E, q.N), "size_m": q.Size, "e": q.E, "n": q.N,
			"municipality_code": q.Municipality, "households": h, "workplaces": w, "holiday_homes": q.HolidayHomes,
			"households_ge_1000": hb.GE1000, "households_ge_100": hb.GE100, "households_ge_30": hb.GE30, "households_ge_10": hb.GE10,
			"workplaces_ge_1000": wb.GE1000, "workplaces_ge_100": wb.GE100, "workplaces_ge_30": wb.GE30, "workplaces_ge_10": wb.GE10,
			"share_ge_1000": share(hb.GE1000+wb.GE1000, h+w), "share_ge_100": share(hb.GE100+wb.GE100, h+w),
			"share_ge_30": share(hb.GE30+wb.GE30, h+w),
			"best_mbps":   q.BestMbps,
		}
		return fn(feature{Type: "Feature", ID: day + "." + q.Key(), Geometry: q.Geometry, Properties: props})
	})
}

func (sel selection) gapFilter() coverage.GapFilter {
	return coverage.GapFilter{Snapshots: sel.Snapshots, Municipalities: sel.Municipalities, Class: sel.Class,
		BBox: sel.BBox, Limit: sel.Limit, Offset: sel.Offset, AddressID: sel.Key}
}

func (s *service) countPoints(ctx context.Context, sel selection) (int64, error) {
	if sel.Key != "" {
		return s.eachPoint(ctx, sel, func(feature) error { return nil })
	}
	return s.Coverage.CountGapPoints(ctx, sel.gapFilter())
}

func (s *service) eachPoint(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	return s.Coverage.EachGapPoint(ctx, sel.gapFilter(), func(p *coverage.GapPoint) error {
		return fn(feature{Type: "Feature", ID: p.AsOf.Format(time.DateOnly) + "." + p.AddressID,
			Geometry: p.Geometry, Properties: p.Properties()})
	})
}
