/* sse.h — a byte-wise parser of Server-Sent Events (text/event-stream).
 *
 * Feed it the bytes of a response as they arrive, in pieces of any size:
 * an event may be split anywhere (inside "data:", inside a UTF-8
 * character, between CR and LF). It follows the WHATWG EventSource rules
 * that matter for chat APIs: LF, CRLF and bare CR end lines; a leading
 * BOM is dropped; ":" lines are comments (keep-alives); "data:" lines of
 * one event are joined with "\n"; one space after the colon is removed;
 * a blank line dispatches the event; an event without data is not
 * dispatched; an unfinished event at the end of the stream is dropped.
 * No I/O, no allocation beyond the event being built.
 */
#ifndef PRECIS_NET_SSE_H
#define PRECIS_NET_SSE_H

#include <stddef.h>

/* Called for each complete event: event is its "event:" name ("" when
 * none), data its joined data lines (NUL-terminated, len bytes). Return
 * non-zero to stop the parser (sse_feed returns that value). */
typedef int (*sse_event_fn)(void *ctx, const char *event, const char *data, size_t len);
/* Called for each comment line (text after the colon, not terminated);
 * may be NULL. */
typedef void (*sse_comment_fn)(void *ctx, const char *text, size_t len);

#define SSE_MAX_EVENT (32u << 20)   /* an event larger than this is an error */

struct sse {
	sse_event_fn on_event;
	sse_comment_fn on_comment;
	void *ctx;
	int state;            /* where in a line we are */
	int bom;              /* bytes of a leading BOM matched so far, -1 when past it */
	char field[16];       /* field name being read (longer names are ignored) */
	size_t field_len;
	int field_long;       /* the name did not fit: the line is ignored */
	char *line;           /* value of the current line */
	size_t line_len, line_cap;
	char *data;           /* data lines of the current event, "\n"-joined */
	size_t data_len, data_cap;
	int has_data;
	char event[64];
	size_t events;        /* events dispatched so far */
	size_t comments;      /* comment lines seen so far */
	int too_big;          /* an event exceeded SSE_MAX_EVENT */
};

void sse_init(struct sse *p, sse_event_fn on_event, sse_comment_fn on_comment, void *ctx);
/* Parses n more bytes. Returns 0, the first non-zero value a callback
 * returned, or -1 when an event grew past SSE_MAX_EVENT. */
int sse_feed(struct sse *p, const char *buf, size_t n);
/* 1 when bytes of an unfinished event (or line) are pending: the stream
 * ended in the middle of an event. */
int sse_pending(const struct sse *p);
void sse_free(struct sse *p);

#endif
