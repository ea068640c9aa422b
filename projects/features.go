package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	sqlFeatures      = mustSQL("features.sql")
	sqlFeaturesCount = mustSQL("features_count.sql")
)

// FeatureFilter selects projects as GeoJSON features (OGC API – Features,
// the map's layer).
type FeatureFilter struct {
	AsOf   time.Time   // the snapshot in force that day gives the figures; zero: the latest
	BBox   *[4]float64 // WGS 84 west, south, east, north; nil: everywhere
	Key    string      // one project's id; "": all
	Limit  int         // 0: all
	Offset int
}

func (f FeatureFilter) args(version int) []any {
	a := []any{version, nil, nil, nil, nil, nil}
	if f.BBox != nil {
		a[1], a[2], a[3], a[4] = f.BBox[0], f.BBox[1], f.BBox[2], f.BBox[3]
	}
	if f.Key != "" {
		a[5] = f.Key
	}
	return a
}

// Feature is a project's area (WGS 84, as drawn) with its public figures.
type Feature struct {
	AsOf     time.Time // the snapshot the figures are against
	Project  ProjectReport
	Geometry json.RawMessage
}

// CountFeatures counts what EachFeature selects, limit and offset aside.
func (s *Store) CountFeatures(ctx context.Context, f FeatureFilter) (int64, error) {
	reg, err := registerInForce(ctx, s.pool)
	if errors.Is(err, ErrNoRegister) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.pool.QueryRow(ctx, sqlFeaturesCount, f.args(reg.Version)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("projects: count features: %w", err)
	}
	return n, nil
}

// EachFeature calls fn with each project f selects, in file order, with its
// public figures (the privacy rule applied) against the snapshot in force on
// f.AsOf. No register: none.
func (s *Store) EachFeature(ctx context.Context, f FeatureFilter, fn func(*Feature) error) (int64, error) {
	rep, err := s.Report(ctx, Query{AsOf: f.AsOf})
	if errors.Is(err, ErrNoRegister) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	byID := make(map[string]*ProjectReport, len(rep.Projects))
	for i := range rep.Projects {
		byID[rep.Projects[i].ID] = &rep.Projects[i]
	}
	var limit any
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := s.pool.Query(ctx, sqlFeatures, append(f.args(rep.RegisterVersion), limit, f.Offset)...)
	if err != nil {
		return 0, fmt.Errorf("projects: read features: %w", err)
	}
	var (
		n    int64
		id   string
		geom string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &geom}, func() error {
		p := byID[id]
		if p == nil {
			return nil
		}
		n++
		return fn(&Feature{AsOf: time.Time(rep.AsOf), Project: *p, Geometry: json.RawMessage(geom)})
	})
	if err != nil {
		return n, fmt.Errorf("projects: read features: %w", err)
	}
	return n, nil
}
