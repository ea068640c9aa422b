-- purge_requests.sql: Idempotency-Key records past their 24 hours (kept to
-- the hour, so at most 25): no retry can match them any more.
DELETE FROM measurement_requests
WHERE created_at < date_trunc('hour', now()) - interval '24 hours';
