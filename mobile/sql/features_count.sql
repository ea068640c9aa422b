-- features_count.sql: how many squares features.sql would list without its
-- limit and offset (numberMatched). Parameters as features.sql's $1-$5, $8, $9
-- (here $6, $7), and the bounding box's SRID $8.
WITH box AS (
	SELECT ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $8::int), 3006) AS g
)
SELECT count(*)
FROM mobile_squares q
JOIN mobile_snapshots ms ON ms.id = q.snapshot_id
LEFT JOIN box ON true
WHERE q.snapshot_id = ANY ($1)
  AND ($2::float8 IS NULL OR q.e BETWEEN ST_XMin(box.g) - ms.size AND ST_XMax(box.g)
                          AND q.n BETWEEN ST_YMin(box.g) - ms.size AND ST_YMax(box.g)
                          AND ST_Intersects(ST_MakeEnvelope(q.e, q.n, q.e + ms.size, q.n + ms.size, 3006), box.g))
  AND ($6::int IS NULL OR q.e = $6 AND q.n = $7);
