-- set_population.sql: the latest published population per municipality.
-- $1 codes, $2 populations (same length).
UPDATE municipalities m
SET population = p.population
FROM unnest($1::text[], $2::int[]) AS p (code, population)
WHERE m.code = p.code;
