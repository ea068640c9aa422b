package measure

import (
	"context"
	"fmt"

	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlTileSquares      = mustSQL("tile_squares.sql")
	sqlTileMeasurements = mustSQL("tile_measurements.sql")
)

// TileLayer is the name of the map's measurements layer.
const TileLayer = "measurements"

// Tile makes the map's measurements layer for one tile. From
// geo.GeneralisedZoom: the 250 m squares with at least MinPublished
// measurements (all time) that decideAreas' rule publishes (decided once
// per TileEvery), their counts and median speeds, and whether the
// snapshot (0: the latest) offers them gigabit and they are flagged, decided
// by OffersGigabit and Flagged as every other channel decides it. Below it,
// coarse squares of geo.GeneralisedSquareSize (cellTile, measure/cells.go).
// nil when the tile has no such square.
func (s *Store) Tile(ctx context.Context, snapshot int64, t geo.Tile) ([]byte, error) {
	if int(t.Z) < geo.GeneralisedZoom {
		return s.cellTile(ctx, t)
	}
	decided, err := s.allTimeDecision(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.Query(ctx, sqlTileSquares, t.Z, t.X, t.Y, MinPublished)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	}
	var (
		squares          []geo.Square
		es, ns, counts   []int64
		downs, ups       []float64
		gigabit, flagged []bool
	)
	for rows.Next() {
		var e, n, c int64
		var down, up float64
		if err := rows.Scan(&e, &n, &c, &down, &up); err != nil {
			rows.Close()
			return nil, fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err)
		}
		if !decided.squares[squareKey{e, n}] { // withheld by decideAreas' rule (or new since it was decided)
			continue
		}
		squares = append(squares, geo.Square{E: e, N: n, Size: geo.SquareSize})
		es, ns, counts, downs, ups = append(es, e), append(ns, n), append(counts, c), append(downs, down), append(ups, up)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	}
	if len(squares) == 0 {
		return nil, nil
	}
	offered, err := s.offered(ctx, snapshot, squares)
	if err != nil {
		return nil, err
	}
	for i, sq := range squares {
		o := offered[sq]
		gigabit = append(gigabit, o != nil && o.Gigabit)
		flagged = append(flagged, Flagged(Figures{Count: counts[i], DownMbps: Stat{Median: downs[i]}}, o))
	}
	var mvt []byte
	err = s.read.QueryRow(ctx, sqlTileMeasurements, t.Z, t.X, t.Y, es, ns, counts, downs, ups, gigabit, flagged).Scan(&mvt)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	}
	if len(mvt) == 0 {
		return nil, nil
	}
	return mvt, nil
}
