-- tile_squares.sql: the 250 m squares with at least $4 measurements (all
-- time) in a Web Mercator tile, with their count and median download and
-- upload: what the map's measurements layer shows. $1 zoom, $2 column, $3 row.
WITH tile AS (
	SELECT ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096), 3006) AS wide
)
SELECT m.square_e, m.square_n, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.down_mbps),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.up_mbps)
FROM measurements m, tile
WHERE m.square_e BETWEEN ST_XMin(tile.wide) - 250 AND ST_XMax(tile.wide)
  AND m.square_n BETWEEN ST_YMin(tile.wide) - 250 AND ST_YMax(tile.wide)
GROUP BY m.square_e, m.square_n
HAVING count(*) >= $4;
