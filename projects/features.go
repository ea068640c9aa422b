package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/cql"
)

var (
	sqlFeatures      = mustSQL("features.sql")
	sqlFeaturesCount = mustSQL("features_count.sql")
	sqlExtent        = mustSQL("extent.sql")
)

// FeatureFilter selects projects as GeoJSON features (OGC API – Features,
// the map's layer).
type FeatureFilter struct {
	AsOf     time.Time   // the snapshot in force that day gives the figures; zero: the latest
	BBox     *[4]float64 // min x, min y, max x, max y in BBoxSRID; nil: everywhere
	BBoxSRID int         // of BBox: 4326 (lon, lat: the default) or 3006 (easting, northing)
	Key      string      // one project's id; "": all
	Where    cql.Expr    // over Queryables; nil: every project
	Limit    int         // 0: all
	Offset   int
	// SRID of the geometries written: 4326 (as drawn: the default) or 3006
	// in its own axis order, northing then easting (OGC API – Features Part 2).
	SRID int
}

func sridOr4326(srid int) int {
	if srid == 3006 {
		return 3006
	}
	return 4326
}

func (f FeatureFilter) args(version int) []any {
	a := []any{version, nil, nil, nil, nil, nil, sridOr4326(f.BBoxSRID)}
	if f.BBox != nil {
		a[1], a[2], a[3], a[4] = f.BBox[0], f.BBox[1], f.BBox[2], f.BBox[3]
	}
	if f.Key != "" {
		a[5] = f.Key
	}
	return a
}

// Feature is a project's area (in the filter's SRID) with its public figures.
type Feature struct {
	AsOf     time.Time // the snapshot the figures are against
	Project  ProjectReport
	Geometry json.RawMessage
}

// CountFeatures counts what EachFeature selects, limit and offset aside.
func (s *Store) CountFeatures(ctx context.Context, f FeatureFilter) (int64, error) {
	reg, err := registerInForce(ctx, s.reader(ctx))
	if errors.Is(err, ErrNoRegister) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	query, args, err := withFilter(sqlFeaturesCount, f.Where, f.args(reg.Version))
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.reader(ctx).QueryRow(ctx, query, args...).Scan(&n); err != nil {
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
	query, args, err := withFilter(sqlFeatures, f.Where, append(f.args(rep.RegisterVersion), limit, f.Offset, sridOr4326(f.SRID)))
	if err != nil {
		return 0, err
	}
	rows, err := s.reader(ctx).Query(ctx, query, args...)
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

// Extent is the WGS 84 box (west, south, east, north) around the areas of
// the register in force; false when there is none or it has no projects.
func (s *Store) Extent(ctx context.Context) ([4]float64, bool, error) {
	var b [4]float64
	reg, err := s.InForce(ctx)
	if errors.Is(err, ErrNoRegister) {
		return b, false, nil
	}
	if err != nil {
		return b, false, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err = s.reader(ctx).QueryRow(ctx, sqlExtent, reg.Version).Scan(&b[0], &b[1], &b[2], &b[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("projects: the register's extent: %w", err)
	}
	return b, true, nil
}
