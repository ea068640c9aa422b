-- build_cells.sql: the measurements layer below zoom 8 (measurement_cells,
-- migrations/0072): the measurements of the public 250 m squares (at least
-- $1 measurements, all time: the rule of tile_squares.sql) pooled into the
-- coarse squares of every side in $2 (geo.GeneralisedSquareSizes), each
-- with its count and the medians of the pooled values. A 250 m square lies
-- in the coarse square of its lower-left corner. Run by RefreshCells, in the
-- transaction that emptied the table (and decided the squares). One statement, so that PostgreSQL's
-- parallel workers share the pass (a temporary table would keep them out).
WITH public AS (
	SELECT square_e, square_n
	FROM measurements
	GROUP BY square_e, square_n
	HAVING count(*) >= $1::integer
	INTERSECT -- and that measure.decideAreas publishes: $3 eastings, $4 northings
	SELECT * FROM unnest($3::int8[], $4::int8[])
)
INSERT INTO measurement_cells (size, e, n, measurements, median_down, median_up, geom_3857)
SELECT c.size, c.e, c.n, c.measurements, c.median_down, c.median_up,
       ST_Transform(ST_Segmentize(ST_MakeEnvelope(c.e, c.n, c.e + c.size, c.n + c.size, 3006), c.size / 4.0), 3857)
FROM (
	SELECT s.size, m.square_e - m.square_e % s.size AS e, m.square_n - m.square_n % s.size AS n, -- both positive
	       count(*) AS measurements,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.down_mbps) AS median_down,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.up_mbps) AS median_up
	FROM public p
	JOIN measurements m ON m.square_e = p.square_e AND m.square_n = p.square_n
	CROSS JOIN unnest($2::integer[]) AS s (size)
	GROUP BY 1, 2, 3
) c;
