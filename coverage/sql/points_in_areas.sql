-- points_in_areas.sql: the address points of a snapshot that areas given as
-- parameters cover (ST_Covers: a point on an area's edge is in it), one row
-- per point, with the indexes of every area that covers it, its best fixed
-- offer (what counts as access), whether it is urban (its 250 m square's
-- flag, build_square_figures.sql) and the public square it is counted in
-- (build_public_squares.sql: its 250 m cell, or the pooled rest of its 1 km
-- square when its cell has fewer than 5 households), with that square's
-- households. Nothing here reads another package's tables: the areas come
-- as parameters. $1 snapshot id; $2 the areas as WKB in SWEREF 99 TM.
WITH area AS (
	SELECT (a.i - 1)::int4 AS i, ST_SetSRID(ST_GeomFromWKB(a.g), 3006) AS geom
	FROM unnest($2::bytea[]) WITH ORDINALITY AS a (g, i)
), hit AS (
	SELECT p.address_id, min(p.municipality_code) AS municipality_code,
	       min(p.households)::int8 AS households, min(p.workplaces)::int8 AS workplaces,
	       coalesce(min(p.holiday_homes), 0)::int8 AS holiday_homes, min(p.best_fixed_mbps) AS best,
	       (floor(min(ST_X(p.geom)) / 250) * 250)::integer AS e, (floor(min(ST_Y(p.geom)) / 250) * 250)::integer AS n,
	       array_agg(a.i ORDER BY a.i) AS areas
	FROM area a
	JOIN address_points p ON p.snapshot_id = $1 AND p.geom && a.geom AND ST_Covers(a.geom, p.geom)
	GROUP BY p.address_id
)
SELECT h.address_id, h.municipality_code, h.households, h.workplaces, h.holiday_homes, h.best,
       coalesce(sq.urban, false),
       CASE WHEN c250.size IS NOT NULL THEN h.municipality_code || '.250m-E' || c250.e || '-N' || c250.n
            WHEN c1000.size IS NOT NULL THEN h.municipality_code || '.1000m-E' || c1000.e || '-N' || c1000.n
            ELSE '' END,
       coalesce(c250.households, c1000.households, 0)::int8,
       h.areas
FROM hit h
LEFT JOIN square_figures sq
       ON sq.snapshot_id = $1 AND sq.size = 250 AND sq.e = h.e AND sq.n = h.n AND sq.municipality_code = h.municipality_code
LEFT JOIN public_squares c250
       ON c250.snapshot_id = $1 AND c250.municipality_code = h.municipality_code AND c250.size = 250
      AND c250.e = h.e AND c250.n = h.n
LEFT JOIN public_squares c1000
       ON c250.size IS NULL AND sq.households < 5
      AND c1000.snapshot_id = $1 AND c1000.municipality_code = h.municipality_code AND c1000.size = 1000
      AND c1000.e = (floor(h.e / 1000.0) * 1000)::integer AND c1000.n = (floor(h.n / 1000.0) * 1000)::integer
ORDER BY h.address_id;
