-- squares_count.sql: how many features squares.sql selects; the same $1-$6.
SELECT count(*)
FROM square_figures q
WHERE q.snapshot_id = ANY ($1::int8[]) AND q.size = 250 AND q.households >= 5
  AND ($6::text IS NULL OR q.e || '.' || q.n || '.' || q.municipality_code = $6)
  AND ($2::float8 IS NULL OR
        ST_Intersects(ST_Transform(ST_MakeEnvelope(q.e, q.n, q.e + 250, q.n + 250, 3006), 4326),
                      ST_MakeEnvelope($2, $3, $4, $5, 4326)));
