-- 0009-i18n: the interface language.
--
-- users.locale is the language a user chose (on /account, with the language
-- selector while logged in, or PUT /api/v1/me/prefs); NULL means "follow the
-- browser": the lang cookie, then Accept-Language, then English. Until now
-- nobody could choose one and every row holds the old default 'en', which
-- would override the browser: those become NULL.
--
-- tag_jobs.lang is the language the upload was made in, so that tagd offers
-- hashtags in it when the user set no hashtag language (prefs.hashtag_lang).

ALTER TABLE users ALTER COLUMN locale DROP NOT NULL, ALTER COLUMN locale DROP DEFAULT;
UPDATE users SET locale = NULL;

ALTER TABLE tag_jobs ADD COLUMN lang text CHECK (lang IN ('en', 'es'));
