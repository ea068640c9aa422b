-- tile_measurements.sql: the map's measurements layer as a Mapbox Vector
-- Tile, from the squares tile_squares.sql found and what Go decided of them
-- (measure.Flagged, against what coverage offers): one feature per square.
-- $1 zoom, $2 column, $3 row (Web Mercator XYZ); then one array per
-- attribute, in step: $4 eastings, $5 northings, $6 counts, $7 median
-- downloads, $8 median uploads, $9 offered gigabit, $10 flagged.
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env
), squares AS (
	SELECT * FROM unnest($4::int8[], $5::int8[], $6::int8[], $7::float8[], $8::float8[], $9::bool[], $10::bool[])
	         AS s (e, n, measurements, median_down, median_up, offered_gigabit, flagged)
)
SELECT ST_AsMVT(x, 'measurements', 4096, 'geom')
FROM (
	SELECT ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(s.e, s.n, s.e + 250, s.n + 250, 3006), 3857),
	                    tile.env, 4096, 16, true) AS geom,
	       250 AS size, '250m-E' || s.e || '-N' || s.n AS square,
	       s.measurements, s.median_down, s.median_up, s.offered_gigabit, s.flagged
	FROM squares s CROSS JOIN tile
) x
WHERE geom IS NOT NULL;
