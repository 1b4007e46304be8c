/* json_out.c — the --json output of every command (jansson): stable field
 * names, documented in docs/archive.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "db/archive.h"
#include "render/sanitize.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"

/* A JSON string that is always valid: jansson refuses invalid UTF-8, so
 * such input (never expected from the archive) is cleaned first. */
json_t *cli_jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t len;
	char *clean = rs_clean_line(s, strlen(s), &len);
	j = json_stringn(clean, len);
	free(clean);
	return j ? j : json_string("");
}

json_t *cli_jint_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* ---- terminal-safe JSON text ------------------------------------------
 * jansson escapes only characters below U+0020 (and " and \\). DEL, C1
 * controls, bidi controls, the line and paragraph separators and the BOM
 * are valid raw in a JSON string but act on a terminal (or hide text)
 * when the output is shown: they are written as \\uXXXX escapes, which
 * decode to the same string. Outside strings JSON text is ASCII, so the
 * filter works on the bytes of the whole document. */

/* The code point to escape that starts at p[0..n), or -1; *len is set to
 * its length. Returns -2 when p may be the start of one but is cut short. */
static long unsafe_at(const unsigned char *p, size_t n, size_t *len)
{
	if (p[0] == 0x7F) {
		*len = 1;
		return 0x7F;
	}
	if (p[0] == 0xC2 || p[0] == 0xD8) {
		if (n < 2)
			return -2;
		*len = 2;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return p[1];                                   /* C1 */
		if (p[0] == 0xD8 && p[1] == 0x9C)
			return 0x061C;                                 /* ALM */
		return -1;
	}
	if (p[0] == 0xE2 || p[0] == 0xEF) {
		if (n < 3)
			return -2;
		*len = 3;
		long cp = ((long)(p[0] & 0x0F) << 12) | ((long)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		if (cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return cp;
		return -1;
	}
	return -1;
}

/* Writes buf[0..n) to the filter's stream with the characters above
 * escaped; a sequence cut at the end of buf waits in st->pend. */
static void safe_feed(struct cli_json_out *st, const char *buf, size_t n)
{
	while (st->npend) {
		/* Decide on the cut sequence at pend[0] with the front of buf. */
		unsigned char tmp[4];
		size_t k = 3 - st->npend < n ? 3 - st->npend : n, len = 0;
		memcpy(tmp, st->pend, st->npend);
		memcpy(tmp + st->npend, buf, k);
		long cp = unsafe_at(tmp, st->npend + k, &len);
		if (cp == -2) {                   /* still cut (k == n) */
			memcpy(st->pend + st->npend, buf, k);
			st->npend += k;
			return;
		}
		if (cp >= 0) {                    /* len > npend: it was cut */
			fprintf(st->f, "\\u%04lX", cp);
			buf += len - st->npend;
			n -= len - st->npend;
			st->npend = 0;
		} else {
			fputc(st->pend[0], st->f);
			memmove(st->pend, st->pend + 1, --st->npend);
		}
	}
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char b = p[i];
		if (b != 0x7F && b != 0xC2 && b != 0xD8 && b != 0xE2 && b != 0xEF) {
			i++;
			continue;
		}
		size_t len = 0;
		long cp = unsafe_at(p + i, n - i, &len);
		if (cp == -1) {
			i++;
			continue;
		}
		fwrite(p + run, 1, i - run, st->f);
		if (cp == -2) {                   /* cut: keep for the next call */
			memcpy(st->pend, p + i, n - i);
			st->npend = n - i;
			return;
		}
		fprintf(st->f, "\\u%04lX", cp);
		i += len;
		run = i;
	}
	fwrite(p + run, 1, n - run, st->f);
}

void cli_json_out_begin(struct cli_json_out *st, FILE *f)
{
	memset(st, 0, sizeof *st);
	st->f = f;
}

void cli_json_out_write(struct cli_json_out *st, const char *buf, size_t n)
{
	safe_feed(st, buf, n);
}

int cli_json_out_end(struct cli_json_out *st)
{
	if (st->npend)
		fwrite(st->pend, 1, st->npend, st->f);   /* a lone lead byte: not ours */
	st->npend = 0;
	return ferror(st->f) ? -1 : 0;
}

/* ---- a string value streamed in pieces ----------------------------------- */

/* Writes one complete character or byte of a JSON string value: the
 * escapes jansson uses, U+FFFD for a byte that is not UTF-8. */
static void str_char(struct cli_json_out *st, const unsigned char *p, size_t n, size_t *used)
{
	unsigned char b = p[0];
	char esc[8];
	*used = 1;
	if (b < 0x80) {
		const char *e = NULL;
		switch (b) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		}
		if (!e && (b < 0x20 || b == 0x7F)) {
			snprintf(esc, sizeof esc, "\\u%04X", b);
			e = esc;
		}
		if (e)
			fputs(e, st->f);
		else
			fputc(b, st->f);
		return;
	}
	utf8proc_int32_t cp;
	utf8proc_ssize_t m = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
	if (m <= 0) {
		fputs("\xEF\xBF\xBD", st->f);
		return;
	}
	*used = (size_t)m;
	safe_feed(st, (const char *)p, (size_t)m);
}

/* Bytes a UTF-8 sequence starting with b should have (1 when b cannot
 * start one: it is written as U+FFFD alone). */
static size_t seq_len(unsigned char b)
{
	return b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
}

void cli_json_str_write(struct cli_json_out *st, const char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)buf;
	while (st->nspend) {
		/* Complete the character cut at the end of the last piece. */
		size_t need = seq_len(st->spend[0]);
		while (st->nspend < need && n && (*p & 0xC0) == 0x80) {
			st->spend[st->nspend++] = *p++;
			n--;
		}
		if (st->nspend < need && !n)
			return;                       /* still cut */
		size_t used;
		str_char(st, st->spend, st->nspend, &used);
		memmove(st->spend, st->spend + used, st->nspend - used);
		st->nspend -= used;
	}
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char b = p[i];
		if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
			i++;
			continue;
		}
		fwrite(p + run, 1, i - run, st->f);
		if (b >= 0x80 && i + seq_len(b) > n) {
			memcpy(st->spend, p + i, n - i);   /* cut: wait for the rest */
			st->nspend = n - i;
			return;
		}
		size_t used;
		str_char(st, p + i, n - i, &used);
		i += used;
		run = i;
	}
	fwrite(p + run, 1, n - run, st->f);
}

/* Flushes a character left cut at the end of a string value. */
static void str_end(struct cli_json_out *st)
{
	while (st->nspend) {
		size_t used;
		str_char(st, st->spend, st->nspend, &used);
		memmove(st->spend, st->spend + used, st->nspend - used);
		st->nspend -= used;
	}
}

/* cli_chunk_fn into a string value. */
static int str_sink(void *ctx, const char *p, size_t n)
{
	cli_json_str_write(ctx, p, n);
	return ferror(((struct cli_json_out *)ctx)->f) ? -1 : 0;
}

int cli_put_json_streams(json_t *o, const struct cli_json_stream *s, int n)
{
	/* Dump o with an empty value at each key, then write each value
	 * between its quotes as it comes. An unescaped '"' only delimits
	 * strings, so the member "key": "" is found as such; the members
	 * come last, in order, so each is looked for after the one before. */
	for (int i = 0; i < n; i++)
		json_object_set_new(o, s[i].key, s[i].src ? json_string("") : json_null());
	char *doc = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!doc)
		return cli_error("out of memory");
	size_t *at = malloc(sizeof *at * (size_t)(n ? n : 1));
	if (!at) {
		free(doc);
		return cli_error("out of memory");
	}
	size_t from = 0;
	for (int i = 0; i < n; i++) {
		at[i] = from;
		if (!s[i].src)
			continue;   /* null */
		size_t klen = strlen(s[i].key);
		char *pat = malloc(klen + 8);
		char *hit = NULL;
		if (pat) {
			snprintf(pat, klen + 8, "\"%s\": \"\"", s[i].key);
			hit = strstr(doc + from, pat);
			free(pat);
		}
		if (!hit) {
			free(at);
			free(doc);
			return cli_error(pat ? "cannot write output" : "out of memory");
		}
		at[i] = (size_t)(hit - doc) + klen + 5;   /* through the opening quote */
		from = at[i];
	}
	struct cli_json_out st;
	cli_json_out_begin(&st, stdout);
	int r = 0;
	from = 0;
	for (int i = 0; i < n; i++) {
		if (!s[i].src)
			continue;
		cli_json_out_write(&st, doc + from, at[i] - from);
		if (r == 0)
			r = s[i].src(s[i].ctx, str_sink, &st);
		str_end(&st);
		from = at[i];
	}
	cli_json_out_write(&st, doc + from, strlen(doc + from));
	cli_json_out_write(&st, "\n", 1);
	free(at);
	free(doc);
	if (cli_json_out_end(&st) != 0 || fflush(stdout) != 0)
		return cli_error("cannot write output");
	return r;
}

/* jansson's dump callback: through the filter. */
static int dump_cb(const char *buf, size_t size, void *data)
{
	safe_feed(data, buf, size);
	return 0;
}

/* Prints JSON to stdout with a final newline; returns the exit status. */
int cli_put_json(json_t *j)
{
	struct cli_json_out st;
	cli_json_out_begin(&st, stdout);
	int r = j ? json_dump_callback(j, dump_cb, &st, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
	json_decref(j);
	cli_json_out_write(&st, "\n", 1);
	if (cli_json_out_end(&st) != 0 || r != 0 || fflush(stdout) != 0)
		return cli_error("cannot write output");
	return 0;
}

int cli_put_json_text(const char *text, size_t len)
{
	struct cli_json_out st;
	cli_json_out_begin(&st, stdout);
	cli_json_out_write(&st, text, len);
	if (len == 0 || text[len - 1] != '\n')
		cli_json_out_write(&st, "\n", 1);
	if (cli_json_out_end(&st) != 0 || fflush(stdout) != 0)
		return cli_error("cannot write output");
	return 0;
}

json_t *cli_meta_json(const struct ar_meta *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "title", cli_jstr(m->title));
	json_object_set_new(o, "url", cli_jstr(m->url));
	json_object_set_new(o, "video_id", cli_jstr(m->video_id));
	json_object_set_new(o, "channel", cli_jstr(m->channel));
	json_object_set_new(o, "recorded_at", cli_jstr(m->recorded_at));
	json_object_set_new(o, "duration_s", cli_jint_or_null(m->duration_s));
	json_object_set_new(o, "language", cli_jstr(m->language));
	json_object_set_new(o, "format", cli_jstr(m->format));
	json_object_set_new(o, "state", json_string(ar_state_name(m->state)));
	json_object_set_new(o, "summarized", json_boolean(m->current_summary_id != 0));
	json_object_set_new(o, "current_version", m->current_version ? json_integer(m->current_version)
	                                                               : json_null());
	json_object_set_new(o, "review", json_string(ar_review_name(m->review)));
	/* the review shown: in force, or (changed) the last of an earlier version */
	json_object_set_new(o, "review_verdict", m->review_id ? json_string(ar_review_name(m->review_verdict))
	                                                      : json_null());
	json_object_set_new(o, "review_version", m->review_id && m->review_version
	                                         ? json_integer(m->review_version) : json_null());
	json_object_set_new(o, "reviewer", cli_jstr(m->reviewer));
	json_object_set_new(o, "reviewed_at", cli_jstr(m->reviewed_at));
	json_object_set_new(o, "review_reason", cli_jstr(m->review_reason));
	json_object_set_new(o, "summary_versions", json_integer(m->summary_versions));
	json_object_set_new(o, "unsupported", cli_jint_or_null(m->unsupported));
	json_object_set_new(o, "text_bytes", json_integer(m->text_bytes));
	json_object_set_new(o, "paragraphs", json_integer(m->npara));
	json_object_set_new(o, "source_path", cli_jstr(m->source_path));
	json_object_set_new(o, "content_hash", cli_jstr(m->content_hash));
	json_object_set_new(o, "imported_at", cli_jstr(m->imported_at));
	json_object_set_new(o, "updated_at", cli_jstr(m->updated_at));
	json_object_set_new(o, "title_source", cli_jstr(m->title_source));
	json_object_set_new(o, "original_title", cli_jstr(m->original_title ? m->original_title : m->title));
	json_object_set_new(o, "llm_title", cli_jstr(m->llm_title));
	json_object_set_new(o, "encoding", cli_jstr(m->encoding));
	return o;
}

json_t *cli_review_json(const struct ar_review_rec *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "summary_id", r->summary_id ? json_integer(r->summary_id) : json_null());
	json_object_set_new(o, "version", r->version ? json_integer(r->version) : json_null());
	json_object_set_new(o, "verdict", json_string(r->verdict == AR_APPROVED ? "approved"
	                                              : r->verdict == AR_FLAGGED ? "flagged" : "cleared"));
	json_object_set_new(o, "reason", cli_jstr(r->reason));
	json_object_set_new(o, "reviewer", cli_jstr(r->reviewer));
	json_object_set_new(o, "created_at", cli_jstr(r->created_at));
	json_object_set_new(o, "current", json_boolean(r->of_current));
	json_object_set_new(o, "in_force", json_boolean(r->in_force));
	return o;
}

json_t *cli_summary_json(const struct ar_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "transcript_id", json_integer(s->transcript_id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "current", json_boolean(s->is_current));
	json_object_set_new(o, "origin", json_string(ar_origin_name(s->origin)));
	json_object_set_new(o, "model", cli_jstr(s->model));
	json_object_set_new(o, "prompt_name", cli_jstr(s->prompt_name));
	json_object_set_new(o, "created_at", cli_jstr(s->created_at));
	json_object_set_new(o, "body_bytes", json_integer((json_int_t)s->body_len));
	json_object_set_new(o, "has_mermaid", json_boolean(s->has_mermaid || s->mermaid));
	json_object_set_new(o, "status", json_string(s->failed ? "failed" : "ok"));
	json_object_set_new(o, "title", cli_jstr(s->title));
	json_object_set_new(o, "tokens_in", cli_jint_or_null(s->tokens_in));
	json_object_set_new(o, "tokens_out", cli_jint_or_null(s->tokens_out));
	json_object_set_new(o, "duration_s", s->duration_ms >= 0 ? json_real(s->duration_ms / 1000.0)
	                                                         : json_null());
	json_object_set_new(o, "warning", cli_jstr(s->warning));
	json_object_set_new(o, "job_id", s->job_id ? json_integer(s->job_id) : json_null());
	if (s->body)
		json_object_set_new(o, "body", cli_jstr(s->body));
	if (s->body)
		json_object_set_new(o, "mermaid", cli_jstr(s->mermaid));
	return o;
}
