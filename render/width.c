/* width.c — display width of UTF-8 text, per grapheme cluster. */
#include "render/width.h"
#include "render/sanitize.h"
#include "render/eaw_table.h"

#include <string.h>
#include <wchar.h>
#include <utf8proc.h>

static int ambiguous_wide;
static int terminal_safe;

void rw_set_ambiguous_wide(int on) { ambiguous_wide = on != 0; }
int rw_ambiguous_wide(void) { return ambiguous_wide; }
void rw_set_terminal_safe(int on) { terminal_safe = on != 0; }
int rw_terminal_safe_mode(void) { return terminal_safe; }

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

int rw_is_ambiguous(int32_t cp)
{
	if (cp < 0xA1)
		return 0;
	size_t lo = 0, hi = rw_eaw_ambiguous_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uint32_t)cp < rw_eaw_ambiguous[mid][0])
			hi = mid;
		else if ((uint32_t)cp > rw_eaw_ambiguous[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int rw_cp_width(int32_t cp)
{
	if (cp < 0x7F)
		return cp >= 0x20;
	if (cp < 0xA0)
		return 0;
	if ((cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF))
		return 0;   /* Hangul medial vowels and finals join the syllable */
	int w = utf8proc_charwidth(cp);
	if (w == 1 && ambiguous_wide && rw_is_ambiguous(cp))
		return 2;
	if (w == 0) {
		/* Spacing marks and the visible prepended concatenation marks
		 * take a cell in glibc, xterm and VTE; utf8proc says 0. */
		int cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_MC ||
		    (cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F ||
		    cp == 0x0890 || cp == 0x0891 || cp == 0x08E2 ||
		    cp == 0x110BD || cp == 0x110CD)
			return 1;
	}
	return w;
}

int rw_width(const char *s, size_t len)
{
	int total = 0;
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		pos = rs_next(s, len, pos, &c);
		total += c.kind == RS_TAB ? rs_tab_width(total) : c.width;
	}
	return total;
}

int rw_swidth(const char *s)
{
	return rw_width(s, strlen(s));
}

size_t rw_fit(const char *s, size_t len, int max_cells, int *used)
{
	int total = 0;
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		size_t next = rs_next(s, len, pos, &c);
		int w = c.kind == RS_TAB ? rs_tab_width(total) : c.width;
		if (total + w > max_cells)
			break;
		total += w;
		pos = next;
	}
	if (used)
		*used = total;
	return pos;
}

int rw_libc_width(const char *s, size_t len)
{
	int total = 0;
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &c);
		if (n <= 0)
			return -1;
		cp = c;
		int w = wcwidth((wchar_t)cp);
		if (w < 0)
			return -1;
		total += w;
		i += (size_t)n;
	}
	return total;
}

int rw_terminal_safe(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		pos = rs_next(s, len, pos, &c);
		if (c.kind != RS_TEXT && c.kind != RS_SPACE && c.kind != RS_INVALID)
			return 0;
		const char *p = c.kind == RS_INVALID ? "\xEF\xBF\xBD" : s + c.off;
		size_t n = c.kind == RS_INVALID ? 3 : c.len;
		if (rw_libc_width(p, n) != c.width)
			return 0;
		if (ambiguous_wide) {
			size_t i = 0;
			while (i < n) {
				int32_t cp;
				i += rw_decode(p + i, n - i, &cp);
				if (rw_is_ambiguous(cp) && utf8proc_charwidth(cp) > 0)
					return 0;
			}
		}
	}
	return 1;
}
