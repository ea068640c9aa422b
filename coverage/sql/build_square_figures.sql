-- build_square_figures.sql: figures per 250 m square of SWEREF 99 TM (named
-- by the lower-left corner) and municipality, from address_points_loading:
-- the one scan of the points. Then the 1 km squares, from the 250 m ones (a
-- 250 m square lies in exactly one 1 km square), and the municipalities'
-- point counts (point_counts), from the same groups: every point lies in
-- exactly one group, so the sums are the counts over the points. $1
-- snapshot id.
--
-- Urban or rural (spec/targets.md, "Urban versus rural"): where no locality
-- boundaries are loaded, a point is urban when the 1 km square around it
-- holds at least 100 households, over every municipality it spans. This is
-- the one place the rule is applied: the area figures and the public squares
-- read the urban column.
--
-- A point lacks a speed class when its best fixed offer is below it, the
-- rule of gaps_points.sql and gaps_count.sql (a test holds them together).
--
-- The 1 km square of a corner is floor(e / 1000) computed in float8, not
-- numeric: for an integer e the quotient in float8 is either exact or at
-- least 0.001 from an integer, far beyond its rounding error, so the floor is
-- the same, and a float8 is sorted and grouped without numeric arithmetic.
WITH sq AS MATERIALIZED (
	SELECT (floor(ST_X(p.geom) / 250) * 250)::integer AS e,
	       (floor(ST_Y(p.geom) / 250) * 250)::integer AS n,
	       p.municipality_code,
	       count(*) AS points,
	       sum(p.households) AS households,
	       sum(p.workplaces) AS workplaces,
	       coalesce(sum(p.holiday_homes), 0) AS holiday_homes,
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 1000), 0) AS households_ge_1000,
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 100), 0) AS households_ge_100,
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 30), 0) AS households_ge_30,
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 10), 0) AS households_ge_10,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 1000), 0) AS workplaces_ge_1000,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 100), 0) AS workplaces_ge_100,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 30), 0) AS workplaces_ge_30,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 10), 0) AS workplaces_ge_10,
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 1000), 0) AS households_any_ge_1000,
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 100), 0) AS households_any_ge_100,
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 30), 0) AS households_any_ge_30,
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 10), 0) AS households_any_ge_10,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 1000), 0) AS workplaces_any_ge_1000,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 100), 0) AS workplaces_any_ge_100,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 30), 0) AS workplaces_any_ge_30,
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 10), 0) AS workplaces_any_ge_10,
	       max(p.best_fixed_mbps) AS best_fixed_mbps,
	       count(*) FILTER (WHERE p.best_fixed_mbps < 10) AS lacking_10,
	       count(*) FILTER (WHERE p.best_fixed_mbps < 30) AS lacking_30,
	       count(*) FILTER (WHERE p.best_fixed_mbps < 100) AS lacking_100,
	       count(*) FILTER (WHERE p.best_fixed_mbps < 1000) AS lacking_1000
	FROM address_points_loading p
	GROUP BY 1, 2, 3
), counts AS ( -- run to completion although nothing reads it
	INSERT INTO point_counts (snapshot_id, municipality_code, points, lacking_10, lacking_30, lacking_100, lacking_1000)
	SELECT $1, municipality_code, sum(points), sum(lacking_10), sum(lacking_30), sum(lacking_100), sum(lacking_1000)
	FROM sq
	GROUP BY municipality_code
), s250 AS (
	INSERT INTO square_figures (
		snapshot_id, size, e, n, municipality_code, urban, points, households, workplaces, holiday_homes,
		households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
		workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
		households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
		workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps)
	SELECT $1, 250, e, n, municipality_code,
	       sum(households) OVER (PARTITION BY floor(e::float8 / 1000), floor(n::float8 / 1000)) >= 100,
	       points, households, workplaces, holiday_homes,
	       households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	       households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
	       workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps
	FROM sq
	RETURNING *
)
INSERT INTO square_figures (
	snapshot_id, size, e, n, municipality_code, urban, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
	workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps)
SELECT $1, 1000, (floor(e::float8 / 1000) * 1000)::integer, (floor(n::float8 / 1000) * 1000)::integer, municipality_code,
       bool_or(urban), sum(points), sum(households), sum(workplaces), sum(holiday_homes),
       sum(households_ge_1000), sum(households_ge_100), sum(households_ge_30), sum(households_ge_10),
       sum(workplaces_ge_1000), sum(workplaces_ge_100), sum(workplaces_ge_30), sum(workplaces_ge_10),
       sum(households_any_ge_1000), sum(households_any_ge_100), sum(households_any_ge_30), sum(households_any_ge_10),
       sum(workplaces_any_ge_1000), sum(workplaces_any_ge_100), sum(workplaces_any_ge_30), sum(workplaces_any_ge_10),
       max(best_fixed_mbps)
FROM s250
GROUP BY 3, 4, municipality_code;
