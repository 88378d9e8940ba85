/* test-userlist.c: the admin user list without a database — sorts and
 * directions by name, and keyset cursors: each sort's values round-trip,
 * a cursor is refused for another sort or direction, and forged ones (bad
 * base64, bad values, impossible instants, a bad public id) are refused. */
#include "err.h"
#include "t.h"
#include "token.h"
#include "userlist.h"

static struct arena a;

static int parses(const char *c, enum userlist_sort s, int desc)
{
	const char *v, *pid;

	return userlist_cursor_parse(&a, c, s, desc, &v, &pid) == 0;
}

/* base64url of raw, as a forged cursor */
static const char *forge(const char *raw)
{
	char *out = arena_alloc(&a, b64url_len(strlen(raw)) + 1);

	b64url_encode((const unsigned char *)raw, strlen(raw), out);
	return out;
}

static void test_sort_names_and_defaults(void)
{
	struct userlist_filter f = {0};
	enum userlist_sort s;
	const char *bad = NULL;
	int desc;

	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == 0 && s == USORT_JOINED && desc == 1);
	f.sort = "email";
	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == 0 && s == USORT_EMAIL && desc == 0);
	f.dir = "desc";
	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == 0 && desc == 1);
	f.sort = "storage";
	f.dir = "asc";
	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == 0 && s == USORT_STORAGE && desc == 0);
	f.sort = "password";
	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == ERR_INVALID);
	T_STREQ(bad, "sort");
	f.sort = "images";
	f.dir = "up";
	T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == ERR_INVALID);
	T_STREQ(bad, "dir");
	for (int i = 0; i < USORT__MAX; i++) {
		f.sort = userlist_sort_name((enum userlist_sort)i);
		f.dir = NULL;
		T_CHECK(userlist_sort_of(&f, &s, &desc, &bad) == 0 && (int)s == i);
		T_CHECK(desc == userlist_sort_desc(s));
	}
}

static void test_cursor_round_trips(void)
{
	static const struct {
		enum userlist_sort s;
		const char *value;
	} cases[] = {
	    {USORT_JOINED, "2026-11-23T07:13:00.123456Z"},
	    {USORT_LOGIN, "-infinity"},
	    {USORT_LOGIN, "2024-02-29T23:59:59.000000Z"},
	    {USORT_EMAIL, "a.b+c@example.org"},
	    {USORT_EMAIL, "ünï.cödé@example.org"},
	    {USORT_IMAGES, "0"},
	    {USORT_STORAGE, "123456789012345678"},
	    {USORT_ROLE, "admin"},
	    {USORT_STATE, "false"},
	};
	const char *v, *pid;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int desc = 0; desc < 2; desc++) {
			const char *c = userlist_cursor_make(&a, cases[i].s, desc, cases[i].value,
			                                     "Zk3q9vX2b7LmA0cD");
			T_CHECK(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123"
			                  "456789-_") == strlen(c));
			T_CHECK(userlist_cursor_parse(&a, c, cases[i].s, desc, &v, &pid) == 0);
			T_STREQ(v, cases[i].value);
			T_STREQ(pid, "Zk3q9vX2b7LmA0cD");
			/* made for one sort and direction only */
			T_CHECK(!parses(c, cases[i].s, !desc));
			T_CHECK(
			    !parses(c, (enum userlist_sort)((cases[i].s + 1) % USORT__MAX), desc));
		}
	}
}

static void test_forged_cursors_refused(void)
{
	T_CHECK(!parses("", USORT_JOINED, 1));
	T_CHECK(!parses("not base64!", USORT_JOINED, 1));
	T_CHECK(!parses("bm9wZQ", USORT_JOINED, 1)); /* "nope" */
	T_CHECK(parses(forge("joined.desc.2026-11-23T07:13:00.000000Z.Zk3q9vX2b7LmA0cD"),
	               USORT_JOINED, 1));
	/* impossible instants, other shapes */
	T_CHECK(!parses(forge("joined.desc.2026-02-30T07:13:00.000000Z.Zk3q9vX2b7LmA0cD"),
	                USORT_JOINED, 1));
	T_CHECK(!parses(forge("joined.desc.2026-11-23T24:00:00.000000Z.Zk3q9vX2b7LmA0cD"),
	                USORT_JOINED, 1));
	T_CHECK(
	    !parses(forge("joined.desc.2026-11-23 07:13:00.Zk3q9vX2b7LmA0cD"), USORT_JOINED, 1));
	T_CHECK(!parses(forge("joined.desc.-infinity.Zk3q9vX2b7LmA0cD"), USORT_JOINED, 1));
	/* numbers, roles, states */
	T_CHECK(!parses(forge("images.desc.-1.Zk3q9vX2b7LmA0cD"), USORT_IMAGES, 1));
	T_CHECK(
	    !parses(forge("images.desc.1234567890123456789.Zk3q9vX2b7LmA0cD"), USORT_IMAGES, 1));
	T_CHECK(!parses(forge("role.asc.root.Zk3q9vX2b7LmA0cD"), USORT_ROLE, 0));
	T_CHECK(!parses(forge("state.asc.t.Zk3q9vX2b7LmA0cD"), USORT_STATE, 0));
	T_CHECK(!parses(forge("email.asc..Zk3q9vX2b7LmA0cD"), USORT_EMAIL, 0));
	/* the public id, control characters */
	T_CHECK(!parses(forge("email.asc.a@b.org.short"), USORT_EMAIL, 0));
	T_CHECK(!parses(forge("email.asc.a\n@b.org.Zk3q9vX2b7LmA0cD"), USORT_EMAIL, 0));
	T_CHECK(!parses(forge("email.asc"), USORT_EMAIL, 0));
}

int main(void)
{
	arena_init(&a, 0);
	T_RUN(test_sort_names_and_defaults);
	T_RUN(test_cursor_round_trips);
	T_RUN(test_forged_cursors_refused);
	arena_free(&a);
	T_DONE();
}
