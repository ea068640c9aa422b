-- find_request.sql: the measurement an Idempotency-Key was first used for
-- within the last 24 hours (25 at most: the record's time is kept to the
-- hour), and whether it was the same measurement. $1 key hash, $2 fingerprint.
SELECT measurement_id::text, fingerprint = $2
FROM measurement_requests
WHERE key_hash = $1
  AND created_at >= date_trunc('hour', now()) - interval '24 hours';
