/* config.c: key = value configuration file plus environment overrides. */
#include "config.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum ckind { C_STR, C_INT, C_LONG, C_UINT };

struct ckey {
	const char *name;
	enum ckind kind;
	size_t off;
	size_t size; /* for strings */
	long min, max;
};

#define S(f) C_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0
#define N(k, f, lo, hi) k, offsetof(struct config, f), 0, lo, hi

static const struct ckey keys[] = {
    {"db", S(db)},
    {"templates", S(templates)},
    {"locale", S(locale)},
    {"sql", S(sql)},
    {"log", S(log)},
    {"base_url", S(base_url)},
    {"cookie_secure", N(C_INT, cookie_secure, 0, 1)},
    {"session_ttl", N(C_LONG, session_ttl, 60, 31536000)},
    {"body_max", N(C_LONG, body_max, 1024, 16777216)},
    {"login_max_account", N(C_INT, login_max_account, 1, 1000)},
    {"login_max_ip", N(C_INT, login_max_ip, 1, 100000)},
    {"login_window", N(C_LONG, login_window, 10, 86400)},
    {"argon2_t", N(C_UINT, argon2_t, 1, 64)},
    {"argon2_m", N(C_UINT, argon2_m, 64, 4194304)},
    {"argon2_p", N(C_UINT, argon2_p, 1, 16)},
    {"register_open", N(C_INT, register_open, 0, 1)},
    {"media", S(media)},
    {"upload_max", N(C_LONG, upload_max, 1024, 1073741824)},
    {"upload_body_max", N(C_LONG, upload_body_max, 1024, 4294967296)},
    {"upload_files_max", N(C_INT, upload_files_max, 1, 1000)},
    {"max_pixels", N(C_LONG, max_pixels, 1, 1000000000)},
    {"thumb_size", N(C_INT, thumb_size, 64, 2048)},
    {"quota_uploads_day", N(C_INT, quota_uploads_day, 0, 1000000)},
    {"quota_bytes", N(C_LONG, quota_bytes, 0, 1099511627776)},
    {"models", S(models)},
    {"tagger_lib", S(tagger_lib)},
    {"tagger_threads", N(C_INT, tagger_threads, 1, 64)},
    {"tag_wait_ms", N(C_INT, tag_wait_ms, 0, 30000)},
    {"tag_max", N(C_INT, tag_max, 1, 100)},
    {"nsfw_flag_pct", N(C_INT, nsfw_flag_pct, 1, 100)},
    {"tagd_batch", N(C_INT, tagd_batch, 1, 64)},
    {"tagd_lease", N(C_INT, tagd_lease, 10, 3600)},
    {"tagd_attempts", N(C_INT, tagd_attempts, 1, 20)},
    {"jwt_secret", S(jwt_secret)},
    {"jwt_ttl", N(C_LONG, jwt_ttl, 30, 86400)},
    {"refresh_ttl", N(C_LONG, refresh_ttl, 300, 31536000)},
    {"rate_window", N(C_INT, rate_window, 1, 3600)},
    {"rate_api", N(C_INT, rate_api, 0, 1000000)},
    {"rate_upload", N(C_INT, rate_upload, 0, 1000000)},
    {"rate_login", N(C_INT, rate_login, 0, 1000000)},
    {"cors_origins", S(cors_origins)},
    {"metrics_file", S(metrics_file)},
};

static void defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db, sizeof(c->db), "dbname=hashtagger");
	snprintf(c->templates, sizeof(c->templates), "templates");
	snprintf(c->sql, sizeof(c->sql), "sql");
	c->cookie_secure = 0;
	c->session_ttl = 30L * 24 * 3600;
	c->body_max = 64 * 1024;
	c->login_max_account = 5;
	c->login_max_ip = 30;
	c->login_window = 15 * 60;
	c->argon2_t = 3;
	c->argon2_m = 65536;
	c->argon2_p = 1;
	c->register_open = 1;
	snprintf(c->media, sizeof(c->media), "var/media");
	c->upload_max = 25L * 1000 * 1000;
	c->upload_body_max = 256L * 1024 * 1024;
	c->upload_files_max = 20;
	c->max_pixels = 50L * 1000 * 1000;
	c->thumb_size = 400;
	c->quota_uploads_day = 500;
	c->quota_bytes = 5L * 1024 * 1024 * 1024;
	snprintf(c->models, sizeof(c->models), "models");
	c->tagger_threads = 2;
	c->tag_wait_ms = 3000;
	c->tag_max = 30;
	c->nsfw_flag_pct = 70;
	c->tagd_batch = 4;
	c->tagd_lease = 120;
	c->tagd_attempts = 3;
	c->jwt_ttl = 15 * 60;
	c->refresh_ttl = 30L * 24 * 3600;
	c->rate_window = 60;
	c->rate_api = 600;
	c->rate_upload = 60;
	c->rate_login = 30;
	snprintf(c->metrics_file, sizeof(c->metrics_file), "var/run/metrics");
}

static int set_key(struct config *c, const char *name, const char *val, char *err, size_t errlen)
{
	size_t i;
	char *end;
	long v;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct ckey *k = &keys[i];
		char *field = (char *)c + k->off;

		if (strcmp(k->name, name) != 0)
			continue;
		if (k->kind == C_STR) {
			if (strlen(val) >= k->size) {
				snprintf(err, errlen, "%s: value too long", name);
				return ERR_INVALID;
			}
			memcpy(field, val, strlen(val) + 1);
			return 0;
		}
		errno = 0;
		v = strtol(val, &end, 10);
		if (errno || end == val || *end != '\0' || v < k->min || v > k->max) {
			snprintf(err, errlen, "%s: expected a whole number from %ld to %ld", name,
			         k->min, k->max);
			return ERR_INVALID;
		}
		if (k->kind == C_INT)
			*(int *)(void *)field = (int)v;
		else if (k->kind == C_UINT)
			*(unsigned *)(void *)field = (unsigned)v;
		else
			*(long *)(void *)field = v;
		return 0;
	}
	snprintf(err, errlen, "unknown key '%s'", name);
	return ERR_INVALID;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int read_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], msg[200];
	int lineno = 0, rc = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ERR_INVALID;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = trim(line), *eq;

		lineno++;
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = ERR_INVALID;
			break;
		}
		*eq = '\0';
		if (set_key(c, trim(s), trim(eq + 1), msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = ERR_INVALID;
			break;
		}
	}
	fclose(f);
	return rc;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	char env[64], msg[200];
	size_t i, j;
	int rc;

	defaults(cfg);
	if (path == NULL)
		path = getenv("HASHTAGGER_CONF");
	if (path == NULL && access("hashtagger.conf", R_OK) == 0)
		path = "hashtagger.conf";
	if (path != NULL && (rc = read_file(cfg, path, err, errlen)) != 0)
		return rc;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v;

		snprintf(env, sizeof(env), "HASHTAGGER_%s", keys[i].name);
		for (j = strlen("HASHTAGGER_"); env[j]; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		v = getenv(env);
		if (v == NULL)
			continue;
		if (set_key(cfg, keys[i].name, v, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "environment %s: %s", env, msg);
			return ERR_INVALID;
		}
	}
	if (cfg->jwt_secret[0] && strlen(cfg->jwt_secret) < 32) {
		snprintf(err, errlen,
		         "jwt_secret: use at least 32 random characters "
		         "(e.g. openssl rand -base64 48)");
		return ERR_INVALID;
	}
	return 0;
}
