-- 0020_auth.sql: access control and the audit log (spec/product.md, "Access").
-- API tokens and sign-in sessions are stored as SHA-256 digests only: the
-- secrets themselves are shown once and never stored.
-- +goose Up
CREATE TABLE api_tokens (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name           text NOT NULL CHECK (name <> ''),      -- who holds it: "Kalmar kommun, GIS"
	role           text NOT NULL CHECK (role IN ('coordinator', 'municipality')),
	municipalities text[] NOT NULL DEFAULT '{}',           -- kommunkoder a municipality token may see
	hash           bytea NOT NULL UNIQUE,                  -- SHA-256 of the secret
	hint           text NOT NULL,                          -- the secret's first characters, to tell tokens apart
	created_at     timestamptz NOT NULL DEFAULT now(),
	expires_at     timestamptz,                            -- NULL: never
	revoked_at     timestamptz,
	CHECK (role = 'coordinator' AND cardinality(municipalities) = 0
	    OR role = 'municipality' AND cardinality(municipalities) > 0)
);

-- A signed-in browser: the cookie holds a random id, the table its digest.
-- Revoking (or deleting) the token ends its sessions.
CREATE TABLE sessions (
	hash       bytea PRIMARY KEY,                          -- SHA-256 of the session id
	token_id   bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_token_idx ON sessions (token_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Every import and every download of address-level data: who, when, what,
-- how many rows.
CREATE TABLE audit_log (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at                timestamptz NOT NULL DEFAULT now(),
	actor             text NOT NULL,                       -- the token's name, or cli:<OS user>
	token_id          bigint REFERENCES api_tokens (id) ON DELETE SET NULL,
	action            text NOT NULL,                       -- import, gaps, addresses, …
	municipality_code text,
	snapshot_as_of    date,
	target_id         text,
	format            text,
	rows              bigint NOT NULL DEFAULT 0,
	detail            text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE api_tokens;
