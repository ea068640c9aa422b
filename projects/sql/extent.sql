-- extent.sql: the WGS 84 box around the areas of register version $1.
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
FROM (SELECT ST_Extent(geom_wgs84)::geometry AS b FROM projects WHERE register_version = $1) e
WHERE b IS NOT NULL;
