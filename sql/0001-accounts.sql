-- 0001-accounts: users, sessions and login attempts (throttling).
-- Public ids are random base64url strings; the bigint ids never leave the database.

CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id     text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_-]{16}$'),
	email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	password_hash text NOT NULL,
	role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
	disabled      boolean NOT NULL DEFAULT false,
	locale        text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'es')),
	prefs         jsonb NOT NULL DEFAULT '{}'::jsonb,
	created_at    timestamptz NOT NULL DEFAULT now(),
	last_login_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_at_idx ON users (created_at);

-- Session tokens are 256-bit random values; only their sha256 is stored.
CREATE TABLE sessions (
	token_hash   text PRIMARY KEY CHECK (length(token_hash) = 64),
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf         text NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	expires_at   timestamptz NOT NULL,
	client_ip    text NOT NULL DEFAULT '',
	user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed logins, counted per account (lowercased email) and per client address.
CREATE TABLE login_failures (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email     text NOT NULL,
	client_ip text NOT NULL,
	at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (client_ip, at);
