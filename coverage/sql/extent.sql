-- extent.sql: the WGS 84 bounding box of the municipalities that the
-- snapshots cover, for the collections' spatial extent. $1 snapshot ids.
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
FROM (
	SELECT ST_Extent(ST_Transform(ST_Envelope(m.geom), 4326)) AS b
	FROM municipalities m
	WHERE m.code IN (SELECT code FROM area_figures WHERE snapshot_id = ANY ($1::int8[]) AND kind = 'municipality')
) e
WHERE b IS NOT NULL;
