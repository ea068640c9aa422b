-- gaps_count.sql: how many points gaps_points.sql returns without limit and
-- offset; the same parameters $1-$7; $8 the SRID of the bounding box; the
-- filter from $9 on.
SELECT count(*)
FROM address_points p
WHERE p.snapshot_id = ANY ($1::int8[])
  AND ($2::text[] IS NULL OR p.municipality_code = ANY ($2))
  AND ($3::numeric IS NULL OR p.best_fixed_mbps < $3)
  AND ($4::float8 IS NULL OR (
        p.geom && ST_Transform(ST_MakeEnvelope($4, $5, $6, $7, $8::int), 3006)
        AND ST_Intersects(ST_Transform(p.geom, $8::int), ST_MakeEnvelope($4, $5, $6, $7, $8::int))))
  AND /* filter */ true;
