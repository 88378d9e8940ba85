-- 0006-embeddings-by-owner.sql: "your history" reads one user's embeddings
-- in image order, as int8. Keeping the owner on the embedding row makes that
-- an index range scan (no join through images walking past other owners'
-- rows), and q8 — the vector quantised to int8 by tagd, 720 bytes — stays
-- inside the row while the float vector (2880 bytes) lives in TOAST: a cold
-- load for 50 000 photos moves 72 MB of hex instead of 288 MB. Rows written
-- before this migration have no q8; history quantises their vec instead.
ALTER TABLE image_embeddings ADD COLUMN owner_id bigint;
UPDATE image_embeddings e SET owner_id = i.owner_id FROM images i WHERE i.id = e.image_id;
ALTER TABLE image_embeddings ALTER COLUMN owner_id SET NOT NULL;
CREATE INDEX image_embeddings_owner_idx ON image_embeddings (owner_id, image_id);
ALTER TABLE image_embeddings ADD COLUMN q8 bytea CHECK (length(q8) * 4 = length(vec));
