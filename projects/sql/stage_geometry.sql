-- stage_geometry.sql: PostGIS's verdict on each staged area as drawn
-- (WGS 84): valid or why not (ST_IsValidReason names the self-intersection
-- and where); for the valid ones the area in SWEREF 99 TM, kept in the
-- staging table and returned as WKB.
WITH parsed AS (
	SELECT feature, ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326))) AS g
	FROM project_staging
), checked AS (
	UPDATE project_staging s
	SET geom_wgs84 = p.g,
	    geom = CASE WHEN ST_IsValid(p.g) THEN ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(p.g, 3006)), 3)) END
	FROM parsed p
	WHERE s.feature = p.feature
	RETURNING s.feature, s.id, ST_IsValid(p.g) AS valid, ST_IsValidReason(p.g) AS reason,
	          CASE WHEN ST_IsValid(p.g) THEN ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(p.g, 3006)), 3)) END AS geom
)
SELECT feature, id, valid, reason, coalesce(ST_AsBinary(geom), ''::bytea)
FROM checked
ORDER BY feature;
