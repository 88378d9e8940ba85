/* password.h: argon2id password hashing (libgcrypt) in PHC string form,
 * and the password policy shown to people choosing one. */
#ifndef HT_PASSWORD_H
#define HT_PASSWORD_H

#include <stddef.h>

struct pw_params {
	unsigned t_cost;     /* passes */
	unsigned m_cost_kib; /* memory in KiB */
	unsigned parallelism;
};

/* t=3, m=64 MiB, p=1: about 290 ms per hash here (tests/unit/test-crypto prints it). */
extern const struct pw_params PW_DEFAULT;

#define PW_HASH_MAX 160 /* room for any PHC string pw_hash writes */
#define PW_MAX_BYTES 1024

/* Hash password with a fresh 16-byte salt into out (outlen >= PW_HASH_MAX)
 * as "$argon2id$v=19$m=..,t=..,p=..$salt$hash". 0 or ERR_INVALID. */
int pw_hash(const struct pw_params *p, const char *password, char *out, size_t outlen);

/* 0 when password matches phc; ERR_AUTH when not; ERR_INVALID when phc is
 * not an argon2id string this build accepts (absurd costs are refused). */
int pw_verify(const char *password, const char *phc);

/* 1 when phc was made with parameters other than p. */
int pw_needs_rehash(const char *phc, const struct pw_params *p);

/* 0 when password is acceptable for the account email; else ERR_INVALID
 * with *reason a static English sentence for the person. */
int pw_policy_check(const char *password, const char *email, const char **reason);

#endif
