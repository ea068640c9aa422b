-- gaps_squares.sql: the public gap report of a municipality, by 250 m square
-- of SWEREF 99 TM, never by address: households and workplaces lacking a
-- speed class per square. A square with fewer than 5 households is merged
-- with the other such squares of its 1 km square when together they reach
-- 5, and left out otherwise. Only squares where someone lacks the class.
-- $1 snapshot id, $2 municipality code, $3 the class (1000, 100 or 30).
WITH sq AS (
	SELECT e, n, households, workplaces, holiday_homes, best_fixed_mbps,
	       CASE $3::int WHEN 1000 THEN households_ge_1000 WHEN 100 THEN households_ge_100 ELSE households_ge_30 END AS h_ok,
	       CASE $3::int WHEN 1000 THEN workplaces_ge_1000 WHEN 100 THEN workplaces_ge_100 ELSE workplaces_ge_30 END AS w_ok
	FROM square_figures
	WHERE snapshot_id = $1 AND size = 250 AND municipality_code = $2
), shown AS (
	SELECT 250 AS size, e, n, households::int8, workplaces::int8, holiday_homes::int8,
	       (households - h_ok)::int8 AS h_lack, (workplaces - w_ok)::int8 AS w_lack, best_fixed_mbps
	FROM sq WHERE households >= 5
	UNION ALL
	SELECT 1000, (floor(e / 1000.0) * 1000)::int, (floor(n / 1000.0) * 1000)::int,
	       sum(households), sum(workplaces), sum(holiday_homes),
	       sum(households - h_ok), sum(workplaces - w_ok), max(best_fixed_mbps)
	FROM sq WHERE households < 5
	GROUP BY 2, 3
	HAVING sum(households) >= 5
)
SELECT size, e, n, households, workplaces, holiday_homes, h_lack, w_lack, best_fixed_mbps::float8,
       ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(e, n, e + size, n + size, 3006), 4326), 7)
FROM shown
WHERE h_lack + w_lack > 0
ORDER BY h_lack + w_lack DESC, size, e, n;
