-- build_points.sql: the staged rows folded into address points, with each
-- point's best offers (spec/coverage-format.md, "What counts as access"),
-- its urban/rural class and whether it lies in its municipality, into
-- address_points_loading. $1 snapshot id.
--
-- access: connected or passed; fixed: not mobile, satellite or none.
-- Urban: the 1 km square (SWEREF 99 TM) around the point holds >= 100
-- households, the stand-in for a tätort rule (spec/targets.md).
WITH rows AS (
	SELECT s.*,
	       s.technology::technology                              AS tech,
	       s.status::offer_status                                AS st,
	       s.status IN ('connected', 'passed')                   AS access,
	       s.technology NOT IN ('mobile', 'satellite', 'none')   AS fixed
	FROM staging s
), points AS (
	SELECT address_id,
	       min(municipality_code)                                              AS municipality_code,
	       min(e)                                                              AS e,
	       min(n)                                                              AS n,
	       min(households)                                                     AS households,
	       min(workplaces)                                                     AS workplaces,
	       min(holiday_homes)                                                  AS holiday_homes,
	       min(street)                                                         AS street,
	       min(number)                                                         AS number,
	       min(postcode)                                                       AS postcode,
	       min(locality)                                                       AS locality,
	       coalesce(max(down_mbps) FILTER (WHERE access AND fixed), 0)         AS best_fixed_mbps,
	       (array_agg(tech ORDER BY down_mbps DESC, tech) FILTER (WHERE access AND fixed))[1]     AS best_fixed_technology,
	       (array_agg(operator ORDER BY down_mbps DESC, tech) FILTER (WHERE access AND fixed))[1] AS best_fixed_operator,
	       coalesce(max(down_mbps) FILTER (WHERE access), 0)                   AS best_any_mbps,
	       max(down_mbps) FILTER (WHERE st = 'planned' AND fixed)              AS planned_mbps,
	       (array_agg(planned_year ORDER BY down_mbps DESC, planned_year NULLS LAST)
	           FILTER (WHERE st = 'planned' AND fixed))[1]                     AS planned_year,
	       array_agg(ROW(tech, st, down_mbps, up_mbps, operator, planned_year)::offer ORDER BY line) AS offers
	FROM rows
	GROUP BY address_id
), km AS (
	SELECT floor(e / 1000) AS ke, floor(n / 1000) AS kn, sum(households) AS households
	FROM points
	GROUP BY 1, 2
)
INSERT INTO address_points_loading (
	snapshot_id, address_id, municipality_code, geom, households, workplaces, holiday_homes,
	street, number, postcode, locality, best_fixed_mbps, best_fixed_technology, best_fixed_operator,
	best_any_mbps, planned_mbps, planned_year, urban, inside_municipality, offers)
SELECT $1, p.address_id, p.municipality_code, g.geom, p.households, p.workplaces, p.holiday_homes,
       p.street, p.number, p.postcode, p.locality, p.best_fixed_mbps, p.best_fixed_technology,
       p.best_fixed_operator, p.best_any_mbps, p.planned_mbps, p.planned_year,
       km.households >= 100,
       EXISTS (SELECT 1 FROM municipality_parts mp
               WHERE mp.municipality_code = p.municipality_code AND ST_Intersects(mp.geom, g.geom)),
       p.offers
FROM points p
CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(p.e, p.n), 3006) AS geom) g
JOIN km ON km.ke = floor(p.e / 1000) AND km.kn = floor(p.n / 1000);
