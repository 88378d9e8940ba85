-- 0010-admin-stats: what the statistics page (/admin) reads, kept cheap at a
-- million photos.
--
-- Per-day series read index ranges on created_at (users has its index since
-- 0001). Tagging latency reads finished jobs by finished_at from an index
-- that carries created_at (an index-only scan); failed jobs are listed newest
-- first from their own partial index.
--
-- Whole-table totals (photos and their bytes, jobs per state, hashtag rows per
-- tag, source and state) would scan millions of rows on every view. Instead
-- statement triggers append each statement's net change to stat_deltas
-- (insert only: writers never wait on one another or on a counter row), and
-- stats_fold (core/stats.c) folds them into stat_counts, one row per key: the
-- page before it reads, tagd whenever it goes idle. stat_current is counts
-- plus pending deltas, exact for the reader's snapshot whether or not the
-- deltas were folded yet.

CREATE INDEX images_created_idx ON images (created_at);
CREATE INDEX tag_jobs_done_idx ON tag_jobs (finished_at) INCLUDE (created_at)
	WHERE state = 'done';
CREATE INDEX tag_jobs_failed_idx ON tag_jobs (finished_at DESC, image_id DESC)
	WHERE state = 'failed';

CREATE TABLE stat_counts (
	counter text   NOT NULL CHECK (counter IN ('images', 'tag_jobs', 'image_tags')),
	state   text   NOT NULL DEFAULT '', -- tag_jobs.state, image_tags.state
	source  text   NOT NULL DEFAULT '', -- image_tags.source
	tag     text   NOT NULL DEFAULT '', -- lower(image_tags.tag)
	n       bigint NOT NULL,            -- rows
	bytes   bigint NOT NULL DEFAULT 0,  -- sum(images.bytes)
	PRIMARY KEY (counter, state, source, tag)
);
CREATE TABLE stat_deltas (
	counter text   NOT NULL,
	state   text   NOT NULL DEFAULT '',
	source  text   NOT NULL DEFAULT '',
	tag     text   NOT NULL DEFAULT '',
	n       bigint NOT NULL,
	bytes   bigint NOT NULL DEFAULT 0
);

CREATE VIEW stat_current AS
SELECT counter, state, source, tag, sum(n)::bigint AS n, sum(bytes)::bigint AS bytes
FROM (SELECT counter, state, source, tag, n, bytes FROM stat_counts
      UNION ALL
      SELECT counter, state, source, tag, n, bytes FROM stat_deltas) c
GROUP BY counter, state, source, tag
HAVING sum(n) <> 0 OR sum(bytes) <> 0;

-- One function per table; TG_OP says which transition tables exist. A photo's
-- bytes never change, so images needs no UPDATE trigger.
CREATE FUNCTION stat_images() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stat_deltas (counter, n, bytes)
		SELECT 'images', count(*), sum(bytes) FROM new_rows HAVING count(*) > 0;
	ELSE
		INSERT INTO stat_deltas (counter, n, bytes)
		SELECT 'images', -count(*), -sum(bytes) FROM old_rows HAVING count(*) > 0;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION stat_tag_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stat_deltas (counter, state, n)
		SELECT 'tag_jobs', state, count(*) FROM new_rows GROUP BY state;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO stat_deltas (counter, state, n)
		SELECT 'tag_jobs', state, -count(*) FROM old_rows GROUP BY state;
	ELSE
		INSERT INTO stat_deltas (counter, state, n)
		SELECT 'tag_jobs', state, sum(n) FROM (SELECT state, 1 AS n FROM new_rows
		                                       UNION ALL SELECT state, -1 FROM old_rows) d
		GROUP BY state HAVING sum(n) <> 0;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION stat_image_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO stat_deltas (counter, state, source, tag, n)
		SELECT 'image_tags', state, source, lower(tag), count(*) FROM new_rows
		GROUP BY state, source, lower(tag);
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO stat_deltas (counter, state, source, tag, n)
		SELECT 'image_tags', state, source, lower(tag), -count(*) FROM old_rows
		GROUP BY state, source, lower(tag);
	ELSE
		INSERT INTO stat_deltas (counter, state, source, tag, n)
		SELECT 'image_tags', state, source, tag, sum(n)
		FROM (SELECT state, source, lower(tag) AS tag, 1 AS n FROM new_rows
		      UNION ALL SELECT state, source, lower(tag), -1 FROM old_rows) d
		GROUP BY state, source, tag HAVING sum(n) <> 0;
	END IF;
	RETURN NULL;
END
$$;

-- TRUNCATE (also when cascaded) has no transition table: start that counter over.
CREATE FUNCTION stat_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM stat_counts WHERE counter = TG_TABLE_NAME;
	DELETE FROM stat_deltas WHERE counter = TG_TABLE_NAME;
	RETURN NULL;
END
$$;

-- Triggers first: they lock out writers until this migration commits, so the
-- counts below miss nothing and count nothing twice.
CREATE TRIGGER stat_insert AFTER INSERT ON images REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_images();
CREATE TRIGGER stat_delete AFTER DELETE ON images REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_images();
CREATE TRIGGER stat_truncate AFTER TRUNCATE ON images
	FOR EACH STATEMENT EXECUTE FUNCTION stat_truncate();

CREATE TRIGGER stat_insert AFTER INSERT ON tag_jobs REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_tag_jobs();
CREATE TRIGGER stat_update AFTER UPDATE ON tag_jobs
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_tag_jobs();
CREATE TRIGGER stat_delete AFTER DELETE ON tag_jobs REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_tag_jobs();
CREATE TRIGGER stat_truncate AFTER TRUNCATE ON tag_jobs
	FOR EACH STATEMENT EXECUTE FUNCTION stat_truncate();

CREATE TRIGGER stat_insert AFTER INSERT ON image_tags REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_image_tags();
CREATE TRIGGER stat_update AFTER UPDATE ON image_tags
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_image_tags();
CREATE TRIGGER stat_delete AFTER DELETE ON image_tags REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stat_image_tags();
CREATE TRIGGER stat_truncate AFTER TRUNCATE ON image_tags
	FOR EACH STATEMENT EXECUTE FUNCTION stat_truncate();

INSERT INTO stat_counts (counter, n, bytes)
SELECT 'images', count(*), coalesce(sum(bytes), 0) FROM images;
INSERT INTO stat_counts (counter, state, n)
SELECT 'tag_jobs', state, count(*) FROM tag_jobs GROUP BY state;
INSERT INTO stat_counts (counter, state, source, tag, n)
SELECT 'image_tags', state, source, lower(tag), count(*) FROM image_tags
GROUP BY state, source, lower(tag);
