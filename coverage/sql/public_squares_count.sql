-- public_squares_count.sql: how many cells public_squares.sql selects; the
-- same $1-$9; $10 the SRID of the bounding box; the filter from $11 on.
SELECT count(*)
FROM public_squares q
WHERE q.snapshot_id = ANY ($1::int8[])
  AND ($6::text IS NULL OR (q.municipality_code, q.size, q.e, q.n) = ($6, $7, $8, $9))
  AND ($2::float8 IS NULL OR (
        q.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $10::int), 3006)
        AND ST_Intersects(ST_Transform(q.geom, $10::int), ST_MakeEnvelope($2, $3, $4, $5, $10::int))))
  AND /* filter */ true;
