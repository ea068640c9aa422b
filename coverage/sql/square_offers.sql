-- square_offers.sql: what a snapshot offers in 250 m squares, read from its
-- public squares only (build_public_squares.sql), so that no figure about
-- fewer than 5 households leaves: a square's public 250 m cells summed over
-- the municipalities it spans. A square without one is absent.
-- $1 snapshot id; $2 eastings, $3 northings, paired.
WITH wanted AS (SELECT DISTINCT e, n FROM unnest($2::integer[], $3::integer[]) AS w (e, n))
SELECT q.e, q.n, s.as_of,
       sum(q.households), sum(q.households_ge_1000),
       sum(q.workplaces), sum(q.workplaces_ge_1000),
       max(q.best_fixed_mbps)::float8
FROM public_squares q
JOIN wanted w ON (w.e, w.n) = (q.e, q.n)
JOIN snapshots s ON s.id = q.snapshot_id
WHERE q.snapshot_id = $1 AND q.size = 250
GROUP BY q.e, q.n, s.as_of;
