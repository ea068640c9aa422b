-- extent_points.sql: a WGS 84 bounding box around the snapshots' address
-- points of the municipalities listed, for the extent of the collections of
-- address points: the box of their 250 m squares (square_figures holds the
-- square of every point, far fewer rows than the points), so it holds every
-- point and reaches at most 250 m beyond them. $1 snapshot ids; $2
-- municipality codes (NULL: all).
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
FROM (
	SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(min(q.e), min(q.n), max(q.e) + 250, max(q.n) + 250, 3006), 1000), 4326) AS b
	FROM square_figures q
	WHERE q.snapshot_id = ANY ($1::int8[]) AND q.size = 250
	  AND ($2::text[] IS NULL OR q.municipality_code = ANY ($2))
	HAVING count(*) > 0
) e
WHERE b IS NOT NULL;
