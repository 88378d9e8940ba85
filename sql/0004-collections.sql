-- 0004-collections: the user's folders of photos, and their share links.
-- Private by default. A share link is a 256-bit random token shown to the
-- owner once; only its sha256 is stored, and NULLing it revokes the link.

CREATE TABLE collections (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id        text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_-]{16}$'),
	owner_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	-- share link: resolving a token is one lookup on this unique index
	share_token_hash text UNIQUE CHECK (share_token_hash ~ '^[0-9a-f]{64}$'),
	shared_at        timestamptz,
	CHECK ((share_token_hash IS NULL) = (shared_at IS NULL))
);
-- one name per owner whatever its case; also the list's order (by name)
CREATE UNIQUE INDEX collections_owner_name_idx ON collections (owner_id, lower(name));

CREATE TABLE collection_images (
	collection_id bigint NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	image_id      bigint NOT NULL REFERENCES images (id) ON DELETE CASCADE,
	added_at      timestamptz NOT NULL DEFAULT now(),
	position      integer NOT NULL CHECK (position > 0),
	PRIMARY KEY (collection_id, image_id),
	-- photos in the order they were added; keyset pagination on position
	UNIQUE (collection_id, position)
);
-- a photo's collections (photo page), and the cascade when a photo goes
CREATE INDEX collection_images_image_idx ON collection_images (image_id);
