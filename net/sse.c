/* sse.c — Server-Sent Events parser, one byte at a time (net/sse.h). */
#include <stdlib.h>
#include <string.h>

#include "net/sse.h"
#include "net/util.h"

enum {
	S_LINE_START = 0,  /* nothing of the current line read yet */
	S_FIELD,           /* reading the field name */
	S_VALUE_START,     /* just after the colon: one space is skipped */
	S_VALUE,           /* reading the value */
	S_COMMENT,         /* a ":" line */
	S_AFTER_CR,        /* a CR ended the line; an LF right after belongs to it */
};

void sse_init(struct sse *p, sse_event_fn on_event, sse_comment_fn on_comment, void *ctx)
{
	memset(p, 0, sizeof *p);
	p->on_event = on_event;
	p->on_comment = on_comment;
	p->ctx = ctx;
}

void sse_free(struct sse *p)
{
	free(p->line);
	free(p->data);
	p->line = p->data = NULL;
	p->line_len = p->line_cap = p->data_len = p->data_cap = 0;
}

/* Appends n bytes to a growing buffer; returns 0, or -1 past the limit. */
static int grow_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > SSE_MAX_EVENT)
		return -1;
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 256;
		while (c < *len + n + 1)
			c *= 2;
		*buf = xrealloc(*buf, c);
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
	return 0;
}

/* Dispatches the event built so far (a blank line was read). Returns the
 * callback's value. */
static int dispatch(struct sse *p)
{
	int r = 0;
	if (p->has_data) {
		if (p->data_len && p->data[p->data_len - 1] == '\n')
			p->data[--p->data_len] = 0;
		p->events++;
		r = p->on_event(p->ctx, p->event, p->data ? p->data : "", p->data_len);
	}
	p->has_data = 0;
	p->data_len = 0;
	if (p->data)
		p->data[0] = 0;
	p->event[0] = 0;
	return r;
}

/* A complete "field: value" line was read. Returns 0 or -1 (too big). */
static int end_field_line(struct sse *p)
{
	const char *v = p->line ? p->line : "";
	size_t vn = p->line_len;
	int r = 0;
	if (!p->field_long) {
		if (p->field_len == 4 && !memcmp(p->field, "data", 4)) {
			if (grow_append(&p->data, &p->data_len, &p->data_cap, v, vn) != 0 ||
			    grow_append(&p->data, &p->data_len, &p->data_cap, "\n", 1) != 0)
				r = -1;
			p->has_data = 1;
		} else if (p->field_len == 5 && !memcmp(p->field, "event", 5)) {
			size_t k = vn < sizeof p->event - 1 ? vn : sizeof p->event - 1;
			memcpy(p->event, v, k);
			p->event[k] = 0;
		}
		/* "id" and "retry" mean nothing to a chat client; other
		 * fields are ignored, as the specification says. */
	}
	p->field_len = 0;
	p->field_long = 0;
	p->line_len = 0;
	return r;
}

/* Ends the current line (CR or LF seen). Returns a callback value, or -1. */
static int end_line(struct sse *p)
{
	int r = 0;
	switch (p->state) {
	case S_LINE_START:
	case S_AFTER_CR:
		r = dispatch(p);
		break;
	case S_COMMENT:
		p->comments++;
		if (p->on_comment)
			p->on_comment(p->ctx, p->line ? p->line : "", p->line_len);
		p->line_len = 0;
		break;
	default:
		r = end_field_line(p);
		break;
	}
	return r;
}

/* Parses one byte (the BOM is already handled). */
static int feed_byte(struct sse *p, char c)
{
	if (p->state == S_AFTER_CR) {
		p->state = S_LINE_START;
		if (c == '\n')
			return 0;
	}
	if (c == '\r' || c == '\n') {
		int r = end_line(p);
		p->state = c == '\r' ? S_AFTER_CR : S_LINE_START;
		if (r < 0)
			p->too_big = 1;
		return r;
	}
	switch (p->state) {
	case S_LINE_START:
		if (c == ':') {
			p->state = S_COMMENT;
			p->line_len = 0;
			return 0;
		}
		p->state = S_FIELD;
		p->field_len = 0;
		p->field_long = 0;
		/* fall through */
	case S_FIELD:
		if (c == ':') {
			p->state = S_VALUE_START;
			p->line_len = 0;
		} else if (p->field_len < sizeof p->field) {
			p->field[p->field_len++] = c;
		} else {
			p->field_long = 1;
		}
		return 0;
	case S_VALUE_START:
		p->state = S_VALUE;
		if (c == ' ')
			return 0;
		/* fall through */
	case S_VALUE:
	case S_COMMENT:
		if (p->field_long && p->state == S_VALUE)
			return 0;   /* an ignored field: do not keep its value */
		if (grow_append(&p->line, &p->line_len, &p->line_cap, &c, 1) != 0) {
			p->too_big = 1;
			return -1;
		}
		return 0;
	}
	return 0;
}

int sse_feed(struct sse *p, const char *buf, size_t n)
{
	static const char bom[] = "\xEF\xBB\xBF";
	if (p->too_big)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		int r;
		if (p->bom >= 0) {
			if (c == bom[p->bom]) {
				if (++p->bom == 3)
					p->bom = -1;
				continue;
			}
			/* not a BOM after all: the bytes matched so far are data */
			int k = p->bom;
			p->bom = -1;
			for (int j = 0; j < k; j++)
				if ((r = feed_byte(p, bom[j])) != 0)
					return r;
		}
		/* Inside a value or comment, take the run up to the line end
		 * at once: values are most of the bytes. */
		if ((p->state == S_VALUE || p->state == S_COMMENT) && c != '\r' && c != '\n') {
			size_t e = i;
			while (e < n && buf[e] != '\r' && buf[e] != '\n')
				e++;
			if (!(p->field_long && p->state == S_VALUE) &&
			    grow_append(&p->line, &p->line_len, &p->line_cap, buf + i, e - i) != 0) {
				p->too_big = 1;
				return -1;
			}
			i = e - 1;
			continue;
		}
		if ((r = feed_byte(p, c)) != 0)
			return r;
	}
	return 0;
}

int sse_pending(const struct sse *p)
{
	return p->has_data || (p->state != S_LINE_START && p->state != S_AFTER_CR) ||
	       (p->bom > 0);
}
