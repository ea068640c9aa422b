-- tile_cells.sql: the map's measurements layer below zoom 8, where a 250 m
-- square is less than a pixel: the measurements of the public 250 m squares
-- (at least $4 measurements, all time: tile_squares.sql's rule) pooled into
-- the coarse squares of $5 metres of the same grid that the tile touches. A
-- coarse square's count is the sum of its public squares' counts, its
-- medians those of the pooled measurements; a square with fewer than $4
-- adds nothing, and a coarse square made only of such squares is not shown.
-- Every coarse square is read whole (the range is widened to whole coarse
-- squares), so one that straddles two tiles says the same in both.
-- $1 zoom, $2 column, $3 row (Web Mercator XYZ), $4 measure.MinPublished,
-- $5 the coarse squares' side (geo.GeneralisedSquareSize).
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096) AS wide,
	       $5::integer AS size
), sweden AS (
	-- Sweden's extent in SWEREF 99 TM (geo.MinE…MaxN), in Web Mercator: a
	-- tile far from it is never projected to SWEREF 99 TM.
	SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(180000, 6100000, 1000000, 7700000, 3006), 10000), 3857) AS g
), reach AS (
	SELECT (floor(ST_XMin(r.g) / r.size) * r.size)::integer AS e0, (ceil(ST_XMax(r.g) / r.size) * r.size)::integer AS e1,
	       (floor(ST_YMin(r.g) / r.size) * r.size)::integer AS n0, (ceil(ST_YMax(r.g) / r.size) * r.size)::integer AS n1
	FROM (
		SELECT ST_Transform(ST_Segmentize(ST_Intersection(tile.wide, sweden.g),
		                                  (ST_XMax(tile.wide) - ST_XMin(tile.wide)) / 64), 3006) AS g, tile.size
		FROM tile, sweden
		WHERE ST_Intersects(tile.wide, sweden.g)
	) r
), public AS (
	SELECT m.square_e, m.square_n
	FROM measurements m, reach r
	WHERE m.square_e >= r.e0 AND m.square_e < r.e1 AND m.square_n >= r.n0 AND m.square_n < r.n1
	GROUP BY m.square_e, m.square_n
	HAVING count(*) >= $4::integer
), cells AS (
	SELECT m.square_e - m.square_e % t.size AS e, m.square_n - m.square_n % t.size AS n, -- both positive
	       count(*) AS measurements,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.down_mbps) AS median_down,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.up_mbps) AS median_up
	FROM tile t, public p
	JOIN measurements m ON m.square_e = p.square_e AND m.square_n = p.square_n
	GROUP BY 1, 2
)
SELECT ST_AsMVT(x, 'measurements', 4096, 'geom')
FROM (
	SELECT ST_AsMVTGeom(ST_Transform(ST_Segmentize(ST_MakeEnvelope(c.e, c.n, c.e + tile.size, c.n + tile.size, 3006),
	                                               tile.size / 4.0), 3857),
	                    tile.env, 4096, 16, true) AS geom,
	       tile.size, tile.size || 'm-E' || c.e || '-N' || c.n AS square,
	       c.measurements, c.median_down, c.median_up
	FROM cells c CROSS JOIN tile
) x
WHERE geom IS NOT NULL;
