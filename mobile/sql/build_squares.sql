-- build_squares.sql: one row per square of the file, from the checked and
-- keyed rows (pg_temp.mobile_rows), into mobile_squares_loading: the best
-- class outdoors and indoors over every operator and technology, 5G, how
-- many operators cover it at 10 Mbit/s outdoors, the best speed outdoors,
-- and per operator the same packed into a code (migrations/0051_mobile.sql:
-- operator × 1000 + fiveg × 100 + (indoor index + 1) × 10 + outdoor index).
-- The classes of each row were decided in Go (mobile.ClassOf, mobile.FiveG)
-- on the file's exact decimals; here they are only combined. The rows are
-- read in the order of their key (e, n, operator, technology), so both
-- groupings stream. $1 snapshot id, $2 the municipality codes (a row's
-- municipality is an index into them; 0: none).
INSERT INTO mobile_squares_loading (snapshot_id, e, n, municipality_code, outdoor, indoor, fiveg, operators,
                                    best_outdoor_mbps, ops)
SELECT $1, e, n, ($2::text[])[max(municipality)], (ARRAY[0, 10, 30, 100])[max(outdoor) + 1],
       (ARRAY[0, 10, 30, 100])[max(indoor) + 1], bool_or(fiveg), count(*) FILTER (WHERE outdoor >= 1),
       max(best), array_agg(operator * 1000 + fiveg::int * 100 + (coalesce(indoor, -1) + 1) * 10 + outdoor ORDER BY operator)
FROM (
	SELECT e, n, operator, max(municipality) AS municipality, max(outdoor_index) AS outdoor,
	       max(indoor_index) AS indoor, bool_or(fiveg) AS fiveg, max(outdoor) AS best
	FROM mobile_rows
	GROUP BY e, n, operator
) o
GROUP BY e, n;
