-- outside_points.sql: points that lie outside their municipality's boundary
-- (a warning: address registers and boundaries disagree at the edges), with
-- their first line in the file, the municipality they do lie in and how far
-- they are from their own. The first $1 by line.
SELECT p.address_id, p.municipality_code, min(s.line) AS line,
       (SELECT mp.municipality_code FROM municipality_parts mp
        WHERE ST_Intersects(mp.geom, p.geom) LIMIT 1)                          AS lies_in,
       (SELECT ST_Distance(m.geom, p.geom) FROM municipalities m
        WHERE m.code = p.municipality_code)                                    AS distance_m
FROM address_points_loading p
JOIN staging s USING (address_id)
WHERE NOT p.inside_municipality
GROUP BY p.address_id, p.municipality_code, p.geom
ORDER BY min(s.line)
LIMIT $1;
