-- changes.sql: what changed between two snapshots, per municipality and its
-- county: households and workplaces then and now, and how many of them had
-- access to the class ($3: 1000, 100, 30 or 10 Mbit/s) then and now, from
-- the area figures. The square columns add up the public 250 m cells found
-- in both snapshots (the cells every public channel shows): how many gained
-- access in cells where access grew, how many lost it where it fell, and the
-- households in cells that are new. Nothing finer than a public cell is read.
-- $1 the earlier snapshot id, $2 the later.
WITH covered AS (
	SELECT code FROM area_figures WHERE snapshot_id = $2 AND kind = 'county' AND part = 'all'
), fig AS (
	SELECT a.snapshot_id, a.kind, a.code, a.households, a.workplaces,
	       CASE $3::int WHEN 1000 THEN a.households_ge_1000 + a.workplaces_ge_1000
	                    WHEN 100 THEN a.households_ge_100 + a.workplaces_ge_100
	                    WHEN 30 THEN a.households_ge_30 + a.workplaces_ge_30
	                    ELSE a.households_ge_10 + a.workplaces_ge_10 END AS covered
	FROM area_figures a
	WHERE a.snapshot_id IN ($1, $2) AND a.part = 'all'
), cells AS (
	SELECT coalesce(t.municipality_code, f.municipality_code) AS code,
	       f.e IS NULL AS new_cell, t.e IS NULL AS gone_cell,
	       coalesce(t.households, 0) AS households_to,
	       coalesce(CASE $3::int WHEN 1000 THEN t.households_ge_1000 + t.workplaces_ge_1000
	                             WHEN 100 THEN t.households_ge_100 + t.workplaces_ge_100
	                             WHEN 30 THEN t.households_ge_30 + t.workplaces_ge_30
	                             ELSE t.households_ge_10 + t.workplaces_ge_10 END, 0)
	     - coalesce(CASE $3::int WHEN 1000 THEN f.households_ge_1000 + f.workplaces_ge_1000
	                             WHEN 100 THEN f.households_ge_100 + f.workplaces_ge_100
	                             WHEN 30 THEN f.households_ge_30 + f.workplaces_ge_30
	                             ELSE f.households_ge_10 + f.workplaces_ge_10 END, 0) AS delta
	FROM (SELECT * FROM public_squares WHERE snapshot_id = $2 AND size = 250) t
	FULL JOIN (SELECT * FROM public_squares WHERE snapshot_id = $1 AND size = 250) f
	       ON f.municipality_code = t.municipality_code AND f.e = t.e AND f.n = t.n
), by_muni AS (
	SELECT code,
	       sum(delta) FILTER (WHERE NOT new_cell AND NOT gone_cell AND delta > 0) AS gained,
	       -sum(delta) FILTER (WHERE NOT new_cell AND NOT gone_cell AND delta < 0) AS lost,
	       sum(households_to) FILTER (WHERE new_cell) AS new_cell_households
	FROM cells GROUP BY code
)
SELECT m.kind, m.code, m.name,
       coalesce(f.households, 0), coalesce(f.workplaces, 0), coalesce(f.covered, 0),
       coalesce(t.households, 0), coalesce(t.workplaces, 0), coalesce(t.covered, 0),
       coalesce(c.gained, 0), coalesce(c.lost, 0), coalesce(c.new_cell_households, 0)
FROM (SELECT 'municipality' AS kind, mu.code, mu.name, mu.county_code, 0 AS ord
      FROM municipalities mu JOIN covered cv ON cv.code = mu.county_code
      UNION ALL
      SELECT 'county', co.code, co.name, co.code, 1 FROM counties co JOIN covered cv ON cv.code = co.code) m
LEFT JOIN fig f ON f.snapshot_id = $1 AND f.kind = m.kind AND f.code = m.code
LEFT JOIN fig t ON t.snapshot_id = $2 AND t.kind = m.kind AND t.code = m.code
LEFT JOIN (SELECT code, gained, lost, new_cell_households FROM by_muni
           UNION ALL
           SELECT mu.county_code, sum(b.gained), sum(b.lost), sum(b.new_cell_households)
           FROM by_muni b JOIN municipalities mu ON mu.code = b.code GROUP BY mu.county_code) c
       ON c.code = m.code AND (m.kind = 'county') = (length(c.code) = 2)
ORDER BY m.county_code, m.ord, m.code;
