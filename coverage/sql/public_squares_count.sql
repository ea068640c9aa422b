-- public_squares_count.sql: how many cells public_squares.sql selects; the
-- same $1-$9.
SELECT count(*)
FROM public_squares q
WHERE q.snapshot_id = ANY ($1::int8[])
  AND ($6::text IS NULL OR (q.municipality_code, q.size, q.e, q.n) = ($6, $7, $8, $9))
  AND ($2::float8 IS NULL OR (
        q.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, 4326), 3006)
        AND ST_Intersects(ST_Transform(q.geom, 4326), ST_MakeEnvelope($2, $3, $4, $5, 4326))));
