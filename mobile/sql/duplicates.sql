-- duplicates.sql: the rows of the file that repeat a square, operator and
-- technology (spec/mobile.md: an error), with the lines of every row of the
-- key, in the order of the first; at most $1 of them, and how many there are
-- in all. Read after the unique key failed to build: a sort of the rows on
-- disk, whatever the order of the file.
SELECT e, n, operator, technology, lines, count(*) OVER ()
FROM (
	SELECT e, n, operator, technology, array_agg(line ORDER BY line) AS lines
	FROM mobile_rows
	GROUP BY e, n, operator, technology
	HAVING count(*) > 1
) d
ORDER BY lines[1]
LIMIT $1;
