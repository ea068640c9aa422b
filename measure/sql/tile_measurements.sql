-- tile_measurements.sql: the map's measurements layer as a Mapbox Vector
-- Tile: every 250 m square with at least $5 measurements (all time) in the
-- tile, with its count, the median download and upload, whether the latest
-- snapshot offers it gigabit (at least half its households, else half its
-- workplaces, else its best offer: measure.Offered.OffersGigabit) and
-- whether it is flagged (offered gigabit, median below $6 Mbit/s).
-- $1 zoom, $2 column, $3 row (Web Mercator XYZ), $4 latest snapshot id
-- (0: none), $5 the least count published, $6 the slow median.
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096), 3006) AS wide
), squares AS (
	SELECT m.square_e AS e, m.square_n AS n, count(*) AS measurements,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.down_mbps) AS median_down,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.up_mbps) AS median_up
	FROM measurements m, tile
	WHERE m.square_e BETWEEN ST_XMin(tile.wide) - 250 AND ST_XMax(tile.wide)
	  AND m.square_n BETWEEN ST_YMin(tile.wide) - 250 AND ST_YMax(tile.wide)
	GROUP BY m.square_e, m.square_n
	HAVING count(*) >= $5
), offered AS (
	SELECT f.e, f.n, sum(f.households) AS hh, sum(f.households_ge_1000) AS hh_1000,
	       sum(f.workplaces) AS wp, sum(f.workplaces_ge_1000) AS wp_1000, max(f.best_fixed_mbps) AS best
	FROM square_figures f
	JOIN squares s ON (s.e, s.n) = (f.e, f.n)
	WHERE f.snapshot_id = $4 AND f.size = 250
	GROUP BY f.e, f.n
), features AS (
	SELECT ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(s.e, s.n, s.e + 250, s.n + 250, 3006), 3857),
	                    tile.env, 4096, 16, true) AS geom,
	       '250m-E' || s.e || '-N' || s.n AS square,
	       s.measurements, s.median_down, s.median_up,
	       coalesce(CASE WHEN o.hh > 0 THEN 2 * o.hh_1000 >= o.hh
	                     WHEN o.wp > 0 THEN 2 * o.wp_1000 >= o.wp
	                     ELSE o.best >= 1000 END, false) AS offered_gigabit
	FROM squares s
	CROSS JOIN tile
	LEFT JOIN offered o ON (o.e, o.n) = (s.e, s.n)
)
SELECT ST_AsMVT(x, 'measurements', 4096, 'geom')
FROM (SELECT geom, square, measurements, median_down, median_up, offered_gigabit,
             offered_gigabit AND median_down < $6 AS flagged
      FROM features WHERE geom IS NOT NULL) x;
