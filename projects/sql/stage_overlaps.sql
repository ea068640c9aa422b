-- stage_overlaps.sql: every pair of staged areas that overlap (sharing more
-- than a boundary), with the overlap in square metres.
WITH pair AS (
	SELECT a.feature AS fa, a.id AS ida, b.feature AS fb, b.id AS idb, ST_Area(ST_Intersection(a.geom, b.geom)) AS m2
	FROM project_staging a
	JOIN project_staging b ON a.feature < b.feature AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
)
SELECT fa, ida, fb, idb, m2 FROM pair WHERE m2 > 0 ORDER BY fa, fb;
