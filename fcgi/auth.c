/* auth.c: sessions and login shared by pages and API (see auth.h). */
#include "auth.h"
#include "ratelimit.h"
#include "images.h"
#include "err.h"
#include "respond.h"

#include <stdio.h>

struct pw_params auth_pw_params(const struct app *app)
{
	struct pw_params p = {app->cfg.argon2_t, app->cfg.argon2_m, app->cfg.argon2_p};

	return p;
}

struct login_policy auth_login_policy(const struct app *app)
{
	struct login_policy p = {app->cfg.login_max_account, app->cfg.login_max_ip,
	                         app->cfg.login_window};

	return p;
}

int auth_start_session(struct req *r, const struct user *u)
{
	struct session *s = arena_alloc(r->a, sizeof(*s));
	const char *token;
	int rc;

	/* a new token at every login: no session fixation */
	if (r->sess != NULL)
		auth_end_session(r);
	rc = sess_create(&r->app->db, r->a, u->id, r->app->cfg.session_ttl, r->client_ip,
	                 r->user_agent, &token, s);
	if (rc != 0)
		return rc;
	resp_cookie(r, COOKIE_SESSION, token, r->app->cfg.session_ttl);
	r->sess = s;
	r->csrf = s->csrf;
	return 0;
}

void auth_end_session(struct req *r)
{
	if (r->sess != NULL)
		(void)sess_destroy(&r->app->db, r->a, r->sess->token_hash);
	resp_cookie(r, COOKIE_SESSION, "", -1);
	r->sess = NULL;
}

void auth_flash(struct req *r, const char *code)
{
	resp_cookie(r, COOKIE_FLASH, code, 60);
}

int auth_login(struct req *r, struct user *u, const char **why)
{
	struct login_policy lp = auth_login_policy(r->app);
	long wait = 0;
	int retry = 0, rc;

	/* every attempt counts here, so guessing many accounts from one address is slow too */
	rc = rate_hit(&r->app->db, r->a, arena_printf(r->a, "login:ip:%s", r->client_ip),
	              r->app->cfg.rate_login, r->app->cfg.rate_window, &retry);
	wait = retry;
	if (rc == 0)
		rc = login_check(&r->app->db, r->a, &lp, kv_get(&r->params, "email"),
		                 kv_get(&r->params, "password"), r->client_ip, u, &wait);
	switch (rc) {
	case 0: *why = NULL; break;
	case ERR_AUTH: *why = N_("The email or password is not correct."); break;
	case ERR_FORBIDDEN:
		*why = N_("This account is disabled. Contact the administrator.");
		break;
	case ERR_THROTTLED:
		resp_header(r, "Retry-After", arena_printf(r->a, "%ld", wait));
		*why = arena_printf(r->a,
		                    _n("Too many failed attempts. For your safety, logging in is "
		                       "paused; try again in %ld minute.",
		                       "Too many failed attempts. For your safety, logging in is "
		                       "paused; try again in %ld minutes.",
		                       (unsigned long)(wait + 59) / 60),
		                    (wait + 59) / 60);
		break;
	default: *why = N_("Logging in is not possible right now. Please try again."); break;
	}
	return rc;
}

int auth_delete_account(struct req *r, const char *password)
{
	const char **shas = NULL;
	int n = 0, i, rc;

	if ((rc = images_owner_hashes(&r->app->db, r->a, r->sess->user.id, &shas, &n)) != 0)
		return rc;
	if ((rc = users_delete(&r->app->db, r->a, &r->sess->user, password)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		media_release(&r->app->db, r->a, r->app->cfg.media, shas[i]);
	resp_cookie(r, COOKIE_SESSION, "", -1);
	r->sess = NULL;
	return 0;
}
