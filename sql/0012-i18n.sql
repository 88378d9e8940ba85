-- 0012-i18n: the interface language.
--
-- users.locale is the language a user chose (on /account, with the language
-- selector while logged in, or PUT /api/v1/me/prefs); NULL means "follow the
-- browser": the lang cookie, then Accept-Language, then English. Until now
-- nobody could choose one and every row holds the old default 'en', which
-- would override the browser: those become NULL.
--
-- tag_jobs.lang is the language the upload was made in, so that tagd offers
-- hashtags in it when the user set no hashtag language (prefs.hashtag_lang).
--
-- Before main's 0009-0011 this file was 0009-i18n.sql on the i18n branch; a
-- database that already ran it under that name keeps its users' choices and
-- its column (hence the guard and IF NOT EXISTS).

ALTER TABLE users ALTER COLUMN locale DROP NOT NULL, ALTER COLUMN locale DROP DEFAULT;
UPDATE users SET locale = NULL
	WHERE NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '0009-i18n.sql');

ALTER TABLE tag_jobs ADD COLUMN IF NOT EXISTS lang text CHECK (lang IN ('en', 'es'));
