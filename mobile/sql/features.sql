-- features.sql: the squares of mobile snapshots as features of OGC API –
-- Features (collection mobile): public, they carry no address data. Each
-- with its snapshot's date and square size, the municipality holding its
-- centre, the best class outdoors and indoors, 5G, the operators covering it
-- at 10 Mbit/s, the best speed outdoors, the operators' codes (decoded in
-- Go: mobile.decodeOp) and the square in WGS 84 (or EPSG:3006).
-- $1 snapshot ids; $2-$5 a bounding box in the SRID $11 (NULL: none);
-- $6 limit (NULL: all); $7 offset; $8 and $9 one square's corner (NULL: all);
-- $10 the SRID of the geometries (3006 in its own axis order, northing first);
-- $11 the bounding box's SRID (4326: lon, lat; 3006: easting, northing).
WITH box AS (
	SELECT ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $11::int), 3006) AS g
)
SELECT ms.as_of, q.e, q.n, ms.size, coalesce(q.municipality_code, ''), q.outdoor, q.indoor, q.fiveg, q.operators,
       q.best_outdoor_mbps::float8, q.ops, ms.operators,
       ST_AsGeoJSON(CASE WHEN $10::int = 3006 THEN ST_FlipCoordinates(ST_MakeEnvelope(q.e, q.n, q.e + ms.size, q.n + ms.size, 3006))
                    ELSE ST_Transform(ST_MakeEnvelope(q.e, q.n, q.e + ms.size, q.n + ms.size, 3006), $10::int) END,
                    CASE WHEN $10::int = 4326 THEN 7 ELSE 2 END, 0) -- 0: no crs member
FROM mobile_squares q
JOIN mobile_snapshots ms ON ms.id = q.snapshot_id
LEFT JOIN box ON true
WHERE q.snapshot_id = ANY ($1)
  AND ($2::float8 IS NULL OR q.e BETWEEN ST_XMin(box.g) - ms.size AND ST_XMax(box.g)
                          AND q.n BETWEEN ST_YMin(box.g) - ms.size AND ST_YMax(box.g)
                          AND ST_Intersects(ST_MakeEnvelope(q.e, q.n, q.e + ms.size, q.n + ms.size, 3006), box.g))
  AND ($8::int IS NULL OR q.e = $8 AND q.n = $9)
ORDER BY ms.as_of, q.e, q.n
LIMIT $6 OFFSET $7;
