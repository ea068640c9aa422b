-- build_area_figures.sql: figures per municipality and county, for all points
-- and for the urban and rural ones, from address_points_loading. $1 snapshot id.
-- A county is the first two digits of its municipalities' codes.
INSERT INTO area_figures (
	snapshot_id, kind, code, part, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	households_any_ge_1000, households_any_ge_100, households_any_ge_30,
	workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30)
SELECT $1,
       CASE WHEN GROUPING(p.municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       coalesce(p.municipality_code, left(min(p.municipality_code), 2)),
       CASE WHEN GROUPING(p.urban) = 1 THEN 'all' WHEN p.urban THEN 'urban' ELSE 'rural' END,
       count(*),
       coalesce(sum(p.households), 0),
       coalesce(sum(p.workplaces), 0),
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
       coalesce(sum(p.workplaces) FILTER (WHERE p.best_any_mbps >= 30), 0)
FROM address_points_loading p
GROUP BY GROUPING SETS (
	(p.municipality_code), (p.municipality_code, p.urban),
	(left(p.municipality_code, 2)), (left(p.municipality_code, 2), p.urban));
