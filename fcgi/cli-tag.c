/* cli-tag.c: `hashtagger tag FILE…` (hashtags without a server) and
 * `hashtagger tagd` (the tagging worker). Both load libtorch through the
 * tagger; nothing else in the binary does. */
#include "cli.h"
#include "err.h"
#include "metrics.h"
#include "tagd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* EX_CONFIG: a missing or broken model or rules file will not fix itself,
 * so the systemd unit does not restart on it (RestartPreventExitStatus). */
#define EXIT_CONFIG 78

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Load config, rules and the tagger; print why not and return nonzero. */
static int open_all(struct config *cfg, struct rules **r, struct tagger **t)
{
	char err[400], path[300];

	*r = NULL;
	*t = NULL;
	if (config_load(cfg, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "hashtagger: config: %s\n", err);
		return EXIT_CONFIG;
	}
	snprintf(path, sizeof(path), "%s/rules.txt", cfg->models);
	*r = rules_load(path, err, sizeof(err));
	if (*r == NULL) {
		fprintf(stderr, "hashtagger: rules: %s\n", err);
		return EXIT_CONFIG;
	}
	*t = tagger_open(cfg->models, cfg->tagger_lib, cfg->tagger_threads, err, sizeof(err));
	if (*t == NULL) {
		fprintf(stderr, "hashtagger: tagger: %s\n", err);
		rules_free(*r);
		*r = NULL;
		return EXIT_CONFIG;
	}
	return 0;
}

static void print_tags(const char *file, const struct tagging *tg)
{
	char f[TAG_MAX + 2];
	int i;

	printf("%s  (decode %.0f ms, inference %.0f ms, nsfw %.2f)\n", file, tg->res.ms_decode,
	       tg->res.ms_infer, (double)tg->res.nsfw_score);
	for (i = 0; i < tg->ntags; i++)
		printf("  %-24s %.2f  %-8s %s\n", tag_format(tg->tags[i].name, 1, f, sizeof(f)),
		       (double)tg->tags[i].conf, tag_source_name(tg->tags[i].src), tg->tags[i].why);
}

int cli_tag(int argc, char **argv)
{
	struct config cfg;
	struct rules *r;
	struct tagger *t;
	struct tagging *tg = malloc(sizeof(*tg));
	const char *caption = NULL;
	enum tag_lang lang = LANG_EN;
	char err[300];
	int i, rc, failed = 0;

	for (i = 0; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--caption") == 0)
			caption = argv[i + 1];
		else if (strcmp(argv[i], "--lang") == 0)
			lang = tagd_lang(argv[i + 1], NULL);
		else
			break;
	}
	if (i >= argc || argv[i][0] == '-' || tg == NULL) {
		fputs("usage: hashtagger tag [--caption TEXT] [--lang en|es|both] FILE...\n",
		      stderr);
		free(tg);
		return 2;
	}
	if ((rc = open_all(&cfg, &r, &t)) != 0) {
		free(tg);
		return rc;
	}
	for (; i < argc; i++) {
		rc = tagd_tag_file(t, r, &cfg, argv[i], NULL, caption, lang, cfg.tag_max, tg, err,
		                   sizeof(err));
		if (rc != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			failed++;
			continue;
		}
		print_tags(argv[i], tg);
		tagger_result_free(&tg->res);
	}
	tagger_close(t);
	rules_free(r);
	free(tg);
	return failed ? 1 : 0;
}

int cli_tagd(void)
{
	struct config cfg;
	struct rules *r;
	struct tagger *t;
	struct db db;
	struct sigaction sa;
	int rc;

	setvbuf(stderr, NULL, _IOLBF, 0);
	if ((rc = open_all(&cfg, &r, &t)) != 0)
		return rc;
	memset(&sa, 0, sizeof(sa)); /* no SA_RESTART: poll() returns on a signal */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	(void)metrics_open(cfg.metrics_file, METRICS_TAGD, NULL, 0); /* logs why when it cannot */
	if (db_open(&db, cfg.db) == ERR_NOMEM) {
		rc = 1;
		goto out;
	}
	snprintf(db.log_tag, sizeof(db.log_tag), "tagd");
	rc = tagd_loop(&cfg, &db, t, r, &stop);
	db_close(&db);
out:
	metrics_close();
	tagger_close(t);
	rules_free(r);
	return rc;
}
