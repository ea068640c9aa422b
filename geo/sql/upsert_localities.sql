-- upsert_localities.sql: SCB's statistical urban localities (tätorter) as
-- points from a GeoJSON FeatureCollection in WGS 84 ($1). Idempotent.
INSERT INTO localities (code, name, municipality_code, population, year, geom)
SELECT f -> 'properties' ->> 'code',
       f -> 'properties' ->> 'name',
       f -> 'properties' ->> 'municipality_code',
       (f -> 'properties' ->> 'population')::integer,
       (f -> 'properties' ->> 'year')::integer,
       ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), 3006)
FROM jsonb_array_elements($1::jsonb -> 'features') AS f
ON CONFLICT (code) DO UPDATE
SET name = excluded.name, municipality_code = excluded.municipality_code,
    population = excluded.population, year = excluded.year, geom = excluded.geom;
