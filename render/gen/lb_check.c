/* lb_check.c — checks that layout.c's break analysis (libunibreak with
 * ideograph runs filled in directly) equals libunibreak alone, position by
 * position, on the given files.
 *
 *   cc -O1 -std=c17 -D_GNU_SOURCE -I. render/gen/lb_check.c render/sanitize.c \
 *      render/width.c render/eaw_table.c -lutf8proc -lunibreak -lpthread -o /tmp/lb_check
 *   /tmp/lb_check ../shared/seeds/* ../shared/transcripts/*
 */
#include "render/layout.c"   /* for its static functions */
#include <stdio.h>

int main(int argc, char **argv)
{
	init_linebreak();
	long diffs = 0, checked = 0;
	static char b[4 << 20];
	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (!f)
			continue;
		size_t n = fread(b, 1, sizeof b, f);
		fclose(f);
		size_t ps = 0;
		while (ps < n) {
			size_t pe = ps;
			while (pe < n && b[pe] != '\n')
				pe++;
			size_t pl = pe - ps;
			if (pl) {
				int poison;
				const char *lang = para_scan(b + ps, pl, &poison);
				char *tmp = NULL;
				size_t tc = 0;
				const char *p = poison ? unpoison(b + ps, pl, &tmp, &tc) : b + ps;
				char *x = xmalloc(pl), *y = xmalloc(pl);
				set_linebreaks_utf8((const utf8_t *)p, pl, lang, x);
				linebreaks(p, pl, lang, y);
				for (size_t i = 0; i + 1 < pl; i++) {
					if (x[i] == LINEBREAK_INSIDEACHAR)
						continue;
					checked++;
					int ax = x[i] == LINEBREAK_ALLOWBREAK || x[i] == LINEBREAK_MUSTBREAK;
					int ay = y[i] == LINEBREAK_ALLOWBREAK || y[i] == LINEBREAK_MUSTBREAK;
					if (ax != ay && diffs++ < 5)
						printf("%s: differs at byte %zu\n", argv[a], ps + i);
				}
				free(x);
				free(y);
				free(tmp);
			}
			ps = pe + 1;
		}
	}
	printf("checked %ld break positions, %ld differences\n", checked, diffs);
	return diffs != 0;
}
