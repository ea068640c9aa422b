-- features.sql: a page of the areas of register version $1 as GeoJSON in
-- WGS 84, as drawn, in file order. $2-$5 a bounding box in WGS 84 (NULL:
-- none); $6 one project's id (NULL: all); $7 limit (NULL: all); $8 offset.
SELECT p.id, ST_AsGeoJSON(p.geom_wgs84, 7)
FROM projects p
WHERE p.register_version = $1
  AND ($2::float8 IS NULL OR (p.geom_wgs84 && ST_MakeEnvelope($2, $3, $4, $5, 4326)
                              AND ST_Intersects(p.geom_wgs84, ST_MakeEnvelope($2, $3, $4, $5, 4326))))
  AND ($6::text IS NULL OR p.id = $6)
ORDER BY p.feature
LIMIT $7 OFFSET $8;
