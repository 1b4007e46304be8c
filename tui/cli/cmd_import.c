/* cmd_import.c — `precis import [--quiet] PATH...`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "db/archive.h"
#include "db/import.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int quiet = 0, ch;
	while ((ch = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'q': quiet = 1; break;
		case 'h':
			puts("usage: precis import [--quiet] PATH...\n"
			     "Imports transcript files and directories (recursively).");
			return 0;
		default:
			return cli_usage_error("import", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("import", "nothing to import: give one or more files or directories");

	struct archive *a;
	int r = cli_open_archive(c, 1, &a);
	if (r)
		return r;
	struct import_opts o = { stderr, !quiet, !quiet && c->err_tty };
	struct import_stats st = { 0 };
	r = import_paths(a, argv + optind, argc - optind, &o, &st);
	if (r != 0) {
		cli_error("%s: %s", c->db_path, ar_error(a));
		ar_close(a);
		if (!quiet)
			printf("imported %ld, skipped %ld, failed %ld (stopped)\n",
			       st.imported, st.skipped, st.failed);
		return 1;
	}
	ar_close(a);
	if (!quiet)
		printf("imported %ld, skipped %ld, failed %ld\n", st.imported, st.skipped, st.failed);
	return st.failed ? 1 : 0;
}

