/* buf.c — the growable byte buffer (render/buf.h). */
#include "render/buf.h"
#include "render/alloc.h"
#include "render/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap > b->len && b->cap - b->len > extra)
		return;
	if (extra >= SIZE_MAX - b->len)
		xgrow(&b->p, &b->cap, SIZE_MAX, 1);   /* reports and aborts */
	xgrow(&b->p, &b->cap, b->len + extra + 1, 1);
}

void buf_put_grow(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_put_cp(struct buf *b, int32_t cp)
{
	char u[4];
	buf_put(b, u, utf8_encode(cp ? cp : 0xFFFD, u));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		buf_put(b, NULL, 0);
		return;
	}
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_truncate(struct buf *b, size_t n)
{
	if (n >= b->len)
		return;
	b->len = n;
	b->p[n] = '\0';
}

char *buf_take(struct buf *b)
{
	char *p = b->p ? b->p : xstrndup("", 0);
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
