-- gaps_points.sql: address points of one snapshot lacking a speed class
-- (spec/product.md, "The municipality"), each with the nearest point that
-- has >= 1 Gbit/s and the distance in metres: a KNN search (<->) on the
-- partial GiST index address_points_gigabit_knn_idx of the same
-- partition (migration 0095), of the points as PostgreSQL points: their
-- SWEREF 99 TM coordinates exactly, so the nearest is the one ST_Distance
-- finds nearest, however far (no radius bounds the search).
-- Largest first: households + workplaces, then the id.
-- The page is chosen first (filter, order, limit and offset, read off
-- address_points_size_idx where that is cheapest), and the nearest search
-- runs for its rows only: a page of 20 costs 20 searches, however many
-- points the snapshot holds.
-- $1 the snapshot id; $2 municipality codes (NULL: all); $3 the class in
-- Mbit/s (NULL: every point, lacking or not); $4-$7 a bounding box in WGS
-- 84 lon/lat (NULL: none); $8 limit (NULL: all); $9 offset; $10 one
-- address id (NULL: all); $11 the output SRID (4326, or 3006 as northing,
-- easting); $12 the SRID of the bounding box. The filter (queryables.go)
-- takes $13 on.
-- The nearest point's address is given only when it lies in the same
-- municipality: a municipality never sees another's address points.
SELECT s.as_of,
       p.address_id, p.municipality_code,
       coalesce(p.street, ''), coalesce(p.number, ''), coalesce(p.postcode, ''), coalesce(p.locality, ''),
       p.households::int8, p.workplaces::int8, p.holiday_homes::int8,
       coalesce(p.best_fixed_technology::text, ''), p.best_fixed_mbps::float8, coalesce(p.best_fixed_operator, ''),
       p.planned_mbps::float8, p.planned_year::int,
       ST_X(p.geom), ST_Y(p.geom),
       ST_AsGeoJSON(CASE WHEN $11::int = 3006 THEN ST_FlipCoordinates(p.geom) ELSE ST_Transform(p.geom, $11::int) END,
                    CASE WHEN $11::int = 4326 THEN 7 ELSE 2 END, 0), -- 0: no crs member
       g.municipality_code,
       CASE WHEN g.municipality_code = p.municipality_code THEN g.address_id END,
       CASE WHEN g.municipality_code = p.municipality_code THEN g.street END,
       CASE WHEN g.municipality_code = p.municipality_code THEN g.number END,
       g.distance
FROM (
	SELECT p.*
	FROM address_points p
	WHERE p.snapshot_id = $1
	  AND ($2::text[] IS NULL OR p.municipality_code = ANY ($2))
	  AND ($3::numeric IS NULL OR p.best_fixed_mbps < $3)
	  AND ($4::float8 IS NULL OR (
	        p.geom && ST_Transform(ST_MakeEnvelope($4, $5, $6, $7, $12::int), 3006)
	        AND ST_Intersects(ST_Transform(p.geom, $12::int), ST_MakeEnvelope($4, $5, $6, $7, $12::int))))
	  AND ($10::text IS NULL OR p.address_id = $10)
	  AND /* filter */ true
	ORDER BY p.households + p.workplaces DESC, p.address_id
	LIMIT $8 OFFSET $9
) p
JOIN snapshots s ON s.id = p.snapshot_id
LEFT JOIN LATERAL (
	SELECT q.address_id, q.municipality_code, q.street, q.number, ST_Distance(q.geom, p.geom) AS distance
	FROM address_points q
	WHERE q.snapshot_id = p.snapshot_id AND q.best_fixed_mbps >= 1000
	ORDER BY q.geom::point <-> p.geom::point
	LIMIT 1
) g ON true
ORDER BY p.households + p.workplaces DESC, p.address_id;
