-- build_square_figures.sql: figures per 250 m square of SWEREF 99 TM (named
-- by the lower-left corner) and municipality, from address_points_loading:
-- the one scan of the points. Then the 1 km squares, from the 250 m ones (a
-- 250 m square lies in exactly one 1 km square). $1 snapshot id.
--
-- Urban or rural (spec/targets.md, "Urban versus rural"): where no locality
-- boundaries are loaded, a point is urban when the 1 km square around it
-- holds at least 100 households, over every municipality it spans. This is
-- the one place the rule is applied: the area figures and the public squares
-- read the urban column.
WITH s250 AS (
	INSERT INTO square_figures (
		snapshot_id, size, e, n, municipality_code, urban, points, households, workplaces, holiday_homes,
		households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
		workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
		households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
		workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps)
	SELECT $1, 250, e, n, municipality_code,
	       sum(households) OVER (PARTITION BY floor(e / 1000.0), floor(n / 1000.0)) >= 100,
	       points, households, workplaces, holiday_homes,
	       households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	       households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
	       workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps
	FROM (
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
		       max(p.best_fixed_mbps) AS best_fixed_mbps
		FROM address_points_loading p
		GROUP BY 1, 2, 3
	) sq
	RETURNING *
)
INSERT INTO square_figures (
	snapshot_id, size, e, n, municipality_code, urban, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
	workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10, best_fixed_mbps)
SELECT $1, 1000, (floor(e / 1000.0) * 1000)::integer, (floor(n / 1000.0) * 1000)::integer, municipality_code,
       bool_or(urban), sum(points), sum(households), sum(workplaces), sum(holiday_homes),
       sum(households_ge_1000), sum(households_ge_100), sum(households_ge_30), sum(households_ge_10),
       sum(workplaces_ge_1000), sum(workplaces_ge_100), sum(workplaces_ge_30), sum(workplaces_ge_10),
       sum(households_any_ge_1000), sum(households_any_ge_100), sum(households_any_ge_30), sum(households_any_ge_10),
       sum(workplaces_any_ge_1000), sum(workplaces_any_ge_100), sum(workplaces_any_ge_30), sum(workplaces_any_ge_10),
       max(best_fixed_mbps)
FROM s250
GROUP BY 3, 4, municipality_code;
