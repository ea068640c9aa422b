-- square_sums.sql: the households, workplaces and holiday homes of a
-- snapshot's address points per grid square (SWEREF 99 TM, the square of the
-- size holding the point: floor(x / size) × size) and municipality, for
-- mobile coverage's figures (spec/mobile.md, "Where people are"): no
-- address, no offer, only sums; squares without any left out.
-- %[1]d the snapshot id, %[2]d the size in metres (COPY takes no parameters;
-- integers formatted in). The 250 m and 1 km squares are read from the square
-- figures; any other size from the points.
COPY (
	SELECT e, n, municipality_code, households, workplaces, holiday_homes
	FROM square_figures
	WHERE snapshot_id = %[1]d AND size = %[2]d AND %[2]d IN (250, 1000)
	  AND households + workplaces + holiday_homes > 0
	UNION ALL
	SELECT (floor(ST_X(geom) / %[2]d) * %[2]d)::integer, (floor(ST_Y(geom) / %[2]d) * %[2]d)::integer,
	       municipality_code, sum(households), sum(workplaces), coalesce(sum(holiday_homes), 0)
	FROM address_points
	WHERE snapshot_id = %[1]d AND %[2]d NOT IN (250, 1000)
	GROUP BY 1, 2, 3
	HAVING sum(households) + sum(workplaces) + coalesce(sum(holiday_homes), 0) > 0
) TO STDOUT (FORMAT csv)
