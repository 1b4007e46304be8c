/* draw.c — drawing helpers every view uses: cleaned one-line text cut by
 * display width, rendered cells placed at their own columns, glyphs with
 * ASCII fallbacks. The only way text reaches the screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
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

/* The bytes of the cleaned s[0..len) that fit a row of w cells, broken
 * after a space in the row's second half when there is one. */
static size_t row_piece(const char *s, size_t len, int w)
{
	int used;
	size_t k = rw_fit(s, len, w, &used);
	if (k >= len)
		return len;
	for (size_t i = k; i > k / 2; i--)
		if (s[i - 1] == ' ')
			return i;
	if (k == 0) {
		int32_t cp;
		k = rw_decode(s, len, &cp);
	}
	return k ? k : len;
}

int draw_wrapped(int y, int x, int w, int rows, const char *s, attr_t at)
{
	if (w <= 0 || !s)
		return 0;
	size_t len;
	char *clean = rs_clean_line(s, strlen(s), &len);
	const char *p = clean;
	int n = 0;
	while (len && n < rows) {
		size_t k = n == rows - 1 ? len : row_piece(p, len, w);
		if (rows > 0)
			draw_textn(y + n, x, w, p, k, at);   /* the last row ends with … when cut */
		while (k < len && p[k] == ' ')
			k++;
		p += k;
		len -= k;
		n++;
	}
	free(clean);
	return n;
}

int wrapped_rows(const char *s, int w)
{
	if (w <= 0 || !s)
		return 0;
	size_t len;
	char *clean = rs_clean_line(s, strlen(s), &len);
	const char *p = clean;
	int n = 0;
	while (len) {
		size_t k = row_piece(p, len, w);
		while (k < len && p[k] == ' ')
			k++;
		p += k;
		len -= k;
		n++;
	}
	free(clean);
	return n;
}

/* The column where the character covering column x of row y starts
 * (x itself, or x - 1 for the right half of a wide one), read from
 * stdscr cell by cell from the row's start. */
static int cell_start(int y, int x)
{
	int col = 0;
	while (col < x) {
		cchar_t c;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t at;
		short pair;
		int w = 1;
		if (mvin_wch(y, col, &c) == OK && getcchar(&c, wc, &at, &pair, NULL) == OK && wc[0]) {
			w = wcwidth(wc[0]);
			if (w < 1)
				w = 1;
		}
		if (col + w > x)
			return col;
		col += w;
	}
	return col;
}

void draw_box_edges(int y, int x, int w)
{
	/* A box drawn over half of a wide character leaves curses holding
	 * the other half, while the terminal erases the whole character: on
	 * the next update curses sends the cells it believes changed
	 * starting inside the character, which then shows lost or shifted
	 * (until Ctrl-L). Blanking the whole character first keeps curses's
	 * picture of the screen the terminal's. */
	if (x > 0 && cell_start(y, x) == x - 1)
		mvaddstr(y, x - 1, "  ");
	if (x + w < COLS && cell_start(y, x + w) == x + w - 1)
		mvaddstr(y, x + w - 1, "  ");
}

int text_width(const char *s)
{
	size_t cl;
	char *clean = rs_clean_line(s, strlen(s), &cl);
	int w = rw_width(clean, cl);
	free(clean);
	return w;
}
