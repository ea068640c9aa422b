-- tile_square_sums.sql: the map's squares layer as a Mapbox Vector Tile
-- below zoom 8, where a 250 m square is smaller than a pixel: the sums of
-- the snapshot's public squares (public_square_sums,
-- build_public_square_sums.sql) in squares of 2 km (zoom 7), 5 km (6), 10 km
-- (5) and 20 km (0-4), which carry no municipality or cell; households,
-- workplaces, the share of households with access to each class (the map's
-- colour) and the combined share the targets count. From zoom 8:
-- tile_squares.sql. $1 zoom, $2 column, $3 row (Web Mercator XYZ), $4
-- snapshot id, $5 the squares' side (geo.GeneralisedSquareSize, which the
-- measurements layer follows too).
WITH tile AS MATERIALIZED (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096) AS wide
), features AS (
	SELECT ST_AsMVTGeom(q.geom_3857, tile.env, 4096, 16, true) AS geom,
	       q.size, q.size || 'm-E' || q.e || '-N' || q.n AS square,
	       NULL::text AS municipality_code, NULL::text AS cell,
	       q.households, q.workplaces,
	       (q.households_ge_1000 + q.workplaces_ge_1000)::float8 / (q.households + q.workplaces) AS share_1000,
	       (q.households_ge_100 + q.workplaces_ge_100)::float8 / (q.households + q.workplaces) AS share_100,
	       (q.households_ge_30 + q.workplaces_ge_30)::float8 / (q.households + q.workplaces) AS share_30,
	       q.households_ge_1000::float8 / q.households AS households_share_1000, -- a shown square has >= 5
	       q.households_ge_100::float8 / q.households AS households_share_100,
	       q.households_ge_30::float8 / q.households AS households_share_30
	FROM tile
	JOIN public_square_sums q ON q.snapshot_id = $4 AND q.size = $5 AND q.geom_3857 && tile.wide
)
SELECT ST_AsMVT(features, 'squares', 4096, 'geom')
FROM features
WHERE geom IS NOT NULL;
