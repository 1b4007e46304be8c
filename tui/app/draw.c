/* draw.c — drawing helpers every view uses: cleaned one-line text cut by
 * display width, rendered cells placed at their own columns, glyphs with
 * ASCII fallbacks. The only way text reaches the screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/sanitize.h"
#include "render/width.h"
#include "tui/app/view.h"

/* … or ~ (cut text) */
static const char *glyph_ellipsis(void) { return A->utf8 ? "…" : "~"; }
const char *glyph_vline(void) { return A->utf8 ? "│" : "|"; }
const char *glyph_approved(void) { return A->utf8 ? "✓" : "+"; }
const char *glyph_focus(void) { return A->utf8 ? "▶" : ">"; }

void draw_fill(int y, int x, int w, attr_t at)
{
	static const char sp[] = "                                                                ";
	if (w <= 0)
		return;
	attrset(at);
	move(y, x);
	while (w > 0) {
		int k = w < 64 ? w : 64;
		addnstr(sp, k);
		w -= k;
	}
	attrset(A_NORMAL);
}

/* Draws a cleaned line s[0..len) (no controls: rs_clean_line output)
 * cluster by cluster, each at its own column; returns cells used. */
static int put_clean(int y, int x, int w, const char *s, size_t len, attr_t at)
{
	struct rs_cluster c;
	size_t p = 0;
	int col = 0;
	attrset(at);
	while (p < len) {
		size_t nx = rs_next(s, len, p, &c);
		if (c.width > 0) {
			if (col + c.width > w)
				break;
			char g[RS_GLYPH_MAX];
			int ph = 0;
			rs_glyph(s, &c, g, &ph);
			if (ph)
				attrset(at | style(ST_PLACEHOLDER));
			mvaddstr(y, x + col, g);
			if (ph)
				attrset(at);
			col += c.width;
		}
		p = nx;
	}
	attrset(A_NORMAL);
	return col;
}

int draw_textn(int y, int x, int w, const char *s, size_t len, attr_t at)
{
	if (w <= 0 || !s)
		return 0;
	size_t cl;
	char *clean = rs_clean_line(s, len, &cl);
	int used;
	int total = rw_width(clean, cl);
	int r;
	if (total <= w) {
		r = put_clean(y, x, w, clean, cl, at);
	} else {
		const char *el = glyph_ellipsis();
		int ew = rw_swidth(el);
		size_t k = rw_fit(clean, cl, w - ew, &used);
		r = put_clean(y, x, w - ew, clean, k, at);
		attrset(at);
		mvaddstr(y, x + r, el);
		attrset(A_NORMAL);
		r += ew;
	}
	free(clean);
	return r;
}

int draw_text(int y, int x, int w, const char *s, attr_t at)
{
	return s ? draw_textn(y, x, w, s, strlen(s), at) : 0;
}

int text_width(const char *s)
{
	size_t cl;
	char *clean = rs_clean_line(s, strlen(s), &cl);
	int w = rw_width(clean, cl);
	free(clean);
	return w;
}
