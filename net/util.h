/* util.h — small helpers shared by net/: fail-fast allocation, a growing
 * byte buffer, a monotonic clock. Internal to net/. */
#ifndef PRECIS_NET_UTIL_H
#define PRECIS_NET_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *net_xmalloc(size_t n);
void *net_xrealloc(void *p, size_t n);
char *net_xstrdup(const char *s);
char *net_xstrndup(const char *s, size_t n);

/* A growing, always NUL-terminated byte buffer (p may be NULL while
 * len is 0). */
struct nbuf {
	char *p;
	size_t len, cap;
};
void nbuf_add(struct nbuf *b, const char *s, size_t n);
void nbuf_adds(struct nbuf *b, const char *s);
void nbuf_addf(struct nbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nbuf_reset(struct nbuf *b);
void nbuf_free(struct nbuf *b);
/* The contents (never NULL; "" when empty). */
const char *nbuf_str(const struct nbuf *b);
/* Hands the contents to the caller (malloc'd, never NULL); b is empty after. */
char *nbuf_take(struct nbuf *b);

/* Milliseconds of a monotonic clock. */
int64_t net_now_ms(void);

/* Length of the longest prefix of s[0..n) that ends on a UTF-8
 * character boundary (never cuts a multi-byte sequence). */
size_t net_utf8_trim(const char *s, size_t n);

#endif
