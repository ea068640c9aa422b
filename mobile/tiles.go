package mobile

import (
	"context"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlTileSquares = mustSQL("tile_squares.sql")
	sqlClaims      = mustSQL("claims.sql")
)

// TileLayer is the name of the map's mobile layer.
const TileLayer = "mobile"

// TileMinZoom and TileMaxZoom bound the layer's tiles; below SquareZoom the
// squares are drawn as larger cells.
const (
	TileMinZoom = 6
	TileMaxZoom = 14
	SquareZoom  = 10
)

// cellSize is the side of what a tile of zoom z draws: the squares from
// SquareZoom, else cells of 1 km at zoom 9, doubling outwards, so that a
// tile holds a few thousand features at most.
func cellSize(z int, size int64) int64 {
	if z >= SquareZoom {
		return size
	}
	return 1000 << (SquareZoom - 1 - z)
}

// Tile returns the mobile layer's tile t of the snapshot as a Mapbox Vector
// Tile (PostGIS's ST_AsMVT, EPSG:3857, extent 4096): every square with its
// best class outdoors and indoors, 5G and its operators (below SquareZoom,
// cells with what most of their squares reach). nil for an empty tile.
func (s *Store) Tile(ctx context.Context, snap Snapshot, t geo.Tile) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var mvt []byte
	err := s.reader(ctx).QueryRow(ctx, sqlTileSquares, snap.ID, t.Z, t.X, t.Y, cellSize(int(t.Z), snap.Size)).Scan(&mvt)
	if err != nil {
		return nil, fmt.Errorf("mobile: tile %s of snapshot %d: %w", geo.TilePath(t), snap.ID, err)
	}
	if len(mvt) == 0 {
		return nil, nil
	}
	return mvt, nil
}

// Claims returns the best class the operators claim outdoors in each 250 m
// square, over the snapshot's squares that overlap it.
func (s *Store) Claims(ctx context.Context, snap Snapshot, squares []geo.Square) (map[geo.Square]coverage.Class, error) {
	es, ns := make([]int32, len(squares)), make([]int32, len(squares))
	for i, q := range squares {
		es[i], ns[i] = int32(q.E), int32(q.N)
	}
	rows, err := s.reader(ctx).Query(ctx, sqlClaims, snap.ID, es, ns, snap.Size)
	if err != nil {
		return nil, fmt.Errorf("mobile: claims: %w", err)
	}
	defer rows.Close()
	out := map[geo.Square]coverage.Class{}
	for rows.Next() {
		q := geo.Square{Size: geo.SquareSize}
		var c coverage.Class
		if err := rows.Scan(&q.E, &q.N, &c); err != nil {
			return nil, fmt.Errorf("mobile: claims: %w", err)
		}
		out[q] = c
	}
	return out, rows.Err()
}

// The thresholds of the check of spec/mobile.md ("Offered against
// experienced"): operators claim at least ClaimedMbps outdoors, residents
// measure a median below SlowMbps.
const (
	ClaimedMbps coverage.Class = coverage.Class30M
	SlowMbps                   = 10.0
)

// Flagged is the rule of the check: a 250 m square whose operators claim
// ClaimedMbps or more outdoors, where the median of the residents' mobile
// measurements (at least measure.MinPublished of them, as every published
// figure) is below SlowMbps.
func Flagged(claimed coverage.Class, medianDown float64) bool {
	return claimed >= ClaimedMbps && medianDown < SlowMbps
}
