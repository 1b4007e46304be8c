/* util.c — allocation, byte buffer and clock helpers of net/ (net/util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/util.h"

void *net_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("precis: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *net_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("precis: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *net_xstrndup(const char *s, size_t n)
{
	char *p = net_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *net_xstrdup(const char *s)
{
	return net_xstrndup(s, strlen(s));
}

void nbuf_add(struct nbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 64;
		while (c < b->len + n + 1)
			c *= 2;
		b->p = net_xrealloc(b->p, c);
		b->cap = c;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void nbuf_adds(struct nbuf *b, const char *s)
{
	nbuf_add(b, s, strlen(s));
}

void nbuf_addf(struct nbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	nbuf_add(b, "", 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t c = b->cap;
		while (c < b->len + (size_t)n + 1)
			c *= 2;
		b->p = net_xrealloc(b->p, c);
		b->cap = c;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void nbuf_reset(struct nbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void nbuf_free(struct nbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *nbuf_str(const struct nbuf *b)
{
	return b->p ? b->p : "";
}

char *nbuf_take(struct nbuf *b)
{
	char *p = b->p ? b->p : net_xstrdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

int64_t net_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t net_utf8_trim(const char *s, size_t n)
{
	/* Step back over continuation bytes to the last lead byte and keep
	 * it only if its sequence is complete. */
	size_t i = n, k = 0;
	while (i > 0 && k < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		k++;
	}
	if (i == 0)
		return n;
	unsigned char c = (unsigned char)s[i - 1];
	size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (need == 1)
		return n;
	return k + 1 >= need ? n : i - 1;
}
