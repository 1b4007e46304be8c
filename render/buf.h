/* buf.h — the one growable byte buffer.
 *
 * struct buf { 0 } is an empty buffer. After any put, p is non-NULL and
 * NUL-terminated (p[len] == '\0'), so the bytes can be used as a string.
 * Growth is by doubling through render/alloc.h: a put never fails. A leaf
 * with render/alloc.h and render/utf8.h: usable from every module.
 */
#ifndef PRECIS_RENDER_BUF_H
#define PRECIS_RENDER_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap;
};

/* Makes room for extra more bytes (plus the NUL) without changing len. */
void buf_reserve(struct buf *b, size_t extra);

/* The growing part of buf_put(); call that instead. */
void buf_put_grow(struct buf *b, const char *s, size_t n);

/* Appends s[0..n) (s may be NULL when n == 0). Inline when it fits: the
 * Markdown renderer puts a few bytes at a time. */
static inline void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->p && b->cap - b->len > n) {
		if (n)
			memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
		return;
	}
	buf_put_grow(b, s, n);
}

/* Appends one byte. */
void buf_putc(struct buf *b, char c);

/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);

/* Appends code point cp as UTF-8 (U+FFFD for U+0000 and for what is not
 * a Unicode scalar value, so no NUL byte gets in this way). */
void buf_put_cp(struct buf *b, int32_t cp);

/* Appends printf-style formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Cuts the buffer to its first n bytes (n ≤ len); p[n] becomes NUL. */
void buf_truncate(struct buf *b, size_t n);

/* Returns the buffer's string (never NULL; "" when empty), which the
 * caller frees, and leaves b empty. */
char *buf_take(struct buf *b);

/* Frees the bytes and leaves b empty. */
void buf_free(struct buf *b);

#endif
