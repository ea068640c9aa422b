-- 0030_measurements.sql: residents' speed measurements (spec/measurements.md).
-- Privacy by design: a measurement keeps its 250 m square (SWEREF 99 TM,
-- lower-left corner) and municipality, never the position or the address it
-- was placed by, and never the client's IP address. Its time is kept to the
-- hour: enough for the monthly figures, too coarse to match a request log.
-- +goose Up
CREATE TYPE connection_type AS ENUM ('fiber', 'cable', 'dsl', 'fixed_wireless', 'mobile', 'satellite', 'unknown');

CREATE TABLE measurements (
	id                   uuid PRIMARY KEY,             -- random (v4): says nothing about when or who
	measured_at          timestamptz NOT NULL CHECK (measured_at = date_trunc('hour', measured_at)),
	square_e             integer NOT NULL CHECK (square_e % 250 = 0),
	square_n             integer NOT NULL CHECK (square_n % 250 = 0),
	municipality_code    text NOT NULL REFERENCES municipalities (code),
	county_code          text NOT NULL CHECK (county_code = left(municipality_code, 2)),
	down_mbps            double precision NOT NULL CHECK (down_mbps > 0 AND down_mbps <= 100000),
	up_mbps              double precision NOT NULL CHECK (up_mbps > 0 AND up_mbps <= 100000),
	latency_ms           double precision CHECK (latency_ms > 0 AND latency_ms <= 60000),
	jitter_ms            double precision CHECK (jitter_ms >= 0 AND jitter_ms <= 60000),
	connection           connection_type NOT NULL,
	subscribed_down_mbps double precision CHECK (subscribed_down_mbps > 0 AND subscribed_down_mbps <= 100000),
	source               text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 64)
);
CREATE INDEX measurements_square_idx ON measurements (square_e, square_n, measured_at);
CREATE INDEX measurements_municipality_idx ON measurements (municipality_code, measured_at);
CREATE INDEX measurements_county_idx ON measurements (county_code, measured_at);

-- Idempotency-Key records: a keyed hash (HMAC-SHA256, with a daily key held
-- only in memory) of the client's address and the key, and one of the body.
-- Once the key is gone (two days at most) neither can be matched to anyone;
-- the rows are deleted after two days too. Written in the transaction of
-- the measurement; the foreign key is checked at commit.
CREATE TABLE measurement_requests (
	request_hash   bytea PRIMARY KEY,
	body_hash      bytea NOT NULL,
	measurement_id uuid NOT NULL REFERENCES measurements (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	created_at     timestamptz NOT NULL DEFAULT date_trunc('hour', now())
);
CREATE INDEX measurement_requests_created_idx ON measurement_requests (created_at);

-- The search key of an address: lower case, punctuation as single spaces,
-- a postcode written "392 31" joined to "39231".
CREATE FUNCTION address_search_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(btrim(regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g')), '\m([0-9]{3}) ([0-9]{2})\M', '\1\2', 'g');

-- Address suggestions for the form: one row per distinct street address of
-- the latest snapshot, rebuilt by measure.RefreshAddresses after an import.
-- No coverage figures: a suggestion says where, never what is offered there.
CREATE TABLE address_search (
	street            text NOT NULL,
	number            text NOT NULL,               -- '' when the point has none
	postcode          text NOT NULL,               -- '' when not given
	locality          text NOT NULL,               -- '' when not given
	label             text NOT NULL,               -- "Storgatan 12, 392 31 Kalmar"
	search            text NOT NULL,               -- address_search_key(label)
	keys              text[] NOT NULL,             -- the keys an address field may match exactly
	square_e          integer NOT NULL,
	square_n          integer NOT NULL,
	municipality_code text NOT NULL,
	snapshot_id       bigint NOT NULL
);
CREATE INDEX address_search_trgm_idx ON address_search USING gin (search gin_trgm_ops);
CREATE INDEX address_search_keys_idx ON address_search USING gin (keys);

-- +goose Down
DROP TABLE address_search;
DROP FUNCTION address_search_key(text);
DROP TABLE measurement_requests;
DROP TABLE measurements;
DROP TYPE connection_type;
