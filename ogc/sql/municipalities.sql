-- municipalities.sql: the municipalities of the snapshots with their
-- figures (public aggregates), the boundary simplified to 10 m and in WGS 84.
-- $1 snapshot ids; $2-$5 a bounding box in WGS 84 lon/lat (NULL: none);
-- $6 a municipality code (NULL: all); $7 limit; $8 offset.
WITH sel AS (
	SELECT s.as_of, m.code, m.name, m.county_code, m.geom, f.households, f.workplaces, f.points,
	       f.households_ge_1000, f.households_ge_100, f.households_ge_30,
	       f.workplaces_ge_1000, f.workplaces_ge_100, f.workplaces_ge_30
	FROM area_figures f
	JOIN snapshots s ON s.id = f.snapshot_id
	JOIN municipalities m ON m.code = f.code
	WHERE f.snapshot_id = ANY ($1::int8[]) AND f.kind = 'municipality' AND f.part = 'all'
	  AND ($6::text IS NULL OR m.code = $6)
	  AND ($2::float8 IS NULL OR (
	        m.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, 4326), 3006)
	        AND ST_Intersects(ST_Transform(m.geom, 4326), ST_MakeEnvelope($2, $3, $4, $5, 4326))))
)
SELECT as_of, code, name, county_code, households, workplaces, points,
       households_ge_1000, households_ge_100, households_ge_30,
       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30,
       ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(geom, 10), 4326), 6)
FROM sel
ORDER BY as_of DESC, code
LIMIT $7 OFFSET $8;
