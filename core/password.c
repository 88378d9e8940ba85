/* password.c: argon2id via gcry_kdf_open, PHC strings, policy (see password.h). */
#include "password.h"
#include "err.h"
#include "i18n.h"
#include "token.h"
#include "utf8.h"

#include <gcrypt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SALT_LEN 16
#define TAG_LEN 32
#define MAX_T 64
#define MAX_M (4u * 1024 * 1024) /* 4 GiB in KiB */
#define MAX_P 16

const struct pw_params PW_DEFAULT = {3, 65536, 1};

/* The sentences people see; one table so they can be translated. */
static const char *const reasons[] = {
    N_("Use at least 10 characters. A few unrelated words make a good passphrase."),
    N_("Use at most 1024 bytes."),
    N_("Do not use your email address as your password."),
    N_("Use more than one repeated character."),
    N_("This password is one of the most common ones. Choose something less guessable."),
    N_("The password contains characters that are not valid text."),
};

/* A short list of the most used passwords of 10+ characters. */
static const char *const common[] = {
    "1234567890",   "12345678910", "123456789a",  "0123456789",    "0987654321",   "1q2w3e4r5t",
    "qwertyuiop",   "password12",  "password123", "password1234",  "passw0rd123",  "iloveyou12",
    "1qaz2wsx3edc", "qwerty1234",  "qwerty12345", "qwertyuiop123", "1234qwer!@#$", "abcdefghij",
    "abc1234567",   "asdfghjkl1",  "zaq12wsxcde", "welcome123",    "letmein123",   "administrator",
    "changeme123",  "football123", "monkey12345", "princess123",   "sunshine123",  "superman123",
    "trustno1234",  "aaaaaaaaaa",  "contraseña",  "contraseña123", "1111111111",
};

static int run_argon2(const struct pw_params *p, const char *pw, const unsigned char *salt,
                      size_t saltlen, unsigned char *tag, size_t taglen)
{
	unsigned long params[4] = {taglen, p->t_cost, p->m_cost_kib, p->parallelism};
	gcry_kdf_hd_t hd;
	int rc = ERR_INVALID;

	if (gcry_kdf_open(&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, params, 4, pw, strlen(pw), salt,
	                  saltlen, NULL, 0, NULL, 0) != 0)
		return ERR_INVALID;
	/* no job runner: lanes are computed one after the other */
	if (gcry_kdf_compute(hd, NULL) == 0 && gcry_kdf_final(hd, taglen, tag) == 0)
		rc = 0;
	gcry_kdf_close(hd);
	return rc;
}

int pw_hash(const struct pw_params *p, const char *password, char *out, size_t outlen)
{
	unsigned char salt[SALT_LEN], tag[TAG_LEN];
	char s64[64], t64[64];
	int n;

	token_random(salt, sizeof(salt));
	if (run_argon2(p, password, salt, sizeof(salt), tag, sizeof(tag)) != 0)
		return ERR_INVALID;
	b64std_encode(salt, sizeof(salt), s64);
	b64std_encode(tag, sizeof(tag), t64);
	n = snprintf(out, outlen, "$argon2id$v=19$m=%u,t=%u,p=%u$%s$%s", p->m_cost_kib, p->t_cost,
	             p->parallelism, s64, t64);
	return n > 0 && (size_t)n < outlen ? 0 : ERR_INVALID;
}

/* Parse a PHC argon2id string; salt/tag point into phc. */
static int parse(const char *phc, struct pw_params *p, unsigned char *salt, size_t *saltlen,
                 unsigned char *tag, size_t *taglen)
{
	const char *s, *t;
	int used = 0;

	if (sscanf(phc, "$argon2id$v=19$m=%u,t=%u,p=%u$%n", &p->m_cost_kib, &p->t_cost,
	           &p->parallelism, &used) != 3 ||
	    used == 0)
		return ERR_INVALID;
	if (p->t_cost < 1 || p->t_cost > MAX_T || p->m_cost_kib < 8 || p->m_cost_kib > MAX_M ||
	    p->parallelism < 1 || p->parallelism > MAX_P)
		return ERR_INVALID;
	s = phc + used;
	t = strchr(s, '$');
	if (t == NULL || strchr(t + 1, '$') != NULL)
		return ERR_INVALID;
	if (b64std_decode(s, (size_t)(t - s), salt, 64, saltlen) != 0 || *saltlen < 8)
		return ERR_INVALID;
	if (b64std_decode(t + 1, strlen(t + 1), tag, 64, taglen) != 0 || *taglen < 16)
		return ERR_INVALID;
	return 0;
}

int pw_verify(const char *password, const char *phc)
{
	struct pw_params p;
	unsigned char salt[64], tag[64], got[64], diff = 0;
	size_t saltlen, taglen, i;

	if (parse(phc, &p, salt, &saltlen, tag, &taglen) != 0)
		return ERR_INVALID;
	if (run_argon2(&p, password, salt, saltlen, got, taglen) != 0)
		return ERR_INVALID;
	for (i = 0; i < taglen; i++)
		diff |= (unsigned char)(got[i] ^ tag[i]);
	return diff == 0 ? 0 : ERR_AUTH;
}

int pw_needs_rehash(const char *phc, const struct pw_params *p)
{
	struct pw_params have;
	unsigned char salt[64], tag[64];
	size_t saltlen, taglen;

	if (parse(phc, &have, salt, &saltlen, tag, &taglen) != 0)
		return 1;
	return have.t_cost != p->t_cost || have.m_cost_kib != p->m_cost_kib ||
	       have.parallelism != p->parallelism || taglen != TAG_LEN;
}

static size_t count_code_points(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int pw_policy_check(const char *pw, const char *email, const char **reason)
{
	size_t len = strlen(pw), i, local;
	const char *at = email ? strchr(email, '@') : NULL;

	*reason = NULL;
	if (len > PW_MAX_BYTES)
		return *reason = reasons[1], ERR_INVALID;
	if (!utf8_valid(pw, len) || utf8_has_controls(pw, len))
		return *reason = reasons[5], ERR_INVALID;
	if (count_code_points(pw) < 10)
		return *reason = reasons[0], ERR_INVALID;
	for (i = 1; i < len && pw[i] == pw[0]; i++)
		;
	if (i == len)
		return *reason = reasons[3], ERR_INVALID;
	if (email != NULL && *email) {
		local = at ? (size_t)(at - email) : strlen(email);
		if (strcasecmp(pw, email) == 0 ||
		    (local == len && strncasecmp(pw, email, local) == 0))
			return *reason = reasons[2], ERR_INVALID;
		if (local >= 4) {
			for (i = 0; i + local <= len; i++)
				if (strncasecmp(pw + i, email, local) == 0)
					return *reason = reasons[2], ERR_INVALID;
		}
	}
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (strcasecmp(pw, common[i]) == 0)
			return *reason = reasons[4], ERR_INVALID;
	return 0;
}
