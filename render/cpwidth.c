/* cpwidth.c — cells of one code point and the display settings
 * (render/cpwidth.h). */
#include "render/cpwidth.h"
#include "render/eaw_table.h"

#include <stddef.h>
#include <utf8proc.h>

static int ambiguous_wide;
static int terminal_safe;

void rw_set_ambiguous_wide(int on) { ambiguous_wide = on != 0; }
int rw_ambiguous_wide(void) { return ambiguous_wide; }
void rw_set_terminal_safe(int on) { terminal_safe = on != 0; }
int rw_terminal_safe_mode(void) { return terminal_safe; }

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
