package geo_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestTileBoundsAgreeWithPostGIS checks the tile maths against PostGIS's
// ST_TileEnvelope, and the Web Mercator projection against ST_Transform.
func TestTileBoundsAgreeWithPostGIS(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	rng := rand.New(rand.NewPCG(3, 4))
	tiles := []geo.Tile{{0, 0, 0}, {1, 1, 0}, {14, 0, 16383}, {14, 16383, 0}}
	for range 300 {
		z := rng.IntN(19)
		tiles = append(tiles, geo.Tile{Z: z, X: rng.IntN(1 << z), Y: rng.IntN(1 << z)})
	}
	for _, tl := range tiles {
		var minX, minY, maxX, maxY float64
		err := pool.QueryRow(context.Background(), `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
			FROM ST_TileEnvelope($1, $2, $3) AS e`, tl.Z, tl.X, tl.Y).Scan(&minX, &minY, &maxX, &maxY)
		if err != nil {
			t.Fatal(err)
		}
		b := tl.Bounds()
		for _, d := range []float64{b.MinX - minX, b.MinY - minY, b.MaxX - maxX, b.MaxY - maxY} {
			if math.Abs(d) > 1e-6 {
				t.Fatalf("tile %s: bounds %+v, PostGIS says (%f %f, %f %f)", tl, b, minX, minY, maxX, maxY)
			}
		}
	}

	for _, p := range [][2]float64{{16.3616, 56.6634}, {0, 0}, {-70.5, -33.4}, {24.1, 69.0}} {
		var x, y float64
		err := pool.QueryRow(context.Background(), `SELECT ST_X(g), ST_Y(g)
			FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 3857) AS g`, p[0], p[1]).Scan(&x, &y)
		if err != nil {
			t.Fatal(err)
		}
		gx, gy := geo.WebMercator(p[0], p[1])
		if math.Hypot(gx-x, gy-y) > 0.001 {
			t.Errorf("WebMercator(%v) = (%f, %f), PostGIS says (%f, %f)", p, gx, gy, x, y)
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
		{"Kalmar at zoom 10", "10", "558", "320", geo.Tile{Z: 10, X: 558, Y: 320}, ""},
		{"last column", "3", "7", "0", geo.Tile{Z: 3, X: 7}, ""},
		{"column past the edge", "3", "8", "0", geo.Tile{}, "x"},
		{"row past the edge", "3", "0", "8", geo.Tile{}, "y"},
		{"negative row", "3", "0", "-1", geo.Tile{}, "y"},
		{"zoom too deep", "25", "0", "0", geo.Tile{}, "z"},
		{"zoom not a number", "ten", "0", "0", geo.Tile{}, "z"},
		{"column not a number", "2", "1.5", "0", geo.Tile{}, "x"},
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
}

// TestTilesCovering checks that the tiles listed overlap the rectangle and
// that every tile around them does not.
func TestTilesCovering(t *testing.T) {
	overlaps := func(a, b geo.Bounds) bool {
		return a.MinX < b.MaxX && b.MinX < a.MaxX && a.MinY < b.MaxY && b.MinY < a.MaxY
	}
	x0, y0 := geo.WebMercator(15.4, 56.1) // Kalmar län, roughly
	x1, y1 := geo.WebMercator(17.1, 58.0)
	county := geo.Bounds{MinX: x0, MinY: y0, MaxX: x1, MaxY: y1}
	exact := geo.Tile{Z: 10, X: 558, Y: 320}.Bounds() // a rectangle that is one tile
	for _, tc := range []struct {
		name string
		b    geo.Bounds
		z    int
		want int // tiles; 0: don't check the count
	}{
		{"the county at zoom 8", county, 8, 0},
		{"the county at zoom 12", county, 12, 0},
		{"a rectangle that is one tile", exact, 10, 1},
		{"the same at the next zoom", exact, 11, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := geo.TilesCovering(tc.b, tc.z)
			if tc.want != 0 && len(got) != tc.want {
				t.Fatalf("%d tiles, want %d: %v", len(got), tc.want, got)
			}
			in := map[geo.Tile]bool{}
			for _, tl := range got {
				if !overlaps(tl.Bounds(), tc.b) {
					t.Errorf("tile %s does not overlap the rectangle", tl)
				}
				in[tl] = true
			}
			for _, tl := range got {
				for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
					nb := geo.Tile{Z: tl.Z, X: tl.X + d[0], Y: tl.Y + d[1]}
					if !in[nb] && overlaps(nb.Bounds(), tc.b) {
						t.Errorf("tile %s overlaps the rectangle but is not listed", nb)
					}
				}
			}
		})
	}
}
