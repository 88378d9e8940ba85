-- 0007-api-auth.sql: credentials for API clients, and rate limits shared by
-- every worker. Tokens are random and only their sha256 is stored.

-- Refresh tokens of JWT logins. Each use rotates: the used row is marked and
-- a new one joins the same family; presenting a used or revoked token again
-- revokes the whole family (someone copied it).
CREATE TABLE refresh_tokens (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	family     text NOT NULL CHECK (family ~ '^[A-Za-z0-9_-]{16}$'),
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at    timestamptz,
	revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Personal API tokens, made on the account page; scopes limit what they do.
CREATE TABLE api_tokens (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id    text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_-]{16}$'),
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	scopes       text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'upload', 'tags', 'admin']
	                                    AND cardinality(scopes) > 0),
	created_at   timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

-- Fixed one-minute windows per key ("api:token:ID", "api:ip:ADDR",
-- "upload:user:ID"). Unlogged: a crash only forgets the current minute.
CREATE UNLOGGED TABLE rate_hits (
	key        text NOT NULL,
	window_at  timestamptz NOT NULL,
	hits       integer NOT NULL,
	PRIMARY KEY (key, window_at)
);
