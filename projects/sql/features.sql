-- features.sql: a page of the areas of register version $1 as GeoJSON, in
-- file order. $2-$5 a bounding box (NULL: none) in SRID $7: 4326 (lon, lat)
-- or 3006 (easting, northing); $6 one project's id (NULL: all); $8 limit
-- (NULL: all); $9 offset; $10 the output SRID: 4326 (as drawn) or 3006 in
-- its own axis order (northing, easting, as OGC API – Features Part 2
-- asks). The filter (queryables.go) takes $11 on.
SELECT p.id,
       CASE WHEN $10::int = 3006 THEN ST_AsGeoJSON(ST_FlipCoordinates(p.geom), 2, 0)
            ELSE ST_AsGeoJSON(p.geom_wgs84, 7) END
FROM projects p
WHERE p.register_version = $1
  AND ($2::float8 IS NULL
       OR ($7::int = 3006 AND p.geom && ST_MakeEnvelope($2, $3, $4, $5, 3006)
           AND ST_Intersects(p.geom, ST_MakeEnvelope($2, $3, $4, $5, 3006)))
       OR ($7::int <> 3006 AND p.geom_wgs84 && ST_MakeEnvelope($2, $3, $4, $5, 4326)
           AND ST_Intersects(p.geom_wgs84, ST_MakeEnvelope($2, $3, $4, $5, 4326))))
  AND ($6::text IS NULL OR p.id = $6)
  AND /* filter */ true
ORDER BY p.feature
LIMIT $8 OFFSET $9;
