-- public_squares.sql: a page of the public squares of the snapshots
-- (build_public_squares.sql), for OGC API – Features: the cell's shape in
-- the SRID asked for. $1 snapshot ids; $2-$5 a bounding box in WGS 84
-- lon/lat (NULL: none); $6 one municipality code, $7 size, $8 e, $9 n (NULL:
-- every cell); $10 limit (NULL: all); $11 offset; $12 the output SRID:
-- 4326 (lon, lat) or 3006 in its own axis order (northing, easting, as OGC
-- API – Features Part 2 asks); $13 the SRID of the bounding box (its
-- corners x, y: lon, lat or easting, northing). The filter (queryables.go)
-- takes $14 on.
-- The page is chosen on the squares' keys first (a narrow sort of every
-- square of the snapshots: an offset cannot skip it), and only its rows are
-- read in full and get their GeoJSON: at national size, with the GeoJSON
-- made for every skipped row and the whole rows sorted (spilling to disk),
-- a page at offset 65 000 took 2.8 s (bench/sweden.md, "Reads").
SELECT k.as_of, q.municipality_code, q.size, q.e, q.n, q.points, q.households, q.workplaces, q.holiday_homes,
       q.households_ge_1000, q.households_ge_100, q.households_ge_30, q.households_ge_10,
       q.workplaces_ge_1000, q.workplaces_ge_100, q.workplaces_ge_30, q.workplaces_ge_10,
       q.best_fixed_mbps::float8,
       ST_AsGeoJSON(CASE WHEN $12::int = 3006 THEN ST_FlipCoordinates(q.geom) ELSE ST_Transform(q.geom, $12::int) END,
                    CASE WHEN $12::int = 4326 THEN 7 ELSE 2 END, 0) -- 0: no crs member
FROM (
	SELECT s.as_of, q.snapshot_id, q.municipality_code, q.size, q.e, q.n
	FROM public_squares q
	JOIN snapshots s ON s.id = q.snapshot_id
	WHERE q.snapshot_id = ANY ($1::int8[])
	  AND ($6::text IS NULL OR (q.municipality_code, q.size, q.e, q.n) = ($6, $7, $8, $9))
	  AND ($2::float8 IS NULL OR (
	        q.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, $13::int), 3006)
	        AND ST_Intersects(ST_Transform(q.geom, $13::int), ST_MakeEnvelope($2, $3, $4, $5, $13::int))))
	  AND /* filter */ true
	ORDER BY s.as_of DESC, q.n, q.e, q.size, q.municipality_code
	LIMIT $10 OFFSET $11
) k
JOIN public_squares q ON (q.snapshot_id, q.e, q.n, q.size, q.municipality_code) = (k.snapshot_id, k.e, k.n, k.size, k.municipality_code)
ORDER BY k.as_of DESC, k.n, k.e, k.size, k.municipality_code;
