-- build_square_figures.sql: figures per 250 m square of SWEREF 99 TM (named
-- by the lower-left corner) and municipality, from address_points_loading:
-- the one scan of the points. Then the 1 km squares, from the 250 m ones (a
-- 250 m square lies in exactly one 1 km square). $1 snapshot id.
WITH s250 AS (
	INSERT INTO square_figures (
		snapshot_id, size, e, n, municipality_code, points, households, workplaces, holiday_homes,
		households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
		workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
		households_any_ge_1000, households_any_ge_100, households_any_ge_30,
		workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, best_fixed_mbps)
	SELECT $1, 250,
	       (floor(ST_X(p.geom) / 250) * 250)::integer,
	       (floor(ST_Y(p.geom) / 250) * 250)::integer,
	       p.municipality_code,
	       count(*),
	       sum(p.households),
	       sum(p.workplaces),
	       coalesce(sum(p.holiday_homes), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 1000), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 100), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 30), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 10), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 1000), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 100), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 30), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 10), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 1000), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 100), 0),
	       coalesce(sum(p.households) FILTER (WHERE p.best_any_mbps >= 30), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 1000), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 100), 0),
	       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 30), 0),
	       max(p.best_fixed_mbps)
	FROM address_points_loading p
	GROUP BY 3, 4, p.municipality_code
	RETURNING *
)
INSERT INTO square_figures (
	snapshot_id, size, e, n, municipality_code, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	households_any_ge_1000, households_any_ge_100, households_any_ge_30,
	workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, best_fixed_mbps)
SELECT $1, 1000, (floor(e / 1000.0) * 1000)::integer, (floor(n / 1000.0) * 1000)::integer, municipality_code,
       sum(points), sum(households), sum(workplaces), sum(holiday_homes),
       sum(households_ge_1000), sum(households_ge_100), sum(households_ge_30), sum(households_ge_10),
       sum(workplaces_ge_1000), sum(workplaces_ge_100), sum(workplaces_ge_30), sum(workplaces_ge_10),
       sum(households_any_ge_1000), sum(households_any_ge_100), sum(households_any_ge_30),
       sum(workplaces_any_ge_1000), sum(workplaces_any_ge_100), sum(workplaces_any_ge_30), max(best_fixed_mbps)
FROM s250
GROUP BY 3, 4, municipality_code;
