-- insert_projects.sql: the staged projects become register version $1.
INSERT INTO projects (register_version, id, feature, name, owner, status, start_year, completion_year, down_mbps,
                      cost_sek, funding_sek, public_funding_sek, municipalities, geom, geom_wgs84, label)
SELECT $1, s.id, s.feature, s.name, s.owner, s.status::project_status, s.start_year, s.completion_year,
       s.down_mbps::numeric, s.cost_sek::numeric,
       s.funding_sek::numeric, s.public_sek::numeric, -- summed in Go (FundingSource.Public)
       s.municipalities, s.geom, s.geom_wgs84, ST_PointOnSurface(s.geom_wgs84)
FROM project_staging s;
