-- point_counts.sql: how many address points of snapshots $1 lack class $3
-- (in Mbit/s; NULL: every point), in municipalities $2 (NULL: all), from
-- what the import counted (build_square_figures.sql). What gaps_count.sql
-- counts without a bounding box, without reading a point.
SELECT coalesce(sum(CASE $3::int
                        WHEN 10 THEN lacking_10
                        WHEN 30 THEN lacking_30
                        WHEN 100 THEN lacking_100
                        WHEN 1000 THEN lacking_1000
                        ELSE points END), 0)::int8
FROM point_counts
WHERE snapshot_id = ANY ($1::int8[])
  AND ($2::text[] IS NULL OR municipality_code = ANY ($2));
