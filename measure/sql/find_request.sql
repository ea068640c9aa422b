-- find_request.sql: the measurement an Idempotency-Key was first used for,
-- under today's key ($1 request hash, $2 body hash) or yesterday's ($3, $4;
-- empty when there is none), and whether the body was the same.
SELECT measurement_id::text,
       CASE WHEN request_hash = $1 THEN body_hash = $2 ELSE body_hash = $4 END
FROM measurement_requests
WHERE request_hash IN ($1, $3)
ORDER BY request_hash = $1 DESC
LIMIT 1;
