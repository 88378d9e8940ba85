/* main.c: the hashtagger binary. Without arguments it is a FastCGI worker
 * (spawned by lighttpd or spawn-fcgi on fd 0); subcommands run admin tasks. */
#include "app.h"
#include "cli.h"
#include "dispatch.h"
#include "jsonmem.h"
#include "metrics.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t busy, stopping;

/* SIGTERM: exit at once when idle in accept(), else after this request. */
static void on_term(int sig)
{
	(void)sig;
	if (!busy)
		_exit(0);
	stopping = 1;
}

static int serve(void)
{
	struct app app;
	struct arena arena;
	FCGX_Request fx;
	struct sigaction sa;

	jsonmem_init(); /* before any cJSON use */
	if (app_open(&app, 1) != 0)
		return 1;
	/* spawn-fcgi gives workers no stderr; a log file keeps their lines */
	if (app.cfg.log[0] != '\0' && freopen(app.cfg.log, "a", stderr) == NULL)
		return 1;
	setvbuf(stderr, NULL, _IOLBF, 0);
	(void)dispatch_metrics_open(app.cfg.metrics_file); /* logs why when it cannot */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	FCGX_Init();
	FCGX_InitRequest(&fx, 0, 0);
	arena_init(&arena, 256 * 1024); /* a page's view model and output fit in one chunk */
	fprintf(stderr, "hashtagger %s: worker %d ready\n", HT_VERSION, (int)getpid());
	while (!stopping && FCGX_Accept_r(&fx) >= 0) {
		busy = 1;
		jsonmem_use(&arena);
		dispatch(&app, &fx, &arena);
		FCGX_Finish_r(&fx);
		jsonmem_use(NULL);
		arena_reset(&arena);
		busy = 0;
	}
	arena_free(&arena);
	metrics_close();
	app_close(&app);
	return 0;
}

static void usage(void)
{
	fputs("usage: hashtagger                     FastCGI worker (fd 0 is the socket)\n"
	      "       hashtagger migrate             apply pending sql/ migrations\n"
	      "       hashtagger user add [--admin] EMAIL   (password on stdin)\n"
	      "       hashtagger user passwd EMAIL          (password on stdin)\n"
	      "       hashtagger user promote|demote EMAIL\n"
	      "       hashtagger gc [--grace SECONDS]  remove orphaned media files\n"
	      "       hashtagger tag [--caption TEXT] [--lang en|es|both] FILE...\n"
	      "                                      print hashtags, no server needed\n"
	      "       hashtagger tagd                tag queued photos (LISTEN tag_jobs)\n"
	      "       hashtagger version\n",
	      stderr);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return serve();
	if (strcmp(argv[1], "version") == 0) {
		printf("hashtagger %s (%s)\n", HT_VERSION, HT_GITREV);
		return 0;
	}
	if (strcmp(argv[1], "migrate") == 0)
		return cli_migrate();
	if (strcmp(argv[1], "user") == 0)
		return cli_user(argc - 2, argv + 2);
	if (strcmp(argv[1], "gc") == 0)
		return cli_gc(argc - 2, argv + 2);
	if (strcmp(argv[1], "tag") == 0)
		return cli_tag(argc - 2, argv + 2);
	if (strcmp(argv[1], "tagd") == 0)
		return cli_tagd();
	usage();
	return 2;
}
