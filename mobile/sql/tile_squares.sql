-- tile_squares.sql: the map's mobile layer as a Mapbox Vector Tile: the
-- snapshot's squares (public: they carry no address data) in a Web Mercator
-- tile, with the best class outdoors (outdoor_mbps: 0, 10, 30, 100) and
-- indoors (indoor_mbps; absent when no indoor speed was given), 5G, and how
-- many operators cover them at 10 Mbit/s outdoors. Below zoom 10 the squares
-- are drawn as cells of $5 metres (1 km at zoom 9, doubling outwards), each
-- with what at least half of its squares in the file reach: the highest
-- class, the most operators, 5G. $1 snapshot id, $2 zoom, $3 column, $4 row,
-- $5 the cell's size (the squares' own from zoom 10).
WITH tile AS (
	SELECT ST_TileEnvelope($2, $3, $4) AS env,
	       ST_Transform(ST_TileEnvelope($2, $3, $4, margin => 16.0 / 4096), 3006) AS wide
), squares AS (
	SELECT (floor(s.e / $5::float8) * $5)::int AS e, (floor(s.n / $5::float8) * $5)::int AS n,
	       s.outdoor, s.indoor, s.fiveg, s.operators
	FROM mobile_squares s, tile
	WHERE s.snapshot_id = $1
	  AND s.e BETWEEN ST_XMin(tile.wide) - $5 AND ST_XMax(tile.wide)
	  AND s.n BETWEEN ST_YMin(tile.wide) - $5 AND ST_YMax(tile.wide)
), cells AS (
	SELECT e, n,
	       CASE WHEN 2 * count(*) FILTER (WHERE outdoor >= 100) >= count(*) THEN 100
	            WHEN 2 * count(*) FILTER (WHERE outdoor >= 30) >= count(*) THEN 30
	            WHEN 2 * count(*) FILTER (WHERE outdoor >= 10) >= count(*) THEN 10 ELSE 0 END AS outdoor_mbps,
	       CASE WHEN count(indoor) = 0 THEN NULL
	            WHEN 2 * count(*) FILTER (WHERE indoor >= 100) >= count(indoor) THEN 100
	            WHEN 2 * count(*) FILTER (WHERE indoor >= 30) >= count(indoor) THEN 30
	            WHEN 2 * count(*) FILTER (WHERE indoor >= 10) >= count(indoor) THEN 10 ELSE 0 END AS indoor_mbps,
	       2 * count(*) FILTER (WHERE fiveg) >= count(*) AS fiveg,
	       percentile_disc(0.5) WITHIN GROUP (ORDER BY operators DESC) AS operators
	FROM squares
	GROUP BY e, n
), features AS (
	SELECT ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(c.e, c.n, c.e + $5, c.n + $5, 3006), 3857), tile.env, 4096, 16, true) AS geom,
	       $5::int AS size, $5 || 'm-E' || c.e || '-N' || c.n AS square,
	       c.outdoor_mbps, c.indoor_mbps, c.fiveg, c.operators
	FROM cells c, tile
)
SELECT ST_AsMVT(features, 'mobile', 4096, 'geom')
FROM features
WHERE geom IS NOT NULL;
