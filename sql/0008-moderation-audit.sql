-- 0008-moderation-audit: the moderation queue and the audit log of admin actions.
--
-- A flagged photo (NSFW score over nsfw_flag_pct) waits in the queue until an
-- admin decides:
--   approved  flagged goes false: the photo is visible in share links again.
--   removed   the photo is hidden, not deleted: flagged stays true (so every
--             share query, which already skips flagged photos, keeps hiding
--             it), and the owner still has it in their history and sees
--             "Removed by a moderator: <reason>" on its page; they may delete it.
-- An approved photo that the tagger flags again comes back to the queue.

ALTER TABLE images
	ADD COLUMN moderation text CHECK (moderation IN ('approved', 'removed')),
	ADD COLUMN moderation_reason text NOT NULL DEFAULT ''
	           CHECK (length(moderation_reason) <= 500),
	ADD COLUMN moderated_at timestamptz,
	ADD COLUMN moderated_by bigint REFERENCES users (id) ON DELETE SET NULL;
-- the queue: newest first, keyset on (created_at, public_id)
CREATE INDEX images_moderation_queue_idx ON images (created_at DESC, public_id DESC)
	WHERE flagged AND moderation IS DISTINCT FROM 'removed';

-- a removed photo stays hidden whatever writes the row later (a re-run of
-- its tagging job sets flagged from the new score)
CREATE FUNCTION images_removed_stay_flagged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.moderation = 'removed' THEN
		NEW.flagged := true;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER images_removed_stay_flagged BEFORE UPDATE ON images
	FOR EACH ROW WHEN (NEW.moderation = 'removed' AND NOT NEW.flagged)
	EXECUTE FUNCTION images_removed_stay_flagged();

CREATE TABLE audit_log (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          timestamptz NOT NULL DEFAULT now(),
	actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
	actor_email text NOT NULL,                 -- as it was when the action happened
	action      text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
	target_type text NOT NULL CHECK (length(target_type) BETWEEN 1 AND 32),
	target_id   text NOT NULL CHECK (length(target_id) <= 64), -- a public id, never an internal one
	detail      jsonb NOT NULL DEFAULT '{}'
);
-- newest first is id DESC (keyset on id); each filter has its own index
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_email, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_id, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at);
