/* test-config.c: configuration file and environment overrides. */
#include "config.h"
#include "err.h"
#include "t.h"

#include <stdlib.h>

static const char *write_tmp(const char *text)
{
	static char path[] = "/tmp/ht-config-XXXXXX";
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/ht-config-XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_defaults_and_file(void)
{
	struct config c;
	char err[200];
	const char *p = write_tmp("# comment\n\ndb = host=/tmp dbname=x\nsession_ttl = 3600\n");

	unsetenv("HASHTAGGER_DB");
	T_CHECK(config_load(&c, p, err, sizeof(err)) == 0);
	T_STREQ(c.db, "host=/tmp dbname=x");
	T_CHECK(c.session_ttl == 3600);
	T_CHECK(c.argon2_m == 65536 && c.argon2_t == 3);
	T_CHECK(c.login_max_account == 5);
	T_STREQ(c.metrics_file, "var/run/metrics");
	remove(p);
}

static void test_env_overrides_file(void)
{
	struct config c;
	char err[200];
	const char *p = write_tmp("db = from-file\n");

	setenv("HASHTAGGER_DB", "from-env", 1);
	setenv("HASHTAGGER_LOGIN_MAX_IP", "7", 1);
	T_CHECK(config_load(&c, p, err, sizeof(err)) == 0);
	T_STREQ(c.db, "from-env");
	T_CHECK(c.login_max_ip == 7);
	unsetenv("HASHTAGGER_DB");
	unsetenv("HASHTAGGER_LOGIN_MAX_IP");
	remove(p);
}

static void test_errors_name_line_and_key(void)
{
	struct config c;
	char err[200];
	const char *p = write_tmp("db = x\nnonsense = 1\n");

	T_CHECK(config_load(&c, p, err, sizeof(err)) == ERR_INVALID);
	T_CHECK(strstr(err, ":2:") != NULL && strstr(err, "nonsense") != NULL);
	remove(p);
	p = write_tmp("session_ttl = 5\n");
	T_CHECK(config_load(&c, p, err, sizeof(err)) == ERR_INVALID);
	T_CHECK(strstr(err, "from 60") != NULL);
	remove(p);
	p = write_tmp("no equals sign\n");
	T_CHECK(config_load(&c, p, err, sizeof(err)) == ERR_INVALID);
	remove(p);
	T_CHECK(config_load(&c, "/nonexistent/hashtagger.conf", err, sizeof(err)) == ERR_INVALID);
	setenv("HASHTAGGER_ARGON2_T", "zero", 1);
	T_CHECK(config_load(&c, NULL, err, sizeof(err)) == ERR_INVALID);
	unsetenv("HASHTAGGER_ARGON2_T");
}

/* deploy/hashtagger.conf.example names every key, with its default */
static void test_example_file_loads(void)
{
	struct config c, d;
	char err[200] = "";

	T_CHECK(config_load(&c, "deploy/hashtagger.conf.example", err, sizeof(err)) == 0);
	T_STREQ(err, "");
	T_STREQ(c.log, "/var/log/hashtagger/hashtagger.log");
	T_STREQ(c.metrics_file, "/run/hashtagger/metrics");
	T_CHECK(config_load(&d, "/dev/null", err, sizeof(err)) == 0);
	T_CHECK(c.rate_api == d.rate_api && c.jwt_ttl == d.jwt_ttl &&
	        c.tagd_lease == d.tagd_lease && c.quota_bytes == d.quota_bytes &&
	        c.max_pixels == d.max_pixels);
}

int main(void)
{
	T_RUN(test_defaults_and_file);
	T_RUN(test_env_overrides_file);
	T_RUN(test_errors_name_line_and_key);
	T_RUN(test_example_file_loads);
	T_DONE();
}
