package geo

import (
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Tile is a tile of the Web Mercator grid in the XYZ scheme of slippy maps
// and MapLibre, as PostGIS's ST_TileEnvelope reads it: orb's maptile.Tile,
// with zoom Z, column X from the west and row Y from the north. orb's
// methods apply: Bound (its extent in WGS 84), Valid, Parent, Children.
type Tile = maptile.Tile

// MaxTileZoom is the deepest zoom ParseTile accepts; deeper than a map of
// 250 m squares ever needs, and x and y still fit an int32.
const MaxTileZoom = 24

// maxTileLat is the latitude, north and south, that orb's maptile takes as
// the edge of the Web Mercator grid (its true edge, atan(sinh π), is
// 85.05112878°: less than a millionth of a tile away below zoom 20).
const maxTileLat = 85.0511

// ParseTile reads the z, x and y of a tile URL and checks that the tile
// exists: 0 ≤ z ≤ MaxTileZoom, 0 ≤ x, y < 2^z. The error names the bad part.
func ParseTile(z, x, y string) (Tile, error) {
	zoom, err := strconv.Atoi(z)
	if err != nil || zoom < 0 || zoom > MaxTileZoom {
		return Tile{}, &TileError{Part: "z", Message: fmt.Sprintf("a zoom from 0 to %d", MaxTileZoom)}
	}
	n := 1 << zoom
	col, err := strconv.Atoi(x)
	if err != nil || col < 0 || col >= n {
		return Tile{}, &TileError{Part: "x", Message: fmt.Sprintf("a column from 0 to %d at zoom %d", n-1, zoom)}
	}
	row, err := strconv.Atoi(y)
	if err != nil || row < 0 || row >= n {
		return Tile{}, &TileError{Part: "y", Message: fmt.Sprintf("a row from 0 to %d at zoom %d", n-1, zoom)}
	}
	return maptile.New(uint32(col), uint32(row), maptile.Zoom(zoom)), nil
}

// TileError says which part of a tile address is wrong and what it must be.
type TileError struct {
	Part    string // "z", "x" or "y"
	Message string // what it must be
}

// Error says which part is wrong: "geo: tile x: want a column from 0 to 7 at zoom 3".
func (e *TileError) Error() string { return "geo: tile " + e.Part + ": want " + e.Message }

// TilePath is the tile's path in a URL, "10/557/322".
func TilePath(t Tile) string { return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y) }

// TilesCovering lists the tiles of zoom z that overlap b, a rectangle in
// WGS 84 (longitude, latitude), row by row from the north-west. An edge
// within a millionth of a tile of a tile's edge counts as on it, so that a
// tile's own Bound gives that tile only (orb's tilecover.Bound also gives
// the neighbours it touches). Longitudes are taken within ±180° and
// latitudes within the grid's ±85.0511°.
func TilesCovering(b orb.Bound, z maptile.Zoom) []Tile {
	const eps = 1e-6 // of a tile
	n := float64(uint32(1) << z)
	clamp := func(v float64) uint32 { return uint32(min(max(v, 0), n-1)) }
	first := func(f float64) uint32 { return clamp(math.Floor(f + eps)) }
	last := func(f float64) uint32 { return clamp(math.Ceil(f-eps) - 1) }
	within := func(lon, lat float64) orb.Point {
		return orb.Point{min(max(lon, -180), 180), min(max(lat, -maxTileLat), maxTileLat)}
	}
	nw := maptile.Fraction(within(b.Min.Lon(), b.Max.Lat()), z)
	se := maptile.Fraction(within(b.Max.Lon(), b.Min.Lat()), z)
	var out []Tile
	for y := first(nw[1]); y <= last(se[1]); y++ {
		for x := first(nw[0]); x <= last(se[0]); x++ {
			out = append(out, maptile.New(x, y, z))
		}
	}
	return out
}
