-- build_area_squares.sql: the squares figures of every area (spec/mobile.md,
-- "Area"): per municipality of the counties the file touches (a square
-- belongs to the municipality whose boundary holds its centre), per county
-- (the union of its municipalities) and, for a national file, Sweden; for
-- all operators together ('') and per operator: the squares covered
-- outdoors and indoors per class, with 5G, and (all operators) the squares
-- covered at 10 Mbit/s outdoors by exactly k operators; 'total' is every
-- square of the area (geo's grid set: covered or not, in the file or not).
-- $1 snapshot id, $2 the operators, $3 municipality codes and $4 their
-- squares (every municipality of the counties touched), $5 national.
WITH areas AS (
	SELECT code, squares FROM unnest($3::text[], $4::bigint[]) AS a (code, squares)
), offers AS (
	SELECT municipality_code AS code, '' AS operator, outdoor, indoor, fiveg
	FROM mobile_squares_loading WHERE municipality_code IS NOT NULL
	UNION ALL
	SELECT s.municipality_code, ($2::text[])[o / 1000], (ARRAY[0, 10, 30, 100])[o % 10 + 1],
	       (ARRAY[NULL, 0, 10, 30, 100]::smallint[])[o / 10 % 10 + 1], o / 100 % 10 = 1
	FROM mobile_squares_loading s, unnest(s.ops) AS o
	WHERE s.municipality_code IS NOT NULL
), counted AS (
	SELECT code, operator,
	       count(*) FILTER (WHERE outdoor >= 10) AS o10, count(*) FILTER (WHERE outdoor >= 30) AS o30,
	       count(*) FILTER (WHERE outdoor >= 100) AS o100, count(*) FILTER (WHERE indoor >= 10) AS i10,
	       count(*) FILTER (WHERE indoor >= 30) AS i30, count(*) FILTER (WHERE indoor >= 100) AS i100,
	       count(*) FILTER (WHERE fiveg) AS f
	FROM offers
	GROUP BY code, operator
), municipal AS (
	SELECT c.code, c.operator, m.measure, m.class_mbps, m.squares
	FROM counted c, LATERAL (VALUES ('outdoor', 10, c.o10), ('outdoor', 30, c.o30), ('outdoor', 100, c.o100),
	                                ('indoor', 10, c.i10), ('indoor', 30, c.i30), ('indoor', 100, c.i100),
	                                ('fiveg', 0, c.f)) AS m (measure, class_mbps, squares)
	UNION ALL
	SELECT municipality_code, '', 'operators', operators, count(*)
	FROM mobile_squares_loading
	WHERE municipality_code IS NOT NULL AND operators > 0
	GROUP BY municipality_code, operators
	UNION ALL
	SELECT code, '', 'total', 0, squares FROM areas
)
INSERT INTO mobile_area_squares (snapshot_id, kind, code, operator, measure, class_mbps, squares)
SELECT $1::bigint, 'municipality', code, operator, measure, class_mbps, squares FROM municipal
UNION ALL
SELECT $1::bigint, 'county', left(code, 2), operator, measure, class_mbps, sum(squares) FROM municipal
GROUP BY left(code, 2), operator, measure, class_mbps
UNION ALL
SELECT $1::bigint, 'country', 'SE', operator, measure, class_mbps, sum(squares) FROM municipal
WHERE $5
GROUP BY operator, measure, class_mbps;
