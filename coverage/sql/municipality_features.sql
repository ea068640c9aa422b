-- municipality_features.sql: the municipalities of the snapshots with their
-- figures (public aggregates), for OGC API – Features: the boundary
-- simplified to 10 m (computed when it was loaded: geom_simplified,
-- migration 0090), in the SRID asked for. $1 snapshot ids; $2-$5 a bounding
-- box in WGS 84 lon/lat (NULL: none; the exact boundary decides); $6 a
-- municipality code (NULL: all); $7 limit (NULL: all); $8 offset; $9 the
-- output SRID (4326, or 3006 as northing, easting); $10 the SRID of the
-- bounding box. The filter (queryables.go) takes $11 on.
WITH sel AS (
	SELECT s.as_of, m.code, m.name, m.county_code, m.geom_simplified, f.households, f.workplaces, f.holiday_homes, f.points,
	       f.households_ge_1000, f.households_ge_100, f.households_ge_30, f.households_ge_10,
	       f.workplaces_ge_1000, f.workplaces_ge_100, f.workplaces_ge_30, f.workplaces_ge_10
	FROM area_figures f
	JOIN snapshots s ON s.id = f.snapshot_id
	JOIN municipalities m ON m.code = f.code
	WHERE f.snapshot_id = ANY ($1::int8[]) AND f.kind = 'municipality' AND f.part = 'all'
	  AND ($6::text IS NULL OR m.code = $6)
	  AND ($2::float8 IS NULL OR (
	        m.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $10::int), 3006)
	        AND ST_Intersects(ST_Transform(m.geom, $10::int), ST_MakeEnvelope($2, $3, $4, $5, $10::int))))
	  AND /* filter */ true
)
SELECT as_of, code, name, county_code, households, workplaces, holiday_homes, points,
       households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
       ST_AsGeoJSON(CASE WHEN $9::int = 3006 THEN ST_FlipCoordinates(geom_simplified)
                         ELSE ST_Transform(geom_simplified, $9::int) END,
                    CASE WHEN $9::int = 4326 THEN 6 ELSE 1 END, 0) -- 0: no crs member
FROM sel
ORDER BY as_of DESC, code
LIMIT $7 OFFSET $8;
