-- extent_squares.sql: the WGS 84 bounding box of the snapshots' public
-- squares (build_public_squares.sql), for the squares collection's extent.
-- $1 snapshot ids.
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
FROM (
	-- the squares' corners: a cell clipped to its municipality lies within its square
	SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(min(q.e), min(q.n), max(q.e + q.size), max(q.n + q.size), 3006), 1000), 4326) AS b
	FROM public_squares q
	WHERE q.snapshot_id = ANY ($1::int8[])
	HAVING count(*) > 0
) e
WHERE b IS NOT NULL;
