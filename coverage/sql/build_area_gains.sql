-- build_area_gains.sql: what the planned builds would add (spec/targets.md,
-- "Forecast with planned builds"). A point gains a class in the earliest year
-- of a planned fixed offer that reaches it (year 0: a planned offer without a
-- year, counted for every target), unless it has the class already.
-- From address_points_loading; $1 snapshot id.
WITH gains AS (
	SELECT p.municipality_code, c.class_mbps, p.households, p.workplaces,
	       min(coalesce(o.planned_year, 0)) AS year
	FROM address_points_loading p
	CROSS JOIN LATERAL unnest(p.offers) AS o
	JOIN (VALUES (10), (30), (100), (1000)) AS c (class_mbps) ON o.down_mbps >= c.class_mbps
	WHERE p.planned_mbps IS NOT NULL
	  AND o.status = 'planned' AND o.technology NOT IN ('mobile', 'satellite', 'none')
	  AND p.best_fixed_mbps < c.class_mbps
	GROUP BY p.address_id, p.municipality_code, c.class_mbps, p.households, p.workplaces
)
INSERT INTO area_gains (snapshot_id, kind, code, class_mbps, year, households, workplaces)
SELECT $1,
       CASE WHEN GROUPING(municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       coalesce(municipality_code, left(min(municipality_code), 2)),
       class_mbps, year, sum(households), sum(workplaces)
FROM gains
GROUP BY GROUPING SETS ((municipality_code, class_mbps, year), (left(municipality_code, 2), class_mbps, year));
