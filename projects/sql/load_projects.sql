-- load_projects.sql: the projects of register version $1 in file order,
-- with their funding as JSON and their areas as WKB in SWEREF 99 TM.
SELECT p.id, p.feature, p.name, coalesce(p.owner, ''), p.status::text, p.start_year::int, p.completion_year::int,
       p.down_mbps, p.cost_sek::text, p.funding_sek::text, p.public_funding_sek::text, p.municipalities,
       coalesce((SELECT json_agg(json_build_object('source', f.source, 'programme', coalesce(f.programme, ''),
                                                   'amount_sek', f.amount_sek::float8) ORDER BY f.ord)
                 FROM project_funding f WHERE f.register_version = p.register_version AND f.project_id = p.id), '[]'::json),
       ST_AsBinary(p.geom)
FROM projects p
WHERE p.register_version = $1
ORDER BY p.feature;
