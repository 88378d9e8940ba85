/* app.c: process-wide state shared by the worker and the subcommands. */
#include "app.h"
#include "err.h"
#include "tmpl.h"
#include "token.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/* The media directory, created if missing, as an absolute path (lighttpd's
 * X-Sendfile needs one). */
static int media_dir(char *dir, size_t n)
{
	char abs[PATH_MAX];

	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -1;
	if (realpath(dir, abs) == NULL || strlen(abs) >= n)
		return -1;
	memcpy(dir, abs, strlen(abs) + 1);
	return 0;
}

/* The catalogs' directory: the configured one, else "locale" next to the
 * binary (build/locale, made by make). */
static void locale_dir(const struct config *cfg, char *out, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len;

	if (cfg->locale[0] != '\0' ||
	    (len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0) {
		snprintf(out, n, "%s", cfg->locale[0] ? cfg->locale : "locale");
		return;
	}
	exe[len] = '\0';
	snprintf(out, n, "%s/locale", dirname(exe));
}

int app_open(struct app *app, int need_templates)
{
	char err[300];
	char *msg = NULL;

	memset(app, 0, sizeof(*app));
	if (config_load(&app->cfg, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "hashtagger: config: %s\n", err);
		return ERR_INVALID;
	}
	if (media_dir(app->cfg.media, sizeof(app->cfg.media)) != 0) {
		fprintf(stderr, "hashtagger: media directory %s: %s\n", app->cfg.media,
		        strerror(errno));
		return ERR_IO;
	}
	if (crypto_init() != 0) {
		fprintf(stderr, "hashtagger: libgcrypt is too old\n");
		return ERR_INVALID;
	}
	if (need_templates) {
		char dir[PATH_MAX];
		locale_dir(&app->cfg, dir, sizeof(dir));
		i18n_open(&app->i18n, dir); /* never fails: a language without one is English */
		app->tmpl = tmpl_set_new();
		if (tmpl_set_load_dir(app->tmpl, app->cfg.templates, &msg) != 0) {
			fprintf(stderr, "hashtagger: templates: %s\n", msg ? msg : "load failed");
			free(msg);
			return ERR_INVALID;
		}
	}
	/* an unreachable database is not fatal: /readyz reports it, pages 503 */
	if (db_open(&app->db, app->cfg.db) == ERR_NOMEM)
		return ERR_NOMEM;
	return 0;
}

void app_close(struct app *app)
{
	db_close(&app->db);
	if (app->tmpl)
		tmpl_set_free(app->tmpl);
	i18n_close(&app->i18n);
}
