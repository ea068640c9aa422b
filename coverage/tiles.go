package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/gigakoll/gigakoll/geo"
)

// TileLayer names a layer of the coverage map's vector tiles.
type TileLayer string

// The coverage map's public layers, at every zoom from 0 to 14. Both are
// read from what is computed ahead: outlines simplified per zoom band
// (migrations/0010_map_tiles.sql), and per snapshot the public squares and
// their sums, which the import's publish step builds.
const (
	// LayerMunicipalities: every municipality's outline; those the snapshot
	// covers carry households, workplaces, share_1000, share_100, share_30
	// (households and workplaces combined, as the targets count them) and
	// met_<target id> per target, its hyphens written as underscores
	// (met_se_2025_1g) so that a QGIS expression needs no quotes.
	LayerMunicipalities TileLayer = "municipalities"
	// LayerSquares: from zoom 8, 250 m squares with at least 5 households;
	// the pooled rest of a 1 km square where it makes at least 5 households
	// (size 1000, the 1 km square minus its shown 250 m squares); nothing
	// else. Each carries size, square, municipality_code, cell, households,
	// workplaces and the shares. Below zoom 8, squares of 2 to 20 km that
	// sum the public squares in them (build_public_square_sums.sql), without
	// a municipality or cell.
	LayerSquares TileLayer = "squares"
)

// TileField is an attribute of a layer's features, for TileJSON.
type TileField struct{ Name, Description string }

// TileFields lists the attributes of a coverage layer's features.
func TileFields(layer TileLayer) []TileField {
	shares := []TileField{
		{"households", "households"}, {"workplaces", "workplaces"},
		{"share_1000", "share of households and workplaces with ≥ 1 Gbit/s (0–1), as the targets count"},
		{"share_100", "share of households and workplaces with ≥ 100 Mbit/s (0–1)"},
		{"share_30", "share of households and workplaces with ≥ 30 Mbit/s (0–1)"},
		{"households_share_1000", "share of households with ≥ 1 Gbit/s (0–1): the map's colour"},
		{"households_share_100", "share of households with ≥ 100 Mbit/s (0–1)"},
		{"households_share_30", "share of households with ≥ 30 Mbit/s (0–1)"},
	}
	if layer == LayerMunicipalities {
		return append([]TileField{{"code", "the municipality's code (kommunkod)"}, {"name", "its name"},
			{"county_code", "the county's code"}, {"met_<target>", "Boolean: the target is met, e.g. met_se_2025_1g (only where the snapshot covers the municipality)"}},
			shares...)
	}
	return append([]TileField{{"size", "the square's side in metres: 250 or 1000 from zoom 8, 2000 to 20000 below"},
		{"square", "the grid square, e.g. 250m-E583000-N6280250"},
		{"municipality_code", "the municipality of the cell (from zoom 8)"},
		{"cell", "municipality and square, e.g. 0880.250m-E583000-N6280250: the OGC feature's id without its date (from zoom 8)"}},
		shares...)
}

var tileSQL = map[TileLayer]string{
	LayerMunicipalities: mustSQL("tile_municipalities.sql"),
	LayerSquares:        mustSQL("tile_squares.sql"),
}

// sqlTileSquareSums is the squares layer below zoom 8 (a query of its own:
// see tile_squares.sql).
var sqlTileSquareSums = mustSQL("tile_square_sums.sql")

// TileQuery returns the SQL that makes layer's tile t of snapshot and its
// arguments: what Tile runs, for a benchmark's floor that runs it straight on
// the database. False for an unknown layer.
func TileQuery(layer TileLayer, snapshot int64, t geo.Tile) (string, []any, bool) {
	q, ok := tileSQL[layer]
	args := []any{t.Z, t.X, t.Y, snapshot}
	if layer == LayerSquares && int(t.Z) < geo.GeneralisedZoom {
		q = sqlTileSquareSums
		args = append(args, geo.GeneralisedSquareSize(int(t.Z)))
	}
	return q, args, ok
}

// Tile returns layer's tile t of the snapshot as a Mapbox Vector Tile, made
// by PostGIS (ST_AsMVT) in EPSG:3857 with an extent of 4096. A tile with no
// feature is nil.
func (s *Store) Tile(ctx context.Context, layer TileLayer, snapshot int64, t geo.Tile) ([]byte, error) {
	q, args, ok := TileQuery(layer, snapshot, t)
	if !ok {
		return nil, fmt.Errorf("coverage: no tile layer %q", layer)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var mvt []byte
	if err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(&mvt); err != nil {
		return nil, fmt.Errorf("tile %s/%s of snapshot %d: %w", layer, geo.TilePath(t), snapshot, err)
	}
	if len(mvt) == 0 {
		return nil, nil
	}
	return mvt, nil
}

// MapBounds returns where the map opens: the extent of the counties the latest
// snapshot covers, or of every county without a snapshot, in WGS 84 as west,
// south, east, north.
func (s *Store) MapBounds(ctx context.Context) ([4]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var b [4]float64
	err := s.reader(ctx).QueryRow(ctx, `
		WITH latest AS (SELECT id FROM snapshots ORDER BY as_of DESC LIMIT 1),
		covered AS (
			SELECT c.geom FROM counties c
			WHERE c.code IN (SELECT a.code FROM area_figures a JOIN latest l ON a.snapshot_id = l.id
			                 WHERE a.kind = 'county' AND a.part = 'all')
			   OR NOT EXISTS (SELECT FROM latest)
		)
		SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
		FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 3006), 4326) AS e FROM covered) x`).
		Scan(&b[0], &b[1], &b[2], &b[3])
	if err != nil {
		return b, fmt.Errorf("map bounds: %w", err)
	}
	return b, nil
}
