/* login.h: password login with throttling per account and per client
 * address. Failed attempts are stored in login_failures, so every worker
 * (and every host) sees the same counts. */
#ifndef HT_LOGIN_H
#define HT_LOGIN_H

#include "db.h"
#include "users.h"

struct login_policy {
	int max_account; /* failures per email within window */
	int max_ip;      /* failures per client address within window */
	long window;     /* seconds */
};

/* Check email+password. Returns 0 and fills *u on success; ERR_AUTH for an
 * unknown email or wrong password (same answer and similar time for both);
 * ERR_FORBIDDEN for a disabled account (only after a correct password);
 * ERR_THROTTLED when too many failures, with *retry_after seconds. */
int login_check(struct db *db, struct arena *a, const struct login_policy *lp, const char *email,
                const char *password, const char *client_ip, struct user *u, long *retry_after);

#endif
