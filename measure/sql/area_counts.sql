-- area_counts.sql: how many measurements each 250 m square holds in each
-- municipality in a period, in the whole country: what measure.decideAreas
-- needs to decide which squares and municipalities may be published. Never
-- published as such (a square on a border is split in two here).
-- $1 from, $2 to (NULL: open).
SELECT square_e, square_n, municipality_code, count(*)
FROM measurements
WHERE ($1::timestamptz IS NULL OR measured_at >= $1)
  AND ($2::timestamptz IS NULL OR measured_at < $2)
GROUP BY square_e, square_n, municipality_code;
