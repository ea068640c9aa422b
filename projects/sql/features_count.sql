-- features_count.sql: how many areas features.sql returns without limit and
-- offset; the same parameters $1-$6.
SELECT count(*)
FROM projects p
WHERE p.register_version = $1
  AND ($2::float8 IS NULL OR (p.geom_wgs84 && ST_MakeEnvelope($2, $3, $4, $5, 4326)
                              AND ST_Intersects(p.geom_wgs84, ST_MakeEnvelope($2, $3, $4, $5, 4326))))
  AND ($6::text IS NULL OR p.id = $6);
