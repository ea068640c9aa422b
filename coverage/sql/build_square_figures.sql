-- build_square_figures.sql: figures per 250 m and 1 km square of SWEREF 99 TM
-- (named by the lower-left corner) and municipality, from
-- address_points_loading. $1 snapshot id.
INSERT INTO square_figures (
	snapshot_id, size, e, n, municipality_code, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, best_fixed_mbps)
SELECT $1, sz.size,
       (floor(ST_X(p.geom) / sz.size) * sz.size)::integer,
       (floor(ST_Y(p.geom) / sz.size) * sz.size)::integer,
       p.municipality_code,
       count(*),
       sum(p.households),
       sum(p.workplaces),
       coalesce(sum(p.holiday_homes), 0),
       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 1000), 0),
       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 100), 0),
       coalesce(sum(p.households) FILTER (WHERE p.best_fixed_mbps >= 30), 0),
       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 1000), 0),
       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 100), 0),
       coalesce(sum(p.workplaces) FILTER (WHERE p.best_fixed_mbps >= 30), 0),
       max(p.best_fixed_mbps)
FROM address_points_loading p
CROSS JOIN (VALUES (250), (1000)) AS sz (size)
GROUP BY sz.size, 3, 4, p.municipality_code;
