/* cmd_mermaid.c — `precis mermaid [--ascii|--unicode] [--json] [--outline]
 * [--canonical] [--direction TD|LR|BT|RL] [--id ID | FILE | -]`: draws a Mermaid
 * flowchart in the terminal (render/mermaid/layout.h), or its outline
 * (render/mermaid/outline.h) — asked for, or in place of a drawing past
 * the layout's budgets (mm_limits). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/archive.h"
#include "render/mermaid/mermaid.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"
#include "render/mermaid/canonical.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/cli/json_out.h"

/* Reads all of f into a malloc'd buffer; NULL on a read error. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf) return NULL;
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) { free(buf); return NULL; }
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) break;
	}
	if (ferror(f)) { free(buf); return NULL; }
	*len = n;
	return buf;
}

static int parse_dir(const char *s)
{
	if (!strcasecmp(s, "TD") || !strcasecmp(s, "TB")) return MM_TD;
	if (!strcasecmp(s, "BT")) return MM_BT;
	if (!strcasecmp(s, "LR")) return MM_LR;
	if (!strcasecmp(s, "RL")) return MM_RL;
	return -1;
}

/* Loads the current summary's diagram of transcript id into *src. */
static int load_id(struct cli *c, const char *idstr, char **src, size_t *len)
{
	char *end;
	errno = 0;
	long long id = strtoll(idstr, &end, 10);
	if (errno || *end || id < 0)
		return cli_usage_error("mermaid", "--id wants a transcript number, not '%s'", idstr);
	struct archive *a;
	char err[256];
	if (ar_open(c->db_path, AR_READONLY, &a, err, sizeof err) != 0)
		return cli_error("%s", err);
	int r = ar_current_mermaid(a, (int64_t)id, src);
	ar_close(a);
	if (r == 1) return cli_error("mermaid: transcript %lld has no diagram in its current summary", id);
	if (r != 0) return cli_error("mermaid: could not read transcript %lld", id);
	*len = strlen(*src);
	return 0;
}

/* The parser's warnings on stderr, one line each. */
static void print_warnings(const struct mm_graph *g, const char *name)
{
	for (size_t i = 0; i < g->nwarnings; i++)
		cli_warn("mermaid: %s:%d:%d: warning: %s", name,
		         g->warnings[i].line, g->warnings[i].column,
		         g->warnings[i].message ? g->warnings[i].message : "");
}

/* Prints the outline of g (text or JSON); reason, when given, says why it
 * stands in for the drawing. Returns the exit status. */
static int print_outline(const struct mm_graph *g, bool ascii, bool json, const char *reason)
{
	struct mm_outline ol;
	mm_outline_build(g, ascii, &ol);
	size_t n;
	char *t = json ? mm_outline_json(g, &ol, reason) : mm_outline_text(&ol, &n);
	if (json)   /* through the filter of every --json output (tui/cli/json_out.h) */
		cli_put_json_text(t, strlen(t));
	else
		fwrite(t, 1, n, stdout);
	free(t);
	mm_outline_free(&ol);
	return 0;
}

/* Prints the canonical Mermaid source of the diagram src[0..len)
 * (render/mermaid/canonical.h), the parser's warnings on stderr. name
 * goes in messages. Returns the exit status (1 when nothing drawable). */
int cli_mermaid_canonical(const char *src, size_t len, const char *name)
{
	struct mm_graph g;
	struct mm_error err = { 0 };
	if (mm_parse(src, len, &g, &err) != 0) {
		if (err.line > 0)
			return cli_error("mermaid: %s:%d:%d: %s", name, err.line, err.column, err.message);
		return cli_error("mermaid: %s: %s", name, err.message);
	}
	print_warnings(&g, name);
	size_t n;
	char *t = mm_canonical(&g, &n);
	fwrite(t, 1, n, stdout);
	free(t);
	mm_graph_free(&g);
	return fflush(stdout) == 0 ? 0 : cli_error("mermaid: write error");
}

int cmd_mermaid(struct cli *c, int argc, char **argv)
{
	struct mm_layout_opts o = { .direction = -1 };
	bool json = false, outline = false, canonical = false;
	const char *id = NULL;
	optind = 0;
	int ch;
	while ((ch = cli_getopt(CMD_MERMAID, argc, argv)) != -1) {
		switch (ch) {
		case OPT_MERMAID_ASCII: o.ascii = true; break;
		case OPT_MERMAID_UNICODE: o.ascii = false; break;
		case OPT_MERMAID_JSON: json = true; break;
		case OPT_MERMAID_OUTLINE: outline = true; break;
		case OPT_MERMAID_CANONICAL: canonical = true; break;
		case OPT_MERMAID_DIRECTION:
			o.direction = parse_dir(optarg);
			if (o.direction < 0)
				return cli_usage_error("mermaid", "--direction wants TD, LR, BT or RL, not '%s'", optarg);
			break;
		case OPT_MERMAID_ID: id = optarg; break;
		default:
			return cli_opt_exit(CMD_MERMAID, ch);
		}
	}
	if (optind + 1 < argc || (id && optind < argc))
		return cli_usage_error("mermaid", "one diagram at a time");
	if (canonical && (json || outline || o.direction >= 0))
		return cli_usage_error("mermaid", "--canonical prints Mermaid source: no --json, --outline or --direction with it");
	char *src = NULL;
	size_t len = 0;
	const char *name = "-";
	if (id) {
		int r = load_id(c, id, &src, &len);
		if (r) return r;
		name = id;
	} else {
		const char *path = optind < argc ? argv[optind] : "-";
		name = path;
		FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
		if (!f) return cli_error("mermaid: %s: %s", path, strerror(errno));
		src = slurp(f, &len);
		if (f != stdin) fclose(f);
		if (!src) return cli_error("mermaid: %s: read error", path);
	}
	if (canonical) {
		int r = cli_mermaid_canonical(src, len, name);
		free(src);
		return r;
	}
	struct mm_graph g;
	struct mm_layout lay;
	struct mm_error err = { 0 };
	memset(&g, 0, sizeof g);
	if (mm_parse(src, len, &g, &err) != 0) {
		free(src);
		if (err.line > 0)
			return cli_error("mermaid: %s:%d:%d: %s", name, err.line, err.column, err.message);
		return cli_error("mermaid: %s: %s", name, err.message);
	}
	free(src);
	if (!json) print_warnings(&g, name);
	int r = 0;
	if (outline)
		r = print_outline(&g, o.ascii, json, NULL);
	else if ((r = mm_layout_build(&g, &o, &lay, &err)) == MM_TOO_LARGE) {
		/* past a budget: the outline stands in, after one line saying why */
		if (!json) printf("%s; its outline instead:\n", err.message);
		r = print_outline(&g, o.ascii, json, err.message);
	} else if (r != 0)
		r = cli_error("mermaid: %s: %s", name, err.message);
	else {
		if (json) {
			char *s = mm_layout_json(&g, &lay);
			cli_put_json_text(s, strlen(s));
			free(s);
		} else {
			size_t n;
			char *t = mm_canvas_text(&lay.canvas, &n);
			fwrite(t, 1, n, stdout);
			free(t);
		}
		mm_layout_free(&lay);
	}
	mm_graph_free(&g);
	if (fflush(stdout) != 0) return cli_error("mermaid: write error");
	return r;
}
