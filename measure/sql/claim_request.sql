-- claim_request.sql: record an Idempotency-Key for a measurement about to be
-- inserted in the same transaction. Nothing is returned when a concurrent
-- request with the same key committed first (this statement waits for it),
-- or a record of the key, expired but not yet purged, is in the way.
-- $1 key hash, $2 fingerprint, $3 measurement id.
INSERT INTO measurement_requests (key_hash, fingerprint, measurement_id)
VALUES ($1, $2, $3::uuid)
ON CONFLICT (key_hash) DO UPDATE
	SET fingerprint = EXCLUDED.fingerprint, measurement_id = EXCLUDED.measurement_id, created_at = EXCLUDED.created_at
	WHERE measurement_requests.created_at < date_trunc('hour', now()) - interval '24 hours'
RETURNING true;
