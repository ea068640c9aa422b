package measure

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/singleflight"

	"github.com/gigakoll/gigakoll/geo"
)

var (
	sqlBuildCells = mustSQL("build_cells.sql")
	sqlTileCells  = mustSQL("tile_cells.sql")
)

// TileEvery is how often the measurements layer is made anew: submissions
// arrive all the time. The server caches a tile for this long, and the
// coarse squares below geo.GeneralisedZoom are rebuilt when a tile finds
// them older than this.
const TileEvery = 5 * time.Minute

// cellsBuildTimeout bounds one rebuild of the coarse squares: one pass over
// every measurement (bench/README.md gives its time at national size).
const cellsBuildTimeout = 10 * time.Minute

// cellsState is what a Store knows of the coarse squares' rebuilds.
type cellsState struct {
	flight singleflight.Group // one rebuild at a time per Store
}

// RefreshCells rebuilds the coarse squares of the measurements layer below
// geo.GeneralisedZoom (measurement_cells) unless they were built less than
// maxAge ago (0: always): the measurements of the public 250 m squares
// (at least MinPublished and published by decideAreas' rule: the squares
// Tile shows) pooled into
// squares of every geo.GeneralisedSquareSizes side of the same grid, each
// with its count and the medians of the pooled measurements (not a median
// of medians). Only public squares are pooled, so a coarse square's count
// is the sum of the counts its public squares show from
// geo.GeneralisedZoom: nothing is learnt by subtracting one from the other.
// The table is replaced in one transaction, so a tile reads the old squares
// or the new, never a mix. Built reports whether it rebuilt: false when the
// squares were fresh or another server was rebuilding them.
func (s *Store) RefreshCells(ctx context.Context, maxAge time.Duration) (built bool, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var locked, fresh bool
		err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtext('gigakoll measurement_cells')),
			EXISTS (SELECT FROM measurement_cells_built WHERE built_at > now() - make_interval(secs => $1))`,
			maxAge.Seconds()).Scan(&locked, &fresh)
		if err != nil || !locked || fresh {
			return err
		}
		// Sorts of every public measurement; the default 4 MB would spill
		// them to disk.
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '128MB'"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM measurement_cells"); err != nil {
			return err
		}
		// Only the squares the map shows from geo.GeneralisedZoom: a coarse
		// square holding one withheld would tell it.
		all, _ := ParsePeriod("all")
		d, err := s.areaDecision(ctx, tx, all)
		if err != nil {
			return err
		}
		es, ns := make([]int64, 0, len(d.squares)), make([]int64, 0, len(d.squares))
		for k := range d.squares {
			es, ns = append(es, k.e), append(ns, k.n)
		}
		if _, err := tx.Exec(ctx, sqlBuildCells, MinPublished, geo.GeneralisedSquareSizes(), es, ns); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO measurement_cells_built (built_at, measurements)
			SELECT now(), coalesce(sum(measurements), 0) FROM measurement_cells WHERE size = $1
			ON CONFLICT (one) DO UPDATE SET built_at = excluded.built_at, measurements = excluded.measurements`,
			geo.GeneralisedSquareSizes()[0])
		built = err == nil
		return err
	})
	if err != nil {
		return false, unavailable(fmt.Errorf("measure: rebuild the coarse squares: %w", err))
	}
	return built, nil
}

// cellTile makes the measurements layer below geo.GeneralisedZoom, where a
// 250 m square is less than a pixel: the coarse squares of
// geo.GeneralisedSquareSize(t.Z) that RefreshCells built. When they were
// never built, they are built first (the tile waits); when older than
// TileEvery, the tile shows them and a rebuild starts behind it (the next
// tiles show it once done). nil when the tile has no such square.
func (s *Store) cellTile(ctx context.Context, t geo.Tile) ([]byte, error) {
	size := geo.GeneralisedSquareSize(int(t.Z))
	if size == 0 {
		return nil, fmt.Errorf("measure: cell tile %s: zoom %d shows 250 m squares", geo.TilePath(t), t.Z)
	}
	read := s.read
	var age time.Duration
	err := s.read.QueryRow(ctx, `SELECT now() - built_at FROM measurement_cells_built`).Scan(&age)
	switch {
	case errors.Is(err, pgx.ErrNoRows): // never built: wait for the build, and read what it built
		select {
		case res := <-s.refreshCellsBehind(ctx):
			if res.Err != nil {
				return nil, res.Err
			}
		case <-ctx.Done():
			return nil, unavailable(fmt.Errorf("measure: tile %s: the coarse squares are being built: %w", geo.TilePath(t), ctx.Err()))
		}
		read = s.pool // a replica may not have the new squares yet
	case err != nil:
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	case age > TileEvery:
		s.refreshCellsBehind(ctx) // this tile shows the last build
	}
	var mvt []byte
	if err := read.QueryRow(ctx, sqlTileCells, t.Z, t.X, t.Y, size).Scan(&mvt); err != nil {
		return nil, unavailable(fmt.Errorf("measure: tile %s: %w", geo.TilePath(t), err))
	}
	if len(mvt) == 0 {
		return nil, nil
	}
	return mvt, nil
}

// refreshCellsBehind starts a rebuild of the coarse squares that outlives
// the request (its own deadline, cellsBuildTimeout: the request's would end
// a national build long before it is done, every time), or joins the one
// this Store runs. The channel says when it is done.
func (s *Store) refreshCellsBehind(ctx context.Context) <-chan singleflight.Result {
	return s.cells.flight.DoChan("cells", func() (any, error) {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cellsBuildTimeout)
		defer cancel()
		start := time.Now()
		built, err := s.RefreshCells(bctx, TileEvery)
		if err != nil {
			slog.Warn("the measurements layer's coarse squares were not rebuilt; tiles show the last build", "err", err)
			return nil, err
		}
		if built {
			slog.Info("rebuilt the measurements layer's coarse squares", "took", time.Since(start).Round(time.Millisecond))
		}
		return nil, nil
	})
}
