-- label_points.sql: where the map writes each municipality's name: the
-- centre of the largest circle inside its boundary (on the largest island of
-- an archipelago, never in the sea, unlike a centroid), in WGS 84.
SELECT m.code, m.name, m.county_code, ST_X(c.p), ST_Y(c.p)
FROM municipalities m,
     LATERAL (SELECT ST_Transform((ST_MaximumInscribedCircle(ST_Simplify(m.geom, 100))).center, 4326) AS p) c
ORDER BY m.code;
