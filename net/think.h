/* think.h — drops a reasoning model's thinking from its answer text.
 *
 * Streaming filter over the content deltas of an answer: <think>…</think>
 * blocks are removed, and a lone </think> (the model's template opened the
 * block before the answer began, so only the closing tag arrives) drops
 * everything before it. A tag split across deltas is held back until it
 * is known. What remains is the visible answer in out, which never starts
 * with blank lines (a model's "</think>\n\n" before its answer, or an
 * answer that opens with empty lines): they are dropped as they stream, the
 * first line's indentation kept. No I/O.
 */
#ifndef PRECIS_NET_THINK_H
#define PRECIS_NET_THINK_H

#include <stddef.h>

#include "net/util.h"

struct think {
	struct buf out;       /* visible answer so far */
	struct buf hold;      /* a possible partial tag, not yet in out */
	struct buf lead;      /* spaces of a first line not yet known to hold text */
	int in_think;          /* inside <think>… */
	int resets;            /* times out was emptied by a lone </think> */
	size_t thought;        /* bytes dropped as thinking */
};

void think_init(struct think *t);
/* Adds n bytes of answer text. */
void think_feed(struct think *t, const char *s, size_t n);
/* The answer ended: held bytes that did not become a tag are kept. */
void think_finish(struct think *t);
void think_free(struct think *t);

#endif
