-- read_measurement.sql: what the answer to a submission shows. $1 id.
SELECT id::text, measured_at, square_e, square_n, municipality_code
FROM measurements
WHERE id = $1::uuid;
