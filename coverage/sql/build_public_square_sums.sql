-- build_public_square_sums.sql: the squares of the map's tiles below zoom 8
-- (tile_squares.sql): the snapshot's public squares (build_public_squares.sql,
-- which runs first) summed into squares of 2, 5, 10 and 20 km of SWEREF 99
-- TM. A cell lies in the coarse square of its lower-left corner (250 m and
-- 1 km squares nest in every one of these sizes). Only sums of public cells:
-- nothing finer than the public squares is ever published. $1 snapshot id.
-- The coarse square is floor(e / size) in float8: for an integer e and a
-- size of at most 20 km the quotient is exact or at least 1/size from an
-- integer, far beyond float8's rounding error, so it is the numeric floor.
INSERT INTO public_square_sums (snapshot_id, size, e, n, cells, points, households, workplaces, holiday_homes,
	households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10, best_fixed_mbps, geom_3857)
SELECT $1, c.size, c.e, c.n, c.cells, c.points, c.households, c.workplaces, c.holiday_homes,
       c.households_ge_1000, c.households_ge_100, c.households_ge_30, c.households_ge_10,
       c.workplaces_ge_1000, c.workplaces_ge_100, c.workplaces_ge_30, c.workplaces_ge_10, c.best_fixed_mbps,
       ST_Transform(ST_Segmentize(ST_MakeEnvelope(c.e, c.n, c.e + c.size, c.n + c.size, 3006), c.size / 4.0), 3857)
FROM (
	SELECT s.size,
	       (floor(q.e::float8 / s.size) * s.size)::integer AS e,
	       (floor(q.n::float8 / s.size) * s.size)::integer AS n,
	       count(*) AS cells, sum(q.points) AS points, sum(q.households) AS households, sum(q.workplaces) AS workplaces,
	       sum(q.holiday_homes) AS holiday_homes,
	       sum(q.households_ge_1000) AS households_ge_1000, sum(q.households_ge_100) AS households_ge_100,
	       sum(q.households_ge_30) AS households_ge_30, sum(q.households_ge_10) AS households_ge_10,
	       sum(q.workplaces_ge_1000) AS workplaces_ge_1000, sum(q.workplaces_ge_100) AS workplaces_ge_100,
	       sum(q.workplaces_ge_30) AS workplaces_ge_30, sum(q.workplaces_ge_10) AS workplaces_ge_10,
	       max(q.best_fixed_mbps) AS best_fixed_mbps
	FROM public_squares q
	CROSS JOIN (VALUES (2000), (5000), (10000), (20000)) AS s (size)
	WHERE q.snapshot_id = $1
	GROUP BY 1, 2, 3
) c;
