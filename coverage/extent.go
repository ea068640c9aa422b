package coverage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

var (
	sqlExtentSquares = mustSQL("extent_squares.sql")
	sqlExtentPoints  = mustSQL("extent_points.sql")
)

// SquaresExtent is the WGS 84 bounding box (west, south, east, north) of
// the snapshots' public squares; false when they have none.
func (s *Store) SquaresExtent(ctx context.Context, snapshots []int64) ([4]float64, bool, error) {
	return s.extent(ctx, "public squares", sqlExtentSquares, snapshots)
}

// PointsExtent is a WGS 84 bounding box (west, south, east, north) around
// the snapshots' address points in the municipalities listed (nil: all),
// at most 250 m too large (extent_points.sql); false when there are none.
func (s *Store) PointsExtent(ctx context.Context, snapshots []int64, municipalities []string) ([4]float64, bool, error) {
	var codes any
	if municipalities != nil {
		codes = municipalities
	}
	return s.extent(ctx, "address points", sqlExtentPoints, snapshots, codes)
}

func (s *Store) extent(ctx context.Context, what, query string, args ...any) ([4]float64, bool, error) {
	var b [4]float64
	err := s.reader(ctx).QueryRow(ctx, query, args...).Scan(&b[0], &b[1], &b[2], &b[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("coverage: extent of %s: %w", what, err)
	}
	return b, true, nil
}
