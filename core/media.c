/* media.c: content-addressed storage (see media.h). */
#include "media.h"
#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int io_err(void)
{
	return errno == ENOSPC || errno == EDQUOT ? ERR_NOSPACE : ERR_IO;
}

static int mkdir_one(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : ERR_IO;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return ERR_IO;
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? 0 : ERR_IO;
}

static int is_sha(const char *s)
{
	size_t i;

	for (i = 0; i < MEDIA_SHA_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int media_tmp_open(const char *root, struct media_tmp *t)
{
	gcry_md_hd_t md;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	snprintf(t->path, sizeof(t->path), "%s/tmp", root);
	if (mkdir_one(root) || mkdir_one(t->path))
		return ERR_IO;
	snprintf(t->path, sizeof(t->path), "%s/tmp/up-XXXXXX", root);
	if ((t->fd = mkstemp(t->path)) < 0) {
		t->path[0] = '\0';
		return io_err();
	}
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0) != 0) {
		media_tmp_discard(t);
		return ERR_NOMEM;
	}
	t->md = md;
	return 0;
}

int media_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return io_err();
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int media_tmp_write(struct media_tmp *t, const void *data, size_t n)
{
	gcry_md_write(t->md, data, n);
	t->size += n;
	return media_write_all(t->fd, data, n);
}

int media_tmp_close(struct media_tmp *t)
{
	const unsigned char *h = gcry_md_read(t->md, GCRY_MD_SHA256);
	int i, rc = 0;

	for (i = 0; i < 32; i++)
		snprintf(t->sha256 + 2 * i, 3, "%02x", h[i]);
	gcry_md_close(t->md);
	t->md = NULL;
	if (fsync(t->fd) != 0)
		rc = io_err();
	if (close(t->fd) != 0 && rc == 0)
		rc = io_err();
	t->fd = -1;
	return rc;
}

void media_tmp_discard(struct media_tmp *t)
{
	if (t->md != NULL)
		gcry_md_close(t->md);
	t->md = NULL;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (t->path[0])
		unlink(t->path);
	t->path[0] = '\0';
}

void media_path(const char *root, const char *sha, const char *suffix, char *out, size_t n)
{
	snprintf(out, n, "%s/%.2s/%s%s", root, sha, sha, suffix);
}

void media_relpath(const char *sha, const char *suffix, char *out, size_t n)
{
	snprintf(out, n, "%.2s/%s%s", sha, sha, suffix);
}

static int shard_dir(const char *root, const char *sha, char *dir, size_t n)
{
	snprintf(dir, n, "%s/%.2s", root, sha);
	return mkdir_one(dir);
}

int media_install(const char *root, struct media_tmp *t)
{
	char dir[PATH_MAX], final[PATH_MAX];

	if (shard_dir(root, t->sha256, dir, sizeof(dir)) != 0)
		return ERR_IO;
	media_path(root, t->sha256, "", final, sizeof(final));
	if (access(final, F_OK) == 0) {
		media_tmp_discard(t);
		return 0;
	}
	if (rename(t->path, final) != 0)
		return io_err();
	t->path[0] = '\0';
	return fsync_dir(dir);
}

int media_put(const char *root, const char *sha, const char *suffix, const void *data, size_t n)
{
	char dir[PATH_MAX], final[PATH_MAX], tmp[PATH_MAX + 16];
	int fd, rc;

	if (shard_dir(root, sha, dir, sizeof(dir)) != 0)
		return ERR_IO;
	media_path(root, sha, suffix, final, sizeof(final));
	if (access(final, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s/.put-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0)
		return io_err();
	rc = media_write_all(fd, data, n);
	if (rc == 0 && fsync(fd) != 0)
		rc = io_err();
	if (close(fd) != 0 && rc == 0)
		rc = io_err();
	if (rc == 0 && rename(tmp, final) != 0)
		rc = io_err();
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	return fsync_dir(dir);
}

/* The lock key: the first 64 bits of the hash. */
static const char lock_key[] = "('x' || substr($1, 1, 16))::bit(64)::bigint";

int media_lock(struct db *db, struct arena *a, const char *sha, int xact)
{
	const char *p[1] = {sha};
	const char *sql = arena_printf(
	    a, "SELECT %s(%s)", xact ? "pg_advisory_xact_lock" : "pg_advisory_lock", lock_key);

	return db_query(db, a, NULL, sql, 1, p);
}

int media_unlock(struct db *db, struct arena *a, const char *sha)
{
	const char *p[1] = {sha};

	return db_query(db, a, NULL, arena_printf(a, "SELECT pg_advisory_unlock(%s)", lock_key), 1,
	                p);
}

int media_release(struct db *db, struct arena *a, const char *root, const char *sha)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM images WHERE sha256 = $1)";
	const char *p[1] = {sha};
	char path[PATH_MAX], dir[PATH_MAX];
	struct db_res res;
	int rc;

	if (!is_sha(sha))
		return ERR_INVALID;
	if ((rc = media_lock(db, a, sha, 0)) != 0)
		return rc;
	rc = db_query(db, a, &res, sql, 1, p);
	if (rc == 0 && !db_bool(&res, 0, 0)) {
		media_path(root, sha, "", path, sizeof(path));
		unlink(path);
		media_path(root, sha, ".jpg", path, sizeof(path));
		unlink(path);
		snprintf(dir, sizeof(dir), "%s/%.2s", root, sha);
		fsync_dir(dir);
	}
	media_unlock(db, a, sha);
	return rc;
}

/* Temp files older than grace go; content files go when unreferenced. */
static int gc_dir(struct db *db, struct arena *a, const char *root, const char *dir, long grace,
                  int *removed)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char path[PATH_MAX];
	time_t now = time(NULL);
	int rc = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : ERR_IO;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		if (strncmp(e->d_name, "up-", 3) == 0 || strncmp(e->d_name, ".put-", 5) == 0 ||
		    strncmp(e->d_name, "px-", 3) == 0 || strncmp(e->d_name, ".px-", 4) == 0) {
			if (stat(path, &st) == 0 && now - st.st_mtime >= grace && unlink(path) == 0)
				(*removed)++;
			continue;
		}
		if (strlen(e->d_name) >= MEDIA_SHA_LEN && is_sha(e->d_name) &&
		    (e->d_name[MEDIA_SHA_LEN] == '\0' ||
		     strcmp(e->d_name + MEDIA_SHA_LEN, ".jpg") == 0)) {
			char sha[MEDIA_SHA_LEN + 1];
			memcpy(sha, e->d_name, MEDIA_SHA_LEN);
			sha[MEDIA_SHA_LEN] = '\0';
			if ((rc = media_release(db, a, root, sha)) == 0 && access(path, F_OK) != 0)
				(*removed)++;
		}
	}
	closedir(d);
	return rc;
}

int media_gc(struct db *db, struct arena *a, const char *root, long grace, int *removed)
{
	char dir[PATH_MAX];
	int rc, i;

	*removed = 0;
	snprintf(dir, sizeof(dir), "%s/tmp", root);
	if ((rc = gc_dir(db, a, root, dir, grace, removed)) != 0)
		return rc;
	for (i = 0; i < 256 && rc == 0; i++) {
		snprintf(dir, sizeof(dir), "%s/%02x", root, i);
		rc = gc_dir(db, a, root, dir, grace, removed);
	}
	return rc;
}
