-- all_figures.sql: the figures of area_figures.sql for every 250 m square,
-- municipality and county at once, only where there are at least $3
-- measurements: areas below are absent, not zero (measure.decideAreas then
-- withholds more). Within a county or municipality, its squares are
-- counted whole, with what the neighbours have in them on a border (the
-- same figures as in the country's answer); the rows it also gives for the
-- neighbours' municipalities and counties are for the caller to leave out.
-- $1 from, $2 to (NULL: open), $3 the least count published,
-- $4 only this county ('' for all), $5 only this municipality ('' for all).
WITH scope AS (
	SELECT DISTINCT square_e, square_n
	FROM measurements
	WHERE ($1::timestamptz IS NULL OR measured_at >= $1)
	  AND ($2::timestamptz IS NULL OR measured_at < $2)
	  AND ($4 = '' OR county_code = $4)
	  AND ($5 = '' OR municipality_code = $5)
	  AND ($4 <> '' OR $5 <> '')
), source AS (
	-- The whole country, or (each branch gated once by its parameters)
	-- every measurement in the area's squares, through the square index.
	SELECT down_mbps, up_mbps, latency_ms, square_e, square_n, municipality_code, county_code
	FROM measurements
	WHERE $4 = '' AND $5 = ''
	  AND ($1::timestamptz IS NULL OR measured_at >= $1)
	  AND ($2::timestamptz IS NULL OR measured_at < $2)
	UNION ALL
	SELECT m.down_mbps, m.up_mbps, m.latency_ms, m.square_e, m.square_n, m.municipality_code, m.county_code
	FROM scope JOIN measurements m USING (square_e, square_n)
	WHERE ($1::timestamptz IS NULL OR m.measured_at >= $1)
	  AND ($2::timestamptz IS NULL OR m.measured_at < $2)
)
SELECT CASE WHEN GROUPING(square_e) = 0 THEN 'square'
            WHEN GROUPING(municipality_code) = 0 THEN 'municipality'
            ELSE 'county' END,
       square_e, square_n, municipality_code, county_code,
       count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY up_mbps),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY up_mbps),
       count(latency_ms),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY latency_ms),
       count(*) FILTER (WHERE down_mbps >= 100),
       count(*) FILTER (WHERE down_mbps >= 1000)
FROM source
GROUP BY GROUPING SETS ((county_code), (municipality_code), (square_e, square_n))
HAVING count(*) >= $3
ORDER BY 1, 5, 4, 2, 3;
