-- build_area_people.sql: where people are (spec/mobile.md, "Where people
-- are"): the households, workplaces and holiday homes at the address points
-- of the coverage snapshot in force whose square is covered, per
-- municipality (of the point), county and Sweden, for all operators
-- together ('') and per operator: 'total' (every point), 'outdoor' and
-- 'indoor' per class, 'fiveg', and (all operators) 'operators' k: in squares
-- covered at 10 Mbit/s outdoors by exactly k operators. The points come as
-- sums per square and municipality (coverage.Store.CopySquareSums) in
-- pg_temp.mobile_population; only this snapshot's squares are read.
-- $1 mobile snapshot id, $2 its operators.
WITH people AS (
	SELECT p.municipality_code AS code, p.households, p.workplaces, p.holiday_homes,
	       coalesce(s.outdoor, 0) AS outdoor, s.indoor, coalesce(s.fiveg, false) AS fiveg,
	       coalesce(s.operators, 0) AS operators, coalesce(s.ops, '{}') AS ops
	FROM mobile_population p
	LEFT JOIN mobile_squares s ON s.snapshot_id = $1 AND s.e = p.e AND s.n = p.n
), offers AS (
	SELECT code, '' AS operator, households, workplaces, holiday_homes, outdoor, indoor, fiveg FROM people
	UNION ALL
	SELECT p.code, ($2::text[])[o / 1000], p.households, p.workplaces, p.holiday_homes,
	       (ARRAY[0, 10, 30, 100])[o % 10 + 1], (ARRAY[NULL, 0, 10, 30, 100]::smallint[])[o / 10 % 10 + 1],
	       o / 100 % 10 = 1
	FROM people p, unnest(p.ops) AS o
), counted AS (
	SELECT code, operator,
	       sum(households) AS h, sum(workplaces) AS w, sum(holiday_homes) AS hh,
	       coalesce(sum(households) FILTER (WHERE outdoor >= 10), 0) AS h_o10,
	       coalesce(sum(workplaces) FILTER (WHERE outdoor >= 10), 0) AS w_o10,
	       coalesce(sum(holiday_homes) FILTER (WHERE outdoor >= 10), 0) AS hh_o10,
	       coalesce(sum(households) FILTER (WHERE outdoor >= 30), 0) AS h_o30,
	       coalesce(sum(workplaces) FILTER (WHERE outdoor >= 30), 0) AS w_o30,
	       coalesce(sum(holiday_homes) FILTER (WHERE outdoor >= 30), 0) AS hh_o30,
	       coalesce(sum(households) FILTER (WHERE outdoor >= 100), 0) AS h_o100,
	       coalesce(sum(workplaces) FILTER (WHERE outdoor >= 100), 0) AS w_o100,
	       coalesce(sum(holiday_homes) FILTER (WHERE outdoor >= 100), 0) AS hh_o100,
	       coalesce(sum(households) FILTER (WHERE indoor >= 10), 0) AS h_i10,
	       coalesce(sum(workplaces) FILTER (WHERE indoor >= 10), 0) AS w_i10,
	       coalesce(sum(holiday_homes) FILTER (WHERE indoor >= 10), 0) AS hh_i10,
	       coalesce(sum(households) FILTER (WHERE indoor >= 30), 0) AS h_i30,
	       coalesce(sum(workplaces) FILTER (WHERE indoor >= 30), 0) AS w_i30,
	       coalesce(sum(holiday_homes) FILTER (WHERE indoor >= 30), 0) AS hh_i30,
	       coalesce(sum(households) FILTER (WHERE indoor >= 100), 0) AS h_i100,
	       coalesce(sum(workplaces) FILTER (WHERE indoor >= 100), 0) AS w_i100,
	       coalesce(sum(holiday_homes) FILTER (WHERE indoor >= 100), 0) AS hh_i100,
	       coalesce(sum(households) FILTER (WHERE fiveg), 0) AS h_f,
	       coalesce(sum(workplaces) FILTER (WHERE fiveg), 0) AS w_f,
	       coalesce(sum(holiday_homes) FILTER (WHERE fiveg), 0) AS hh_f
	FROM offers
	GROUP BY code, operator
), municipal AS (
	SELECT c.code, c.operator, m.measure, m.class_mbps, m.h, m.w, m.hh
	FROM counted c, LATERAL (VALUES ('total', 0, c.h, c.w, c.hh),
	                                ('outdoor', 10, c.h_o10, c.w_o10, c.hh_o10),
	                                ('outdoor', 30, c.h_o30, c.w_o30, c.hh_o30),
	                                ('outdoor', 100, c.h_o100, c.w_o100, c.hh_o100),
	                                ('indoor', 10, c.h_i10, c.w_i10, c.hh_i10),
	                                ('indoor', 30, c.h_i30, c.w_i30, c.hh_i30),
	                                ('indoor', 100, c.h_i100, c.w_i100, c.hh_i100),
	                                ('fiveg', 0, c.h_f, c.w_f, c.hh_f)) AS m (measure, class_mbps, h, w, hh)
	WHERE c.operator = '' OR m.measure <> 'total'
	UNION ALL
	SELECT code, '', 'operators', operators, sum(households), sum(workplaces), sum(holiday_homes)
	FROM people
	WHERE operators > 0
	GROUP BY code, operators
)
INSERT INTO mobile_area_people (snapshot_id, kind, code, operator, measure, class_mbps, households, workplaces, holiday_homes)
SELECT $1::bigint, 'municipality', code, operator, measure, class_mbps, h, w, hh FROM municipal
UNION ALL
SELECT $1::bigint, 'county', left(code, 2), operator, measure, class_mbps, sum(h), sum(w), sum(hh) FROM municipal
GROUP BY left(code, 2), operator, measure, class_mbps
UNION ALL
SELECT $1::bigint, 'country', 'SE', operator, measure, class_mbps, sum(h), sum(w), sum(hh) FROM municipal
GROUP BY operator, measure, class_mbps;
