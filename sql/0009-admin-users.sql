-- 0009-admin-users: what the admin Users section lists, sorts and does.
--
-- Each user row carries its photo count and stored bytes, kept by
-- statement-level triggers on images (one UPDATE per statement and owner,
-- whatever the number of rows: bulk inserts and account deletions stay
-- cheap). images.owner_id and images.bytes never change after the insert.
ALTER TABLE users
	ADD COLUMN image_count bigint NOT NULL DEFAULT 0 CHECK (image_count >= 0),
	ADD COLUMN storage_bytes bigint NOT NULL DEFAULT 0 CHECK (storage_bytes >= 0),
	-- JWT access tokens issued at or before this second are refused (an
	-- admin disabled the account, or its password was reset)
	ADD COLUMN tokens_revoked_at timestamptz;

UPDATE users u SET image_count = s.n, storage_bytes = s.b
	FROM (SELECT owner_id, count(*) AS n, sum(bytes) AS b FROM images GROUP BY owner_id) s
	WHERE u.id = s.owner_id;

CREATE FUNCTION users_count_images_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE users u SET image_count = u.image_count + d.n, storage_bytes = u.storage_bytes + d.b
		FROM (SELECT owner_id, count(*) AS n, sum(bytes) AS b FROM added GROUP BY owner_id) d
		WHERE u.id = d.owner_id;
	RETURN NULL;
END
$$;
CREATE TRIGGER images_count_added AFTER INSERT ON images
	REFERENCING NEW TABLE AS added FOR EACH STATEMENT
	EXECUTE FUNCTION users_count_images_added();

-- an account's deletion cascades here after its row is gone: the UPDATE
-- then finds nothing to change
CREATE FUNCTION users_count_images_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE users u SET image_count = u.image_count - d.n, storage_bytes = u.storage_bytes - d.b
		FROM (SELECT owner_id, count(*) AS n, sum(bytes) AS b FROM removed GROUP BY owner_id) d
		WHERE u.id = d.owner_id;
	RETURN NULL;
END
$$;
CREATE TRIGGER images_count_removed AFTER DELETE ON images
	REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
	EXECUTE FUNCTION users_count_images_removed();

-- One index per sort of the list, (value, public_id): the public id breaks
-- ties, so a keyset cursor (value, public_id) pages without gaps or repeats
-- in either direction. Never logged in sorts as the oldest login.
DROP INDEX users_created_at_idx;
CREATE INDEX users_sort_created_idx ON users (created_at, public_id);
CREATE INDEX users_sort_email_idx ON users (email, public_id);
CREATE INDEX users_sort_login_idx
	ON users ((coalesce(last_login_at, '-infinity'::timestamptz)), public_id);
CREATE INDEX users_sort_images_idx ON users (image_count, public_id);
CREATE INDEX users_sort_storage_idx ON users (storage_bytes, public_id);
CREATE INDEX users_sort_role_idx ON users (role, public_id);
CREATE INDEX users_sort_state_idx ON users (disabled, public_id);
-- "email contains" through trigrams (LIKE '%q%' on the lowercased email);
-- pg_trgm is a trusted extension: the database's owner may create it
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);

-- One-time password reset links an admin makes for a user: valid 24 hours,
-- spent on first use; only the sha256 of the token is stored.
CREATE TABLE password_resets (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_by bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
