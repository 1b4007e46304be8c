/* print.c — a document laid out for a stream (`precis show`). */
#include "render/print.h"
#include "render/layout.h"
#include "render/markdown.h"

#include <stdlib.h>
#include <string.h>

/* SGR parameters for a set of attributes ("" when plain). */
static void sgr(FILE *f, unsigned a)
{
	fputs("\x1b[0", f);
	if (a & (RC_BOLD | RC_HEADING | RC_LIST))
		fputs(";1", f);
	if (a & (RC_DIM | RC_PLACEHOLDER))
		fputs(";2", f);
	if (a & RC_ITALIC)
		fputs(";3", f);
	if (a & (RC_LINK | RC_HEADING))
		fputs(";4", f);
	if (a & RC_HIGHLIGHT)
		fputs(";7", f);
	if (a & RC_CODE)
		fputs(";36", f);
	if (a & RC_DIAGRAM)
		fputs(";35", f);
	fputc('m', f);
}

int rp_print_doc(FILE *f, struct rl_doc *d, int width, int color)
{
	size_t n = rl_wrap(d, width);
	size_t cap = 0;
	struct rc_cell *cells = NULL;
	for (size_t k = 0; k < n; k++) {
		const struct rl_line *l = rl_line(d, k);
		size_t need = (size_t)l->width + 1;
		if (need > cap) {
			cap = need * 2;
			free(cells);
			cells = malloc(cap * sizeof *cells);
			if (!cells)
				abort();
		}
		size_t nc = rl_cells(d, k, cells, cap, NULL, 0);
		unsigned cur = 0;
		for (size_t i = 0; i < nc; i++) {
			unsigned a = cells[i].attr & ~0u;
			if (color && a != cur) {
				sgr(f, a);
				cur = a;
			}
			fwrite(cells[i].text, 1, cells[i].len, f);
		}
		if (color && cur)
			fputs("\x1b[0m", f);
		fputc('\n', f);
	}
	free(cells);
	return ferror(f) ? -1 : 0;
}

int rp_print(FILE *f, const char *text, size_t len, int width, int markdown, int color)
{
	struct rl_doc *d;
	struct rm_doc md;
	if (markdown) {
		rm_render(text, len, &md);
		d = md.layout;
		md.layout = NULL;
		rm_free(&md);
	} else {
		d = rl_new(text, len, NULL, 0, NULL, 0);
	}
	int rc = rp_print_doc(f, d, width, color);
	rl_free(d);
	return rc;
}
