-- tile_cells.sql: the map's measurements layer below zoom 8, where a 250 m
-- square is less than a pixel: the coarse squares of $4 metres
-- (geo.GeneralisedSquareSize) that build_cells.sql made, each with the
-- count of the public 250 m squares' measurements pooled in it and their
-- medians. No offered_gigabit nor flagged: a coarse square holds squares
-- offered different things. $1 zoom, $2 column, $3 row (Web Mercator XYZ).
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096) AS wide
)
SELECT ST_AsMVT(x, 'measurements', 4096, 'geom')
FROM (
	SELECT ST_AsMVTGeom(c.geom_3857, tile.env, 4096, 16, true) AS geom,
	       c.size, c.size || 'm-E' || c.e || '-N' || c.n AS square,
	       c.measurements, c.median_down, c.median_up
	FROM tile
	JOIN measurement_cells c ON c.size = $4 AND c.geom_3857 && tile.wide
) x
WHERE geom IS NOT NULL;
