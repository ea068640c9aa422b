-- split_points.sql: address points whose rows were scattered in the file
-- arrive as several pieces in address_points_loading. One row per such point
-- with each offer of each piece, in file order of the pieces (a piece's line
-- is the line of its first row), to find what disagrees; the first $1 points
-- by line, and how many there are.
WITH split AS (
	SELECT address_id FROM address_points_loading GROUP BY address_id HAVING count(*) > 1
), pieces AS (
	SELECT l.address_id, l.line, l.households, l.workplaces, coalesce(l.holiday_homes, -1) AS holiday_homes,
	       l.municipality_code, ST_X(l.geom) AS e, ST_Y(l.geom) AS n, o.technology, o.ord
	FROM address_points_loading l
	JOIN split USING (address_id)
	CROSS JOIN LATERAL unnest(l.offers) WITH ORDINALITY AS o (technology, status, down_mbps, up_mbps, operator, planned_year, ord)
)
SELECT address_id,
       array_agg(line ORDER BY line, ord),
       array_agg(technology::text ORDER BY line, ord),
       array_agg(households ORDER BY line, ord),
       array_agg(workplaces ORDER BY line, ord),
       array_agg(holiday_homes ORDER BY line, ord),
       array_agg(municipality_code ORDER BY line, ord),
       array_agg(e ORDER BY line, ord),
       array_agg(n ORDER BY line, ord),
       count(*) OVER ()
FROM pieces
GROUP BY address_id
ORDER BY min(line)
LIMIT $1;
