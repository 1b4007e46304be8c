/* main.c — `precis [--db PATH] COMMAND`: global options, then dispatch. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "render/alloc.h"
#include "tui/app/keymap.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"

/* Resolves the default archive path into buf; returns buf or NULL. */
static const char *default_db(char *buf, size_t n)
{
	const char *v = getenv("PRECIS_DB");
	if (v && *v)
		return v;
	v = getenv("XDG_DATA_HOME");
	if (v && *v) {
		snprintf(buf, n, "%s/precis/archive.db", v);
		return buf;
	}
	v = getenv("HOME");
	if (!v || !*v)
		return NULL;
	snprintf(buf, n, "%s/.local/share/precis/archive.db", v);
	return buf;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
} commands[] = {
	{ "import", cmd_import },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "search", cmd_search },
	{ "mermaid", cmd_mermaid },
	{ "summarize", cmd_summarize },
	{ "doctor", cmd_doctor },
	{ "jobs", cmd_jobs },
	{ "review", cmd_review },
};

int main(int argc, char **argv)
{
	static char dbbuf[4096];
	struct cli c = { 0 };
	setlocale(LC_ALL, "");
	/* jansson allocates through the fail-fast family: running out of
	 * memory in a --json output is one clear line, not a half document. */
	json_set_alloc_funcs(xmalloc, free);
	c.out_tty = isatty(STDOUT_FILENO);
	c.err_tty = isatty(STDERR_FILENO);
	const char *nc = getenv("NO_COLOR");
	c.color = c.out_tty && !(nc && *nc);
	c.db_explicit = getenv("PRECIS_DB") && *getenv("PRECIS_DB");

	int ch;
	/* stops at the first non-option, the command */
	while ((ch = cli_getopt(CMD_GLOBAL, argc, argv)) != -1) {
		switch (ch) {
		case OPT_GLOBAL_DB:
			c.db_path = optarg;
			c.db_explicit = 1;
			break;
		case OPT_GLOBAL_VERSION:
			printf("precis %s\n", PRECIS_VERSION);
			return 0;
		case OPT_GLOBAL_COMPLETION:
			return cli_completion(stdout, optarg) == 0 && fflush(stdout) == 0 ? 0 : 1;
		case OPT_GLOBAL_KEYMAP_MD:
		case OPT_GLOBAL_KEYMAP_MAN:
			/* hidden: the README's and the man page's key tables */
			keymap_init(NULL);
			if (ch == OPT_GLOBAL_KEYMAP_MD)
				keymap_markdown(stdout);
			else
				keymap_man(stdout);
			keymap_free();
			return 0;
		case OPT_GLOBAL_CLI_MD:
			cli_markdown(stdout);
			return 0;
		case OPT_GLOBAL_CLI_MAN:
			if (cli_man(stdout, optarg) != 0)
				return cli_usage_error(NULL, "--cli-man: synopsis, global or a command, not '%s'", optarg);
			return 0;
		default:
			return cli_opt_exit(CMD_GLOBAL, ch);
		}
	}
	if (!c.db_path)
		c.db_path = default_db(dbbuf, sizeof dbbuf);
	if (!c.db_path)
		return cli_error("no archive path: set $PRECIS_DB or $HOME, or pass --db");

	if (optind >= argc)
		return cmd_default(&c);
	const char *name = argv[optind];
	if (!strcmp(name, "help"))
		return cli_opt_exit(CMD_GLOBAL, CLI_OPT_HELP);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(name, commands[i].name)) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 0;   /* reinitialise getopt for the command */
			return commands[i].fn(&c, sub_argc, sub_argv);
		}
	return cli_usage_error(NULL, "unknown command '%s'", name);
}
