/* wcwidth_scan.c — where does libc wcwidth (what ncursesw uses) disagree
 * with precis's widths (render/width.h)? Scans every code point as a
 * one-code-point cluster and prints the disagreeing ranges.
 *
 *   cc -std=c17 -D_GNU_SOURCE -I. render/gen/wcwidth_scan.c render/width.c \
 *      render/sanitize.c render/eaw_table.c -lutf8proc -o /tmp/wcwidth_scan
 *   /tmp/wcwidth_scan [LOCALE] [wide]
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <utf8proc.h>

#include "render/width.h"
#include "render/sanitize.h"

int main(int argc, char **argv)
{
	const char *loc = argc > 1 ? argv[1] : "C.UTF-8";
	if (!setlocale(LC_CTYPE, loc)) {
		fprintf(stderr, "locale %s not available\n", loc);
		return 1;
	}
	if (argc > 2 && strcmp(argv[2], "wide") == 0)
		rw_set_ambiguous_wide(1);
	long total = 0;
	int32_t run_lo = -1, run_hi = -1, run_ours = 0, run_libc = 0;
	for (int32_t cp = 0xA0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CN)
			continue;
		utf8proc_uint8_t buf[8];
		utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
		struct rs_cluster c;
		rs_next((const char *)buf, (size_t)n, 0, &c);
		if (c.kind == RS_DROPPED || c.kind == RS_NEWLINE)
			continue;    /* never drawn */
		int ours = c.width;
		int libc = wcwidth((wchar_t)cp);
		char g[RS_GLYPH_MAX];
		size_t gl = rs_glyph((const char *)buf, &c, g, NULL);
		int unsafe = !rw_terminal_safe(g, gl);
		if (!unsafe)
			continue;
		total++;
		if (cp == run_hi + 1 && ours == run_ours && libc == run_libc) {
			run_hi = cp;
			continue;
		}
		if (run_lo >= 0)
			printf("U+%04X..U+%04X ours=%d libc=%d\n", run_lo, run_hi, run_ours, run_libc);
		run_lo = run_hi = cp;
		run_ours = ours;
		run_libc = libc;
	}
	if (run_lo >= 0)
		printf("U+%04X..U+%04X ours=%d libc=%d\n", run_lo, run_hi, run_ours, run_libc);
	printf("# %ld assigned code points are not terminal-safe under %s%s\n", total, loc,
	       rw_ambiguous_wide() ? " (ambiguous wide)" : "");
	return 0;
}
