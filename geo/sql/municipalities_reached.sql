-- municipalities_reached.sql: for each area given, the municipalities it
-- overlaps and by how much (square metres), from the boundaries cut into
-- small parts. $1 the areas as WKB in SWEREF 99 TM (EPSG:3006).
WITH area AS (
	SELECT (a.i - 1)::int4 AS i, ST_SetSRID(ST_GeomFromWKB(a.g), 3006) AS geom
	FROM unnest($1::bytea[]) WITH ORDINALITY AS a (g, i)
)
SELECT a.i, m.municipality_code, sum(ST_Area(ST_Intersection(a.geom, m.geom))), min(ST_Area(a.geom))
FROM area a
JOIN municipality_parts m ON m.geom && a.geom AND ST_Intersects(m.geom, a.geom)
GROUP BY a.i, m.municipality_code
ORDER BY a.i, m.municipality_code;
