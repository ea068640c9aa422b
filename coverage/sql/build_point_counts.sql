-- build_point_counts.sql: per municipality, the snapshot's address points
-- and those lacking each speed class: whose best fixed offer is below it,
-- the rule of gaps_points.sql and gaps_count.sql (a test holds them
-- together). $1 snapshot id.
INSERT INTO point_counts (snapshot_id, municipality_code, points, lacking_10, lacking_30, lacking_100, lacking_1000)
SELECT $1, municipality_code, count(*),
       count(*) FILTER (WHERE best_fixed_mbps < 10),
       count(*) FILTER (WHERE best_fixed_mbps < 30),
       count(*) FILTER (WHERE best_fixed_mbps < 100),
       count(*) FILTER (WHERE best_fixed_mbps < 1000)
FROM address_points_loading
GROUP BY municipality_code;
