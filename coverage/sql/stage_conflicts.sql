-- stage_conflicts.sql: the address points whose rows disagree, which no
-- single row shows (spec/coverage-format.md, "Errors"): a duplicate
-- technology; households, workplaces, holiday homes, municipality or position
-- that differ between rows; "none" (no fixed broadband) beside a fixed
-- technology (mobile and satellite beside it are fine). One row per
-- point with its rows in file order, the first $1 by line, and the total.
WITH flagged AS (
	SELECT address_id
	FROM staging
	GROUP BY address_id
	HAVING count(*) > 1 AND (
		count(DISTINCT technology) < count(*)
		OR min(households) <> max(households)
		OR min(workplaces) <> max(workplaces)
		OR min(coalesce(holiday_homes, -1)) <> max(coalesce(holiday_homes, -1))
		OR min(municipality_code) <> max(municipality_code)
		OR max(e) - min(e) > 0.5 OR max(n) - min(n) > 0.5
		OR bool_or(technology = 'none') AND bool_or(technology NOT IN ('none', 'mobile', 'satellite')))
)
SELECT s.address_id,
       array_agg(s.line ORDER BY s.line)                           AS lines,
       array_agg(s.technology ORDER BY s.line)                     AS technologies,
       array_agg(s.households ORDER BY s.line)                     AS households,
       array_agg(s.workplaces ORDER BY s.line)                     AS workplaces,
       array_agg(coalesce(s.holiday_homes, -1) ORDER BY s.line)    AS holiday_homes,
       array_agg(s.municipality_code ORDER BY s.line)              AS municipalities,
       array_agg(s.e ORDER BY s.line)                              AS es,
       array_agg(s.n ORDER BY s.line)                              AS ns,
       count(*) OVER ()                                            AS total
FROM staging s
JOIN flagged USING (address_id)
GROUP BY s.address_id
ORDER BY min(s.line)
LIMIT $1;
