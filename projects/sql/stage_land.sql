-- stage_land.sql: the municipalities each staged area reaches into
-- (geo.MunicipalitiesReached). $1 feature indexes, $2 their codes as text
-- arrays.
UPDATE project_staging s
SET municipalities = m.codes::text[]
FROM unnest($1::int4[], $2::text[]) AS m (feature, codes)
WHERE s.feature = m.feature;
