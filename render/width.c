/* width.c — display width of UTF-8 text, per grapheme cluster. */
#include "render/width.h"

#include <utf8proc.h>

static int ambiguous_wide;

void rw_set_ambiguous_wide(int on) { ambiguous_wide = on != 0; }
int rw_ambiguous_wide(void) { return ambiguous_wide; }

size_t rw_decode(const char *s, size_t len, int32_t *cp)
{
	if (len == 0) {
		*cp = 0;
		return 0;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	                                      (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

/* Cells of one code point that starts a cluster. */
static int cp_width(int32_t c)
{
	if (c < 0x20 || c == 0x7f)
		return 2;                 /* shown as ^X */
	if (c >= 0x80 && c < 0xa0)
		return 4;                 /* shown as <XX>-style placeholder: keep in sync with render */
	/* FIXME(text layer): ambiguous-width table; utf8proc 2.8 has none. */
	return utf8proc_charwidth(c);
}

int rw_width(const char *s, size_t len)
{
	int total = 0, cluster = 0;
	utf8proc_int32_t state = 0, prev = -1;
	size_t i = 0;
	while (i < len) {
		int32_t c;
		i += rw_decode(s + i, len - i, &c);
		int brk = prev < 0 ||
		          utf8proc_grapheme_break_stateful(prev, c, &state);
		if (brk) {
			total += cluster;
			cluster = cp_width(c);
		} else if (c == 0xFE0F && cluster == 1) {
			cluster = 2;          /* emoji presentation selector */
		}
		prev = c;
	}
	return total + cluster;
}

int rw_swidth(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return rw_width(s, n);
}
