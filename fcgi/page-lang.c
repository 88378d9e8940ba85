/* page-lang.c: POST /lang, the language selector of every page (the
 * layout's buttons, and the Language section of /account).
 *
 * A form with a CSRF token rather than a plain link: for a logged-in user
 * choosing a language changes their account (users.locale), and a GET that
 * changes state could be triggered by any page or prefetched. It works
 * without JavaScript and sends the reader back where they were (next). The
 * lang cookie keeps the choice before login and after logout; "auto"
 * forgets both and lets the browser's Accept-Language decide again. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "tagedit.h"

#include <string.h>

#define LANG_COOKIE_AGE (365L * 24 * 3600)

void page_lang(struct req *r)
{
	const char *code = kv_get(&r->params, "lang"), *next = kv_get(&r->params, "next");
	const struct i18n_lang *l = i18n_find(&r->app->i18n, code);
	int automatic = strcmp(code, "auto") == 0;
	const char *field, *why;

	if (l == NULL && !automatic) {
		respond_error(r, 400, N_("Choose one of the languages offered."));
		return;
	}
	if (r->sess != NULL) {
		struct prefs_form f = {.locale = automatic ? "auto" : l->code};
		int rc = tagedit_prefs_set(&r->app->db, r->a, &r->sess->user, &f, &field, &why);
		if (rc != 0) {
			respond_err(r, rc);
			return;
		}
		auth_flash(r, "locale"); /* stored with the account: say so */
	}
	resp_cookie(r, COOKIE_LANG, automatic ? "" : l->code, automatic ? -1 : LANG_COOKIE_AGE);
	respond_redirect(r, next != NULL && *next ? next : "/");
}
