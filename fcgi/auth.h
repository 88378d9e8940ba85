/* auth.h: what the login/logout pages and their API twins share. */
#ifndef HT_AUTH_H
#define HT_AUTH_H

#include "app.h"
#include "login.h"
#include "password.h"

#define COOKIE_SESSION "ht_session"
#define COOKIE_CSRF "ht_csrf"
#define COOKIE_FLASH "ht_flash"
#define COOKIE_LANG "lang" /* the language chosen with the selector (page-lang.c) */

/* argon2id and throttling parameters from the configuration. */
struct pw_params auth_pw_params(const struct app *app);
struct login_policy auth_login_policy(const struct app *app);

/* Start a session for u: cookie set, r->sess and r->csrf updated.
 * Returns 0 or a negative enum err. */
int auth_start_session(struct req *r, const struct user *u);
/* End the request's session (row and cookie). */
void auth_end_session(struct req *r);
/* Show a one-time notice after the next redirect (code from respond.c). */
void auth_flash(struct req *r, const char *code);

/* Run the throttled login for the request's email/password params; on
 * failure the caller gets the error and a sentence for the user, and
 * Retry-After is already set when throttled. */
int auth_login(struct req *r, struct user *u, const char **why);

/* Delete the logged-in user's account after checking password (ERR_AUTH
 * when wrong), then the files no one else uses; the session cookie goes. */
int auth_delete_account(struct req *r, const char *password);

#endif
