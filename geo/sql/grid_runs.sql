-- grid_runs.sql: the grid squares of size $1 whose centre lies inside
-- municipality $2's boundary (spec/mobile.md, "Area"), as runs along the
-- grid's rows: for each row n, the centre line y = n + size/2 is cut by the
-- boundary's pieces (municipality_parts: few vertices each) into segments
-- [x0, x1), and the squares whose centre x lies in a segment form the run
-- e_from … e_to. The segments are half-open, so that a centre on the line
-- between two pieces (or two municipalities) lies in exactly one; runs of
-- neighbouring pieces are joined. Returns how many squares the runs hold.
WITH lines AS (
	SELECT p.geom, gs.n
	FROM municipality_parts p,
	     generate_series((floor(ST_YMin(p.geom) / $1) * $1)::bigint, (floor(ST_YMax(p.geom) / $1) * $1)::bigint, $1::bigint) AS gs (n)
	WHERE p.municipality_code = $2
), segments AS (
	SELECT n, (ST_Dump(ST_Intersection(geom, ST_SetSRID(ST_MakeLine(
	               ST_MakePoint(ST_XMin(geom) - 1, n + $1 / 2.0),
	               ST_MakePoint(ST_XMax(geom) + 1, n + $1 / 2.0)), 3006)))).geom AS seg
	FROM lines
), runs AS (
	SELECT n, (ceil((ST_XMin(seg) - $1 / 2.0) / $1) * $1)::bigint AS e_from,
	          (ceil((ST_XMax(seg) - $1 / 2.0) / $1) * $1 - $1)::bigint AS e_to
	FROM segments
	WHERE GeometryType(seg) = 'LINESTRING'
), islands AS (
	SELECT n, e_from, e_to,
	       sum(starts) OVER (PARTITION BY n ORDER BY e_from, e_to) AS island
	FROM (SELECT n, e_from, e_to,
	             CASE WHEN e_from <= max(e_to) OVER (PARTITION BY n ORDER BY e_from, e_to
	                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + $1
	                  THEN 0 ELSE 1 END AS starts
	      FROM runs WHERE e_to >= e_from) r
), joined AS (
	INSERT INTO grid_runs (size, municipality_code, n, e_from, e_to)
	SELECT $1, $2, n, min(e_from), max(e_to) FROM islands GROUP BY n, island
	RETURNING (e_to - e_from) / size + 1 AS squares
)
SELECT coalesce(sum(squares), 0)::bigint FROM joined;
