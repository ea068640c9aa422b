package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/geo"
)

var sqlGapsTile = mustSQL("gaps_tile.sql")

// AddressTile returns tile t of the snapshot's address points as a Mapbox
// Vector Tile (layer "addresses"), of the municipalities listed (nil: every
// one), and how many points it holds. Address-level data: the caller checks
// who may see it and writes the audit log. An empty tile is nil.
func (s *Store) AddressTile(ctx context.Context, snapshot int64, t geo.Tile, municipalities []string) ([]byte, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var codes any
	if municipalities != nil {
		codes = municipalities
	}
	var mvt []byte
	var n int64
	if err := s.reader(ctx).QueryRow(ctx, sqlGapsTile, t.Z, t.X, t.Y, snapshot, codes).Scan(&mvt, &n); err != nil {
		return nil, 0, fmt.Errorf("address tile %s of snapshot %d: %w", geo.TilePath(t), snapshot, err)
	}
	if n == 0 {
		return nil, 0, nil
	}
	return mvt, n, nil
}
