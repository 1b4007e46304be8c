/* view_map.c — the summary's Mermaid concept map full-screen: the canvas
 * of render/mermaid/layout.h panned in the window; nodes focused in
 * reading order (Tab), found by label (/), the focused node and its edges
 * highlighted and the rest dimmed (each canvas cell knows its owner);
 * Enter shows a node's whole label and its edges, each a jump; o switches
 * to the outline of render/mermaid/outline.h. A map that does not parse
 * shows the parser's message and the source; one the parser had to guess
 * at (warnings) is drawn with every message of the parser below it; lines
 * only mermaid-js rejects (notes, which change nothing drawn) are counted
 * in one row. h/l pan half a screen; y copies the map's source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "render/find.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/mermaid.h"
#include "render/mermaid/outline.h"
#include "render/sanitize.h"
#include "tui/app/extern.h"
#include "tui/app/view.h"

struct map {
	char *src;
	size_t len;
	char *title;
	struct mm_graph g;
	int parsed;
	struct mm_layout lay;
	int laid;
	struct mm_error err;
	int ascii;
	int ox, oy, vw, vh;
	int focus;                /* node index, -1 none */
	int *order;               /* nodes in reading order */
	size_t norder;
	int outline;              /* showing the outline */
	struct mm_outline ol;
	int have_ol;
	size_t ocur, otop;
	char *query;              /* last node search */
	/* the source, when it does not parse */
	char **srclines;
	size_t nsrc, stop;
};

/* The rows under the canvas for the parser's messages (0 when none):
 * at most a third of the area, one title row and a row per problem. The
 * notes (lines only mermaid-js rejects, which change nothing drawn) take
 * one row between them: the title when there is no problem. */
static int problem_rows(const struct map *m, int h)
{
	if (!m->parsed || !m->g.nwarnings || h < 9)
		return 0;
	size_t np = mm_problems(&m->g);
	int want = 1 + (int)np + (np && np < m->g.nwarnings), max = h / 3;
	return want < max ? want : max;
}

static void draw_problems(const struct map *m, struct rect r)
{
	char t[240];
	size_t np = mm_problems(&m->g), nn = m->g.nwarnings - np;
	if (np)
		snprintf(t, sizeof t, "The parser had to guess: %zu problem%s (the map above is its best reading)",
		         np, np == 1 ? "" : "s");
	else   /* notes only: precis guessed nothing */
		snprintf(t, sizeof t, "mermaid-js rejects %zu line%s of this map (precis mermaid --id "
		         "names them)", nn, nn == 1 ? "" : "s");
	draw_fill(r.y, r.x, r.w, style(ST_TITLE));
	draw_text(r.y, r.x + 1, r.w - 2, t, style(ST_TITLE) | A_BOLD);
	int rows = r.h - 1 - (np && nn);   /* for the problems */
	size_t w = 0;
	for (int i = 1; i < r.h; i++) {
		draw_fill(r.y + i, r.x, r.w, A_NORMAL);
		char line[400];
		if (i > rows) {
			snprintf(line, sizeof line, "and %zu line%s only mermaid-js rejects (precis mermaid --id "
			         "names them)", nn, nn == 1 ? "" : "s");
			draw_text(r.y + i, r.x + 1, r.w - 2, line, style(ST_ERROR));
			continue;
		}
		while (w < m->g.nwarnings && m->g.warnings[w].note)
			w++;
		if (w >= m->g.nwarnings)
			continue;
		if (i == rows && (size_t)i < np)
			snprintf(line, sizeof line, "… and %zu more (precis mermaid --id shows them all)",
			         np - (size_t)i + 1);
		else
			snprintf(line, sizeof line, "line %d, column %d: %s", m->g.warnings[w].line,
			         m->g.warnings[w].column, m->g.warnings[w].message);
		draw_text(r.y + i, r.x + 1, r.w - 2, line, style(ST_ERROR));
		w++;
	}
}

/* ---- node order and focus ------------------------------------------- */

static struct map *sort_ctx;

static int by_position(const void *a, const void *b)
{
	const struct mm_box *x = &sort_ctx->lay.nodes[*(const int *)a].box;
	const struct mm_box *y = &sort_ctx->lay.nodes[*(const int *)b].box;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

static void make_order(struct map *m)
{
	free(m->order);
	m->order = xmalloc((m->g.nnodes + 1) * sizeof *m->order);
	m->norder = 0;
	for (size_t i = 0; i < m->g.nnodes; i++)
		if (!m->laid || m->lay.nodes[i].box.w > 0)
			m->order[m->norder++] = (int)i;
	if (m->laid) {
		sort_ctx = m;
		qsort(m->order, m->norder, sizeof *m->order, by_position);
	}
}

static void clamp(struct map *m)
{
	int w = m->laid ? m->lay.width : 0, h = m->laid ? m->lay.height : 0;
	if (m->ox > w - m->vw) m->ox = w - m->vw;
	if (m->oy > h - m->vh) m->oy = h - m->vh;
	if (m->ox < 0) m->ox = 0;
	if (m->oy < 0) m->oy = 0;
}

/* Scrolls so node i is in view (centred when it must move). */
static void show_node(struct map *m, int i)
{
	if (!m->laid || i < 0 || m->vw <= 0)
		return;
	const struct mm_box *b = &m->lay.nodes[i].box;
	if (b->x < m->ox || b->x + b->w > m->ox + m->vw)
		m->ox = b->x + b->w / 2 - m->vw / 2;
	if (b->y < m->oy || b->y + b->h > m->oy + m->vh)
		m->oy = b->y + b->h / 2 - m->vh / 2;
	clamp(m);
}

static void set_focus(struct map *m, int i)
{
	m->focus = i;
	if (i >= 0) {
		char buf[200];
		size_t len;
		char *clean = rs_clean_line(m->g.nodes[i].label, strlen(m->g.nodes[i].label), &len);
		snprintf(buf, sizeof buf, "%s", clean);
		free(clean);
		app_status("node: %s  (%s: its edges)", buf, keymap_key(KC_MAP, ACT_OPEN));
		show_node(m, i);
	}
}

static void step_focus(struct map *m, int dir)
{
	if (!m->norder)
		return;
	size_t pos = 0;
	int found = 0;
	for (size_t k = 0; k < m->norder; k++)
		if (m->order[k] == m->focus) {
			pos = k;
			found = 1;
		}
	if (!found)
		pos = dir > 0 ? 0 : m->norder - 1;
	else
		pos = (pos + m->norder + (size_t)(dir > 0 ? 1 : -1)) % m->norder;
	set_focus(m, m->order[pos]);
}

/* Finds the next node (in reading order after the focus) whose label
 * holds q; dir -1 backwards. */
static void find_node(struct map *m, const char *q, int dir)
{
	if (!q || !*q || !m->norder)
		return;
	size_t start = 0;
	for (size_t k = 0; k < m->norder; k++)
		if (m->order[k] == m->focus)
			start = k + 1;
	if (dir < 0)
		start = start >= 2 ? start - 2 : m->norder - 1 + start;
	for (size_t t = 0; t < m->norder; t++) {
		size_t k = dir > 0 ? (start + t) % m->norder : (start + m->norder - t) % m->norder;
		const char *l = m->g.nodes[m->order[k]].label;
		struct rf_index *ix = rf_index_new(l, strlen(l));
		struct rl_range *h;
		size_t n = rf_find(ix, q, strlen(q), &h);
		free(h);
		rf_index_free(ix);
		if (n) {
			set_focus(m, m->order[k]);
			if (m->outline && m->have_ol)
				for (size_t j = 0; j < m->ol.nlines; j++)
					if (m->ol.lines[j].kind == MM_OUTLINE_NODE && m->ol.lines[j].index == m->focus)
						m->ocur = j;
			return;
		}
	}
	app_status("no node label holds \"%s\"", q);
}

static void find_done(void *ctx, const char *text)
{
	struct map *m = ctx;
	if (!text || !*text)
		return;
	free(m->query);
	m->query = xstrdup(text);
	find_node(m, text, 1);
}

/* ---- building ------------------------------------------------------- */

static void build_outline(struct map *m)
{
	if (m->have_ol)
		mm_outline_free(&m->ol);
	mm_outline_build(&m->g, m->ascii, &m->ol);
	m->have_ol = 1;
}

static int relayout(struct map *m)
{
	if (m->laid) {
		mm_layout_free(&m->lay);
		m->laid = 0;
	}
	struct mm_layout_opts o = { .direction = -1, .ascii = m->ascii != 0 };
	if (mm_layout_build(&m->g, &o, &m->lay, &m->err) == 0)
		m->laid = 1;
	make_order(m);
	return m->laid ? 0 : -1;
}

/* ---- node details (an overlay) -------------------------------------- */

struct node_item { char *text; int target; int heading; };

struct details {
	struct map *m;
	struct node_item *items;
	size_t n, cur, top;
	int h;
};

static void details_add(struct details *d, char *text, int target, int heading)
{
	d->items = xrealloc(d->items, (d->n + 1) * sizeof *d->items);
	d->items[d->n++] = (struct node_item){ text, target, heading };
}

/* Node index an edge end stands for (a subgraph end: -1). */
static int end_node(const struct mm_ref *r)
{
	return r->is_subgraph ? -1 : r->index;
}

static char *end_name(const struct map *m, const struct mm_ref *r)
{
	const char *s = r->is_subgraph ? m->g.subgraphs[r->index].title : m->g.nodes[r->index].label;
	size_t len;
	return rs_clean_line(s, strlen(s), &len);
}

static void details_draw(struct view *v, struct rect r)
{
	struct details *d = v->priv;
	int w = r.w > 70 ? 66 : r.w - 2;
	int x = r.x + (r.w - w) / 2;
	int h = (int)d->n + 3;
	if (h > r.h - 2)
		h = r.h - 2;
	if (h < 3)
		h = r.h;
	int y = r.y + (r.h - h) / 2;
	d->h = h - 2;
	if (d->cur < d->top)
		d->top = d->cur;
	if (d->cur >= d->top + (size_t)d->h)
		d->top = d->cur - (size_t)d->h + 1;
	for (int i = 0; i < h; i++)
		draw_box_edges(y + i, x, w);
	draw_fill(y, x, w, style(ST_BAR));
	char head[200];
	snprintf(head, sizeof head, "Node — %s jumps along an edge, %s closes", keymap_key(KC_NODE, ACT_OPEN),
	         keymap_key(KC_NODE, ACT_BACK));
	draw_text(y, x + 1, w - 2, head, style(ST_BAR) | A_BOLD);
	for (int i = 0; i < h - 1; i++) {
		size_t k = d->top + (size_t)i;
		attr_t at = A_NORMAL;
		if (k < d->n && d->items[k].heading)
			at = style(ST_HEADING);
		if (k == d->cur && k < d->n && d->items[k].target >= 0)
			at = style(ST_CURSOR);
		draw_fill(y + 1 + i, x, w, at);
		if (k < d->n && i < d->h)
			draw_text(y + 1 + i, x + 1, w - 2, d->items[k].text, at);
	}
}

static void details_move(struct details *d, int dir)
{
	size_t k = d->cur;
	for (;;) {
		if (dir > 0 ? k + 1 >= d->n : k == 0)
			return;
		k = dir > 0 ? k + 1 : k - 1;
		if (d->items[k].target >= 0) {
			d->cur = k;
			return;
		}
	}
}

static int details_request(struct view *v, enum action a)
{
	struct details *d = v->priv;
	switch (a) {
	case ACT_MOVE_DOWN: case ACT_PAGE_DOWN: case ACT_LAST: details_move(d, 1); return VR_DONE;
	case ACT_MOVE_UP: case ACT_PAGE_UP: case ACT_FIRST: details_move(d, -1); return VR_DONE;
	case ACT_OPEN:
		if (d->cur < d->n && d->items[d->cur].target >= 0) {
			set_focus(d->m, d->items[d->cur].target);
			return VR_CLOSE;
		}
		return VR_DONE;
	default:
		return VR_UNHANDLED;
	}
}

static void details_close(struct view *v)
{
	struct details *d = v->priv;
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	free(d);
}

static const struct view_ops details_ops = {
	.name = "node",
	.ctx = KC_NODE,
	.overlay = 1,
	.draw = details_draw,
	.request = details_request,
	.close = details_close,
};

static void open_details(struct map *m, int node)
{
	struct details *d = xcalloc(1, sizeof *d);
	d->m = m;
	const struct mm_node *nd = &m->g.nodes[node];
	/* the label whole, one item per line of it */
	const char *l = nd->label;
	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		size_t len;
		details_add(d, rs_clean_line(l, n, &len), -1, 1);
		l += n + (e ? 1 : 0);
	}
	const char *arrow = m->ascii ? "->" : "→", *back = m->ascii ? "<-" : "←";
	for (int pass = 0; pass < 2; pass++) {
		details_add(d, xstrdup(pass ? "incoming:" : "outgoing:"), -1, 0);
		size_t before = d->n;
		for (size_t e = 0; e < m->g.nedges; e++) {
			const struct mm_edge *ed = &m->g.edges[e];
			const struct mm_ref *me = pass ? &ed->to : &ed->from;
			const struct mm_ref *other = pass ? &ed->from : &ed->to;
			if (me->is_subgraph || me->index != node)
				continue;
			char *name = end_name(m, other);
			char *lab = NULL;
			size_t ll;
			if (ed->label)
				lab = rs_clean_line(ed->label, strlen(ed->label), &ll);
			size_t cap = strlen(name) + (lab ? strlen(lab) : 0) + 16;
			char *t = xmalloc(cap);
			snprintf(t, cap, "  %s %s%s%s%s", pass ? back : arrow, name, lab ? " (" : "",
			         lab ? lab : "", lab ? ")" : "");
			free(name);
			free(lab);
			details_add(d, t, end_node(other), 0);
		}
		if (d->n == before)
			details_add(d, xstrdup("  (none)"), -1, 0);
	}
	d->cur = 0;
	details_move(d, 1);
	app_push(&details_ops, d);
}

/* ---- the map view --------------------------------------------------- */

/* Style of canvas cell c under the current focus. */
static attr_t cell_attr(const struct map *m, const struct mm_cell *c)
{
	int f = m->focus;
	switch (c->kind) {
	case MM_CELL_NODE: case MM_CELL_NODE_TEXT:
		if (f < 0)
			return c->kind == MM_CELL_NODE_TEXT ? A_BOLD : A_NORMAL;
		return c->owner == f ? style(ST_NODE) : A_DIM;
	case MM_CELL_EDGE: case MM_CELL_ARROW: case MM_CELL_EDGE_LABEL: {
		if (f < 0)
			return c->kind == MM_CELL_EDGE_LABEL ? style(ST_CODE) : A_NORMAL;
		if (c->owner < 0 || (size_t)c->owner >= m->g.nedges)
			return A_DIM;
		const struct mm_edge *e = &m->g.edges[c->owner];
		const struct mm_edge_layout *el = &m->lay.edges[c->owner];
		int mine = (!e->from.is_subgraph && e->from.index == f) ||
		           (!e->to.is_subgraph && e->to.index == f) ||
		           el->attach_from == f || el->attach_to == f;
		return mine ? style(ST_EDGE) : A_DIM;
	}
	case MM_CELL_TITLE:
		return f < 0 ? A_BOLD : A_DIM;
	case MM_CELL_SUBGRAPH:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

static void draw_canvas(struct map *m, struct rect r)
{
	m->vw = r.w;
	m->vh = r.h;
	clamp(m);
	char g[64];
	for (int y = 0; y < r.h; y++) {
		draw_fill(r.y + y, r.x, r.w, A_NORMAL);
		for (int x = 0; x < r.w; x++) {
			const struct mm_cell *c = mm_canvas_at(&m->lay.canvas, m->ox + x, m->oy + y);
			if (!c || c->kind == MM_CELL_EMPTY || !c->cp)
				continue;
			if (c->flags & MM_CELL_CONT)
				continue;
			if ((c->flags & MM_CELL_WIDE) && x + 1 >= r.w)
				continue;   /* half a wide glyph at the edge: leave blank */
			size_t n = mm_cell_utf8(&m->lay.canvas, c, g, sizeof g);
			if (!n)
				continue;
			/* the canvas holds label text: make it safe like any text */
			struct rs_cluster cl;
			rs_next(g, n, 0, &cl);
			char safe[RS_GLYPH_MAX];
			int ph = 0;
			if (cl.kind == RS_SPACE)
				snprintf(safe, sizeof safe, " ");
			else if (cl.kind != RS_TEXT || (int)cl.width != ((c->flags & MM_CELL_WIDE) ? 2 : 1))
				snprintf(safe, sizeof safe, "%s", (c->flags & MM_CELL_WIDE) ? "??" : "?");
			else
				rs_glyph(g, &cl, safe, &ph);
			attrset(cell_attr(m, c));
			mvaddstr(r.y + y, r.x + x, safe);
		}
	}
	attrset(A_NORMAL);
}

static void draw_outline(struct map *m, struct rect r)
{
	if (!m->have_ol)
		build_outline(m);
	m->vh = r.h;
	if (m->ocur >= m->ol.nlines)
		m->ocur = m->ol.nlines ? m->ol.nlines - 1 : 0;
	if (m->ocur < m->otop)
		m->otop = m->ocur;
	if (m->ocur >= m->otop + (size_t)r.h)
		m->otop = m->ocur - (size_t)r.h + 1;
	for (int i = 0; i < r.h; i++) {
		size_t k = m->otop + (size_t)i;
		draw_fill(r.y + i, r.x, r.w, A_NORMAL);
		if (k >= m->ol.nlines)
			continue;
		const struct mm_outline_line *l = &m->ol.lines[k];
		int ind = 2 * (l->depth < MM_OUTLINE_MAX_INDENT ? l->depth : MM_OUTLINE_MAX_INDENT);
		attr_t at = l->kind == MM_OUTLINE_SUBGRAPH ? style(ST_HEADING)
		          : l->kind == MM_OUTLINE_NODE ? A_BOLD : A_NORMAL;
		if (k == m->ocur)
			at = style(ST_CURSOR);
		if (ind >= r.w - 1)
			ind = 0;
		draw_text(r.y + i, r.x + 1 + ind, r.w - 2 - ind, l->text, at);
	}
}

static void draw_source(struct map *m, struct rect r)
{
	char msg[400];
	snprintf(msg, sizeof msg, "The map does not parse: %s%s%s", m->err.line ? "line " : "",
	         "", m->err.message);
	if (m->err.line)
		snprintf(msg, sizeof msg, "The map does not parse (line %d, column %d): %s",
		         m->err.line, m->err.column, m->err.message);
	draw_fill(r.y, r.x, r.w, A_NORMAL);
	draw_text(r.y, r.x + 1, r.w - 2, msg, style(ST_ERROR));
	if (r.h > 1)
		draw_fill(r.y + 1, r.x, r.w, A_NORMAL);   /* the view below must not show through */
	m->vh = r.h - 2;
	for (int i = 0; i + 2 < r.h; i++) {
		size_t k = m->stop + (size_t)i;
		draw_fill(r.y + 2 + i, r.x, r.w, A_NORMAL);
		if (k >= m->nsrc)
			continue;
		char num[32];
		snprintf(num, sizeof num, "%4zu ", k + 1);
		attr_t at = (int)k + 1 == m->err.line ? style(ST_ERROR) : A_NORMAL;
		draw_text(r.y + 2 + i, r.x, 5, num, style(ST_GUTTER));
		draw_text(r.y + 2 + i, r.x + 5, r.w - 5, m->srclines[k], at);
	}
}

static void map_draw(struct view *v, struct rect r)
{
	struct map *m = v->priv;
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	char head[300];
	snprintf(head, sizeof head, "Concept map%s — %s", m->outline ? " (outline)" : "",
	         m->title ? m->title : "");
	draw_text(r.y, r.x + 1, r.w - 2, head, style(ST_BAR) | A_BOLD);
	struct rect b = { r.y + 1, r.x, r.h - 1, r.w };
	if (b.h < 1)
		return;
	int pr = problem_rows(m, b.h);
	if (pr) {
		b.h -= pr;
		draw_problems(m, (struct rect){ b.y + b.h, b.x, pr, b.w });
	}
	if (!m->parsed)
		draw_source(m, b);
	else if (m->outline || !m->laid)
		draw_outline(m, b);
	else
		draw_canvas(m, b);
}

static void scroll_source(struct map *m, long d)
{
	long t = (long)m->stop + d;
	long max = (long)m->nsrc - m->vh;
	if (t > max) t = max;
	if (t < 0) t = 0;
	m->stop = (size_t)t;
}

static void outline_move(struct map *m, long d)
{
	long c = (long)m->ocur + d;
	if (c < 0) c = 0;
	if (m->ol.nlines && c >= (long)m->ol.nlines) c = (long)m->ol.nlines - 1;
	m->ocur = (size_t)c;
}

static int map_request(struct view *v, enum action a)
{
	struct map *m = v->priv;
	int page = m->vh > 1 ? m->vh - 1 : 1;
	if (a == ACT_COPY) {   /* the map's source, as the summary holds it */
		ext_copy(m->src, m->len);
		return VR_DONE;
	}
	if (!m->parsed) {
		switch (a) {
		case ACT_MOVE_DOWN: scroll_source(m, 1); return VR_DONE;
		case ACT_MOVE_UP: scroll_source(m, -1); return VR_DONE;
		case ACT_PAGE_DOWN: case ACT_HALF_DOWN: scroll_source(m, page); return VR_DONE;
		case ACT_PAGE_UP: case ACT_HALF_UP: scroll_source(m, -page); return VR_DONE;
		case ACT_FIRST: m->stop = 0; return VR_DONE;
		case ACT_LAST: scroll_source(m, (long)m->nsrc); return VR_DONE;
		default: return VR_UNHANDLED;
		}
	}
	if (m->outline || !m->laid) {
		if (!m->have_ol)
			build_outline(m);
		switch (a) {
		case ACT_MOVE_DOWN: case ACT_NODE_NEXT: outline_move(m, 1); return VR_DONE;
		case ACT_MOVE_UP: case ACT_NODE_PREV: outline_move(m, -1); return VR_DONE;
		case ACT_PAGE_DOWN: case ACT_HALF_DOWN: outline_move(m, page); return VR_DONE;
		case ACT_PAGE_UP: case ACT_HALF_UP: outline_move(m, -page); return VR_DONE;
		case ACT_FIRST: m->ocur = 0; return VR_DONE;
		case ACT_LAST: outline_move(m, (long)m->ol.nlines); return VR_DONE;
		case ACT_OPEN: case ACT_OUTLINE: {
			if (!m->laid) {
				app_status("the map cannot be drawn (%s): the outline is all there is", m->err.message);
				return VR_DONE;
			}
			if (m->ocur < m->ol.nlines) {
				const struct mm_outline_line *l = &m->ol.lines[m->ocur];
				int node = l->kind == MM_OUTLINE_NODE ? l->index
				         : l->kind == MM_OUTLINE_EDGE ? end_node(&m->g.edges[l->index].from) : -1;
				m->outline = 0;
				if (node >= 0)
					set_focus(m, node);
			} else {
				m->outline = 0;
			}
			return VR_DONE;
		}
		case ACT_TOGGLE_ASCII:
			m->ascii = !m->ascii;
			build_outline(m);
			if (m->laid)
				mm_layout_draw(&m->g, &m->lay, m->ascii);
			return VR_DONE;
		case ACT_FIND:
			app_prompt("/ node: ", "", find_done, m);
			return VR_DONE;
		case ACT_FIND_NEXT: find_node(m, m->query, 1); return VR_DONE;
		case ACT_FIND_PREV: find_node(m, m->query, -1); return VR_DONE;
		default: return VR_UNHANDLED;
		}
	}
	switch (a) {
	case ACT_MOVE_DOWN: m->oy++; break;
	case ACT_MOVE_UP: m->oy--; break;
	/* a wide map pans half a screen a key (4 columns was a crawl) */
	case ACT_MOVE_LEFT: m->ox -= m->vw / 2 > 4 ? m->vw / 2 : 4; break;
	case ACT_MOVE_RIGHT: m->ox += m->vw / 2 > 4 ? m->vw / 2 : 4; break;
	case ACT_PAGE_DOWN: m->oy += page; break;
	case ACT_PAGE_UP: m->oy -= page; break;
	case ACT_HALF_DOWN: m->oy += m->vh / 2; break;
	case ACT_HALF_UP: m->oy -= m->vh / 2; break;
	case ACT_FIRST: m->oy = 0; break;
	case ACT_LAST: m->oy = m->lay.height; break;
	case ACT_LINE_START: m->ox = 0; break;
	case ACT_LINE_END: m->ox = m->lay.width; break;
	case ACT_TOGGLE_ASCII:
		m->ascii = !m->ascii;
		mm_layout_draw(&m->g, &m->lay, m->ascii);
		if (m->have_ol)
			build_outline(m);
		app_status(m->ascii ? "ASCII drawing" : "Unicode drawing");
		break;
	case ACT_NODE_NEXT: step_focus(m, 1); break;
	case ACT_NODE_PREV: step_focus(m, -1); break;
	case ACT_FIND: app_prompt("/ node: ", "", find_done, m); break;
	case ACT_FIND_NEXT: find_node(m, m->query, 1); break;
	case ACT_FIND_PREV: find_node(m, m->query, -1); break;
	case ACT_OPEN:
		if (m->focus < 0)
			app_status("%s focuses a node first (or %s finds one)", keymap_key(KC_MAP, ACT_NODE_NEXT),
			           keymap_key(KC_MAP, ACT_FIND));
		else
			open_details(m, m->focus);
		break;
	case ACT_EVIDENCE: {
		/* back in the reader, on the node's passage */
		struct view *below = app_below(v);
		if (m->focus < 0) {
			app_status("%s focuses a node first (or %s finds one)", keymap_key(KC_MAP, ACT_NODE_NEXT),
			           keymap_key(KC_MAP, ACT_FIND));
			break;
		}
		if (!below || !below->ops || !below->ops->show_node) {
			app_status("evidence is shown in the reader: open the map from there (m)");
			break;
		}
		below->ops->show_node(below, m->g.nodes[m->focus].id);
		return VR_CLOSE;
	}
	case ACT_OUTLINE:
		if (!m->have_ol)
			build_outline(m);
		m->outline = 1;
		for (size_t j = 0; j < m->ol.nlines; j++)
			if (m->ol.lines[j].kind == MM_OUTLINE_NODE && m->ol.lines[j].index == m->focus)
				m->ocur = j;
		break;
	default:
		return VR_UNHANDLED;
	}
	clamp(m);
	return VR_DONE;
}

static void map_status(struct view *v, char *buf, size_t n)
{
	struct map *m = v->priv;
	if (!m->parsed)
		return;
	char warn[48] = "";
	if (m->g.nwarnings)
		snprintf(warn, sizeof warn, " · %zu warning%s", m->g.nwarnings, m->g.nwarnings == 1 ? "" : "s");
	if (m->laid)
		snprintf(buf, n, "%zu nodes · %d×%d%s · %d,%d", m->g.nnodes, m->lay.width, m->lay.height,
		         warn, m->ox, m->oy);
	else
		snprintf(buf, n, "%zu nodes%s", m->g.nnodes, warn);
}

static void map_mouse(struct view *v, int y, int x, int button)
{
	struct map *m = v->priv;
	if (!m->parsed || m->outline || !m->laid)
		return;
	if (button == 4)
		m->oy -= 3;
	else if (button == 5)
		m->oy += 3;
	else if (button == 1) {
		const struct mm_cell *c = mm_canvas_at(&m->lay.canvas, m->ox + x - v->area.x,
		                                       m->oy + y - v->area.y - 1);
		if (c && (c->kind == MM_CELL_NODE || c->kind == MM_CELL_NODE_TEXT))
			set_focus(m, c->owner);
	}
	clamp(m);
}

static void map_close(struct view *v)
{
	struct map *m = v->priv;
	if (m->laid)
		mm_layout_free(&m->lay);
	if (m->parsed)
		mm_graph_free(&m->g);
	if (m->have_ol)
		mm_outline_free(&m->ol);
	for (size_t i = 0; i < m->nsrc; i++)
		free(m->srclines[i]);
	free(m->srclines);
	free(m->order);
	free(m->query);
	free(m->src);
	free(m->title);
	free(m);
}

static const struct view_ops map_ops = {
	.name = "map",
	.ctx = KC_MAP,
	.draw = map_draw,
	.request = map_request,
	.mouse = map_mouse,
	.status = map_status,
	.close = map_close,
};

struct view *map_open(const char *src, size_t len, const char *title)
{
	struct map *m = xcalloc(1, sizeof *m);
	m->src = xstrndup(src, len);
	m->len = len;
	m->title = title ? xstrdup(title) : NULL;
	m->focus = -1;
	m->ascii = !A->utf8 || A->ascii_map;
	if (mm_parse(src, len, &m->g, &m->err) == 0) {
		m->parsed = 1;
		if (relayout(m) != 0) {
			build_outline(m);
			app_error("the map cannot be drawn (%s): showing its outline", m->err.message);
		}
	} else {
		/* the source, line by line, under the parser's message */
		const char *p = src, *end = src + len;
		while (p < end) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
			m->srclines = xrealloc(m->srclines, (m->nsrc + 1) * sizeof *m->srclines);
			m->srclines[m->nsrc++] = xstrndup(p, n);
			p += n + 1;
		}
	}
	return app_push(&map_ops, m);
}
