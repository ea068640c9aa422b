-- lookup.sql: the projects of register version $1 whose areas cover each
-- of the points given ($2 address ids, $3 and $4 their SWEREF 99 TM
-- positions): ST_Covers, as the figures count them.
WITH pt AS (
	SELECT a.address_id, ST_SetSRID(ST_MakePoint(a.e, a.n), 3006) AS geom
	FROM unnest($2::text[], $3::float8[], $4::float8[]) AS a (address_id, e, n)
)
SELECT pt.address_id, p.id, p.name, p.status::text, p.completion_year::int, p.feature, p.down_mbps
FROM pt
JOIN projects p ON p.register_version = $1 AND p.geom && pt.geom AND ST_Covers(p.geom, pt.geom);
