-- connection_figures.sql: the figures of all_figures.sql per municipality
-- and county and connection type (fibre, cable, …, as residents said), for
-- every group however small: measure.publishGroups decides in Go which may
-- be published (at least measure.MinPublished behind each, and no unpublished
-- rest of 1 to 4 that subtraction would tell).
-- $1 from, $2 to (NULL: open), $3 only this county ('' for all).
SELECT CASE WHEN GROUPING(municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       coalesce(municipality_code, county_code), county_code, connection::text,
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
FROM measurements
WHERE ($1::timestamptz IS NULL OR measured_at >= $1)
  AND ($2::timestamptz IS NULL OR measured_at < $2)
  AND ($3 = '' OR county_code = $3)
GROUP BY GROUPING SETS ((county_code, connection), (county_code, municipality_code, connection))
-- The county first, then its municipalities, as the page lists areas.
ORDER BY 1, 2, 4;
