-- extent_squares.sql: the WGS 84 bounding box of the snapshots' public
-- squares (build_public_squares.sql), for the squares collection's extent.
-- $1 snapshot ids.
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
FROM (
	SELECT ST_Transform(ST_Segmentize(ST_SetSRID(ST_Extent(q.geom)::geometry, 3006), 1000), 4326) AS b -- edges bend in lon, lat
	FROM public_squares q
	WHERE q.snapshot_id = ANY ($1::int8[])
) e
WHERE b IS NOT NULL;
