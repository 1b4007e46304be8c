/* width.c — display width of UTF-8 strings, per grapheme cluster
 * (render/width.h), and agreement with the C library's wcwidth(). */
#include "render/width.h"
#include "render/cluster.h"
#include "render/utf8.h"

#include <string.h>
#include <wchar.h>
#include <utf8proc.h>

size_t rw_decode(const char *s, size_t len, int32_t *cp)
{
	if (len == 0) {
		*cp = 0;
		return 0;
	}
	return utf8_next(s, len, cp);
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
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return -1;
		int w = wcwidth((wchar_t)cp);
		if (w < 0)
			return -1;
		total += w;
		i += n;
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
		if (rw_ambiguous_wide()) {
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
