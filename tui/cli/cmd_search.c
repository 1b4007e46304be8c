/* cmd_search.c — `precis search [--json] [--limit N] QUERY`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "render/sanitize.h"
#include "render/width.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/cli/json_out.h"

/* Prints a hit's snippet made safe, its hit highlighted when color is
 * set, the whole cut to max cells (≤ 0: no limit) with "…": the same cut
 * with colour or without. */
static void put_snippet(const struct ar_hit *h, int color, int max)
{
	const char *s = h->snippet;
	size_t n = strlen(s);
	if (!color || h->hl_len <= 0) {
		cli_put_fieldn(stdout, s, n, max);
		return;
	}
	size_t at[4] = { 0, (size_t)h->hl_start, (size_t)(h->hl_start + h->hl_len), n };
	char *part[3];
	size_t plen[3];
	int total = 0;
	for (int k = 0; k < 3; k++) {
		part[k] = rs_clean_line(s + at[k], at[k + 1] - at[k], &plen[k]);
		total += rw_width(part[k], plen[k]);
	}
	int cut = max > 0 && total > max, room = max - 1;
	for (int k = 0; k < 3; k++) {
		size_t len = plen[k];
		if (cut) {
			int used = 0;
			len = rw_fit(part[k], plen[k], room, &used);
			room -= used;
		}
		fputs(k == 1 ? "\033[1;7m" : "", stdout);
		fwrite(part[k], 1, len, stdout);
		fputs(k == 1 ? "\033[0m" : "", stdout);
		free(part[k]);
	}
	if (cut)
		fputs("…", stdout);
}

int cmd_search(struct cli *c, int argc, char **argv)
{
	int json = 0, limit = 20, ch;
	long v;
	/* Options may follow the query; a query word starting with - needs
	 * "--" before it or quotes around the whole query ("a -b"). */
	while ((ch = cli_getopt(CMD_SEARCH, argc, argv)) != -1) {
		switch (ch) {
		case OPT_SEARCH_JSON: json = 1; break;
		case OPT_SEARCH_LIMIT:
			if ((v = cli_parse_count(optarg)) < 0 || v == 0)
				return cli_usage_error("search", "--limit wants a positive number, not '%s'", optarg);
			limit = (int)v;
			break;
		default:
			return cli_opt_exit(CMD_SEARCH, ch);
		}
	}
	if (optind >= argc)
		return cli_usage_error("search", "what to search for? give a QUERY");
	/* The rest of the line is the query: `precis search machine learning`. */
	size_t qlen = 0;
	for (int i = optind; i < argc; i++)
		qlen += strlen(argv[i]) + 1;
	char *query = malloc(qlen + 1);
	if (!query)
		return cli_error("out of memory");
	query[0] = 0;
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(query, " ");
		strcat(query, argv[i]);
	}

	struct archive *a;
	int r = cli_open_archive(c, 0, &a);
	if (r) {
		free(query);
		return r;
	}
	struct ar_search_result res;
	if (ar_search(a, query, limit, 0, &res) != 0) {
		r = cli_error("%s", ar_error(a));
		ar_close(a);
		free(query);
		return r;
	}
	ar_close(a);
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "query", cli_jstr(query));
		json_object_set_new(o, "total", json_integer(res.total));
		json_object_set_new(o, "broad", json_boolean(res.broad));
		json_object_set_new(o, "cost", json_integer(res.cost));
		json_t *arr = json_array();
		for (size_t i = 0; i < res.n; i++) {
			const struct ar_hit *h = &res.hits[i];
			json_t *e = json_object();
			json_object_set_new(e, "id", json_integer(h->id));
			json_object_set_new(e, "title", cli_jstr(h->title));
			json_object_set_new(e, "recorded_at", cli_jstr(h->recorded_at));
			json_object_set_new(e, "duration_s", cli_jint_or_null(h->duration_s));
			json_object_set_new(e, "state", json_string(ar_state_name(h->state)));
			json_object_set_new(e, "rank", json_real(h->rank));
			json_object_set_new(e, "hits", json_integer(h->hits));
			if (h->hits_partial)
				json_object_set_new(e, "hits_at_least", json_true());
			json_object_set_new(e, "snippet", cli_jstr(h->snippet));
			json_array_append_new(arr, e);
		}
		json_object_set_new(o, "results", arr);
		free(query);
		ar_search_free(&res);
		return cli_put_json(o);
	}
	free(query);
	int idw = 1;
	for (size_t i = 0; i < res.n; i++) {
		int w = snprintf(NULL, 0, "%lld", (long long)res.hits[i].id);
		if (w > idw)
			idw = w;
	}
	int cols = c->out_tty ? cli_term_width(STDOUT_FILENO) : 0;
	for (size_t i = 0; i < res.n; i++) {
		const struct ar_hit *h = &res.hits[i];
		char tail[48];
		snprintf(tail, sizeof tail, "  (%s%d hit%s)", h->hits_partial ? "≥ " : "", h->hits,
		         h->hits == 1 && !h->hits_partial ? "" : "s");
		int used = printf("%*lld  ", idw, (long long)h->id);
		int room = cols > 0 ? cols - used - (int)strlen(tail) : 0;
		cli_put_field(stdout, h->title, cols > 0 ? (room > 8 ? room : 8) : 0);
		fputs(tail, stdout);
		fputc('\n', stdout);
		printf("%*s  ", idw, "");
		put_snippet(h, c->color, cols > 0 ? cols - idw - 2 : 0);
		fputc('\n', stdout);
	}
	if (res.total == 0)
		puts("no matches");
	else
		printf("%s%lld transcript%s match%s%s", res.broad ? "about " : "", (long long)res.total,
		       res.total == 1 ? "" : "s", res.total == 1 ? "es" : "",
		       res.broad ? ", newest first" : "");
	if (res.total > (int64_t)res.n)
		printf(" (showing %zu; use --limit)", res.n);
	if (res.total)
		fputc('\n', stdout);
	ar_search_free(&res);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}
