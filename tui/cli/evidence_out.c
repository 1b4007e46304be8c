/* evidence_out.c — `precis show ID --evidence [--json]` and the evidence
 * the listing needs (db/evidence.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "db/archive.h"
#include "db/evidence.h"
#include "render/alloc.h"
#include "tui/cli/cli.h"
#include "tui/fmt.h"
#include "tui/cli/json_out.h"

/* "12:34", "1:02:03", or "-" when the time is unknown. */
static void fmt_time(double s, char *buf, size_t n)
{
	if (s < 0)
		snprintf(buf, n, "-");
	else
		fmt_duration((long)s, buf, n);
}

static json_t *evidence_json(int64_t id, int64_t sid, const struct ev_result *r,
                             const char *text, size_t tlen)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "summary_id", json_integer(sid));
	json_object_set_new(o, "method", json_integer(EV_METHOD));
	json_object_set_new(o, "claims", json_integer((json_int_t)r->n));
	json_object_set_new(o, "supported", json_integer(r->supported));
	json_object_set_new(o, "weak", json_integer(r->weak));
	json_object_set_new(o, "unsupported", json_integer(r->unsupported));
	json_t *lines = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct ev_line *l = &r->lines[i];
		json_t *e = json_object();
		json_object_set_new(e, "line", json_integer(l->line));
		json_object_set_new(e, "kind", json_string(ev_kind_name(l->kind)));
		json_object_set_new(e, "node", cli_jstr(l->node_id));
		json_object_set_new(e, "text", cli_jstr(l->text));
		json_object_set_new(e, "verdict", json_string(ev_verdict_name(l->verdict)));
		json_object_set_new(e, "score", json_real((double)(int)(l->score * 1000 + 0.5) / 1000));
		json_t *ps = json_array();
		for (int k = 0; k < l->npass; k++) {
			const struct ev_passage *p = &l->pass[k];
			if (p->off > tlen || p->len > tlen - p->off)
				continue;   /* stored for another text: never shown */
			json_t *q = json_object();
			json_object_set_new(q, "offset", json_integer((json_int_t)p->off));
			json_object_set_new(q, "length", json_integer((json_int_t)p->len));
			json_object_set_new(q, "start_s", p->start_s >= 0 ? json_real(p->start_s) : json_null());
			json_object_set_new(q, "score", json_real((double)(int)(p->score * 1000 + 0.5) / 1000));
			char *s = xstrndup(text + p->off, p->len);
			json_object_set_new(q, "text", cli_jstr(s));
			free(s);
			json_array_append_new(ps, q);
		}
		json_object_set_new(e, "passages", ps);
		json_array_append_new(lines, e);
	}
	json_object_set_new(o, "lines", lines);
	return o;
}

static void evidence_text(const struct ev_result *r, const char *text, size_t tlen, int width)
{
	printf("%zu claims: %d supported, %d weak, %d unsupported\n",
	       r->n, r->supported, r->weak, r->unsupported);
	if (r->n >= EV_MAX_CLAIMS)
		printf("(a long summary: its first %d claims are checked, not the rest)\n", EV_MAX_CLAIMS);
	for (size_t i = 0; i < r->n; i++) {
		const struct ev_line *l = &r->lines[i];
		int used = printf("\n%4d  %-9s %4.2f  %s", l->line, ev_verdict_name(l->verdict),
		                  l->score, l->kind == EV_NODE ? "map: " : "") - 1;
		cli_put_field(stdout, l->text, width > 0 ? (width - used > 10 ? width - used : 10) : 0);
		fputc('\n', stdout);
		for (int k = 0; k < l->npass; k++) {
			const struct ev_passage *p = &l->pass[k];
			if (p->off > tlen || p->len > tlen - p->off)
				continue;
			char t[24];
			fmt_time(p->start_s, t, sizeof t);
			used = printf("      %d. %7s  @%-7zu ", k + 1, t, p->off);
			char *s = xstrndup(text + p->off, p->len);
			cli_put_field(stdout, s, width > 0 ? (width - used > 10 ? width - used : 10) : 0);
			free(s);
			fputc('\n', stdout);
		}
	}
}

int cli_show_evidence(struct cli *c, struct archive *a, int64_t id, int json, int width)
{
	struct ar_meta m;
	int r = ar_get_meta(a, id, &m);
	if (r < 0)
		return cli_error("%s", ar_error(a));
	if (r == 1)
		return cli_error("no transcript #%lld", (long long)id);
	int64_t sid = m.current_summary_id;
	ar_meta_free(&m);
	if (!sid)
		return cli_error("transcript #%lld has no summary", (long long)id);
	struct ev_result res;
	if (ar_evidence(a, sid, &res) != 0)
		return cli_error("%s", ar_error(a));
	char *text = NULL;
	size_t tlen = 0;
	if (ar_get_text(a, id, &text, &tlen) < 0) {
		ev_result_free(&res);
		return cli_error("%s", ar_error(a));
	}
	if (!text)
		text = xstrdup("");
	if (json) {
		json_t *o = evidence_json(id, sid, &res, text, tlen);
		ev_result_free(&res);
		free(text);
		return cli_put_json(o);
	}
	evidence_text(&res, text, tlen, width);
	ev_result_free(&res);
	free(text);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

int cli_evidence_ready(struct cli *c, struct archive **a)
{
	int64_t missing = 0;
	if (ar_evidence_missing(*a, &missing) != 0 || missing == 0)
		return 0;
	/* first needed: compute and store them, when the archive is writable */
	struct archive *w;
	char err[600];
	if (ar_open(c->db_path, 0, &w, err, sizeof err) != 0)
		return 0;   /* read-only: the listing shows them as unknown */
	int64_t done;
	if (ar_evidence_fill(w, &done) != 0) {
		ar_close(w);
		return 0;
	}
	ar_close(*a);
	*a = w;
	return 0;
}
