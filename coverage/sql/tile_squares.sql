-- tile_squares.sql: the map's squares layer as a Mapbox Vector Tile from
-- zoom 8: the snapshot's public squares (public_squares,
-- build_public_squares.sql: cells of 250 m with at least 5 households, and
-- the pooled rest of a 1 km square where that makes at least 5), each with
-- its square, its municipality and its cell (municipality.square, the OGC
-- feature's id without the date), households, workplaces, the share of
-- households with access to each class (the map's colour) and the combined
-- share the targets count. Below zoom 8: tile_square_sums.sql. $1 zoom, $2
-- column, $3 row (Web Mercator XYZ), $4 snapshot id.
--
-- One table and no branch on the zoom, so that PostgreSQL keeps one generic
-- plan of the prepared statement: with a UNION ALL of both layers chosen by
-- "WHERE $1 >= 8" it planned every tile anew, 0.6 ms, as long as the tile's
-- own work at zoom 14 (bench/sweden.md, third run). The tile's envelope is
-- MATERIALIZED: inlined, the planner sees the tile's size and at zoom 8 picks
-- a parallel plan that splits ST_AsMVT over two workers, slower with
-- concurrent tiles on two cores; behind the CTE it reads the squares with a
-- bitmap scan, one process a tile, at every zoom.
WITH tile AS MATERIALIZED (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096) AS wide
), features AS (
	SELECT ST_AsMVTGeom(q.geom_3857, tile.env, 4096, 16, true) AS geom,
	       q.size, q.size || 'm-E' || q.e || '-N' || q.n AS square, q.municipality_code,
	       q.municipality_code || '.' || q.size || 'm-E' || q.e || '-N' || q.n AS cell,
	       q.households, q.workplaces,
	       (q.households_ge_1000 + q.workplaces_ge_1000)::float8 / (q.households + q.workplaces) AS share_1000,
	       (q.households_ge_100 + q.workplaces_ge_100)::float8 / (q.households + q.workplaces) AS share_100,
	       (q.households_ge_30 + q.workplaces_ge_30)::float8 / (q.households + q.workplaces) AS share_30,
	       q.households_ge_1000::float8 / q.households AS households_share_1000, -- a shown square has >= 5
	       q.households_ge_100::float8 / q.households AS households_share_100,
	       q.households_ge_30::float8 / q.households AS households_share_30
	FROM tile
	JOIN public_squares q ON q.snapshot_id = $4 AND q.geom_3857 && tile.wide
)
SELECT ST_AsMVT(features, 'squares', 4096, 'geom')
FROM features
WHERE geom IS NOT NULL;
