/* jwt.c: HS256 JSON Web Tokens (see jwt.h). */
#include "jwt.h"
#include "err.h"
#include "token.h"

#include <cJSON.h>

#include <string.h>

#define CLOCK_SKEW 60 /* seconds an iat may lie in the future */

/* base64url of {"alg":"HS256","typ":"JWT"} */
static const char header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

static int mac(const void *key, size_t keylen, const char *msg, size_t n, char out[44])
{
	unsigned char sig[32];

	if (token_hmac_sha256(key, keylen, msg, n, sig) != 0)
		return ERR_INVALID;
	b64url_encode(sig, sizeof(sig), out);
	return 0;
}

/* The claims as a JSON object, built by cJSON so that any character of sub
 * or jti stays inside its string. cJSON_free; NULL when out of memory. */
static char *payload_json(const struct jwt_claims *c)
{
	cJSON *o = cJSON_CreateObject();
	char *s = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "sub", c->sub) != NULL &&
	    cJSON_AddNumberToObject(o, "iat", (double)c->iat) != NULL &&
	    cJSON_AddNumberToObject(o, "exp", (double)c->exp) != NULL &&
	    cJSON_AddStringToObject(o, "jti", c->jti) != NULL)
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

int jwt_sign(const void *key, size_t keylen, const struct jwt_claims *c, char out[JWT_MAX + 1])
{
	char *payload = NULL, *body;
	size_t n, plen, hlen = sizeof(header_b64) - 1;
	int rc = ERR_INVALID;

	if (keylen < JWT_KEY_MIN || (payload = payload_json(c)) == NULL)
		goto out;
	n = strlen(payload);
	plen = b64url_len(n);
	if (hlen + 1 + plen + 1 + 43 > JWT_MAX)
		goto out;
	memcpy(out, header_b64, hlen);
	out[hlen] = '.';
	body = out + hlen + 1;
	b64url_encode((const unsigned char *)payload, n, body);
	body[plen] = '.';
	rc = mac(key, keylen, out, hlen + 1 + plen, body + plen + 1);
out:
	cJSON_free(payload);
	return rc;
}

/* Decode one base64url segment [s, s+n) as a JSON object. */
static cJSON *segment_json(const char *s, size_t n)
{
	char in[JWT_MAX + 1];
	unsigned char raw[JWT_MAX];
	size_t len;

	if (n == 0 || n > JWT_MAX)
		return NULL;
	memcpy(in, s, n);
	in[n] = '\0';
	if (b64url_decode(in, raw, sizeof(raw), &len) != 0)
		return NULL;
	return cJSON_ParseWithLength((const char *)raw, len);
}

static int header_ok(const char *s, size_t n)
{
	cJSON *h = segment_json(s, n);
	const char *alg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "alg"));
	const cJSON *typ = cJSON_GetObjectItemCaseSensitive(h, "typ");
	int ok = cJSON_IsObject(h) && alg != NULL && strcmp(alg, "HS256") == 0 &&
	         (typ == NULL || (cJSON_IsString(typ) && strcmp(typ->valuestring, "JWT") == 0)) &&
	         cJSON_GetObjectItemCaseSensitive(h, "crit") == NULL;

	cJSON_Delete(h);
	return ok;
}

static int copy_str(const cJSON *o, const char *name, char *out, size_t cap)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));

	if (v == NULL || *v == '\0' || strlen(v) >= cap)
		return ERR_AUTH;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int copy_time(const cJSON *o, const char *name, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e12)
		return ERR_AUTH;
	*out = (long long)v->valuedouble;
	return 0;
}

int jwt_verify(const void *key, size_t keylen, const char *tok, long long now, struct jwt_claims *c)
{
	const char *dot1, *dot2;
	char want[44];
	cJSON *p;
	int rc;

	memset(c, 0, sizeof(*c));
	if (tok == NULL || strlen(tok) > JWT_MAX || (dot1 = strchr(tok, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL || strchr(dot2 + 1, '.') != NULL)
		return ERR_AUTH;
	if (!header_ok(tok, (size_t)(dot1 - tok)))
		return ERR_AUTH;
	if (mac(key, keylen, tok, (size_t)(dot2 - tok), want) != 0 || !token_equal(dot2 + 1, want))
		return ERR_AUTH;
	p = segment_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	rc = cJSON_IsObject(p) ? 0 : ERR_AUTH;
	if (rc == 0)
		rc = copy_str(p, "sub", c->sub, sizeof(c->sub));
	if (rc == 0)
		rc = copy_str(p, "jti", c->jti, sizeof(c->jti));
	if (rc == 0)
		rc = copy_time(p, "iat", &c->iat);
	if (rc == 0)
		rc = copy_time(p, "exp", &c->exp);
	cJSON_Delete(p);
	if (rc == 0 && (c->exp <= now || c->iat > now + CLOCK_SKEW))
		rc = ERR_AUTH;
	return rc;
}
