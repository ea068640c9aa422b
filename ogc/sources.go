package ogc

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// The collections' readers: municipalities and squares from the
// aggregates, gaps and addresses from the address points through the
// coverage store.

// bboxArgs are the four bounding box parameters, NULL without a box.
func bboxArgs(b *[4]float64) []any {
	if b == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{b[0], b[1], b[2], b[3]}
}

func keyArg(k string) any {
	if k == "" {
		return nil
	}
	return k
}

// share is covered/total, nil when total is 0.
func share(covered, total int64) *float64 { return coverage.Share(covered, total) }

func (s *service) countMunicipalities(ctx context.Context, sel selection) (int64, error) {
	args := append(append([]any{sel.Snapshots}, bboxArgs(sel.BBox)...), keyArg(sel.Key))
	var n int64
	if err := s.Pool.QueryRow(ctx, sqlMunicipalitiesCount, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count municipalities: %w", err)
	}
	return n, nil
}

func (s *service) eachMunicipality(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	args := append(append([]any{sel.Snapshots}, bboxArgs(sel.BBox)...), keyArg(sel.Key), sel.Limit, sel.Offset)
	rows, err := s.Pool.Query(ctx, sqlMunicipalities, args...)
	if err != nil {
		return 0, fmt.Errorf("read municipalities: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var (
			asOf                     time.Time
			code, name, county, geom string
			h, w, points, h1, h2, h3 int64
			w1, w2, w3               int64
		)
		if err := rows.Scan(&asOf, &code, &name, &county, &h, &w, &points, &h1, &h2, &h3, &w1, &w2, &w3, &geom); err != nil {
			return n, fmt.Errorf("read municipalities: %w", err)
		}
		day := asOf.Format(time.DateOnly)
		props := map[string]any{
			"as_of": day, "code": code, "name": name, "county_code": county,
			"address_points": points, "households": h, "workplaces": w,
			"households_ge_1000": h1, "households_ge_100": h2, "households_ge_30": h3,
			"workplaces_ge_1000": w1, "workplaces_ge_100": w2, "workplaces_ge_30": w3,
			"share_ge_1000": share(h1+w1, h+w), "share_ge_100": share(h2+w2, h+w), "share_ge_30": share(h3+w3, h+w),
		}
		if err := fn(feature{Type: "Feature", ID: day + "." + code, Geometry: json.RawMessage(geom), Properties: props}); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func (s *service) countSquares(ctx context.Context, sel selection) (int64, error) {
	args := append(append([]any{sel.Snapshots}, bboxArgs(sel.BBox)...), keyArg(sel.Key))
	var n int64
	if err := s.Pool.QueryRow(ctx, sqlSquaresCount, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count squares: %w", err)
	}
	return n, nil
}

func (s *service) eachSquare(ctx context.Context, sel selection, fn func(feature) error) (int64, error) {
	args := append(append([]any{sel.Snapshots}, bboxArgs(sel.BBox)...), keyArg(sel.Key), sel.Limit, sel.Offset)
	rows, err := s.Pool.Query(ctx, sqlSquares, args...)
	if err != nil {
		return 0, fmt.Errorf("read squares: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var (
			asOf                   time.Time
			e, nn                  int64
			code, geom             string
			points, h, w           int64
			h1, h2, h3, w1, w2, w3 int64
			best                   float64
		)
		if err := rows.Scan(&asOf, &e, &nn, &code, &points, &h, &w, &h1, &h2, &h3, &w1, &w2, &w3, &best, &geom); err != nil {
			return n, fmt.Errorf("read squares: %w", err)
		}
		day := asOf.Format(time.DateOnly)
		props := map[string]any{
			"as_of": day, "size_m": 250, "e": e, "n": nn, "municipality_code": code,
			"households": h, "workplaces": w,
			"households_ge_1000": h1, "households_ge_100": h2, "households_ge_30": h3,
			"workplaces_ge_1000": w1, "workplaces_ge_100": w2, "workplaces_ge_30": w3,
			"share_ge_1000": share(h1+w1, h+w), "share_ge_100": share(h2+w2, h+w), "share_ge_30": share(h3+w3, h+w),
			"best_mbps": best,
		}
		id := fmt.Sprintf("%s.%d.%d.%s", day, e, nn, code)
		if err := fn(feature{Type: "Feature", ID: id, Geometry: json.RawMessage(geom), Properties: props}); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
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
