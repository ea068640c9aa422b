package geo_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestTileBoundsAgreeWithPostGIS checks that orb's tiles are the ones
// PostGIS's ST_TileEnvelope makes of the same z/x/y (the tile queries use
// it), and orb's Web Mercator projection against ST_Transform.
func TestTileBoundsAgreeWithPostGIS(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	rng := rand.New(rand.NewPCG(3, 4))
	tiles := []geo.Tile{{}, {X: 1, Z: 1}, {Y: 16383, Z: 14}, {X: 16383, Z: 14}, {X: 1<<24 - 1, Y: 1<<24 - 1, Z: 24}}
	for range 300 {
		z := maptile.Zoom(rng.IntN(19))
		tiles = append(tiles, maptile.New(rng.Uint32N(1<<z), rng.Uint32N(1<<z), z))
	}
	for _, tl := range tiles {
		var minX, minY, maxX, maxY float64
		err := pool.QueryRow(context.Background(), `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
			FROM ST_TileEnvelope($1, $2, $3) AS e`, tl.Z, tl.X, tl.Y).Scan(&minX, &minY, &maxX, &maxY)
		if err != nil {
			t.Fatal(err)
		}
		b := project.Bound(tl.Bound(), project.WGS84.ToMercator)
		for _, d := range []float64{b.Min[0] - minX, b.Min[1] - minY, b.Max[0] - maxX, b.Max[1] - maxY} {
			if math.Abs(d) > 1e-6 {
				t.Fatalf("tile %s: bounds %v, PostGIS says (%f %f, %f %f)", geo.TilePath(tl), b, minX, minY, maxX, maxY)
			}
		}
	}

	for _, p := range []orb.Point{{16.3616, 56.6634}, {0, 0}, {-70.5, -33.4}, {24.1, 69.0}, {180, 85.0511}, {-180, -85.0511}} {
		var x, y float64
		err := pool.QueryRow(context.Background(), `SELECT ST_X(g), ST_Y(g)
			FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3857) AS g`, p[0], p[1]).Scan(&x, &y)
		if err != nil {
			t.Fatal(err)
		}
		if g := project.WGS84.ToMercator(p); math.Hypot(g[0]-x, g[1]-y) > 0.001 {
			t.Errorf("ToMercator(%v) = %v, PostGIS says (%f, %f)", p, g, x, y)
		}
	}
}

func TestParseTile(t *testing.T) {
	tests := []struct {
		name     string
		z, x, y  string
		want     geo.Tile
		wantPart string // "" when valid
	}{
		{"the world", "0", "0", "0", geo.Tile{}, ""},
		{"zoom 0 has one tile only", "0", "1", "0", geo.Tile{}, "x"},
		{"zoom 0 has one row only", "0", "0", "1", geo.Tile{}, "y"},
		{"Kalmar at zoom 10", "10", "558", "320", geo.Tile{Z: 10, X: 558, Y: 320}, ""},
		{"last column", "3", "7", "0", geo.Tile{Z: 3, X: 7}, ""},
		{"the last tile of the deepest zoom", "24", "16777215", "16777215", geo.Tile{Z: 24, X: 1<<24 - 1, Y: 1<<24 - 1}, ""},
		{"column past the edge", "3", "8", "0", geo.Tile{}, "x"},
		{"row past the edge", "3", "0", "8", geo.Tile{}, "y"},
		{"row past the edge of the deepest zoom", "24", "0", "16777216", geo.Tile{}, "y"},
		{"negative row", "3", "0", "-1", geo.Tile{}, "y"},
		{"negative zoom", "-1", "0", "0", geo.Tile{}, "z"},
		{"zoom too deep", "25", "0", "0", geo.Tile{}, "z"},
		{"zoom not a number", "ten", "0", "0", geo.Tile{}, "z"},
		{"column not a number", "2", "1.5", "0", geo.Tile{}, "x"},
		{"column past 32 bits", "2", "4294967296", "0", geo.Tile{}, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := geo.ParseTile(tt.z, tt.x, tt.y)
			var te *geo.TileError
			switch {
			case tt.wantPart == "" && err != nil:
				t.Fatalf("ParseTile(%s, %s, %s): %v", tt.z, tt.x, tt.y, err)
			case tt.wantPart == "" && got != tt.want:
				t.Errorf("ParseTile(%s, %s, %s) = %v, want %v", tt.z, tt.x, tt.y, got, tt.want)
			case tt.wantPart != "" && !errors.As(err, &te):
				t.Fatalf("ParseTile(%s, %s, %s) = %v, %v; want a TileError", tt.z, tt.x, tt.y, got, err)
			case tt.wantPart != "" && te.Part != tt.wantPart:
				t.Errorf("ParseTile(%s, %s, %s) blames %q, want %q", tt.z, tt.x, tt.y, te.Part, tt.wantPart)
			}
		})
	}
	if got := geo.TilePath(geo.Tile{Z: 10, X: 557, Y: 322}); got != "10/557/322" {
		t.Errorf("TilePath = %q", got)
	}
}

// TestTilesCovering checks that the tiles listed overlap the rectangle and
// that every tile around them does not, at the edges of the grid too.
func TestTilesCovering(t *testing.T) {
	overlaps := func(a, b orb.Bound) bool {
		return a.Min[0] < b.Max[0] && b.Min[0] < a.Max[0] && a.Min[1] < b.Max[1] && b.Min[1] < a.Max[1]
	}
	county := orb.Bound{Min: orb.Point{15.4, 56.1}, Max: orb.Point{17.1, 58.0}} // Kalmar län, roughly
	world := orb.Bound{Min: orb.Point{-180, -85.0511}, Max: orb.Point{180, 85.0511}}
	exact := geo.Tile{Z: 10, X: 558, Y: 320}.Bound() // a rectangle that is one tile
	last := geo.Tile{Z: 12, X: 4095, Y: 4095}.Bound()
	for _, tc := range []struct {
		name string
		b    orb.Bound
		z    maptile.Zoom
		want []geo.Tile // nil: check the overlaps only
	}{
		{"the county at zoom 8", county, 8, nil},
		{"the county at zoom 12", county, 12, nil},
		{"a rectangle that is one tile", exact, 10, []geo.Tile{{Z: 10, X: 558, Y: 320}}},
		{"the same at the next zoom", exact, 11,
			[]geo.Tile{{Z: 11, X: 1116, Y: 640}, {Z: 11, X: 1117, Y: 640}, {Z: 11, X: 1116, Y: 641}, {Z: 11, X: 1117, Y: 641}}},
		{"the world at zoom 0", world, 0, []geo.Tile{{}}},
		{"the world beyond the grid at zoom 0", orb.Bound{Min: orb.Point{-190, -90}, Max: orb.Point{190, 90}}, 0, []geo.Tile{{}}},
		{"the world at zoom 2", world, 2, nil},
		{"the last tile of zoom 12", last, 12, []geo.Tile{{Z: 12, X: 4095, Y: 4095}}},
		{"at longitude 180 and the south edge", orb.Bound{Min: orb.Point{179.99, -85.0511}, Max: orb.Point{180, -85}}, 5,
			[]geo.Tile{{Z: 5, X: 31, Y: 31}}},
		{"at longitude -180 and the north edge", orb.Bound{Min: orb.Point{-180, 85}, Max: orb.Point{-179.99, 85.0511}}, 5,
			[]geo.Tile{{Z: 5, X: 0, Y: 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := geo.TilesCovering(tc.b, tc.z)
			if tc.want != nil && !slices.Equal(got, tc.want) {
				t.Fatalf("tiles %v, want %v", got, tc.want)
			}
			if len(got) == 0 {
				t.Fatal("no tiles")
			}
			in := map[geo.Tile]bool{}
			for _, tl := range got {
				if !tl.Valid() || !overlaps(tl.Bound(), tc.b) {
					t.Errorf("tile %s is not a tile overlapping the rectangle", geo.TilePath(tl))
				}
				in[tl] = true
			}
			n := int64(1) << tc.z
			for _, tl := range got {
				for _, d := range [][2]int64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
					x, y := int64(tl.X)+d[0], int64(tl.Y)+d[1]
					if x < 0 || y < 0 || x >= n || y >= n {
						continue // past the grid's edge
					}
					nb := maptile.New(uint32(x), uint32(y), tc.z)
					if !in[nb] && overlaps(nb.Bound(), tc.b) {
						t.Errorf("tile %s overlaps the rectangle but is not listed", geo.TilePath(nb))
					}
				}
			}
		})
	}
	beyond := orb.Bound{Min: orb.Point{-190, -90}, Max: orb.Point{190, 90}}
	for _, b := range []orb.Bound{world, beyond} {
		if got := len(geo.TilesCovering(b, 3)); got != 64 {
			t.Errorf("%v at zoom 3 is %d tiles, want all 64", b, got)
		}
	}
}
