-- upsert_municipalities.sql: municipalities from a GeoJSON FeatureCollection
-- in WGS 84 ($1), stored in SWEREF 99 TM (EPSG:3006). Idempotent.
INSERT INTO municipalities (code, name, county_code, geom)
SELECT f -> 'properties' ->> 'code',
       f -> 'properties' ->> 'name',
       f -> 'properties' ->> 'county_code',
       ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), 3006))
FROM jsonb_array_elements($1::jsonb -> 'features') AS f
ON CONFLICT (code) DO UPDATE
SET name = excluded.name, county_code = excluded.county_code, geom = excluded.geom;
