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

#endif
