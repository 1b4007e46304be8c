/* cli.h — the command line: `precis [--db PATH] COMMAND [ARGS]`.
 *
 * Each command is one function taking its own argv (argv[0] is the command
 * name; parse with getopt_long after setting optind = 0). A command returns
 * the process exit status: 0 success, 1 failure (message on stderr),
 * 2 usage error.
 */
#ifndef PRECIS_TUI_CLI_H
#define PRECIS_TUI_CLI_H

#include <stddef.h>

struct cli {
	const char *db_path;    /* resolved archive path */
	int db_explicit;        /* --db or $PRECIS_DB given */
	int out_tty;            /* stdout is a terminal */
	int err_tty;            /* stderr is a terminal */
	int color;              /* colour allowed on stdout (tty, no NO_COLOR) */
};

int cmd_import(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_mermaid(struct cli *c, int argc, char **argv);

/* Opens the app's default view. Until the full-screen app exists this
 * prints the archive listing. */
int cmd_default(struct cli *c);

/* The sample records compiled into the binary (data/samples/), imported on
 * the first run of the default archive. */
struct sample {
	const char *name;
	const char *data;
	size_t len;
};
size_t precis_sample_count(void);
struct sample precis_sample(size_t i);

/* Print "precis: " + message + newline to stderr; returns 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error for command cmd; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
