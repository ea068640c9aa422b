-- insert_measurement.sql: one measurement, placed and rounded in Go (the
-- exact position never reaches SQL). Nothing is returned when a row with
-- the id exists: an earlier attempt of the same request committed it.
-- $1 id, $2 measured_at (to the hour), $3 square_e, $4 square_n,
-- $5 municipality_code, $6 county_code, $7 down_mbps, $8 up_mbps,
-- $9 latency_ms, $10 jitter_ms, $11 connection, $12 subscribed_down_mbps, $13 source,
-- $14 operator (a key of measure.Operators; '' when not given).
INSERT INTO measurements (id, measured_at, square_e, square_n, municipality_code, county_code,
                          down_mbps, up_mbps, latency_ms, jitter_ms, connection, subscribed_down_mbps, source, operator)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::connection_type, $12, $13, nullif($14, ''))
ON CONFLICT (id) DO NOTHING
RETURNING true;
