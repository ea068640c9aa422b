-- features_count.sql: how many areas features.sql returns without limit and
-- offset; the same parameters $1-$7; the filter takes $8 on.
SELECT count(*)
FROM projects p
WHERE p.register_version = $1
  AND ($2::float8 IS NULL
       OR ($7::int = 3006 AND p.geom && ST_MakeEnvelope($2, $3, $4, $5, 3006)
           AND ST_Intersects(p.geom, ST_MakeEnvelope($2, $3, $4, $5, 3006)))
       OR ($7::int <> 3006 AND p.geom_wgs84 && ST_MakeEnvelope($2, $3, $4, $5, 4326)
           AND ST_Intersects(p.geom_wgs84, ST_MakeEnvelope($2, $3, $4, $5, 4326))))
  AND ($6::text IS NULL OR p.id = $6)
  AND /* filter */ true;
