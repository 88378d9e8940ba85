-- 0005-hashtag-workflow.sql: what a user taught the tagger — hashtags they
-- rejected are never suggested to them again. Preferences live in users.prefs:
-- {"platform": "instagram|tiktok|x|plain", "case": "lower|camel", "max": 1..30,
--  "always": [tags], "banned": [tags], "hashtag_lang": "en|es|both"}.
CREATE TABLE user_rejected_tags (
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	tag_lower  text NOT NULL CHECK (length(tag_lower) BETWEEN 1 AND 100),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, tag_lower)
);
