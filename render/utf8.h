/* utf8.h — the one UTF-8 decoder and encoder (utf8proc underneath).
 *
 * Valid UTF-8 is what utf8proc_iterate() accepts: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no cut sequences. ASCII and the
 * common three-byte forms are decoded inline (most transcript bytes are
 * ASCII or CJK); everything else goes to utf8proc. A leaf: usable from db/, render/, net/, tui/.
 */
#ifndef PRECIS_RENDER_UTF8_H
#define PRECIS_RENDER_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The non-ASCII part of utf8_decode(); call that instead. */
size_t utf8_decode_slow(const char *s, size_t len, int32_t *cp);

/* Decodes the code point at s[0..len) (len ≥ 1) into *cp and returns its
 * length in bytes (1–4), or 0 when the bytes there are not valid UTF-8
 * (*cp is then U+FFFD). */
static inline size_t utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* Three-byte forms whose lead can be neither overlong (E0) nor a
	 * surrogate (ED): valid whatever the continuation bytes, and most of
	 * a Chinese or Japanese text (callgrind: a call per character here
	 * cost the find index 3 % more instructions). */
	if (u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && len >= 3 &&
	    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*cp = (int32_t)(u[0] & 0x0F) << 12 | (int32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return 3;
	}
	return utf8_decode_slow(s, len, cp);
}

/* Like utf8_decode(), for walking any bytes: an invalid byte decodes as
 * U+FFFD of length 1, so the result is always ≥ 1 (len ≥ 1). */
static inline size_t utf8_next(const char *s, size_t len, int32_t *cp)
{
	size_t n = utf8_decode(s, len, cp);
	return n ? n : 1;
}

/* Returns the code point at s[*i] (*i < len) and moves *i past it, the
 * way utf8_next() reads: for loops over an index. */
static inline int32_t utf8_at(const char *s, size_t len, size_t *i)
{
	int32_t cp;
	*i += utf8_next(s + *i, len - *i, &cp);
	return cp;
}

/* Offset of the start of the code point that ends at s[i] (i > 0): i - 1
 * stepped back over at most three continuation bytes, never below 0. */
size_t utf8_prev(const char *s, size_t i);

/* Writes cp as UTF-8 into out and returns its length (1–4); a value that
 * is not a Unicode scalar (negative, a surrogate, above U+10FFFF) is
 * written as U+FFFD. */
size_t utf8_encode(int32_t cp, char out[4]);

/* Where to cut s[0..len) at most k bytes in without splitting a
 * character: k moved back over at most three continuation bytes (k itself
 * when k ≥ len). */
size_t utf8_cut(const char *s, size_t len, size_t k);

#endif
