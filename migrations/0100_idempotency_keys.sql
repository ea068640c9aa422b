-- 0100_idempotency_keys.sql: Idempotency-Key records any server recognises,
-- after a restart too (issue 22). Until now a record was an HMAC under a key
-- random per process: another server, or the same one restarted, could not
-- match a retry, and the retry was stored again.
--
-- A record holds no client address and nothing the measurement's row does
-- not hold already:
-- * key_hash is the SHA-256 of the Idempotency-Key, never the key: a client
--   makes it unique (a UUID), so it says nothing about anyone, and the hash
--   is all a retry needs to be recognised wherever it arrives.
-- * fingerprint is the SHA-256 of the measurement as placed (its square,
--   municipality, speeds, connection, source, and the hour only when the
--   client gave measured_at): whether a retry carries "the same body". It is
--   not a hash of the body, which would hold the exact position or the
--   address typed in and could be matched against guesses of them.
-- * created_at is kept to the hour, as measured_at is: too coarse to match a
--   request log. A record is recognised for 24 hours (up to 25), then purged.
-- The old records cannot be matched by anyone any more (their keys are gone).
-- +goose Up
DROP TABLE measurement_requests;
CREATE TABLE measurement_requests (
	key_hash       bytea PRIMARY KEY CHECK (length(key_hash) = 32),
	fingerprint    bytea NOT NULL CHECK (length(fingerprint) = 32),
	measurement_id uuid NOT NULL REFERENCES measurements (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	created_at     timestamptz NOT NULL DEFAULT date_trunc('hour', now())
		CHECK (created_at = date_trunc('hour', created_at))
);
CREATE INDEX measurement_requests_created_idx ON measurement_requests (created_at);
CREATE INDEX measurement_requests_measurement_idx ON measurement_requests (measurement_id);

-- +goose Down
DROP TABLE measurement_requests;
CREATE TABLE measurement_requests (
	request_hash   bytea PRIMARY KEY,
	body_hash      bytea NOT NULL,
	measurement_id uuid NOT NULL REFERENCES measurements (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	created_at     timestamptz NOT NULL DEFAULT date_trunc('hour', now())
);
CREATE INDEX measurement_requests_created_idx ON measurement_requests (created_at);
