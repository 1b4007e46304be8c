/* pane.c — a wrapped text pane with gutters, mark layers and a cursor
 * line; only the visible lines are turned into cells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "tui/app/pane.h"

void pane_init(struct pane *p, struct rl_doc *doc)
{
	memset(p, 0, sizeof *p);
	p->doc = doc;
	p->cursor = -1;
}

void pane_set_doc(struct pane *p, struct rl_doc *doc)
{
	p->doc = doc;
	size_t len = 0;
	if (doc)
		rl_text(doc, &len);
	if (p->anchor > len)
		p->anchor = len;
	p->text_w = 0;   /* re-wrap on the next layout */
}

int pane_add_gutter(struct pane *p, int width, pane_gutter_fn fn, void *ctx)
{
	if (p->ngutters == PANE_MAX_GUTTERS)
		return -1;
	p->gutters[p->ngutters] = (struct pane_gutter){ width, fn, ctx };
	return p->ngutters++;
}

void pane_set_marks(struct pane *p, int i, const struct rl_range *r, size_t n, enum style st)
{
	if (i < 0 || i >= PANE_MAX_MARKS)
		return;
	p->marks[i] = (struct pane_marks){ r, n, st };
	if (i >= p->nmarks)
		p->nmarks = i + 1;
}

static int gutter_width(const struct pane *p)
{
	int w = 0;
	for (int i = 0; i < p->ngutters; i++)
		w += p->gutters[i].width;
	return w;
}

size_t pane_lines(const struct pane *p)
{
	return p->doc ? rl_count(p->doc) : 0;
}

/* The last possible top line. */
static size_t pane_max_top(const struct pane *p)
{
	size_t n = pane_lines(p);
	return n > (size_t)p->h ? n - (size_t)p->h : 0;
}

/* Lays out for a w×h area (gutters included) keeping the anchor. */
static void pane_layout(struct pane *p, int w, int h)
{
	int tw = w - gutter_width(p);
	if (tw < 1)
		tw = 1;
	p->h = h > 0 ? h : 0;
	if (!p->doc)
		return;
	p->text_w = tw;
	rl_wrap(p->doc, tw);
	p->top = rl_line_at(p->doc, p->anchor);
	if (p->top > pane_max_top(p))
		p->top = pane_max_top(p);   /* the anchor stays: a resize back restores it */
	if (p->want) {
		p->want = 0;
		pane_show_off(p, p->want_off);
	}
}

static void set_top(struct pane *p, size_t k)
{
	if (k > pane_max_top(p))
		k = pane_max_top(p);
	p->top = k;
	const struct rl_line *l = p->doc ? rl_line(p->doc, k) : NULL;
	p->anchor = l ? l->off : 0;
}

void pane_scroll(struct pane *p, long delta)
{
	long k = (long)p->top + delta;
	set_top(p, k < 0 ? 0 : (size_t)k);
}

void pane_goto_line(struct pane *p, size_t k)
{
	set_top(p, k);
}

void pane_show_off(struct pane *p, size_t off)
{
	if (!p->doc)
		return;
	if (!p->text_w || !p->h) {
		/* not laid out yet: when it is */
		p->want = 1;
		p->want_off = off;
		return;
	}
	size_t k = rl_line_at(p->doc, off);
	if (k >= p->top && k < p->top + (size_t)p->h)
		return;
	size_t third = (size_t)p->h / 3;
	set_top(p, k > third ? k - third : 0);
}

void pane_where(const struct pane *p, char *buf, size_t n)
{
	size_t lines = pane_lines(p), mt = pane_max_top(p);
	if (lines <= (size_t)p->h)
		snprintf(buf, n, "All");
	else if (p->top == 0)
		snprintf(buf, n, "Top");
	else if (p->top >= mt)
		snprintf(buf, n, "Bot");
	else
		snprintf(buf, n, "%zu%%", (p->top * 100) / mt);
}

/* Index of the first range of m that ends after off. */
static size_t first_mark(const struct pane_marks *m, size_t off)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->r[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void pane_draw(struct pane *p, struct rect r)
{
	static struct rc_cell *cells;
	static size_t capcells;
	pane_layout(p, r.w, r.h);
	if ((size_t)p->text_w + 1 > capcells) {
		capcells = (size_t)p->text_w + 64;
		cells = xreallocarray(cells, capcells, sizeof *cells);
	}
	for (int i = 0; i < r.h; i++) {
		size_t k = p->top + (size_t)i;
		int y = r.y + i;
		const struct rl_line *ln = p->doc ? rl_line(p->doc, k) : NULL;
		attr_t base = (p->cursor >= 0 && (size_t)p->cursor == k) ? style(ST_CURSOR) : A_NORMAL;
		draw_fill(y, r.x, r.w, base);
		if (!ln)
			continue;
		int gx = r.x;
		for (int g = 0; g < p->ngutters; g++) {
			char buf[64] = "";
			enum style st = ST_GUTTER;
			p->gutters[g].fn(p->gutters[g].ctx, p->doc, k, buf, sizeof buf, &st);
			if (buf[0])
				draw_text(y, gx, p->gutters[g].width, buf, style(st));
			gx += p->gutters[g].width;
		}
		size_t n = rl_cells(p->doc, k, cells, capcells, NULL, 0);
		/* mark layers, in order (later ones win) */
		for (int m = 0; m < p->nmarks; m++) {
			const struct pane_marks *mk = &p->marks[m];
			if (!mk->n)
				continue;
			size_t j = first_mark(mk, ln->off);
			for (size_t c = 0; c < n && j < mk->n; c++) {
				while (j < mk->n && mk->r[j].end <= cells[c].off)
					j++;
				if (j < mk->n && mk->r[j].off <= cells[c].off && cells[c].off < mk->r[j].end &&
				    cells[c].off >= ln->off && !(cells[c].col < ln->indent))
					cells[c].attr = (uint16_t)((cells[c].attr & ~RC_HIGHLIGHT) | 0x8000u | (m << 12));
			}
		}
		/* draw: cells carrying a mark get that layer's style; runs of
		 * adjacent cells with one style go out in one call (a cell per
		 * call cost ~10 ms for a 160x48 screen under load) */
		char run[4096];
		size_t rl = 0;
		int run_col = 0, next_col = 0;
		attr_t run_at = 0;
		for (size_t c = 0; c <= n; c++) {
			int end = c == n || cells[c].col + cells[c].width > p->text_w;
			attr_t at = 0;
			if (!end) {
				if (cells[c].attr & 0x8000u) {
					int m = (cells[c].attr >> 12) & 3;
					at = style(p->marks[m].st) | (style_cell(cells[c].attr & 0x0fffu) & (A_BOLD | A_UNDERLINE));
				} else {
					at = base | style_cell(cells[c].attr);
				}
			}
			int blank = !end && (!cells[c].len || (cells[c].text[0] == ' ' && cells[c].width > 1));
			/* batching needs curses to agree on widths: UTF-8 locales
			 * only (terminal-safe glyphs); otherwise a cell per call */
			if (rl && (end || blank || at != run_at || cells[c].col != next_col ||
			           !A->utf8 || rl + cells[c].len + 1 >= sizeof run)) {
				attrset(run_at);
				mvaddnstr(y, gx + run_col, run, (int)rl);
				rl = 0;
			}
			if (end)
				break;
			if (blank) {
				draw_fill(y, gx + cells[c].col, cells[c].width, at);
				continue;
			}
			if (!rl) {
				run_col = cells[c].col;
				run_at = at;
			}
			memcpy(run + rl, cells[c].text, cells[c].len);
			rl += cells[c].len;
			next_col = cells[c].col + cells[c].width;
		}
		attrset(A_NORMAL);
	}
}
