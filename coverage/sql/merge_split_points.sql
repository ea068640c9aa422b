-- merge_split_points.sql: fold the pieces of address points whose rows were
-- scattered in the file (checked to agree by split_points.sql) into one point
-- each, with the best offers recomputed over all pieces as fold.go computes
-- them: the best connected or passed fixed offer (ties: the technology's
-- order), the best including mobile and satellite, the best planned fixed
-- build and its earliest year.
WITH split AS (
	SELECT address_id FROM address_points_loading GROUP BY address_id HAVING count(*) > 1
), pieces AS (
	DELETE FROM address_points_loading l USING split s WHERE l.address_id = s.address_id RETURNING l.*
), offers AS (
	SELECT p.address_id, p.line, o.ord, o.technology, o.status, o.down_mbps, o.up_mbps, o.operator, o.planned_year,
	       o.status IN ('connected', 'passed') AS access,
	       o.technology NOT IN ('mobile', 'satellite', 'none') AS fixed
	FROM pieces p
	CROSS JOIN LATERAL unnest(p.offers) WITH ORDINALITY AS o (technology, status, down_mbps, up_mbps, operator, planned_year, ord)
), best AS (
	SELECT address_id,
	       coalesce(max(down_mbps) FILTER (WHERE access AND fixed), 0)                              AS best_fixed_mbps,
	       (array_agg(technology ORDER BY down_mbps DESC, technology) FILTER (WHERE access AND fixed))[1] AS best_fixed_technology,
	       (array_agg(operator ORDER BY down_mbps DESC, technology) FILTER (WHERE access AND fixed))[1]   AS best_fixed_operator,
	       coalesce(max(down_mbps) FILTER (WHERE access), 0)                                        AS best_any_mbps,
	       max(down_mbps) FILTER (WHERE status = 'planned' AND fixed)                               AS planned_mbps,
	       (array_agg(planned_year ORDER BY down_mbps DESC, planned_year NULLS LAST)
	           FILTER (WHERE status = 'planned' AND fixed))[1]                                      AS planned_year,
	       array_agg(ROW(technology, status, down_mbps, up_mbps, operator, planned_year)::offer ORDER BY line, ord) AS offers
	FROM offers
	GROUP BY address_id
), first AS (
	SELECT DISTINCT ON (address_id) * FROM pieces ORDER BY address_id, line
)
INSERT INTO address_points_loading (
	snapshot_id, address_id, municipality_code, geom, households, workplaces, holiday_homes,
	street, number, postcode, locality, best_fixed_mbps, best_fixed_technology, best_fixed_operator,
	best_any_mbps, planned_mbps, planned_year, inside_municipality, offers, line)
SELECT f.snapshot_id, f.address_id, f.municipality_code, f.geom, f.households, f.workplaces, f.holiday_homes,
       f.street, f.number, f.postcode, f.locality, b.best_fixed_mbps, b.best_fixed_technology, b.best_fixed_operator,
       b.best_any_mbps, b.planned_mbps, b.planned_year, f.inside_municipality, b.offers, f.line
FROM first f
JOIN best b USING (address_id);
