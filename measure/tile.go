package measure

import (
	"context"
	"fmt"

	"github.com/gigakoll/gigakoll/geo"
)

var sqlTileMeasurements = mustSQL("tile_measurements.sql")

// TileLayer is the name of the map's measurements layer.
const TileLayer = "measurements"

// Tile makes the map's measurements layer for one tile: the 250 m squares
// with at least MinPublished measurements (all time), their counts and
// median speeds, and whether snapshot (the latest; 0 for none) offers them
// gigabit and they are flagged. nil when the tile has no such square.
func (s *Store) Tile(ctx context.Context, snapshot int64, t geo.Tile) ([]byte, error) {
	var mvt []byte
	err := s.pool.QueryRow(ctx, sqlTileMeasurements, t.Z, t.X, t.Y, snapshot, MinPublished, SlowMbps).Scan(&mvt)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	}
	if len(mvt) == 0 {
		return nil, nil
	}
	return mvt, nil
}
