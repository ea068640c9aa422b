-- build_area_figures.sql: figures per municipality and county, for all points
-- and for the urban and rural ones, summed from the 250 m squares (a square
-- is split by municipality, so the sums are exact; its urban flag is set by
-- build_square_figures.sql). $1 snapshot id. A county is the first two
-- digits of its municipalities' codes.
INSERT INTO area_figures (
	snapshot_id, kind, code, part, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10,
	households_any_ge_1000, households_any_ge_100, households_any_ge_30, households_any_ge_10,
	workplaces_any_ge_1000, workplaces_any_ge_100, workplaces_any_ge_30, workplaces_any_ge_10)
SELECT $1,
       CASE WHEN GROUPING(municipality_code) = 0 THEN 'municipality' ELSE 'county' END,
       coalesce(municipality_code, left(min(municipality_code), 2)),
       CASE WHEN GROUPING(urban) = 1 THEN 'all' WHEN urban THEN 'urban' ELSE 'rural' END,
       sum(points), sum(households), sum(workplaces), sum(holiday_homes),
       sum(households_ge_1000), sum(households_ge_100), sum(households_ge_30), sum(households_ge_10),
       sum(workplaces_ge_1000), sum(workplaces_ge_100), sum(workplaces_ge_30), sum(workplaces_ge_10),
       sum(households_any_ge_1000), sum(households_any_ge_100), sum(households_any_ge_30), sum(households_any_ge_10),
       sum(workplaces_any_ge_1000), sum(workplaces_any_ge_100), sum(workplaces_any_ge_30), sum(workplaces_any_ge_10)
FROM square_figures
WHERE snapshot_id = $1 AND size = 250
GROUP BY GROUPING SETS (
	(municipality_code), (municipality_code, urban),
	(left(municipality_code, 2)), (left(municipality_code, 2), urban));
