-- 0002-images: uploaded photos, their hashtags and the tagging queue.
-- Files live under the media directory, named by the sha256 of their bytes;
-- a row exists only once its file is durable (see core/media.c).

CREATE TABLE images (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id     text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_-]{16}$'),
	owner_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	mime          text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
	width         integer NOT NULL CHECK (width > 0),  -- as displayed (EXIF orientation applied)
	height        integer NOT NULL CHECK (height > 0),
	bytes         bigint NOT NULL CHECK (bytes > 0),
	orientation   smallint NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
	original_name text NOT NULL DEFAULT '' CHECK (length(original_name) <= 255),
	caption       text NOT NULL DEFAULT '' CHECK (length(caption) <= 2000),
	status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'tagged', 'failed')),
	nsfw          real,
	created_at    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (owner_id, sha256)
);
-- history: newest first per owner, keyset on (created_at, public_id)
CREATE INDEX images_owner_created_idx ON images (owner_id, created_at DESC, public_id DESC);
-- is a file still referenced (delete, garbage collection)?
CREATE INDEX images_sha256_idx ON images (sha256);

CREATE TABLE image_tags (
	image_id   bigint NOT NULL REFERENCES images (id) ON DELETE CASCADE,
	tag        text NOT NULL CHECK (length(tag) BETWEEN 1 AND 100),
	confidence real NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
	source     text NOT NULL,
	rank       integer NOT NULL DEFAULT 0,
	state      text NOT NULL DEFAULT 'suggested'
	           CHECK (state IN ('suggested', 'accepted', 'rejected', 'added')),
	PRIMARY KEY (image_id, tag)
);
CREATE INDEX image_tags_tag_idx ON image_tags (tag, image_id);

CREATE TABLE tag_jobs (
	image_id     bigint PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
	state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts     integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	last_error   text,
	created_at   timestamptz NOT NULL DEFAULT now(),
	finished_at  timestamptz
);
CREATE INDEX tag_jobs_queued_idx ON tag_jobs (created_at) WHERE state IN ('queued', 'running');
