-- seed-users.sql: a realistic crowd for the admin Users section, inserted
-- straight into the tables (no files: list pages never read them).
--   psql -v users=10000 -v images=200000 -f tests/data/seed-users.sql
-- Users "seed-NNNNNN-xxxx@example.{org,com,net}" sign up over three years
-- (whole hours, so many share a sign-up time: ties for the keyset), ~20 %
-- never log in, ~1 % are admins, ~5 % disabled. Photos go mostly to a few
-- users (a skewed draw; many have none), dated between the owner's sign-up
-- and now, 20 KB..6 MB each, every sha256 distinct. Deterministic: the
-- same run gives the same rows. Safe to run on a database with other users.
SELECT setseed(0.4242);

INSERT INTO users (public_id, email, password_hash, role, disabled, created_at, last_login_at)
SELECT substr(md5('seed-user-' || g), 1, 16),
       format('seed-%s-%s@example.%s', lpad(g::text, 6, '0'), substr(md5('e' || g), 1, 4),
              (ARRAY['org', 'com', 'net'])[1 + g % 3]),
       'x',
       CASE WHEN g % 97 = 0 THEN 'admin' ELSE 'user' END,
       g % 20 = 7,
       joined,
       CASE WHEN random() < 0.2 THEN NULL
            ELSE joined + (now() - joined) * random() END
FROM (SELECT g, date_trunc('hour', now() - interval '3 years' * random()) AS joined
      FROM generate_series(1, :users) g) s;

-- owners drawn with random()^3: a long tail, like real uploaders
INSERT INTO images (public_id, owner_id, sha256, mime, width, height, bytes, original_name,
                    status, created_at)
SELECT substr(md5('seed-image-' || g), 1, 16), u.id,
       encode(sha256(convert_to('seed-image-' || g, 'UTF8')), 'hex'), 'image/jpeg',
       4000, 3000, 20000 + (random() * 6000000)::bigint, format('IMG_%s.jpg', g), 'tagged',
       u.created_at + (now() - u.created_at) * random()
FROM (SELECT g, 1 + floor(random() ^ 3 * :users)::int AS k
      FROM generate_series(1, :images) g) s
JOIN users u ON u.public_id = substr(md5('seed-user-' || s.k), 1, 16);

ANALYZE users;
ANALYZE images;
