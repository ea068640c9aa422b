-- offered.sql: what the latest coverage snapshot offers in 250 m squares
-- ($1 eastings, $2 northings, paired): households and workplaces, how many
-- of them have access to >= 1 Gbit/s, and the best fixed offer. A square on
-- a municipal border has a row per municipality in square_figures: summed.
WITH latest AS (SELECT id, as_of FROM snapshots ORDER BY as_of DESC LIMIT 1),
     wanted AS (SELECT * FROM unnest($1::integer[], $2::integer[]) AS w (e, n))
SELECT f.e, f.n, latest.as_of,
       sum(f.households), sum(f.households_ge_1000),
       sum(f.workplaces), sum(f.workplaces_ge_1000),
       max(f.best_fixed_mbps)::double precision
FROM square_figures f
JOIN latest ON f.snapshot_id = latest.id
JOIN wanted w ON (w.e, w.n) = (f.e, f.n)
WHERE f.size = 250
GROUP BY f.e, f.n, latest.as_of;
