-- gigabit_gap_points.sql: every address point of a snapshot lacking
-- 1 Gbit/s that has households or workplaces, with whether it is urban (its
-- 250 m square's flag) and the distance in metres to the nearest address
-- point with >= 1 Gbit/s: the gap report's nearest-neighbour search
-- (gaps_points.sql), on the same partial index. $1 snapshot id.
SELECT p.address_id, p.municipality_code, p.households::int8, p.workplaces::int8, coalesce(sq.urban, false),
       ST_X(p.geom), ST_Y(p.geom), g.distance
FROM address_points p
LEFT JOIN square_figures sq
       ON sq.snapshot_id = p.snapshot_id AND sq.size = 250 AND sq.municipality_code = p.municipality_code
      AND sq.e = (floor(ST_X(p.geom) / 250) * 250)::integer AND sq.n = (floor(ST_Y(p.geom) / 250) * 250)::integer
LEFT JOIN LATERAL (
	SELECT ST_Distance(q.geom, p.geom) AS distance
	FROM address_points q
	WHERE q.snapshot_id = p.snapshot_id AND q.best_fixed_mbps >= 1000
	ORDER BY q.geom::point <-> p.geom::point
	LIMIT 1
) g ON true
WHERE p.snapshot_id = $1 AND p.best_fixed_mbps < 1000 AND p.households + p.workplaces > 0;
