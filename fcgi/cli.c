/* cli.c: migrate and user management from the command line. */
#include "cli.h"
#include "err.h"
#include "media.h"
#include "migrate.h"
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_migrate(void)
{
	struct app app;
	int applied, rc;

	if (app_open(&app, 0) != 0)
		return 1;
	rc = migrate_run(&app.db, app.cfg.sql, &applied);
	if (rc == 0)
		printf("migrate: %d applied, schema up to date\n", applied);
	else
		fprintf(stderr, "migrate: failed (%s)\n", err_name(rc));
	app_close(&app);
	return rc == 0 ? 0 : 1;
}

/* One line from stdin without its newline; no echo when it is a terminal
 * is left to the caller's shell (read -s). */
static int read_password(char *buf, size_t n)
{
	size_t len;

	if (isatty(0))
		fputs("password: ", stderr);
	if (fgets(buf, (int)n, stdin) == NULL)
		return -1;
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return 0;
}

static const struct pw_params *params_of(const struct app *app, struct pw_params *pp)
{
	pp->t_cost = app->cfg.argon2_t;
	pp->m_cost_kib = app->cfg.argon2_m;
	pp->parallelism = app->cfg.argon2_p;
	return pp;
}

static int user_add(struct app *app, struct arena *a, int admin, const char *email)
{
	char pw[1100];
	const char *reason = NULL;
	struct pw_params pp;
	struct user u;
	int rc;

	if (read_password(pw, sizeof(pw)) != 0) {
		fputs("user add: no password on stdin\n", stderr);
		return 1;
	}
	rc = users_create(&app->db, a, params_of(app, &pp), email, pw, admin ? "admin" : "user", &u,
	                  &reason, NULL);
	if (rc != 0) {
		fprintf(stderr, "user add: %s\n", reason ? reason : err_name(rc));
		return 1;
	}
	printf("created %s %s (%s)\n", u.role, u.email, u.public_id);
	return 0;
}

static int user_passwd(struct app *app, struct arena *a, const struct user *u)
{
	char pw[1100];
	const char *reason = NULL;
	struct pw_params pp;
	int rc;

	if (read_password(pw, sizeof(pw)) != 0) {
		fputs("user passwd: no password on stdin\n", stderr);
		return 1;
	}
	rc = users_set_password(&app->db, a, params_of(app, &pp), u, pw, &reason);
	if (rc != 0) {
		fprintf(stderr, "user passwd: %s\n", reason ? reason : err_name(rc));
		return 1;
	}
	printf("password changed for %s\n", u->email);
	return 0;
}

int cli_user(int argc, char **argv)
{
	struct app app;
	struct arena a;
	struct user u;
	int admin = 0, rc = 2;
	const char *verb = argc > 0 ? argv[0] : "", *email;

	if (argc >= 3 && strcmp(argv[1], "--admin") == 0 && strcmp(verb, "add") == 0) {
		admin = 1;
		email = argv[2];
	} else if (argc == 2) {
		email = argv[1];
	} else {
		fputs("usage: hashtagger user add [--admin] EMAIL | passwd EMAIL |"
		      " promote EMAIL | demote EMAIL\n",
		      stderr);
		return 2;
	}
	if (app_open(&app, 0) != 0)
		return 1;
	arena_init(&a, 0);
	if (strcmp(verb, "add") == 0) {
		rc = user_add(&app, &a, admin, email);
		goto out;
	}
	if ((rc = users_by_email(&app.db, &a, email, &u, NULL)) != 0) {
		fprintf(stderr, "user %s: %s: %s\n", verb, email, err_name(rc));
		rc = 1;
		goto out;
	}
	if (strcmp(verb, "passwd") == 0) {
		rc = user_passwd(&app, &a, &u);
	} else if (strcmp(verb, "promote") == 0 || strcmp(verb, "demote") == 0) {
		rc = users_set_role(&app.db, &a, &u, verb[0] == 'p' ? "admin" : "user");
		if (rc != 0)
			fprintf(stderr, "user %s: %s\n", verb,
			        rc == ERR_FORBIDDEN ? "refused: this is the last admin"
			                            : err_name(rc));
		else
			printf("%s is now %s\n", u.email, verb[0] == 'p' ? "admin" : "user");
		rc = rc ? 1 : 0;
	} else {
		fprintf(stderr, "user: unknown command '%s'\n", verb);
		rc = 2;
	}
out:
	arena_free(&a);
	app_close(&app);
	return rc;
}

int cli_gc(int argc, char **argv)
{
	struct app app;
	struct arena a;
	long grace = 3600;
	int removed = 0, rc;

	if (argc == 2 && strcmp(argv[0], "--grace") == 0) {
		grace = atol(argv[1]);
	} else if (argc != 0) {
		fputs("usage: hashtagger gc [--grace SECONDS]\n", stderr);
		return 2;
	}
	if (app_open(&app, 0) != 0)
		return 1;
	arena_init(&a, 0);
	rc = media_gc(&app.db, &a, app.cfg.media, grace, &removed);
	if (rc == 0)
		printf("gc: %d orphaned files removed from %s\n", removed, app.cfg.media);
	else
		fprintf(stderr, "gc: failed (%s)\n", err_name(rc));
	arena_free(&a);
	app_close(&app);
	return rc == 0 ? 0 : 1;
}
