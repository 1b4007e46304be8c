/* cli.h — the command line: `precis [--db PATH] COMMAND [ARGS]`.
 * One file per command in tui/cli/; tui/main.c dispatches.
 *
 * Each command is one function taking its own argv (argv[0] is the command
 * name; parse with getopt_long after setting optind = 0). A command returns
 * the process exit status: 0 success, 1 failure (message on stderr),
 * 2 usage error.
 */
#ifndef PRECIS_TUI_CLI_H
#define PRECIS_TUI_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
int cmd_summarize(struct cli *c, int argc, char **argv);
int cmd_doctor(struct cli *c, int argc, char **argv);
int cmd_jobs(struct cli *c, int argc, char **argv);
int cmd_review(struct cli *c, int argc, char **argv);

/* With no command: the full-screen app (tui/app/app.h) when stdin and
 * stdout are a terminal, else the archive listing as `list` prints it. */
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

/* ---- messages (tui/cli/msg.c) ------------------------------------------ *
 * Each message is formatted whole, then made safe with rs_clean_msg()
 * (render/sanitize.h): paths, arguments and archive text may be given
 * with a plain %s. */

/* Print "precis: " + message + newline to stderr; returns 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for a warning that does not end the command. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error for command cmd; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print one safe line (message + newline) on f, no prefix. */
void cli_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage error for what getopt_long() refused: ch is the '?' or ':'
 * it returned (option strings start with ':' after any '+'), argv the
 * command's argv. Returns 2. */
int cli_option_error(const char *cmd, int ch, char **argv);

/* Reads [import] of cf (messages go to cf); the transcript language to
 * keep (enum doc_lang_pick). tui/cli/cmd_import.c; doctor checks it. */
struct cfg;
int cli_import_config(struct cfg *cf);

/* ---- shared by the commands (tui/cli/common.c) ------------------------- */

struct archive;
/* Opens the archive for a command: read-only unless write; the first run
 * of the default archive creates it with the samples. Returns 0, or the
 * exit status with the message printed. */
int cli_open_archive(struct cli *c, int write, struct archive **a);
/* A non-negative integer option value, or -1 when it is not one. */
long cli_parse_count(const char *s);
/* Columns of the terminal on fd ($COLUMNS, else 80, when not a terminal). */
int cli_term_width(int fd);
/* Prints a one-line, terminal-safe copy of s, cut to max cells (≤ 0: no
 * limit) with "…" when cut. */
void cli_put_field(FILE *f, const char *s, int max);
/* The same for s[0..n) (need not be NUL-terminated). */
void cli_put_fieldn(FILE *f, const char *s, size_t n, int max);

/* ---- evidence (tui/cli/evidence_out.c) ------------------------------------ */

/* Prints the evidence of transcript id's current summary (show --evidence);
 * returns the exit status. */
int cli_show_evidence(struct cli *c, struct archive *a, int64_t id, int json, int width);
/* Makes sure the current summaries have stored evidence before a listing:
 * computes the missing ones when the archive is writable (then *a is
 * replaced by a writable handle). Returns 0; never fails the listing. */
int cli_evidence_ready(struct cli *c, struct archive **a);

/* Prints the Mermaid source src[0..len) as canonical Mermaid that mermaid-js
 * accepts (tui/cli/cmd_mermaid.c); name goes in messages. Returns the exit
 * status. Also `show ID --mermaid --canonical`. */
int cli_mermaid_canonical(const char *src, size_t len, const char *name);

#endif
