/* cmd_show.c — `precis show ID [--content|--summary|--mermaid|--meta|--versions|
 * --evidence] [--json] [--width N] [--raw]`. Everything shown is made safe
 * for a terminal (render/sanitize.h) but --raw, which refuses a terminal. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/cli/print.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/fmt.h"
#include "tui/cli/json_out.h"

enum show_mode { SH_DEFAULT, SH_CONTENT, SH_SUMMARY, SH_MERMAID, SH_META, SH_VERSIONS,
                 SH_EVIDENCE };

/* "approved by alice, v2, 2025-01-02T10:00:00Z" / "changed (v3) since
 * flagged v2 by bob, …" / "unreviewed" into buf. */
static void review_line(const struct ar_meta *m, char *buf, size_t n)
{
	char who[200] = "", ver[32] = "";
	if (m->review_id) {
		snprintf(who, sizeof who, " by %s", m->reviewer ? m->reviewer : "(unknown)");
		if (m->review_version)
			snprintf(ver, sizeof ver, " v%d", m->review_version);
		else
			snprintf(ver, sizeof ver, " (no summary)");
	}
	switch (m->review) {
	case AR_APPROVED:
	case AR_FLAGGED:
		snprintf(buf, n, "%s%s,%s %s", ar_review_name(m->review), who, ver,
		         m->reviewed_at ? m->reviewed_at : "");
		break;
	case AR_CHANGED:
		snprintf(buf, n, "changed: v%d is not reviewed; %s%s%s, %s", m->current_version,
		         ar_review_name(m->review_verdict), ver, who, m->reviewed_at ? m->reviewed_at : "");
		break;
	default:
		snprintf(buf, n, "unreviewed");
	}
}

static void print_meta(const struct ar_meta *m)
{
	char dur[24], review[600], summary[64];
	fmt_duration(m->duration_s, dur, sizeof dur);
	review_line(m, review, sizeof review);
	if (m->current_version)
		snprintf(summary, sizeof summary, "v%d of %d", m->current_version, m->summary_versions);
	else
		snprintf(summary, sizeof summary, "none");
	struct { const char *k; const char *v; } rows[] = {
		{ "title", m->title },
		{ "original", m->original_title && strcmp(m->original_title, m->title) ? m->original_title : NULL },
		{ "title from", m->title_source }, { "url", m->url }, { "video id", m->video_id },
		{ "channel", m->channel }, { "recorded", m->recorded_at },
		{ "duration", m->duration_s >= 0 ? dur : NULL }, { "language", m->language },
		{ "format", m->format }, { "encoding", m->encoding },
		{ "state", ar_state_name(m->state) },
		{ "summary", summary }, { "review", review }, { "reason", m->review_reason },
		{ "source", m->source_path },
		{ "imported", m->imported_at }, { "updated", m->updated_at },
	};
	printf("%-10s  %lld\n", "id", (long long)m->id);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (!rows[i].v)
			continue;
		printf("%-10s  ", rows[i].k);
		cli_put_field(stdout, rows[i].v, 0);
		fputc('\n', stdout);
	}
	printf("%-10s  %lld bytes, %lld timed paragraphs\n", "text",
	       (long long)m->text_bytes, (long long)m->npara);
}

/* Every review of every version, oldest first (show --meta). */
static void print_reviews(const struct ar_review_rec *v, size_t n)
{
	if (!n) {
		printf("%-10s  none\n", "reviews");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char ver[32];
		if (v[i].version)
			snprintf(ver, sizeof ver, "v%d", v[i].version);
		else
			snprintf(ver, sizeof ver, "-");
		printf("%-10s  %c %-20s %-8s %-4s ", i ? "" : "reviews", v[i].in_force ? '*' : ' ',
		       v[i].created_at ? v[i].created_at : "-",
		       v[i].verdict == AR_APPROVED ? "approved" : v[i].verdict == AR_FLAGGED ? "flagged"
		       : "cleared", ver);
		cli_put_field(stdout, v[i].reviewer ? v[i].reviewer : "(unknown)", 32);
		if (v[i].reason) {
			fputs("  ", stdout);
			cli_put_field(stdout, v[i].reason, 0);
		}
		fputc('\n', stdout);
	}
}

static int show_versions(struct archive *a, int64_t id, int json)
{
	struct ar_summary *v;
	size_t n;
	int r = ar_summary_versions(a, id, &v, &n);
	if (r < 0)
		return cli_error("%s", ar_error(a));
	if (r == 1)
		return cli_error("no transcript #%lld", (long long)id);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, cli_summary_json(&v[i]));
		ar_summaries_free(v, n);
		return cli_put_json(arr);
	}
	if (n == 0)
		printf("transcript #%lld has no summary yet\n", (long long)id);
	for (size_t i = 0; i < n; i++) {
		printf("%c v%-3d  id %-6lld  ", v[i].is_current ? '*' : ' ',
		       v[i].version, (long long)v[i].id);
		cli_put_field(stdout, v[i].created_at ? v[i].created_at : "-", 40);
		printf("  %-8s  %zu bytes%s%s", ar_origin_name(v[i].origin), v[i].body_len,
		       v[i].has_mermaid ? ", mermaid" : "", v[i].failed ? ", " FMT_FAILED_PARTIAL : "");
		if (v[i].tokens_in >= 0 || v[i].tokens_out >= 0)
			printf("  tokens %ld/%ld", v[i].tokens_in, v[i].tokens_out);
		if (v[i].model) {
			fputs("  model ", stdout);
			cli_put_field(stdout, v[i].model, 40);
		}
		if (v[i].prompt_name) {
			fputs("  prompt ", stdout);
			cli_put_field(stdout, v[i].prompt_name, 40);
		}
		if (v[i].warning) {
			fputs("  warning: ", stdout);
			cli_put_field(stdout, v[i].warning, 120);
		}
		fputc('\n', stdout);
	}
	ar_summaries_free(v, n);
	return 0;
}

/* Sinks for ar_text_stream(): the plain printer, raw bytes, JSON. */
static int plain_sink(void *ctx, const char *p, size_t n)
{
	cli_plain_write(ctx, p, n);
	return ferror(((struct cli_plain *)ctx)->f) ? -1 : 0;
}

static int raw_sink(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

/* The text gathered in one buffer of its known size. */
struct text_buf {
	char *p;
	size_t n, len;    /* len: the size ar_text_stream announced */
};

static int buf_sink(void *ctx, const char *p, size_t n)
{
	struct text_buf *b = ctx;
	if (!b->p)
		b->p = xmalloc(b->len + 1);
	if (n > b->len - b->n)
		return -1;        /* more than announced: cannot happen */
	memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

struct text_src {
	struct archive *a;
	int64_t id;
	int second;   /* the second language, not the transcript */
};

/* Streams the transcript text, or its second language, into fn. */
static int stream(const struct text_src *t, size_t *len,
                  int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	return t->second ? ar_second_text_stream(t->a, t->id, len, fn, ctx)
	                 : ar_text_stream(t->a, t->id, len, fn, ctx);
}

/* cli_source_fn: the transcript text (or second language) from the archive. */
static int text_source(void *ctx, cli_chunk_fn sink, void *sink_ctx)
{
	struct text_src *t = ctx;
	int r = stream(t, NULL, sink, sink_ctx);
	if (r < 0 && ar_error(t->a)[0])
		return cli_error("%s", ar_error(t->a));
	return r ? cli_error("cannot write output") : 0;
}

/* Writes s[0..n) exactly, for --raw (never to a terminal). */
static int put_raw(const char *s, size_t n)
{
	return fwrite(s, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

/* The transcript text (second: its second language): streamed
 * (unwrapped, raw or JSON; memory stays bounded whatever its size), or
 * laid out at width. JSON holds both, second_text null when there is no
 * second language. */
static int show_text(struct cli *c, struct archive *a, const struct ar_meta *m,
                     int json, int raw, int width, int second)
{
	int64_t id = m->id;
	int r;
	struct text_src ts = { a, id, second };
	const char *none = second ? "has no second language" : "has no text";
	if (json) {
		struct doc_para *p;
		size_t np;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "title", cli_jstr(m->title));
		json_object_set_new(o, "text", json_string(""));
		json_t *arr = json_array();
		if (ar_get_paras(a, id, &p, &np) == 0) {
			for (size_t i = 0; i < np; i++) {
				json_t *e = json_object();
				json_object_set_new(e, "offset", json_integer((json_int_t)p[i].offset));
				json_object_set_new(e, "start_s", json_real(p[i].start_s));
				json_array_append_new(arr, e);
			}
			free(p);
		}
		json_object_set_new(o, "paragraphs", arr);
		int64_t n2;
		if ((r = ar_second_text_bytes(a, id, &n2)) < 0) {
			json_decref(o);
			return cli_error("%s", ar_error(a));
		}
		struct text_src src = { a, id, 0 }, src2 = { a, id, 1 };
		struct cli_json_stream ms[2] = {
			{ "text", text_source, &src },
			{ "second_text", r == 0 ? text_source : NULL, &src2 },
		};
		return cli_put_json_streams(o, ms, 2);
	}
	if (raw || width <= 0) {
		struct cli_plain pl;
		if (!raw)
			cli_plain_begin(&pl, stdout, c->color);
		r = raw ? stream(&ts, NULL, raw_sink, stdout)
		        : stream(&ts, NULL, plain_sink, &pl);
		int w = raw ? 0 : cli_plain_end(&pl);
		if (r == 1)
			return cli_error("transcript #%lld %s", (long long)id, none);
		if (r < 0 && ar_error(a)[0] && !ferror(stdout))
			return cli_error("%s", ar_error(a));
		return r == 0 && w == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
	}
	/* Wrapped: one copy of the text (read piece by piece, so SQLite
	 * holds no second one), laid out a window at a time. */
	struct text_buf tb = { 0 };
	r = stream(&ts, &tb.len, buf_sink, &tb);
	if (r != 0) {
		free(tb.p);
		return r < 0 ? cli_error("%s", ar_error(a))
		             : cli_error("transcript #%lld %s", (long long)id, none);
	}
	r = cli_print_text(stdout, tb.p ? tb.p : "", tb.n, width, 0, c->color);
	free(tb.p);
	return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

static int show_run(struct cli *c, struct archive *a, int64_t id, enum show_mode mode,
                    int json, int raw, int width, int second)
{
	struct ar_meta m;
	int r = ar_get_meta(a, id, &m);
	if (r < 0)
		return cli_error("%s", ar_error(a));
	if (r == 1)
		return cli_error("no transcript #%lld", (long long)id);

	if (mode == SH_META || (mode == SH_DEFAULT && json)) {
		struct ar_review_rec *rv;
		size_t nrv;
		if (ar_reviews(a, id, &rv, &nrv) < 0) {
			ar_meta_free(&m);
			return cli_error("%s", ar_error(a));
		}
		if (json) {
			json_t *o = cli_meta_json(&m);
			json_t *arr = json_array();
			for (size_t i = 0; i < nrv; i++)
				json_array_append_new(arr, cli_review_json(&rv[i]));
			json_object_set_new(o, "reviews", arr);
			ar_review_recs_free(rv, nrv);
			ar_meta_free(&m);
			return cli_put_json(o);
		}
		print_meta(&m);
		print_reviews(rv, nrv);
		ar_review_recs_free(rv, nrv);
		ar_meta_free(&m);
		return 0;
	}
	if (mode == SH_VERSIONS) {
		ar_meta_free(&m);
		return show_versions(a, id, json);
	}
	if (mode == SH_EVIDENCE) {
		ar_meta_free(&m);
		return cli_show_evidence(c, a, id, json, width);
	}

	struct ar_summary s;
	int have_summary = 0;
	if (mode == SH_SUMMARY || mode == SH_MERMAID || mode == SH_DEFAULT) {
		r = ar_current_summary(a, id, &s);
		if (r < 0) {
			ar_meta_free(&m);
			return cli_error("%s", ar_error(a));
		}
		have_summary = r == 0;
	}
	if (mode == SH_SUMMARY || mode == SH_MERMAID) {
		ar_meta_free(&m);
		if (!have_summary)
			return cli_error("transcript #%lld has no summary", (long long)id);
		if (mode == SH_MERMAID && !s.mermaid) {
			ar_summary_free(&s);
			return cli_error("the summary of #%lld has no Mermaid diagram", (long long)id);
		}
		if (json) {
			json_t *o = cli_summary_json(&s);
			ar_summary_free(&s);
			return cli_put_json(o);
		}
		if (raw == 2) {   /* --mermaid --canonical */
			char name[32];
			snprintf(name, sizeof name, "#%lld", (long long)id);
			r = cli_mermaid_canonical(s.mermaid, strlen(s.mermaid), name);
			ar_summary_free(&s);
			return r;
		}
		if (raw) {
			r = mode == SH_MERMAID ? put_raw(s.mermaid, strlen(s.mermaid))
			                       : put_raw(s.body, s.body_len);
			ar_summary_free(&s);
			return r;
		}
		if (mode == SH_MERMAID) {  /* the source, unwrapped and made safe */
			r = cli_print_text(stdout, s.mermaid, strlen(s.mermaid), 0, 0, 0);
			ar_summary_free(&s);
		} else {
			char *body = s.body;
			size_t blen = s.body_len;
			s.body = NULL;
			ar_summary_free(&s);
			r = cli_print_markdown_owned(stdout, body, blen, width, c->color);
		}
		return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
	}

	/* --content, or the default view without a summary */
	if (mode == SH_DEFAULT && have_summary) {
		print_meta(&m);
		ar_meta_free(&m);
		fputc('\n', stdout);
		char *body = s.body;
		size_t blen = s.body_len;
		s.body = NULL;
		ar_summary_free(&s);
		r = cli_print_markdown_owned(stdout, body, blen, width, c->color);
		return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
	}
	if (mode == SH_DEFAULT) {
		print_meta(&m);
		fputc('\n', stdout);
	}
	r = show_text(c, a, &m, json, raw, width, second);
	ar_meta_free(&m);
	return r;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	enum show_mode mode = SH_DEFAULT;
	int json = 0, raw = 0, width = -1, second = 0, canonical = 0, ch;
	long v;
	/* Options may come before or after the id. */
	while ((ch = cli_getopt(CMD_SHOW, argc, argv)) != -1) {
		enum show_mode nm = SH_DEFAULT;
		switch (ch) {
		case OPT_SHOW_CONTENT: nm = SH_CONTENT; break;
		case OPT_SHOW_SUMMARY: nm = SH_SUMMARY; break;
		case OPT_SHOW_MERMAID: nm = SH_MERMAID; break;
		case OPT_SHOW_META: nm = SH_META; break;
		case OPT_SHOW_VERSIONS: nm = SH_VERSIONS; break;
		case OPT_SHOW_EVIDENCE: nm = SH_EVIDENCE; break;
		case OPT_SHOW_JSON: json = 1; continue;
		case OPT_SHOW_RAW: raw = 1; continue;
		case OPT_SHOW_SECOND: second = 1; continue;
		case OPT_SHOW_CANONICAL: canonical = 1; continue;
		case OPT_SHOW_WIDTH:
			if ((v = cli_parse_count(optarg)) < 0)
				return cli_usage_error("show", "--width wants a number of columns, not '%s'", optarg);
			width = (int)v;
			continue;
		default:
			return cli_opt_exit(CMD_SHOW, ch);
		}
		if (mode != SH_DEFAULT && mode != nm)
			return cli_usage_error("show", "choose one of --content, --summary, --mermaid, --meta, --versions, --evidence");
		mode = nm;
	}
	if (optind >= argc)
		return cli_usage_error("show", "which transcript? give its ID (see 'precis list')");
	if (optind + 1 < argc)
		return cli_usage_error("show", "unexpected argument '%s'", argv[optind + 1]);
	const char *ids = argv[optind];
	if (*ids == '#')
		ids++;
	char *end;
	errno = 0;
	long long id = strtoll(ids, &end, 10);
	if (errno || end == ids || *end || id <= 0)
		return cli_usage_error("show", "'%s' is not a transcript ID", argv[optind]);
	if (second) {
		if (mode == SH_DEFAULT)
			mode = SH_CONTENT;
		if (mode != SH_CONTENT)
			return cli_usage_error("show", "--second-language goes with --content");
	}
	if (canonical && (mode != SH_MERMAID || raw || json))
		return cli_usage_error("show", "--canonical goes with --mermaid alone");
	if (raw) {
		if (mode != SH_CONTENT && mode != SH_SUMMARY && mode != SH_MERMAID)
			return cli_usage_error("show", "--raw goes with --content, --summary or --mermaid");
		if (json || width >= 0)
			return cli_usage_error("show", "--raw writes the stored bytes: no --json or --width with it");
		/* The exact bytes may hold escape sequences: never on a terminal. */
		if (c->out_tty)
			return cli_usage_error("show", "--raw will not write stored bytes to a terminal"
			                       " (they may hold escape sequences): redirect it to a file or a pipe");
	}
	if (width < 0)
		width = c->out_tty ? cli_term_width(STDOUT_FILENO) : 0;

	struct archive *a;
	int r = cli_open_archive(c, 0, &a);
	if (r)
		return r;
	r = show_run(c, a, (int64_t)id, mode, json, raw + 2 * canonical, width, second);
	ar_close(a);
	return r;
}
