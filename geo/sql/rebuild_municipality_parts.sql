-- rebuild_municipality_parts.sql: every municipality cut into polygons of at
-- most 256 vertices, so that a point-in-polygon test touches a small piece.
DELETE FROM municipality_parts;
INSERT INTO municipality_parts (municipality_code, geom)
SELECT code, (ST_Dump(ST_Subdivide(geom, 256))).geom
FROM municipalities;
