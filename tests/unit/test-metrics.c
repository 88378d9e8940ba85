/* test-metrics.c: the exposition text (escaping, cumulative buckets) and
 * the shared file: made when missing, remade when foreign, slots per
 * process, counts kept across a process's death and restart. */
#include "err.h"
#include "metrics.h"
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/ht-metrics-XXXXXX";
static char path[64];

static const struct metrics_key keys[] = {{"GET", "/a"}, {"POST", "/b/*"}};

static const struct metrics_row *row(const struct metrics_totals *t, const char *method,
                                     const char *route)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].method, method) == 0 && strcmp(t->rows[i].route, route) == 0)
			return &t->rows[i];
	return NULL;
}

static int has_line(const struct buf *b, const char *line)
{
	const char *p = b->data;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == b->data || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static int count(const struct buf *b, const char *s)
{
	const char *p = b->data;
	int n = 0;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

static void test_text_escapes_and_histograms(void)
{
	static struct metrics_totals t;
	struct metrics_queue q = {5, 1, 1.5};
	struct buf b = {0};

	memset(&t, 0, sizeof(t));
	t.nrows = 1;
	snprintf(t.rows[0].method, sizeof(t.rows[0].method), "GET");
	snprintf(t.rows[0].route, sizeof(t.rows[0].route), "/a\"b\\c\nd");
	t.rows[0].status[1] = 3;
	t.rows[0].status[4] = 1;
	t.rows[0].latency.bucket[0] = 2;
	t.rows[0].latency.bucket[METRICS_BUCKETS - 1] = 2;
	t.rows[0].latency.sum_us = 12345678;
	t.jobs[METRICS_JOB_DONE] = 7;
	t.nprocs = 1;
	t.procs[0].kind = METRICS_TAGD;
	t.procs[0].slot = 3;
	t.procs[0].rss = 4096;
	metrics_text(&b, &t, NULL);
	T_CHECK(has_line(&b,
	                 "hashtagger_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\","
	                 "status=\"2xx\"} 3"));
	T_CHECK(has_line(&b,
	                 "hashtagger_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\","
	                 "status=\"5xx\"} 1"));
	T_CHECK(strstr(b.data, "status=\"1xx\"") == NULL);
	T_CHECK(has_line(
	    &b, "hashtagger_http_request_duration_seconds_bucket{route=\"/a\\\"b\\\\c\\nd\""
	        ",method=\"GET\",le=\"0.005\"} 2"));
	T_CHECK(has_line(
	    &b, "hashtagger_http_request_duration_seconds_bucket{route=\"/a\\\"b\\\\c\\nd\""
	        ",method=\"GET\",le=\"10\"} 2"));
	T_CHECK(has_line(
	    &b, "hashtagger_http_request_duration_seconds_bucket{route=\"/a\\\"b\\\\c\\nd\""
	        ",method=\"GET\",le=\"+Inf\"} 4"));
	T_CHECK(has_line(&b,
	                 "hashtagger_http_request_duration_seconds_sum{route=\"/a\\\"b\\\\c\\nd\","
	                 "method=\"GET\"} 12.345678"));
	T_CHECK(has_line(
	    &b, "hashtagger_http_request_duration_seconds_count{route=\"/a\\\"b\\\\c\\nd\","
	        "method=\"GET\"} 4"));
	T_CHECK(has_line(&b, "# TYPE hashtagger_http_request_duration_seconds histogram"));
	T_CHECK(has_line(&b, "hashtagger_tag_jobs_total{result=\"done\"} 7"));
	T_CHECK(has_line(
	    &b, "hashtagger_tagger_duration_seconds_bucket{stage=\"infer\",le=\"+Inf\"} 0"));
	T_CHECK(has_line(&b, "hashtagger_tagger_duration_seconds_sum{stage=\"decode\"} 0.000000"));
	T_CHECK(has_line(&b, "hashtagger_processes{kind=\"tagd\"} 1"));
	T_CHECK(has_line(&b, "hashtagger_processes{kind=\"worker\"} 0"));
	T_CHECK(has_line(
	    &b, "hashtagger_process_resident_memory_bytes{kind=\"tagd\",slot=\"3\"} 4096"));
	T_CHECK(strstr(b.data, "tag_queue") == NULL);
	T_CHECK(count(&b, "# HELP ") == count(&b, "# TYPE ") && count(&b, "# TYPE ") == 9);
	T_CHECK(b.data[b.len - 1] == '\n');
	buf_clear(&b);
	metrics_text(&b, &t, &q);
	T_CHECK(has_line(&b, "hashtagger_tag_queue_jobs{state=\"queued\"} 5"));
	T_CHECK(has_line(&b, "hashtagger_tag_queue_jobs{state=\"running\"} 1"));
	T_CHECK(has_line(&b, "hashtagger_tag_queue_oldest_age_seconds 1.500"));
	buf_free(&b);
}

/* Run fn with stderr going to a file; its text in out (size n). */
static int quietly(int (*fn)(void), char *out, size_t n)
{
	char log[80];
	int saved, fd, rc;
	ssize_t got;

	snprintf(log, sizeof(log), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(log, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	rc = fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	got = pread(fd, out, n - 1, 0);
	out[got > 0 ? got : 0] = '\0';
	close(fd);
	return rc;
}

static int open_worker(void)
{
	return metrics_open(path, METRICS_WORKER, keys, 2);
}

static void test_counts_are_shared_and_survive_restarts(void)
{
	static struct metrics_totals t;
	const struct metrics_row *r;
	int up[2], down[2];
	char c, log[512];
	pid_t pid;
	struct stat st;

	unlink(path);
	T_CHECK(quietly(open_worker, log, sizeof(log)) == 0);
	T_STREQ(log, "");
	T_CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0660);
	metrics_request_start();
	metrics_request_done(0, "GET", 200, 3000);
	metrics_request_start();
	metrics_request_done(-1, "BREW", 418, 20000000);
	metrics_request_start();
	metrics_request_done(-1, "DELETE", 404, 100);
	metrics_db_error(METRICS_DB_QUERY);
	T_CHECK(metrics_sum(&t) == 0);
	T_CHECK((r = row(&t, "GET", "/a")) != NULL && r->status[1] == 1 &&
	        r->latency.bucket[0] == 1 && r->latency.sum_us == 3000);
	T_CHECK((r = row(&t, "other", "other")) != NULL && r->status[3] == 1 &&
	        r->latency.bucket[METRICS_BUCKETS - 1] == 1);
	T_CHECK((r = row(&t, "DELETE", "other")) != NULL && r->status[3] == 1);
	T_CHECK(row(&t, "POST", "/b/*") == NULL); /* no request yet */
	T_CHECK(t.starts[METRICS_WORKER] == 1 && t.nprocs == 1 && t.in_flight == 0);
	T_CHECK(t.procs[0].rss > 0 && t.db_errors[METRICS_DB_QUERY] == 1);

	/* another process: its own slot, the same rows for the same labels */
	T_CHECK(pipe(up) == 0 && pipe(down) == 0);
	if ((pid = fork()) == 0) {
		static const struct metrics_key mine[] = {{"POST", "/b/*"}, {"GET", "/c"}};
		if (metrics_open(path, METRICS_TAGD, mine, 2) != 0)
			_exit(1);
		metrics_request_start();
		metrics_request_done(0, "POST", 201, 60000);
		metrics_request_start(); /* still in flight when killed */
		metrics_job(METRICS_JOB_DONE);
		metrics_tagger(120.0, 800.0);
		if (write(up[1], "x", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	T_CHECK(pid > 0 && read(up[0], &c, 1) == 1);
	T_CHECK(metrics_sum(&t) == 0);
	T_CHECK(t.nprocs == 2 && t.starts[METRICS_TAGD] == 1 && t.in_flight == 1);
	T_CHECK((r = row(&t, "POST", "/b/*")) != NULL && r->status[1] == 1);
	T_CHECK(t.jobs[METRICS_JOB_DONE] == 1 && t.tagger[METRICS_DECODE].bucket[5] == 1 &&
	        t.tagger[METRICS_INFER].bucket[7] == 1 && t.tagger[METRICS_INFER].sum_us == 800000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* dead: its counts stay, it is no longer live or in flight */
	T_CHECK(metrics_sum(&t) == 0);
	T_CHECK(t.nprocs == 1 && t.in_flight == 0 && t.jobs[METRICS_JOB_DONE] == 1);
	T_CHECK((r = row(&t, "POST", "/b/*")) != NULL && r->status[1] == 1);

	/* a restart takes a free slot and the totals go on from there */
	metrics_close();
	T_CHECK(metrics_sum(&t) == ERR_UNAVAILABLE);
	T_CHECK(open_worker() == 0);
	metrics_request_start();
	metrics_request_done(1, "POST", 201, 10);
	T_CHECK(metrics_sum(&t) == 0);
	T_CHECK(t.starts[METRICS_WORKER] == 2 && t.starts[METRICS_TAGD] == 1 && t.nprocs == 1);
	T_CHECK((r = row(&t, "POST", "/b/*")) != NULL && r->status[1] == 2);
	T_CHECK((r = row(&t, "GET", "/a")) != NULL && r->status[1] == 1);
	metrics_close();
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

static void write_file(const void *data, size_t n, off_t at)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	T_CHECK(fd >= 0 && pwrite(fd, data, n, at) == (ssize_t)n);
	close(fd);
}

static void test_foreign_files_are_remade(void)
{
	static struct metrics_totals t;
	struct stat before, after;
	uint32_t version = METRICS_VERSION + 1;
	char log[512];

	unlink(path);
	write_file("not metrics at all\n", 19, 0);
	stat(path, &before);
	T_CHECK(quietly(open_worker, log, sizeof(log)) == 0);
	T_CHECK(strstr(log, "not a metrics file; made a new one") != NULL);
	T_CHECK(stat(path, &after) == 0 && after.st_ino != before.st_ino);
	metrics_request_start();
	metrics_request_done(0, "GET", 200, 1);
	T_CHECK(metrics_sum(&t) == 0 && t.nrows == 1 && t.starts[METRICS_WORKER] == 1);
	metrics_close();

	write_file(&version, sizeof(version), 8); /* the version field */
	T_CHECK(quietly(open_worker, log, sizeof(log)) == 0);
	T_CHECK(strstr(log, "another version; made a new one") != NULL);
	T_CHECK(metrics_sum(&t) == 0 && t.nrows == 0 && t.starts[METRICS_WORKER] == 1);
	metrics_close();

	T_CHECK(truncate(path, 4096) == 0);
	T_CHECK(quietly(open_worker, log, sizeof(log)) == 0);
	T_CHECK(strstr(log, "another layout; made a new one") != NULL);
	metrics_close();
}

static int open_nowhere(void)
{
	return metrics_open("/nonexistent/dir/metrics", METRICS_WORKER, keys, 2);
}

static void test_unusable_path_turns_metrics_off(void)
{
	static struct metrics_totals t;
	char log[512];

	T_CHECK(quietly(open_nowhere, log, sizeof(log)) == ERR_IO);
	T_CHECK(strstr(log, "/nonexistent/dir/metrics") != NULL);
	/* counting does nothing, and nothing breaks */
	metrics_request_start();
	metrics_request_done(0, "GET", 200, 1);
	metrics_db_error(METRICS_DB_CONNECT);
	metrics_job(METRICS_JOB_FAILED);
	metrics_tagger(1, 2);
	T_CHECK(metrics_sum(&t) == ERR_UNAVAILABLE);
	T_CHECK(metrics_open("", METRICS_WORKER, keys, 2) == 0);
	T_CHECK(metrics_sum(&t) == ERR_UNAVAILABLE);
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/metrics", dir);
	T_RUN(test_text_escapes_and_histograms);
	T_RUN(test_counts_are_shared_and_survive_restarts);
	T_RUN(test_foreign_files_are_remade);
	T_RUN(test_unusable_path_turns_metrics_off);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stderr", dir);
	unlink(path);
	rmdir(dir);
	T_DONE();
}
