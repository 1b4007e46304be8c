/* lineedit.c — the one-line editor of prompts and the archive search. */
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "render/sanitize.h"
#include "tui/app/keymap.h"
#include "tui/app/lineedit.h"
#include "tui/app/view.h"

static void reserve(struct lineedit *e, size_t need)
{
	if (need + 1 <= e->cap)
		return;
	while (e->cap < need + 1)
		e->cap = e->cap ? e->cap * 2 : 64;
	e->buf = xrealloc(e->buf, e->cap);
}

void le_set(struct lineedit *e, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	reserve(e, n);
	memcpy(e->buf, text ? text : "", n + 1);
	e->len = e->cur = n;
}

void le_init(struct lineedit *e, const char *text)
{
	memset(e, 0, sizeof *e);
	le_set(e, text);
}

void le_free(struct lineedit *e)
{
	free(e->buf);
	memset(e, 0, sizeof *e);
}

/* Start of the cluster before byte offset pos. */
static size_t prev_cluster(const struct lineedit *e, size_t pos)
{
	size_t p = 0, last = 0;
	struct rs_cluster c;
	while (p < pos) {
		last = p;
		p = rs_next(e->buf, e->len, p, &c);
	}
	return last;
}

static size_t next_cluster(const struct lineedit *e, size_t pos)
{
	struct rs_cluster c;
	return pos < e->len ? rs_next(e->buf, e->len, pos, &c) : pos;
}

static void delete_range(struct lineedit *e, size_t a, size_t b)
{
	memmove(e->buf + a, e->buf + b, e->len - b + 1);
	e->len -= b - a;
	if (e->cur > b)
		e->cur -= b - a;
	else if (e->cur > a)
		e->cur = a;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

enum le_result le_key(struct lineedit *e, int key)
{
	switch (key) {
	case K_ENTER: case '\n':
		return LE_ENTER;
	case K_ESC: case KEYC('g'): case KEYC('c'):   /* Ctrl-C cancels, as Esc does */
		return LE_CANCEL;
	case KEY_SPECIAL + KEY_LEFT: case KEYC('b'):
		e->cur = prev_cluster(e, e->cur);
		return LE_MOVED;
	case KEY_SPECIAL + KEY_RIGHT: case KEYC('f'):
		e->cur = next_cluster(e, e->cur);
		return LE_MOVED;
	case KEY_SPECIAL + KEY_HOME: case KEYC('a'):
		e->cur = 0;
		return LE_MOVED;
	case KEY_SPECIAL + KEY_END: case KEYC('e'):
		e->cur = e->len;
		return LE_MOVED;
	case K_BACKSPACE: case KEYC('h'): case KEY_SPECIAL + KEY_BACKSPACE:
		if (!e->cur)
			return LE_MOVED;
		delete_range(e, prev_cluster(e, e->cur), e->cur);
		return LE_CHANGED;
	case KEY_SPECIAL + KEY_DC: case KEYC('d'):
		if (e->cur >= e->len)
			return LE_MOVED;
		delete_range(e, e->cur, next_cluster(e, e->cur));
		return LE_CHANGED;
	case KEYC('u'):
		delete_range(e, 0, e->cur);
		return LE_CHANGED;
	case KEYC('k'):
		delete_range(e, e->cur, e->len);
		return LE_CHANGED;
	case KEYC('w'): {
		size_t p = e->cur;
		while (p && is_space(e->buf[p - 1]))
			p--;
		while (p && !is_space(e->buf[p - 1]))
			p = prev_cluster(e, p);
		delete_range(e, p, e->cur);
		return LE_CHANGED;
	}
	default:
		break;
	}
	if (key == K_TAB)
		key = ' ';
	if (key < 32 || key == 127 || key >= KEY_SPECIAL)
		return LE_IGNORED;
	char u[4];
	size_t n;
	unsigned c = (unsigned)key;
	if (c < 0x80) { u[0] = (char)c; n = 1; }
	else if (c < 0x800) { u[0] = (char)(0xc0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3f)); n = 2; }
	else if (c < 0x10000) { u[0] = (char)(0xe0 | c >> 12); u[1] = (char)(0x80 | (c >> 6 & 0x3f)); u[2] = (char)(0x80 | (c & 0x3f)); n = 3; }
	else { u[0] = (char)(0xf0 | c >> 18); u[1] = (char)(0x80 | (c >> 12 & 0x3f)); u[2] = (char)(0x80 | (c >> 6 & 0x3f)); u[3] = (char)(0x80 | (c & 0x3f)); n = 4; }
	reserve(e, e->len + n);
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, u, n);
	e->len += n;
	/* a combining mark joins the cluster before: keep the cursor after
	 * the whole cluster */
	e->cur = next_cluster(e, prev_cluster(e, e->cur + n));
	return LE_CHANGED;
}

int le_draw(const struct lineedit *e, int y, int x, int w, unsigned long attr)
{
	if (w <= 0)
		return x;
	/* width before the cursor decides the first cluster shown */
	struct rs_cluster c;
	size_t p = 0;
	int before = 0;
	while (p < e->cur) {
		p = rs_next(e->buf, e->len, p, &c);
		before += c.kind == RS_TAB ? 1 : c.width;
	}
	size_t start = 0;
	int skip = before - (w - 1);
	while (skip > 0 && start < e->len) {
		start = rs_next(e->buf, e->len, start, &c);
		skip -= c.kind == RS_TAB ? 1 : c.width;
	}
	int col = 0, curcol = -1;
	p = start;
	draw_fill(y, x, w, (attr_t)attr);
	while (p < e->len) {
		if (p == e->cur)
			curcol = col;
		size_t nx = rs_next(e->buf, e->len, p, &c);
		char g[RS_GLYPH_MAX];
		int ph = 0;
		int cw = c.width;
		if (c.kind == RS_TAB || c.kind == RS_NEWLINE) {
			strcpy(g, " ");
			cw = 1;
		} else
			rs_glyph(e->buf, &c, g, &ph);
		if (col + cw > w)
			break;
		if (cw > 0 && g[0]) {
			attrset(ph ? (attr_t)attr | style(ST_PLACEHOLDER) : (attr_t)attr);
			mvaddstr(y, x + col, g);
		}
		col += cw;
		p = nx;
	}
	attrset(A_NORMAL);
	if (curcol < 0)
		curcol = col < w ? col : w - 1;
	return x + curcol;
}
