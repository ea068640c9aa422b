-- points_brief.sql: every address point of a snapshot with households, by
-- address id: where it lies, its households and its best fixed offer (the
-- demo places residents' measurements there). $1 snapshot id.
SELECT address_id, municipality_code, ST_X(geom), ST_Y(geom), households,
       best_fixed_mbps::float8, coalesce(best_fixed_technology::text, '')
FROM address_points
WHERE snapshot_id = $1 AND households > 0
ORDER BY address_id;
