-- municipality_features_count.sql: how many features municipality_features.sql selects;
-- the same $1-$6; $7 the SRID of the bounding box; the filter from $8 on.
SELECT count(*)
FROM area_figures f
JOIN municipalities m ON m.code = f.code
WHERE f.snapshot_id = ANY ($1::int8[]) AND f.kind = 'municipality' AND f.part = 'all'
  AND ($6::text IS NULL OR m.code = $6)
  AND ($2::float8 IS NULL OR (
        m.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $7::int), 3006)
        AND ST_Intersects(ST_Transform(m.geom, $7::int), ST_MakeEnvelope($2, $3, $4, $5, $7::int))))
  AND /* filter */ true;
