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

static const char usage_text[] =
"usage: precis [--db PATH] [COMMAND [ARGS]]\n"
"\n"
"With no command, opens the archive.\n"
"\n"
"commands:\n"
"  import [--quiet] PATH...          import transcripts (files or directories)\n"
"  list [--json] [--limit N] [--sort date|title|duration|imported]\n"
"       [--state unsummarized|summarized|approved|flagged]\n"
"  show ID [--content|--summary|--mermaid|--meta|--versions] [--json] [--width N]\n"
"  search [--json] [--limit N] QUERY\n"
"  mermaid [--ascii|--unicode] [--json] [--outline] [--direction TD|LR|BT|RL] [FILE|-]\n"
"  mermaid --id ID\n"
"  summarize ID... | --missing | --state STATE [--model M] [--prompt NAME] [--jobs N]\n"
"       [--api-base URL] [--context N] [--dry-run] [--json] [--quiet]\n"
"                                    new summaries by an LLM (resumable)\n"
"  doctor [--model M] [--api-base URL]  check the LLM configuration and endpoint\n"
"  jobs [--all] [--json] [--limit N]  the LLM jobs in the archive\n"
"\n"
"options:\n"
"  --db PATH     archive to use (default $PRECIS_DB, else\n"
"                $XDG_DATA_HOME/precis/archive.db, else ~/.local/share/precis/archive.db)\n"
"  -h, --help    show this help\n"
"  --version     show the version\n";

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

	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		/* hidden: the README's and the man page's key tables, from
		 * the keymap */
		{ "keymap-markdown", no_argument, 0, 'K' },
		{ "keymap-man", no_argument, 0, 'M' },
		{ 0, 0, 0, 0 },
	};
	int ch;
	opterr = 0;   /* getopt would echo arguments raw: cli_option_error() */
	/* '+': stop at the first non-option, the command. */
	while ((ch = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c.db_path = optarg;
			c.db_explicit = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("precis %s\n", PRECIS_VERSION);
			return 0;
		case 'K':
		case 'M':
			keymap_init(NULL);
			if (ch == 'K')
				keymap_markdown(stdout);
			else
				keymap_man(stdout);
			keymap_free();
			return 0;
		default:
			return cli_option_error(NULL, ch, argv);
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
		return fputs(usage_text, stdout), 0;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(name, commands[i].name)) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 0;   /* reinitialise getopt for the command */
			return commands[i].fn(&c, sub_argc, sub_argv);
		}
	return cli_usage_error(NULL, "unknown command '%s'", name);
}
