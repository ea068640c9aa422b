-- tile_squares.sql: the map's squares layer as a Mapbox Vector Tile. From
-- zoom 8: the snapshot's public squares (public_squares,
-- build_public_squares.sql: cells of 250 m with at least 5 households, and
-- the pooled rest of a 1 km square where that makes at least 5), each with
-- its square, its municipality and its cell (municipality.square, the OGC
-- feature's id without the date). Below zoom 8, where a 250 m square is
-- smaller than a pixel: the sums of public squares (public_square_sums) in
-- squares of 2 km (zoom 7), 5 km (6), 10 km (5) and 20 km (0-4), which carry
-- no municipality. Either way households, workplaces, the share of
-- households with access to each class (the map's colour) and the combined
-- share the targets count. $1 zoom, $2 column, $3 row (Web Mercator XYZ),
-- $4 snapshot id, $5 the coarse squares' side below zoom 8
-- (geo.GeneralisedSquareSize, which the measurements layer follows too).
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096) AS wide
), cells AS (
	SELECT q.geom_3857::geometry AS geom, q.size, q.e, q.n, q.municipality_code,
	       q.municipality_code || '.' || q.size || 'm-E' || q.e || '-N' || q.n AS cell,
	       q.households, q.workplaces, q.households_ge_1000, q.households_ge_100, q.households_ge_30,
	       q.workplaces_ge_1000, q.workplaces_ge_100, q.workplaces_ge_30
	FROM tile
	JOIN public_squares q ON q.snapshot_id = $4 AND q.geom_3857 && tile.wide
	WHERE $1 >= 8
	UNION ALL
	SELECT q.geom_3857, q.size, q.e, q.n, NULL, NULL,
	       q.households, q.workplaces, q.households_ge_1000, q.households_ge_100, q.households_ge_30,
	       q.workplaces_ge_1000, q.workplaces_ge_100, q.workplaces_ge_30
	FROM tile
	JOIN public_square_sums q ON q.snapshot_id = $4 AND q.geom_3857 && tile.wide
	 AND q.size = $5
	WHERE $1 < 8
), features AS (
	SELECT ST_AsMVTGeom(c.geom, tile.env, 4096, 16, true) AS geom,
	       c.size, c.size || 'm-E' || c.e || '-N' || c.n AS square, c.municipality_code, c.cell,
	       c.households, c.workplaces,
	       (c.households_ge_1000 + c.workplaces_ge_1000)::float8 / (c.households + c.workplaces) AS share_1000,
	       (c.households_ge_100 + c.workplaces_ge_100)::float8 / (c.households + c.workplaces) AS share_100,
	       (c.households_ge_30 + c.workplaces_ge_30)::float8 / (c.households + c.workplaces) AS share_30,
	       c.households_ge_1000::float8 / c.households AS households_share_1000, -- a shown square has >= 5
	       c.households_ge_100::float8 / c.households AS households_share_100,
	       c.households_ge_30::float8 / c.households AS households_share_30
	FROM tile, cells c
)
SELECT ST_AsMVT(features, 'squares', 4096, 'geom')
FROM features
WHERE geom IS NOT NULL;
