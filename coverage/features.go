package coverage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/cql"
)

var (
	sqlMunicipalityFeatures      = mustSQL("municipality_features.sql")
	sqlMunicipalityFeaturesCount = mustSQL("municipality_features_count.sql")
	sqlPublicSquares             = mustSQL("public_squares.sql")
	sqlPublicSquaresCount        = mustSQL("public_squares_count.sql")
	sqlExtent                    = mustSQL("extent.sql")
)

// FeatureFilter selects public features of snapshots (OGC API – Features):
// municipalities with their figures, or public squares.
type FeatureFilter struct {
	Snapshots []int64     // snapshot ids
	BBox      *[4]float64 // min x, min y, max x, max y in BBoxSRID; nil: everywhere
	BBoxSRID  int         // of BBox: 4326 (lon, lat: the default) or 3006 (easting, northing)
	Key       string      // one feature: a municipality code, or a SquareKey; "": all
	Where     cql.Expr    // a filter on the kind's queryables (MunicipalityQueryables, SquareQueryables); nil: none
	Limit     int         // 0: all
	Offset    int
	// SRID of the geometries written: 4326 (WGS 84 lon, lat: the default)
	// or 3006 (SWEREF 99 TM in its own axis order, northing then easting,
	// as OGC API – Features Part 2 asks of a CRS other than CRS84).
	SRID int
}

func (f FeatureFilter) srid() int { return sridOr4326(f.SRID) }

func sridOr4326(srid int) int {
	if srid == 0 {
		return 4326
	}
	return srid
}

func (f FeatureFilter) bbox() []any { return bboxArgs(f.BBox) }

func bboxArgs(b *[4]float64) []any {
	if b == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{b[0], b[1], b[2], b[3]}
}

func (f FeatureFilter) limit() any {
	if f.Limit <= 0 {
		return nil
	}
	return f.Limit
}

// MunicipalityFeature is a municipality's figures in a snapshot with its
// boundary: public aggregates.
type MunicipalityFeature struct {
	AsOf         time.Time
	Code         string
	Name         string
	CountyCode   string
	Points       int64
	Households   int64
	Workplaces   int64
	HolidayHomes int64
	HouseholdsBy ClassCounts
	WorkplacesBy ClassCounts
	Geometry     json.RawMessage // GeoJSON, in the filter's SRID
}

// CountMunicipalityFeatures counts what EachMunicipalityFeature selects.
func (s *Store) CountMunicipalityFeatures(ctx context.Context, f FeatureFilter) (int64, error) {
	var n int64
	args := append(append([]any{f.Snapshots}, f.bbox()...), keyArg(f.Key), sridOr4326(f.BBoxSRID))
	q, args, err := withFilter(sqlMunicipalityFeaturesCount, f.Where, MunicipalityQueryables, args)
	if err != nil {
		return 0, err
	}
	if err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("coverage: count municipalities: %w", err)
	}
	return n, nil
}

// EachMunicipalityFeature calls fn with each municipality of the snapshots
// that f selects, the latest snapshot first, by code.
func (s *Store) EachMunicipalityFeature(ctx context.Context, f FeatureFilter, fn func(*MunicipalityFeature) error) (int64, error) {
	args := append(append([]any{f.Snapshots}, f.bbox()...), keyArg(f.Key), f.limit(), f.Offset, f.srid(), sridOr4326(f.BBoxSRID))
	q, args, err := withFilter(sqlMunicipalityFeatures, f.Where, MunicipalityQueryables, args)
	if err != nil {
		return 0, err
	}
	rows, err := s.reader(ctx).Query(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("coverage: read municipalities: %w", err)
	}
	defer rows.Close()
	var n int64
	var m MunicipalityFeature
	for rows.Next() {
		var geom string
		h, w := &m.HouseholdsBy, &m.WorkplacesBy
		if err := rows.Scan(&m.AsOf, &m.Code, &m.Name, &m.CountyCode, &m.Households, &m.Workplaces, &m.HolidayHomes,
			&m.Points, &h.GE1000, &h.GE100, &h.GE30, &h.GE10, &w.GE1000, &w.GE100, &w.GE30, &w.GE10, &geom); err != nil {
			return n, fmt.Errorf("coverage: read municipalities: %w", err)
		}
		m.Geometry = json.RawMessage(geom)
		if err := fn(&m); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("coverage: read municipalities: %w", err)
	}
	return n, nil
}

// PublicSquare is a public square of a snapshot (build_public_squares.sql):
// a 250 m square of SWEREF 99 TM within one municipality holding at least 5
// households, or the pooled rest of a 1 km square (Size 1000) that does. The
// one definition every public channel reads.
type PublicSquare struct {
	AsOf         time.Time
	Municipality string
	Size         int // 250, or 1000 for the pooled rest of a 1 km square
	E, N         int64
	Points       int64
	Households   int64
	Workplaces   int64
	HolidayHomes int64
	HouseholdsBy ClassCounts
	WorkplacesBy ClassCounts
	BestMbps     float64         // the best fixed offer in the cell
	Geometry     json.RawMessage // GeoJSON, in the filter's SRID: clipped to the municipality on a border
}

// Key names the cell within its snapshot: "0880.250m-E583000-N6280250".
func (q *PublicSquare) Key() string {
	return q.Municipality + "." + SquareName(q.Size, q.E, q.N)
}

// SquareName names a grid square as the map's tiles and the measurements
// do: "250m-E583000-N6280250".
func SquareName(size int, e, n int64) string {
	return strconv.Itoa(size) + "m-E" + strconv.FormatInt(e, 10) + "-N" + strconv.FormatInt(n, 10)
}

var squareKeyRE = regexp.MustCompile(`^([0-9]{4})\.(250|1000)m-E([0-9]{1,7})-N([0-9]{1,7})$`)

// squareKeyArgs turns a Key into the SQL's four arguments; a key that names
// no cell selects none.
func squareKeyArgs(key string) []any {
	if key == "" {
		return []any{nil, nil, nil, nil}
	}
	m := squareKeyRE.FindStringSubmatch(key)
	if m == nil {
		return []any{"-", 0, 0, 0} // no municipality has the code "-"
	}
	size, _ := strconv.Atoi(m[2])
	e, _ := strconv.ParseInt(m[3], 10, 64)
	n, _ := strconv.ParseInt(m[4], 10, 64)
	return []any{m[1], size, e, n}
}

// CountPublicSquares counts what EachPublicSquare selects.
func (s *Store) CountPublicSquares(ctx context.Context, f FeatureFilter) (int64, error) {
	var n int64
	args := append(append(append([]any{f.Snapshots}, f.bbox()...), squareKeyArgs(f.Key)...), sridOr4326(f.BBoxSRID))
	q, args, err := withFilter(sqlPublicSquaresCount, f.Where, SquareQueryables, args)
	if err != nil {
		return 0, err
	}
	if err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("coverage: count public squares: %w", err)
	}
	return n, nil
}

// EachPublicSquare calls fn with each public square of the snapshots that f
// selects, the latest snapshot first, south to north, west to east.
func (s *Store) EachPublicSquare(ctx context.Context, f FeatureFilter, fn func(*PublicSquare) error) (int64, error) {
	args := append(append(append([]any{f.Snapshots}, f.bbox()...), squareKeyArgs(f.Key)...), f.limit(), f.Offset, f.srid(),
		sridOr4326(f.BBoxSRID))
	query, args, err := withFilter(sqlPublicSquares, f.Where, SquareQueryables, args)
	if err != nil {
		return 0, err
	}
	rows, err := s.reader(ctx).Query(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("coverage: read public squares: %w", err)
	}
	defer rows.Close()
	var n int64
	var q PublicSquare
	for rows.Next() {
		var geom string
		h, w := &q.HouseholdsBy, &q.WorkplacesBy
		if err := rows.Scan(&q.AsOf, &q.Municipality, &q.Size, &q.E, &q.N, &q.Points, &q.Households, &q.Workplaces,
			&q.HolidayHomes, &h.GE1000, &h.GE100, &h.GE30, &h.GE10, &w.GE1000, &w.GE100, &w.GE30, &w.GE10,
			&q.BestMbps, &geom); err != nil {
			return n, fmt.Errorf("coverage: read public squares: %w", err)
		}
		q.Geometry = json.RawMessage(geom)
		if err := fn(&q); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("coverage: read public squares: %w", err)
	}
	return n, nil
}

// Extent is the WGS 84 bounding box (west, south, east, north) of the
// municipalities the snapshots cover; false when they cover none.
func (s *Store) Extent(ctx context.Context, snapshots []int64) ([4]float64, bool, error) {
	var b [4]float64
	err := s.reader(ctx).QueryRow(ctx, sqlExtent, snapshots).Scan(&b[0], &b[1], &b[2], &b[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("coverage: extent: %w", err)
	}
	return b, true, nil
}

func keyArg(k string) any {
	if k == "" {
		return nil
	}
	return k
}
