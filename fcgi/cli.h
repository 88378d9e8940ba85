/* cli.h: the administrative subcommands of the hashtagger binary. */
#ifndef HT_CLI_H
#define HT_CLI_H

#include "app.h"

/* hashtagger migrate: exit status 0 when the schema is up to date. */
int cli_migrate(void);
/* hashtagger user add|passwd|promote|demote ...: exit status. */
int cli_user(int argc, char **argv);

/* hashtagger gc [--grace SECONDS]: remove media files no photo uses and
 * upload temp files older than the grace period (default an hour). */
int cli_gc(int argc, char **argv);

/* hashtagger tag [--caption TEXT] [--lang en|es|both] FILE...: print
 * ranked hashtags with confidence, source and reason; no server needed. */
int cli_tag(int argc, char **argv);
/* hashtagger tagd: tag queued photos until SIGTERM. Exit status 78 when the
 * models, the shim or the rules cannot be loaded. */
int cli_tagd(void);

#endif
