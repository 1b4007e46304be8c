/* utf8.c — UTF-8 decoding and encoding through utf8proc (render/utf8.h). */
#include "render/utf8.h"

#include <utf8proc.h>

size_t utf8_decode_slow(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	                                      (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 0;
	}
	*cp = c;
	return (size_t)n;
}

size_t utf8_prev(const char *s, size_t i)
{
	size_t b = i - 1;
	while (b > 0 && i - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	return b;
}

size_t utf8_encode(int32_t cp, char out[4])
{
	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

size_t utf8_cut(const char *s, size_t len, size_t k)
{
	if (k >= len)
		return k;
	size_t b = k;
	while (b > 0 && k - b < 3 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	return b;
}
