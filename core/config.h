/* config.h: the one configuration file (hashtagger.conf, "key = value",
 * '#' comments) with HASHTAGGER_<KEY> environment overrides. Defaults work
 * for `make run`. Every key is listed in config.c's table and in README. */
#ifndef HT_CONFIG_H
#define HT_CONFIG_H

#include <stddef.h>

struct config {
	char db[512];        /* libpq conninfo */
	char templates[256]; /* directory of *.mustache */
	char locale[256]; /* directory of LANG/hashtagger.mo; empty: "locale" next to the binary */
	char sql[256];    /* directory of NNNN-name.sql migrations */
	char log[256];    /* worker log file; empty: stderr */
	char base_url[256];    /* public origin, e.g. https://tags.example.org */
	int cookie_secure;     /* 1: Secure cookies (HTTPS deployments) */
	long session_ttl;      /* seconds a session lives */
	long body_max;         /* bytes accepted in a urlencoded/JSON body */
	int login_max_account; /* failed logins per account per window */
	int login_max_ip;      /* failed logins per client address per window */
	long login_window;     /* seconds */
	unsigned argon2_t;     /* argon2id passes */
	unsigned argon2_m;     /* argon2id memory, KiB */
	unsigned argon2_p;     /* argon2id lanes */
	int register_open;     /* 0: only admins create accounts (CLI) */
	char media[256];       /* directory of stored photos and thumbnails */
	long upload_max;       /* bytes per uploaded file */
	long upload_body_max;  /* bytes in one multipart upload request */
	int upload_files_max;  /* files in one upload request */
	long max_pixels;       /* width × height cap, checked on the header */
	int thumb_size;        /* longer side of thumbnails, px */
	int quota_uploads_day; /* uploads per user per UTC day (admins exempt) */
	long quota_bytes;      /* stored bytes per user (admins exempt) */
	char models[256];      /* directory of *.pt, rules.txt and word lists */
	char tagger_lib[256];  /* libht-torch.so; empty: next to the binary */
	int tagger_threads;    /* libtorch intra-op threads per tagd */
	int tag_wait_ms;       /* how long an upload waits for its hashtags */
	int tag_max;           /* hashtags stored per photo */
	int nsfw_flag_pct;     /* NSFW score (percent) at which a photo is flagged */
	int tagd_batch;        /* jobs one tagd claims at once */
	int tagd_lease;        /* seconds a claimed job stays leased */
	int tagd_attempts;     /* tries before a job is marked failed */
	char jwt_secret[256];  /* HS256 key of API access tokens (>= 32 chars); empty: no JWT */
	long jwt_ttl;          /* seconds an access token lives */
	long refresh_ttl;      /* seconds a refresh token lives */
	int rate_window;       /* seconds of one rate-limit window */
	int rate_api;          /* API requests a window per token, user or address (0: off) */
	int rate_upload;       /* upload requests a window per user (0: off) */
	int rate_login;        /* login attempts a window per address (0: off) */
	char
	    cors_origins[512]; /* origins allowed to call /api/v1 from a browser, space separated */
	char metrics_file[256]; /* counters shared by the processes for /metrics; empty: off */
};

/* Fill cfg with defaults, then read path (NULL: $HASHTAGGER_CONF, else
 * ./hashtagger.conf if it exists), then apply environment overrides.
 * Returns 0, or ERR_INVALID with a message in err (size errlen) naming the
 * file, line and key. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

#endif
