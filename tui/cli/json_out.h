/* json_out.h — --json output shared by the commands (jansson). Field
 * names are stable and documented in docs/archive.md. */
#ifndef PRECIS_TUI_JSON_OUT_H
#define PRECIS_TUI_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

struct ar_meta;
struct ar_summary;
struct ar_review_rec;

/* A JSON string for s (null when s is NULL); always valid JSON. */
json_t *cli_jstr(const char *s);
/* An integer, or null when v < 0 (unknown). */
json_t *cli_jint_or_null(long long v);
/* Prints j (and releases it) to stdout with a final newline; returns the
 * exit status. Every JSON document precis prints goes through the filter
 * below. */
int cli_put_json(json_t *j);
/* Prints JSON text made elsewhere (e.g. mermaid --json) through the same
 * filter, with a final newline; returns the exit status. */
int cli_put_json_text(const char *text, size_t len);

/* The filter: JSON text in, the same JSON out with DEL, C1 controls
 * (U+0080–U+009F), bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069), U+2028, U+2029 and U+FEFF written as \uXXXX escapes —
 * the same data, safe to show on a terminal (jansson escapes only
 * characters below U+0020). Chunks may cut a character anywhere. */
struct cli_json_out {
	FILE *f;
	unsigned char pend[4];    /* a character cut at the end of a chunk */
	size_t npend;
	unsigned char spend[4];   /* the same inside a streamed string value */
	size_t nspend;
};
void cli_json_out_begin(struct cli_json_out *st, FILE *f);
void cli_json_out_write(struct cli_json_out *st, const char *buf, size_t n);
/* Flushes what is pending; returns 0, or -1 when the stream had an error. */
int cli_json_out_end(struct cli_json_out *st);
/* Writes buf[0..n) as part of a JSON string value (between its quotes):
 * escaped as jansson does, bytes that are not UTF-8 as U+FFFD, then
 * through the filter. Pieces may cut a character anywhere. */
void cli_json_str_write(struct cli_json_out *st, const char *buf, size_t n);

/* A sink for pieces of text: returns 0 to go on. */
typedef int (*cli_chunk_fn)(void *ctx, const char *p, size_t n);
/* Produces a text by calling sink with its pieces; returns 0, or non-zero
 * to fail (after printing why). */
typedef int (*cli_source_fn)(void *ctx, cli_chunk_fn sink, void *sink_ctx);
/* Prints object o (released) like cli_put_json, with the string values
 * of n members s[i].key (added last, in this order) streamed from their
 * s[i].src without holding them whole (a NULL src: the member is null).
 * Returns the exit status: a src's non-zero value, or 1 on a write error. */
struct cli_json_stream {
	const char *key;
	cli_source_fn src;
	void *ctx;
};
int cli_put_json_streams(json_t *o, const struct cli_json_stream *s, int n);
/* The metadata object of list --json / show --meta --json. */
json_t *cli_meta_json(const struct ar_meta *m);
/* One summary version (body and mermaid only when loaded). */
/* One review (show --meta --json's "reviews"). */
json_t *cli_review_json(const struct ar_review_rec *r);
json_t *cli_summary_json(const struct ar_summary *s);

#endif
