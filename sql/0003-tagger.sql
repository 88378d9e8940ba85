-- 0003-tagger.sql: what tagd writes — explained hashtags, embeddings,
-- moderation flags — and the lease bookkeeping that makes it crash-safe.

ALTER TABLE image_tags ADD COLUMN reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 200);
-- one hashtag per photo whatever its case ("Cat" and "cat" are one tag)
CREATE UNIQUE INDEX image_tags_lower_idx ON image_tags (image_id, lower(tag));
-- hashtag search and statistics compare case-insensitively
DROP INDEX image_tags_tag_idx;
CREATE INDEX image_tags_tag_idx ON image_tags (lower(tag), image_id);

ALTER TABLE images ADD COLUMN flagged boolean NOT NULL DEFAULT false;
ALTER TABLE images ADD COLUMN tagged_at timestamptz;
CREATE INDEX images_flagged_idx ON images (created_at) WHERE flagged;

-- L2-normalised float32 vector (little-endian), for "your history" suggestions
CREATE TABLE image_embeddings (
	image_id bigint PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
	model    text NOT NULL,
	vec      bytea NOT NULL CHECK (length(vec) % 4 = 0)
);

ALTER TABLE tag_jobs ADD COLUMN locked_by text;  -- "host:pid:random" of the tagd holding the lease
ALTER TABLE tag_jobs ADD COLUMN started_at timestamptz;
