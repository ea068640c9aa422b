-- squares.sql: the public 250 m squares (SWEREF 99 TM, lower-left corner)
-- with at least 5 households, per municipality (a square on a border has a
-- feature per municipality), as polygons in WGS 84.
-- $1 snapshot ids; $2-$5 a bounding box in WGS 84 lon/lat (NULL: none);
-- $6 one square as "E.N.CODE" (NULL: all); $7 limit; $8 offset.
SELECT s.as_of, q.e, q.n, q.municipality_code, q.points, q.households, q.workplaces,
       q.households_ge_1000, q.households_ge_100, q.households_ge_30,
       q.workplaces_ge_1000, q.workplaces_ge_100, q.workplaces_ge_30, q.best_fixed_mbps::float8,
       ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(q.e, q.n, q.e + 250, q.n + 250, 3006), 4326), 7)
FROM square_figures q
JOIN snapshots s ON s.id = q.snapshot_id
WHERE q.snapshot_id = ANY ($1::int8[]) AND q.size = 250 AND q.households >= 5
  AND ($6::text IS NULL OR q.e || '.' || q.n || '.' || q.municipality_code = $6)
  AND ($2::float8 IS NULL OR
        ST_Intersects(ST_Transform(ST_MakeEnvelope(q.e, q.n, q.e + 250, q.n + 250, 3006), 4326),
                      ST_MakeEnvelope($2, $3, $4, $5, 4326)))
ORDER BY s.as_of DESC, q.n, q.e, q.municipality_code
LIMIT $7 OFFSET $8;
