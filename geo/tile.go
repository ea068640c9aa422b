package geo

import (
	"fmt"
	"math"
	"strconv"
)

// WebMercatorHalf is half the side of the Web Mercator (EPSG:3857) square
// that tile 0/0/0 covers, in metres: π × 6378137.
const WebMercatorHalf = math.Pi * 6378137

// MaxTileZoom is the deepest zoom ParseTile accepts; deeper than a map of
// 250 m squares ever needs, and x and y still fit an int32.
const MaxTileZoom = 24

// Tile is a tile of the Web Mercator grid (the XYZ scheme of slippy maps and
// MapLibre): zoom Z, column X from the west, row Y from the north.
type Tile struct {
	Z, X, Y int
}

// ParseTile reads the z, x and y of a tile URL and checks that the tile
// exists: 0 ≤ z ≤ MaxTileZoom, 0 ≤ x, y < 2^z. The error names the bad part.
func ParseTile(z, x, y string) (Tile, error) {
	var t Tile
	var err error
	if t.Z, err = strconv.Atoi(z); err != nil || t.Z < 0 || t.Z > MaxTileZoom {
		return Tile{}, &TileError{Part: "z", Message: fmt.Sprintf("a zoom from 0 to %d", MaxTileZoom)}
	}
	n := 1 << t.Z
	if t.X, err = strconv.Atoi(x); err != nil || t.X < 0 || t.X >= n {
		return Tile{}, &TileError{Part: "x", Message: fmt.Sprintf("a column from 0 to %d at zoom %d", n-1, t.Z)}
	}
	if t.Y, err = strconv.Atoi(y); err != nil || t.Y < 0 || t.Y >= n {
		return Tile{}, &TileError{Part: "y", Message: fmt.Sprintf("a row from 0 to %d at zoom %d", n-1, t.Z)}
	}
	return t, nil
}

// TileError says which part of a tile address is wrong and what it must be.
type TileError struct {
	Part    string // "z", "x" or "y"
	Message string // what it must be
}

// Error says which part is wrong: "geo: tile x: want a column from 0 to 7 at zoom 3".
func (e *TileError) Error() string { return "geo: tile " + e.Part + ": want " + e.Message }

// String is the tile's path, "10/557/322".
func (t Tile) String() string { return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y) }

// Bounds returns the tile's extent in Web Mercator (EPSG:3857) metres, as
// PostGIS's ST_TileEnvelope computes it.
func (t Tile) Bounds() Bounds {
	size := 2 * WebMercatorHalf / float64(int64(1)<<t.Z)
	return Bounds{
		MinX: -WebMercatorHalf + float64(t.X)*size,
		MaxX: -WebMercatorHalf + float64(t.X+1)*size,
		MinY: WebMercatorHalf - float64(t.Y+1)*size,
		MaxY: WebMercatorHalf - float64(t.Y)*size,
	}
}

// Bounds is a rectangle in Web Mercator (EPSG:3857) metres.
type Bounds struct {
	MinX, MinY, MaxX, MaxY float64
}

// TilesCovering lists the tiles of zoom z that overlap b, row by row from the
// north-west. An edge within a millionth of a tile of a tile boundary counts
// as on it, so a rectangle that is one tile gives that tile only.
func TilesCovering(b Bounds, z int) []Tile {
	const eps = 1e-6 // of a tile
	n := 1 << z
	size := 2 * WebMercatorHalf / float64(n)
	first := func(v float64) int { return clampTile(int(math.Floor(v/size+eps)), n) }
	last := func(v float64) int { return clampTile(int(math.Ceil(v/size-eps))-1, n) }
	x0, x1 := first(b.MinX+WebMercatorHalf), last(b.MaxX+WebMercatorHalf)
	y0, y1 := first(WebMercatorHalf-b.MaxY), last(WebMercatorHalf-b.MinY)
	var out []Tile
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			out = append(out, Tile{Z: z, X: x, Y: y})
		}
	}
	return out
}

func clampTile(v, n int) int { return min(max(v, 0), n-1) }

// WebMercator returns a WGS 84 position (longitude, latitude in degrees) in
// Web Mercator (EPSG:3857) metres.
func WebMercator(lon, lat float64) (x, y float64) {
	const r = 6378137
	x = lon * math.Pi / 180 * r
	y = math.Log(math.Tan(math.Pi/4+lat*math.Pi/360)) * r
	return x, y
}
