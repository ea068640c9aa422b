-- gaps_squares.sql: the public gap report of a municipality, by square,
-- never by address: its public squares (build_public_squares.sql: cells of
-- 250 m with at least 5 households, and the pooled rest of a 1 km square)
-- where someone lacks the speed class, with the households and workplaces
-- lacking it. The same cells as the map and OGC, so that no two public
-- answers differ by fewer than 5 households.
-- $1 snapshot id, $2 municipality code, $3 the class (1000, 100, 30 or 10).
WITH sq AS (
	SELECT size, e, n, households::int8, workplaces::int8, holiday_homes::int8,
	       (households - CASE $3::int WHEN 1000 THEN households_ge_1000 WHEN 100 THEN households_ge_100
	                                  WHEN 30 THEN households_ge_30 ELSE households_ge_10 END)::int8 AS h_lack,
	       (workplaces - CASE $3::int WHEN 1000 THEN workplaces_ge_1000 WHEN 100 THEN workplaces_ge_100
	                                  WHEN 30 THEN workplaces_ge_30 ELSE workplaces_ge_10 END)::int8 AS w_lack,
	       best_fixed_mbps, geom
	FROM public_squares
	WHERE snapshot_id = $1 AND municipality_code = $2
)
SELECT size, e, n, households, workplaces, holiday_homes, h_lack, w_lack, best_fixed_mbps::float8,
       ST_AsGeoJSON(ST_Transform(geom, 4326), 7)
FROM sq
WHERE h_lack + w_lack > 0
ORDER BY h_lack + w_lack DESC, size, e, n;
