-- municipality_bounds.sql: every municipality's bounding box in SWEREF 99 TM.
SELECT code, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM municipalities ORDER BY code;
