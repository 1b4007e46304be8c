/* util.h — small helpers of net/ on top of the shared leaves
 * (render/alloc.h, render/buf.h): a buffer's string, emptying a buffer,
 * a monotonic clock, trimming a cut UTF-8 tail. Internal to net/. */
#ifndef PRECIS_NET_UTIL_H
#define PRECIS_NET_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "render/alloc.h"
#include "render/buf.h"

/* The contents of b as a string (never NULL; "" when empty). */
static inline const char *buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}

/* Empties b, keeping its memory. */
static inline void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

/* Milliseconds of a monotonic clock. */
int64_t net_now_ms(void);

/* Length of the longest prefix of s[0..n) that does not end in the middle
 * of a UTF-8 sequence (for text that was cut at n bytes). */
size_t net_utf8_trim(const char *s, size_t n);

#endif
