/* cmd_list.c — `precis list`, and `precis` with no command: the
 * full-screen app on a terminal (tui/app/), the same listing otherwise. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/fmt.h"
#include "tui/cli/json_out.h"
#include "tui/app/app.h"

static void print_listing(struct cli *c, const struct ar_meta *rows, size_t n)
{
	int idw = 1;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(NULL, 0, "%lld", (long long)rows[i].id);
		if (w > idw)
			idw = w;
	}
	int cols = c->out_tty ? cli_term_width(STDOUT_FILENO) : 0;
	for (size_t i = 0; i < n; i++) {
		char date[16], dur[24];
		fmt_date(rows[i].recorded_at, date, sizeof date);
		fmt_duration(rows[i].duration_s, dur, sizeof dur);
		char uns[16];
		if (rows[i].unsupported >= 0)
			snprintf(uns, sizeof uns, "%d", rows[i].unsupported);
		else
			snprintf(uns, sizeof uns, "-");
		int used = printf("%*lld  %-10s  %8s  %-12s  %3s  ", idw, (long long)rows[i].id,
		                  date, dur, ar_state_name(rows[i].state), uns);
		int room = cols > 0 ? cols - used : 0;
		cli_put_field(stdout, rows[i].title, cols > 0 ? (room > 8 ? room : 8) : 0);
		fputc('\n', stdout);
	}
}

/* The rows of q. A first page of all, approved or flagged transcripts is
 * the app's keyset page (ar_list_page, same orders): it reads only the
 * rows it returns, a rare review state through its index, where a
 * filtered ar_list walks the whole archive (230 ms at 100,000). */
static int list_rows(struct archive *a, const struct ar_list_query *q,
                     struct ar_meta **rows, size_t *n)
{
	if (q->limit > 0 && q->offset <= 0 &&
	    (q->state == AR_ST_ANY || q->state == AR_ST_APPROVED || q->state == AR_ST_FLAGGED ||
	     q->state == AR_ST_CHANGED)) {
		struct ar_page_query pq = { .sort = q->sort, .filter = ar_state_filter(q->state) };
		return ar_list_page(a, &pq, NULL, 0, 1, q->limit, rows, n);
	}
	return ar_list(a, q, rows, n);
}

/* Prints the listing for q; returns the exit status. */
static int list_run(struct cli *c, struct archive *a, const struct ar_list_query *q, int json)
{
	struct ar_meta *rows;
	size_t n;
	if (list_rows(a, q, &rows, &n) != 0)
		return cli_error("%s", ar_error(a));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, cli_meta_json(&rows[i]));
		ar_metas_free(rows, n);
		return cli_put_json(arr);
	}
	print_listing(c, rows, n);
	if (n == 0 && c->out_tty)
		fprintf(stderr, q->state ? "precis: nothing in state '%s'\n"
		                         : "precis: the archive is empty; add transcripts with 'precis import PATH'%s\n",
		        q->state ? ar_state_name(q->state) : "");
	ar_metas_free(rows, n);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	int json = 0, ch;
	long v;
	while ((ch = cli_getopt(CMD_LIST, argc, argv)) != -1) {
		switch (ch) {
		case OPT_LIST_JSON: json = 1; break;
		case OPT_LIST_LIMIT:
			if ((v = cli_parse_count(optarg)) < 0)
				return cli_usage_error("list", "--limit wants a number, not '%s'", optarg);
			q.limit = (int)v;
			if (v == 0)
				q.limit = -1;
			break;
		case OPT_LIST_SORT:
			if (ar_sort_parse(optarg, &q.sort) != 0)
				return cli_usage_error("list", "--sort: '%s' is not an order", optarg);
			break;
		case OPT_LIST_STATE:
			if (ar_state_parse(optarg, &q.state) != 0)
				return cli_usage_error("list", "--state: '%s' is not a state", optarg);
			break;
		default:
			return cli_opt_exit(CMD_LIST, ch);
		}
	}
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	struct archive *a;
	int r = cli_open_archive(c, 0, &a);
	if (r)
		return r;
	if (q.limit < 0) {
		/* --limit 0: nothing */
		ar_close(a);
		return json ? cli_put_json(json_array()) : 0;
	}
	cli_evidence_ready(c, &a);
	r = list_run(c, a, &q, json);
	ar_close(a);
	return r;
}

int cmd_default(struct cli *c)
{
	if (c->out_tty && isatty(STDIN_FILENO))
		return app_main(c);
	struct archive *a;
	int r = cli_open_archive(c, 0, &a);
	if (r)
		return r;
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	cli_evidence_ready(c, &a);
	r = list_run(c, a, &q, 0);
	ar_close(a);
	return r;
}
