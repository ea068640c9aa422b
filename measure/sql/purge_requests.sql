-- purge_requests.sql: Idempotency-Key records older than two days; their
-- daily keys are gone, so they can no longer match a retry.
DELETE FROM measurement_requests
WHERE created_at < now() - interval '2 days';
