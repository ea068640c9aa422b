-- report_projects.sql: the projects of register version $1 with their
-- figures against snapshot $2, in file order: those reaching into
-- municipality $3 ('' for all), or the one of id $4 ('' for all). Money as
-- text (exact), the area's bounding box in WGS 84, and the figures per
-- municipality as JSON.
SELECT p.id, p.name, coalesce(p.owner, ''), p.status::text, p.start_year::int, p.completion_year::int,
       p.down_mbps::text, p.cost_sek::text, p.funding_sek::text, p.public_funding_sek::text, p.municipalities,
       coalesce((SELECT json_agg(json_build_object('source', x.source, 'programme', coalesce(x.programme, ''),
                                                   'amount_sek', x.amount_sek::float8) ORDER BY x.ord)
                 FROM project_funding x WHERE x.register_version = p.register_version AND x.project_id = p.id), '[]'::json),
       ST_XMin(p.geom_wgs84), ST_YMin(p.geom_wgs84), ST_XMax(p.geom_wgs84), ST_YMax(p.geom_wgs84),
       coalesce(f.points, 0), coalesce(f.households, 0), coalesce(f.workplaces, 0), coalesce(f.holiday_homes, 0),
       coalesce(f.gap_points, 0), coalesce(f.gap_households, 0), coalesce(f.gap_workplaces, 0),
       coalesce(f.points_with_class, 0), coalesce(f.withheld, false),
       coalesce((SELECT json_agg(json_build_object('code', m.municipality_code, 'points', m.points,
                                                   'households', m.households, 'workplaces', m.workplaces,
                                                   'holiday_homes', m.holiday_homes, 'gap_points', m.gap_points,
                                                   'gap_households', m.gap_households,
                                                   'gap_workplaces', m.gap_workplaces) ORDER BY m.municipality_code)
                 FROM project_figures m
                 WHERE m.register_version = p.register_version AND m.snapshot_id = $2 AND m.project_id = p.id
                   AND m.municipality_code <> ''), '[]'::json)
FROM projects p
LEFT JOIN project_figures f
       ON f.register_version = p.register_version AND f.snapshot_id = $2 AND f.project_id = p.id AND f.municipality_code = ''
WHERE p.register_version = $1
  AND ($3 = '' OR $3 = ANY (p.municipalities)
       OR EXISTS (SELECT FROM project_figures m WHERE m.register_version = p.register_version AND m.snapshot_id = $2
                  AND m.project_id = p.id AND m.municipality_code = $3))
  AND ($4 = '' OR p.id = $4)
ORDER BY p.feature;
