-- claim_request.sql: record an Idempotency-Key for a measurement about to be
-- inserted in the same transaction. Nothing is returned when a concurrent
-- request with the same key committed first (this statement waits for it).
-- $1 request hash, $2 body hash, $3 measurement id.
INSERT INTO measurement_requests (request_hash, body_hash, measurement_id)
VALUES ($1, $2, $3::uuid)
ON CONFLICT (request_hash) DO NOTHING
RETURNING true;
