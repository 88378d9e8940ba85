/* metrics.c: the shared metrics file and counting (see metrics.h).
 *
 * Layout (all offsets fixed by this version):
 *   header  magic, version, sizes; the HTTP rows' label sets   (page-rounded)
 *   slot 0 .. METRICS_SLOTS-1, each page-rounded: one process's counters
 * Byte 0 is the creation lock (held while a process checks, makes or
 * remakes the file and adds label sets); the first byte of slot i is the
 * lock that says slot i belongs to a live process. */
#include "metrics.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
               "counters in shared memory need lock-free atomics");

#define MAGIC "HTMETRIC"
#define PAGE_ROUND(n) (((n) + 4095) / 4096 * 4096)

const uint64_t metrics_bounds_us[METRICS_BUCKETS - 1] = {
    5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
};

struct mprefix {
	char magic[8];
	uint32_t version, slots, rows, buckets;
	uint64_t hdr_size, slot_size;
};

struct mkey {
	_Atomic uint32_t used; /* set (release) once method and route are written */
	char method[METRICS_METHOD_MAX + 1];
	char route[METRICS_ROUTE_MAX + 1];
};

struct mhdr {
	struct mprefix p;
	struct mkey keys[METRICS_ROWS];
};

struct mhist {
	_Atomic uint64_t bucket[METRICS_BUCKETS];
	_Atomic uint64_t sum_us;
};

struct mslot {
	_Atomic uint32_t kind; /* of the process that claimed it last */
	_Atomic uint64_t in_flight;
	_Atomic uint64_t starts[METRICS_KIND__MAX];
	_Atomic uint64_t db_errors[METRICS_DB__MAX];
	_Atomic uint64_t jobs[METRICS_JOB__MAX];
	struct mhist tagger[METRICS_STAGE__MAX];
	struct {
		_Atomic uint64_t status[5];
		struct mhist latency;
	} http[METRICS_ROWS];
};

#define HDR_SIZE PAGE_ROUND(sizeof(struct mhdr))
#define SLOT_SIZE PAGE_ROUND(sizeof(struct mslot))
#define FILE_SIZE (HDR_SIZE + METRICS_SLOTS * SLOT_SIZE)
#define SLOT_OFF(i) ((off_t)(HDR_SIZE + (size_t)(i)*SLOT_SIZE))

/* Methods with a row of their own for requests no route matched. */
static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* This process's mapping and slot. */
static struct {
	int fd;
	unsigned char *map;
	struct mslot *self;
	int slot;
	int *keymap; /* key index -> row; -1 when the rows are full */
	size_t nkeys;
	int other[NMETHODS];
} m = {.fd = -1};

static struct mhdr *hdr(void)
{
	return (struct mhdr *)(void *)m.map;
}

static struct mslot *slot_at(int i)
{
	return (struct mslot *)(void *)(m.map + SLOT_OFF(i));
}

static int lock_byte(int fd, int cmd, short type, off_t off)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = off;
	fl.l_len = 1;
	return fcntl(fd, cmd, &fl);
}

/* Run as root, give a file we made to the owner of its directory (the
 * workers drop to that user; tagd or `make run` may come first as root). */
static void own_like_dir(int fd, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat st;

	if (geteuid() != 0)
		return;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) == 0 && fchown(fd, st.st_uid, st.st_gid) != 0)
		fprintf(stderr, "metrics: chown %s: %s\n", path, strerror(errno));
}

/* Size an empty file and write its header. */
static int init_file(int fd, const char *path)
{
	struct mprefix p;

	memset(&p, 0, sizeof(p));
	memcpy(p.magic, MAGIC, sizeof(p.magic));
	p.version = METRICS_VERSION;
	p.slots = METRICS_SLOTS;
	p.rows = METRICS_ROWS;
	p.buckets = METRICS_BUCKETS;
	p.hdr_size = HDR_SIZE;
	p.slot_size = SLOT_SIZE;
	if (ftruncate(fd, (off_t)FILE_SIZE) != 0 || pwrite(fd, &p, sizeof(p), 0) != sizeof(p) ||
	    fchmod(fd, 0660) != 0)
		return ERR_IO;
	own_like_dir(fd, path);
	return 0;
}

/* NULL when the file at fd is a metrics file of this version, else why not. */
static const char *bad_header(int fd, const struct stat *st)
{
	struct mprefix p;

	if (pread(fd, &p, sizeof(p), 0) != sizeof(p) || memcmp(p.magic, MAGIC, sizeof(p.magic)))
		return "not a metrics file";
	if (p.version != METRICS_VERSION)
		return "a metrics file of another version";
	if (p.slots != METRICS_SLOTS || p.rows != METRICS_ROWS || p.buckets != METRICS_BUCKETS ||
	    p.hdr_size != HDR_SIZE || p.slot_size != SLOT_SIZE ||
	    (uint64_t)st->st_size != FILE_SIZE)
		return "a metrics file of another layout";
	return NULL;
}

/* Put a new file in place of path. Processes that mapped the old one keep
 * it (and their counts) until they restart; none of them can be hurt. */
static int remake(const char *path, const char *why)
{
	char tmp[PATH_MAX];
	int fd, rc = ERR_IO, e = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return ERR_INVALID;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		e = errno;
	} else {
		if (init_file(fd, path) == 0 && rename(tmp, path) == 0) {
			rc = 0;
		} else {
			e = errno;
			unlink(tmp);
		}
		close(fd);
	}
	fprintf(stderr, "metrics: %s was %s; %s%s\n", path, why,
	        rc == 0 ? "made a new one" : "could not replace it: ", rc == 0 ? "" : strerror(e));
	return rc;
}

/* Open path, making or remaking it as needed; returns the descriptor with
 * the creation lock held, or a negative enum err (logged). */
static int open_file(const char *path)
{
	struct stat st, cur;
	const char *why = "it keeps being replaced", *bad;
	int fd, tries, rc;

	for (tries = 0; tries < 3; tries++) {
		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0) {
			why = strerror(errno);
			break;
		}
		while ((rc = lock_byte(fd, F_SETLKW, F_WRLCK, 0)) != 0 && errno == EINTR)
			;
		if (rc != 0 || fstat(fd, &st) != 0 || stat(path, &cur) != 0) {
			why = strerror(errno);
			close(fd);
			break;
		}
		if (st.st_ino != cur.st_ino || st.st_dev != cur.st_dev) {
			close(fd); /* remade while we waited for the lock */
			continue;
		}
		if (st.st_size == 0) { /* new: we made it */
			if (init_file(fd, path) == 0)
				return fd;
			why = strerror(errno);
			close(fd);
			break;
		}
		if ((bad = bad_header(fd, &st)) == NULL)
			return fd;
		rc = remake(path, bad);
		close(fd);
		if (rc != 0)
			return rc;
	}
	fprintf(stderr, "metrics: %s: %s\n", path, why);
	return ERR_IO;
}

/* Take the first slot no live process holds. */
static int claim(enum metrics_kind kind)
{
	int i;

	for (i = 0; i < METRICS_SLOTS; i++) {
		struct mslot *s = slot_at(i);

		if (lock_byte(m.fd, F_SETLK, F_WRLCK, SLOT_OFF(i)) != 0) {
			if (errno == EAGAIN || errno == EACCES)
				continue;
			fprintf(stderr, "metrics: slot lock: %s\n", strerror(errno));
			return ERR_IO;
		}
		/* a dead process's requests are no longer in flight */
		atomic_store_explicit(&s->in_flight, 0, memory_order_relaxed);
		atomic_store_explicit(&s->kind, (uint32_t)kind, memory_order_relaxed);
		atomic_fetch_add_explicit(&s->starts[kind], 1, memory_order_relaxed);
		m.slot = i;
		m.self = s;
		return 0;
	}
	fprintf(stderr, "metrics: all %d slots are held by live processes\n", METRICS_SLOTS);
	return ERR_LIMIT;
}

/* The row of (method, route), added when new; -1 when it does not fit. */
static int row_of(const char *method, const char *route)
{
	size_t ml = strlen(method), rl = strlen(route);
	int i;

	if (ml > METRICS_METHOD_MAX || rl > METRICS_ROUTE_MAX)
		return -1;
	for (i = 0; i < METRICS_ROWS; i++) {
		struct mkey *k = &hdr()->keys[i];

		if (!atomic_load_explicit(&k->used, memory_order_acquire)) {
			memcpy(k->method, method, ml + 1);
			memcpy(k->route, route, rl + 1);
			atomic_store_explicit(&k->used, 1, memory_order_release);
			return i;
		}
		if (strncmp(k->method, method, sizeof(k->method)) == 0 &&
		    strncmp(k->route, route, sizeof(k->route)) == 0)
			return i;
	}
	return -1;
}

static int register_keys(const struct metrics_key *keys, size_t nkeys)
{
	size_t i, lost = 0;

	if ((m.keymap = calloc(nkeys + 1, sizeof(*m.keymap))) == NULL)
		return ERR_NOMEM;
	m.nkeys = nkeys;
	for (i = 0; i < NMETHODS; i++)
		m.other[i] = row_of(methods[i], "other");
	for (i = 0; i < nkeys; i++)
		lost += (m.keymap[i] = row_of(keys[i].method, keys[i].route)) < 0;
	if (lost)
		fprintf(stderr,
		        "metrics: no row for %zu routes (rows full or names too long); "
		        "they count as \"other\"\n",
		        lost);
	return 0;
}

int metrics_open(const char *path, enum metrics_kind kind, const struct metrics_key *keys,
                 size_t nkeys)
{
	void *map;
	int fd, rc;

	metrics_close();
	if (path == NULL || *path == '\0')
		return 0;
	if ((fd = open_file(path)) < 0) {
		fprintf(stderr, "metrics: off in this process\n");
		return fd;
	}
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "metrics: mmap %s: %s; off in this process\n", path,
		        strerror(errno));
		close(fd);
		return ERR_IO;
	}
	m.fd = fd;
	m.map = map;
	rc = claim(kind);
	if (rc == 0)
		rc = register_keys(keys, nkeys);
	(void)lock_byte(fd, F_SETLK, F_UNLCK, 0);
	if (rc != 0) {
		fprintf(stderr, "metrics: off in this process (%s)\n", err_name(rc));
		metrics_close();
	}
	return rc;
}

void metrics_close(void)
{
	if (m.map != NULL)
		munmap(m.map, FILE_SIZE);
	if (m.fd >= 0)
		close(m.fd); /* and the slot lock with it */
	free(m.keymap);
	memset(&m, 0, sizeof(m));
	m.fd = -1;
}

static void add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static void observe(struct mhist *h, uint64_t us)
{
	int b = 0;

	while (b < METRICS_BUCKETS - 1 && us > metrics_bounds_us[b])
		b++;
	add(&h->bucket[b], 1);
	add(&h->sum_us, us);
}

void metrics_request_start(void)
{
	if (m.self != NULL)
		add(&m.self->in_flight, 1);
}

void metrics_request_done(int key, const char *method, int status, uint64_t us)
{
	size_t mi = 0;
	int row, cls = status / 100;

	if (m.self == NULL)
		return;
	atomic_fetch_sub_explicit(&m.self->in_flight, 1, memory_order_relaxed);
	row = key >= 0 && (size_t)key < m.nkeys ? m.keymap[key] : -1;
	if (row < 0) {
		while (mi < NMETHODS - 1 && strcmp(methods[mi], method) != 0)
			mi++;
		row = m.other[mi];
	}
	if (row < 0)
		return;
	cls = cls < 1 ? 1 : cls > 5 ? 5 : cls;
	add(&m.self->http[row].status[cls - 1], 1);
	observe(&m.self->http[row].latency, us);
}

void metrics_db_error(enum metrics_db what)
{
	if (m.self != NULL)
		add(&m.self->db_errors[what], 1);
}

void metrics_job(enum metrics_job outcome)
{
	if (m.self != NULL)
		add(&m.self->jobs[outcome], 1);
}

void metrics_tagger(double ms_decode, double ms_infer)
{
	if (m.self == NULL)
		return;
	observe(&m.self->tagger[METRICS_DECODE], ms_decode > 0 ? (uint64_t)(ms_decode * 1e3) : 0);
	observe(&m.self->tagger[METRICS_INFER], ms_infer > 0 ? (uint64_t)(ms_infer * 1e3) : 0);
}

static uint64_t load(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static void sum_hist(struct metrics_hist *to, struct mhist *from)
{
	int b;

	for (b = 0; b < METRICS_BUCKETS; b++)
		to->bucket[b] += load(&from->bucket[b]);
	to->sum_us += load(&from->sum_us);
}

/* The pid holding slot i (0 when unknown), or -1 when no live process does. */
static long holder(int i)
{
	struct flock fl;

	if (i == m.slot)
		return (long)getpid(); /* our own lock does not show to us */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = SLOT_OFF(i);
	fl.l_len = 1;
	if (fcntl(m.fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return -1;
	return (long)fl.l_pid;
}

static long long rss_of(long pid)
{
	char path[64];
	long long size, rss = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/statm", pid);
	if (pid <= 0 || (f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%lld %lld", &size, &rss) == 2)
		rss *= sysconf(_SC_PAGESIZE);
	else
		rss = -1;
	fclose(f);
	return rss;
}

static void sum_slot(struct metrics_totals *t, struct mslot *s)
{
	int i, j;

	for (i = 0; i < METRICS_KIND__MAX; i++)
		t->starts[i] += load(&s->starts[i]);
	for (i = 0; i < METRICS_DB__MAX; i++)
		t->db_errors[i] += load(&s->db_errors[i]);
	for (i = 0; i < METRICS_JOB__MAX; i++)
		t->jobs[i] += load(&s->jobs[i]);
	for (i = 0; i < METRICS_STAGE__MAX; i++)
		sum_hist(&t->tagger[i], &s->tagger[i]);
	for (i = 0; i < METRICS_ROWS; i++) {
		for (j = 0; j < 5; j++)
			t->rows[i].status[j] += load(&s->http[i].status[j]);
		sum_hist(&t->rows[i].latency, &s->http[i].latency);
	}
}

/* Keep the rows that have a label set and a request, in row order. */
static void compact_rows(struct metrics_totals *t)
{
	int i, n = 0;

	for (i = 0; i < METRICS_ROWS; i++) {
		struct mkey *k = &hdr()->keys[i];
		struct metrics_row *r = &t->rows[i];

		if (!atomic_load_explicit(&k->used, memory_order_acquire) ||
		    r->status[0] + r->status[1] + r->status[2] + r->status[3] + r->status[4] == 0)
			continue;
		memcpy(r->method, k->method, sizeof(r->method));
		memcpy(r->route, k->route, sizeof(r->route));
		r->method[METRICS_METHOD_MAX] = r->route[METRICS_ROUTE_MAX] = '\0';
		if (n != i)
			t->rows[n] = *r;
		n++;
	}
	t->nrows = n;
}

int metrics_sum(struct metrics_totals *t)
{
	int i, k;

	memset(t, 0, sizeof(*t));
	if (m.self == NULL)
		return ERR_UNAVAILABLE;
	for (i = 0; i < METRICS_SLOTS; i++) {
		struct mslot *s = slot_at(i);
		uint32_t kind;
		long pid;

		for (k = 0; k < METRICS_KIND__MAX && load(&s->starts[k]) == 0; k++)
			;
		if (k == METRICS_KIND__MAX)
			continue; /* never claimed */
		sum_slot(t, s);
		kind = atomic_load_explicit(&s->kind, memory_order_relaxed);
		if ((pid = holder(i)) < 0 || kind >= METRICS_KIND__MAX)
			continue;
		t->in_flight += load(&s->in_flight);
		t->procs[t->nprocs].kind = (enum metrics_kind)kind;
		t->procs[t->nprocs].slot = i;
		t->procs[t->nprocs].rss = rss_of(pid);
		t->nprocs++;
	}
	compact_rows(t);
	return 0;
}
