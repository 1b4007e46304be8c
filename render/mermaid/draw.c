/* draw.c — draws a Mermaid layout onto its canvas of cells, in
 * Unicode box drawing or pure ASCII, and turns the canvas into text.
 *
 * Lines are drawn from a per-cell mask of directions (N E S W), so corners,
 * junctions and crossings come out of the geometry; a wide character takes
 * its cell plus a continuation cell.
 */
#include "render/mermaid/layout_int.h"
#include "render/width.h"

#include <stdlib.h>
#include <string.h>

enum { DN = 1, DE = 2, DS = 4, DW = 8 };
enum { ST_LIGHT, ST_HEAVY, ST_DOTTED };

static const uint32_t G_LIGHT[16] = {
	' ', 0x2575, 0x2576, 0x2514, 0x2577, 0x2502, 0x250C, 0x251C,
	0x2574, 0x2518, 0x2500, 0x2534, 0x2510, 0x2524, 0x252C, 0x253C };
static const uint32_t G_HEAVY[16] = {
	' ', 0x2579, 0x257A, 0x2517, 0x257B, 0x2503, 0x250F, 0x2523,
	0x2578, 0x251B, 0x2501, 0x253B, 0x2513, 0x252B, 0x2533, 0x254B };
static const char G_ASCII[16] = {
	' ', '|', '-', '+', '|', '|', '+', '+', '-', '+', '-', '+', '+', '+', '+', '+' };

static struct mm_cell *cell(struct mm_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->width || y >= c->height) return NULL;
	return &c->cells[(size_t)y * (size_t)c->width + (size_t)x];
}

const struct mm_cell *mm_canvas_at(const struct mm_canvas *c, int x, int y)
{
	if (!c || x < 0 || y < 0 || x >= c->width || y >= c->height) return NULL;
	return &c->cells[(size_t)y * (size_t)c->width + (size_t)x];
}

static uint32_t pool_add(struct mm_canvas *c, const char *s, size_t n)
{
	if (c->pool_len + n + 1 > c->pool_cap) {
		c->pool_cap = (c->pool_len + n + 1) * 2 + 64;
		c->pool = ml_realloc(c->pool, c->pool_cap, 1);
	}
	memcpy(c->pool + c->pool_len, s, n);
	c->pool[c->pool_len + n] = 0;
	uint32_t off = (uint32_t)c->pool_len + 1;
	c->pool_len += n + 1;
	return off;
}

static void put(struct mm_canvas *c, int x, int y, uint32_t cp, int kind, int owner)
{
	struct mm_cell *k = cell(c, x, y);
	if (!k) return;
	/* overwriting half of a wide glyph blanks its other half */
	if (k->flags & MM_CELL_CONT) {
		struct mm_cell *l = cell(c, x - 1, y);
		if (l) { l->cp = ' '; l->ext = 0; l->flags &= (uint8_t)~MM_CELL_WIDE; }
	}
	if (k->flags & MM_CELL_WIDE) {
		struct mm_cell *r = cell(c, x + 1, y);
		if (r) { r->cp = ' '; r->flags &= (uint8_t)~MM_CELL_CONT; }
	}
	k->cp = cp;
	k->ext = 0;
	k->kind = (uint8_t)kind;
	k->owner = owner;
	k->flags &= MM_CELL_CROSS;
}

/* Writes one line of text from x, at most maxw cells; returns cells used. */
static int put_text(struct mm_canvas *c, int x, int y, const char *s, size_t len, int maxw,
                    int kind, int owner)
{
	int used = 0;
	size_t i = 0;
	while (i < len) {
		int w;
		size_t n = ml_cluster(s + i, len - i, &w);
		if (w <= 0) { i += n; continue; }
		if (used + w > maxw) break;
		int32_t cp;
		size_t n1 = rw_decode(s + i, n, &cp);
		put(c, x + used, y, (uint32_t)cp, kind, owner);
		struct mm_cell *k = cell(c, x + used, y);
		if (k && n1 < n) k->ext = pool_add(c, s + i, n);
		if (k && w == 2) {
			k->flags |= MM_CELL_WIDE;
			put(c, x + used + 1, y, 0, kind, owner);
			struct mm_cell *k2 = cell(c, x + used + 1, y);
			if (k2) k2->flags |= MM_CELL_CONT;
		} else if (w > 2) {
			for (int j = 1; j < w; j++) put(c, x + used + j, y, ' ', kind, owner);
		}
		used += w;
		i += n;
	}
	return used;
}

/* Text lines of a wrapped label; calls back per line. */
static void put_lines(struct mm_canvas *c, struct mm_box b, const char *text, int th,
                      bool center, int kind, int owner)
{
	const char *s = text;
	int y0 = center ? b.y + (b.h - th) / 2 : b.y;
	for (int line = 0; s; line++) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		int lw = rw_width(s, len);
		int iw = center ? b.w - 2 : b.w;
		int x0 = center ? b.x + 1 + (iw - lw) / 2 : b.x;
		put_text(c, x0, y0 + line, s, len, center ? b.w - 2 : b.w, kind, owner);
		s = nl ? nl + 1 : NULL;
	}
}

static int dir_between(struct mm_xy a, struct mm_xy b)
{
	if (b.y < a.y) return DN;
	if (b.x > a.x) return DE;
	if (b.y > a.y) return DS;
	return DW;
}

static bool in_box(struct mm_box b, int x, int y)
{
	return x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h;
}

static struct mm_box end_box(const struct mm_graph *g, const struct mm_layout *lay,
                             const struct mm_ref *r, int attach)
{
	if (attach >= 0) return lay->nodes[attach].box;
	if (r->is_subgraph) return lay->subgraphs[r->index].box;
	return lay->nodes[r->index].box;
}

/* Direction from cell p toward the neighbouring cell inside box b (0: none). */
static int toward(struct mm_box b, struct mm_xy p)
{
	if (in_box(b, p.x, p.y - 1)) return DN;
	if (in_box(b, p.x + 1, p.y)) return DE;
	if (in_box(b, p.x, p.y + 1)) return DS;
	if (in_box(b, p.x - 1, p.y)) return DW;
	return 0;
}

static uint32_t arrow_glyph(int d, bool ascii)
{
	switch (d) {
	case DN: return ascii ? '^' : 0x25B2;
	case DE: return ascii ? '>' : 0x25BA;
	case DS: return ascii ? 'v' : 0x25BC;
	default: return ascii ? '<' : 0x25C4;
	}
}

static uint32_t head_glyph(enum mm_head h, int d, bool ascii)
{
	if (h == MM_HEAD_CIRCLE) return 'o';
	if (h == MM_HEAD_CROSS) return 'x';
	return arrow_glyph(d, ascii);
}

enum { B_RECT, B_ROUND, B_DOUBLE, B_DIAMOND };

static int border_kind(enum mm_shape s)
{
	switch (s) {
	case MM_SHAPE_ROUND: case MM_SHAPE_STADIUM: case MM_SHAPE_CIRCLE:
	case MM_SHAPE_DOUBLECIRCLE: case MM_SHAPE_CYLINDER: case MM_SHAPE_ELLIPSE:
		return B_ROUND;
	case MM_SHAPE_SUBROUTINE:
		return B_DOUBLE;
	case MM_SHAPE_DIAMOND: case MM_SHAPE_HEXAGON:
		return B_DIAMOND;
	default:
		return B_RECT;
	}
}

static void draw_box(struct mm_canvas *c, struct mm_box b, int bk, bool ascii, int owner)
{
	uint32_t tl, tr, bl, br, h, v;
	if (ascii) {
		h = '-'; v = '|'; tl = tr = bl = br = '+';
		if (bk == B_ROUND) { tl = tr = '.'; bl = br = '\''; }
		if (bk == B_DOUBLE) { h = '='; }
		if (bk == B_DIAMOND) { tl = br = '/'; tr = bl = '\\'; }
	} else {
		h = 0x2500; v = 0x2502; tl = 0x250C; tr = 0x2510; bl = 0x2514; br = 0x2518;
		if (bk == B_ROUND) { tl = 0x256D; tr = 0x256E; bl = 0x2570; br = 0x256F; }
		if (bk == B_DOUBLE) { h = 0x2550; v = 0x2551; tl = 0x2554; tr = 0x2557; bl = 0x255A; br = 0x255D; }
		if (bk == B_DIAMOND) { tl = br = 0x2571; tr = bl = 0x2572; }
	}
	for (int y = b.y; y < b.y + b.h; y++)
		for (int x = b.x; x < b.x + b.w; x++) {
			uint32_t g = ' ';
			bool top = y == b.y, bot = y == b.y + b.h - 1, lef = x == b.x, rig = x == b.x + b.w - 1;
			if (top && lef) g = tl;
			else if (top && rig) g = tr;
			else if (bot && lef) g = bl;
			else if (bot && rig) g = br;
			else if (top || bot) g = h;
			else if (lef || rig) g = v;
			put(c, x, y, g, MM_CELL_NODE, owner);
		}
}

/* Border glyph where a line leaves a box in direction d. */
static uint32_t junction(int bk, int d, int style, bool ascii)
{
	if (ascii) return '+';
	if (bk == B_DOUBLE)
		return d == DS ? 0x2564 : d == DN ? 0x2567 : d == DE ? 0x255F : 0x2562;
	if (style == ST_HEAVY)
		return d == DS ? 0x2530 : d == DN ? 0x2538 : d == DE ? 0x251D : 0x2525;
	return d == DS ? 0x252C : d == DN ? 0x2534 : d == DE ? 0x251C : 0x2524;
}

static uint32_t line_glyph(int mask, int style, bool ascii)
{
	if (ascii) {
		if (style == ST_DOTTED && mask == (DN | DS)) return ':';
		if (style == ST_DOTTED && mask == (DE | DW)) return '.';
		if (style == ST_HEAVY && mask == (DN | DS)) return '#';
		if (style == ST_HEAVY && mask == (DE | DW)) return '=';
		return (uint32_t)G_ASCII[mask & 15];
	}
	if (style == ST_HEAVY) return G_HEAVY[mask & 15];
	if (style == ST_DOTTED && mask == (DN | DS)) return 0x2506;
	if (style == ST_DOTTED && mask == (DE | DW)) return 0x2504;
	return G_LIGHT[mask & 15];
}

/* Scratch of one drawing: per cell, the line directions (all lines, and
 * edge lines only), the edge's stroke and the first edge there. */
struct dctx {
	const struct mm_graph *g;
	struct mm_layout *lay;
	struct mm_canvas *c;
	int W, H;
	size_t n;
	bool ascii;
	uint8_t *mask, *emask, *style;
	int *eown;
	size_t work;
};

static int stroke_style(const struct mm_edge *ge)
{
	return ge->stroke == MM_STROKE_THICK ? ST_HEAVY : ge->stroke == MM_STROKE_DOTTED ? ST_DOTTED : ST_LIGHT;
}

/* Subgraph borders into the masks (only the border cells: nested boxes
 * would make a scan of their insides quadratic). */
static void draw_subgraph_borders(struct dctx *d)
{
	const struct mm_graph *g = d->g;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!d->lay->subgraphs[s].drawn) continue;
		struct mm_box b = d->lay->subgraphs[s].box;
		for (int y = b.y; y < b.y + b.h; y++) {
			bool inner = y != b.y && y != b.y + b.h - 1;
			for (int x = b.x; x < b.x + b.w; x = inner && x == b.x && b.w > 1 ? b.x + b.w - 1 : x + 1) {
				int m = 0;
				bool top = y == b.y, bot = y == b.y + b.h - 1, lef = x == b.x, rig = x == b.x + b.w - 1;
				if (top || bot) { if (!lef) m |= DW; if (!rig) m |= DE; }
				if (lef || rig) { if (!top) m |= DN; if (!bot) m |= DS; }
				d->work++;
				if (x < 0 || y < 0 || x >= d->W || y >= d->H) continue;
				size_t i = (size_t)y * (size_t)d->W + (size_t)x;
				d->mask[i] |= (uint8_t)m;
				d->c->cells[i].kind = MM_CELL_SUBGRAPH;
				d->c->cells[i].owner = (int32_t)s;
			}
		}
	}
}

/* Edge paths into the masks; counts crossings and the edges drawn. */
static void draw_edge_lines(struct dctx *d)
{
	const struct mm_graph *g = d->g;
	struct mm_layout *lay = d->lay;
	int crossings = 0;
	size_t drawn = 0;
	for (size_t e = 0; e < g->nedges; e++) {
		struct mm_edge_layout *el = &lay->edges[e];
		const struct mm_edge *ge = &g->edges[e];
		if (!el->drawn) continue;
		drawn++;
		if (ge->stroke == MM_STROKE_INVISIBLE) continue;
		int st = stroke_style(ge);
		struct mm_box fb = end_box(g, lay, &ge->from, el->attach_from), tb = end_box(g, lay, &ge->to, el->attach_to);
		d->work += el->ncells;
		for (size_t k = 0; k < el->ncells; k++) {
			struct mm_xy p = el->cells[k];
			if (p.x < 0 || p.y < 0 || p.x >= d->W || p.y >= d->H) continue;
			int m = 0;
			if (k > 0) m |= dir_between(p, el->cells[k - 1]);
			else m |= toward(fb, p);
			if (k + 1 < el->ncells) m |= dir_between(p, el->cells[k + 1]);
			else m |= toward(tb, p);
			size_t i = (size_t)p.y * (size_t)d->W + (size_t)p.x;
			struct mm_cell *cl = &d->c->cells[i];
			if (d->eown[i] >= 0 && d->eown[i] != (int)e) {
				if (!(cl->flags & MM_CELL_CROSS)) crossings++;
				cl->flags |= MM_CELL_CROSS;
				if (d->style[i] != st) d->style[i] = ST_LIGHT;
			} else if (d->eown[i] < 0) {
				d->style[i] = (uint8_t)st;
				d->eown[i] = (int)e;
			}
			d->mask[i] |= (uint8_t)m;
			d->emask[i] |= (uint8_t)m;
			cl->kind = MM_CELL_EDGE;
			cl->owner = d->eown[i];
		}
	}
	lay->crossings = crossings;
	lay->edges_drawn = drawn;
}

/* Line glyphs from the masks. An edge piercing a subgraph border is drawn
 * as a junction of both lines (┼, +), so the border stays unbroken and the
 * edge readable; it is not counted as a crossing. */
static void draw_line_glyphs(struct dctx *d)
{
	struct mm_cell *cells = d->c->cells;
	for (size_t i = 0; i < d->n; i++)
		if (d->mask[i]) {
			bool edge = cells[i].kind == MM_CELL_EDGE && d->emask[i];
			bool pierce = edge && d->mask[i] != d->emask[i];
			int m = edge && !pierce ? d->emask[i] : d->mask[i];
			cells[i].cp = line_glyph(m, edge && !pierce ? d->style[i] : ST_LIGHT, d->ascii);
		}
	d->work += d->n;
}

/* Node boxes and their labels. */
static void draw_nodes(struct dctx *d)
{
	const struct mm_graph *g = d->g;
	for (size_t k = 0; k < g->nnodes; k++) {
		struct mm_node_layout *nl = &d->lay->nodes[k];
		draw_box(d->c, nl->box, border_kind(g->nodes[k].shape), d->ascii, (int)k);
		put_lines(d->c, nl->box, nl->text, nl->text_h, true, MM_CELL_NODE_TEXT, (int)k);
		d->work += (size_t)nl->box.w * (size_t)nl->box.h;
	}
	d->lay->nodes_drawn = g->nnodes;
}

/* At both ends of every edge: its head, or the junction where it leaves
 * the box (┬ ┴ ├ ┤). */
static void draw_edge_ends(struct dctx *d)
{
	const struct mm_graph *g = d->g;
	struct mm_layout *lay = d->lay;
	for (size_t e = 0; e < g->nedges; e++) {
		struct mm_edge_layout *el = &lay->edges[e];
		const struct mm_edge *ge = &g->edges[e];
		if (!el->drawn || !el->ncells || ge->stroke == MM_STROKE_INVISIBLE) continue;
		int st = stroke_style(ge);
		for (int end = 0; end < 2; end++) {
			const struct mm_ref *r = end ? &ge->to : &ge->from;
			enum mm_head h = end ? ge->head_to : ge->head_from;
			struct mm_xy p = end ? el->cells[el->ncells - 1] : el->cells[0];
			int att = end ? el->attach_to : el->attach_from;
			struct mm_box b = end_box(g, lay, r, att);
			int dir = toward(b, p);
			if (!dir) continue;
			if (h != MM_HEAD_NONE) {
				put(d->c, p.x, p.y, head_glyph(h, dir, d->ascii), MM_CELL_ARROW, (int)e);
			} else {
				int bx = p.x + (dir == DE) - (dir == DW), by = p.y + (dir == DS) - (dir == DN);
				int bn = att >= 0 ? att : r->is_subgraph ? -1 : r->index;
				int bk = bn < 0 ? B_RECT : border_kind(g->nodes[bn].shape);
				int od = dir == DN ? DS : dir == DS ? DN : dir == DE ? DW : DE;
				struct mm_cell *k = cell(d->c, bx, by);
				if (k && !(k->flags & (MM_CELL_WIDE | MM_CELL_CONT)))
					k->cp = junction(bk, od, st, d->ascii);
			}
		}
	}
}

static void draw_edge_labels(struct dctx *d)
{
	for (size_t e = 0; e < d->g->nedges; e++) {
		struct mm_edge_layout *el = &d->lay->edges[e];
		if (!el->drawn || !el->has_label || !el->text) continue;
		put_lines(d->c, el->label, el->text, 0, false, MM_CELL_EDGE_LABEL, (int)e);
		d->work += (size_t)el->label.w * (size_t)el->label.h;
	}
}

/* Subgraph titles, on the top border where no edge crosses it. */
static void draw_titles(struct dctx *d)
{
	const struct mm_graph *g = d->g;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!d->lay->subgraphs[s].drawn) continue;
		struct mm_box b = d->lay->subgraphs[s].box;
		const char *t = g->subgraphs[s].title ? g->subgraphs[s].title : g->subgraphs[s].id;
		int tw, th;
		char *clean = ml_wrap(t, 1 << 20, &tw, &th);
		for (char *q = clean; *q; q++) if (*q == '\n') *q = ' ';
		int room = b.w - 4;
		if (room < 1) { free(clean); continue; }
		int need = tw < room ? tw : room;
		/* the leftmost x0 whose cells x0 - 1 .. x0 + need are all plain
		 * border: one scan keeping the length of the border run */
		int start = -1, run = 0;
		for (int x = b.x + 1; x <= b.x + b.w - 2 && start < 0; x++) {
			const struct mm_cell *k = mm_canvas_at(d->c, x, b.y);
			run = k && k->kind == MM_CELL_SUBGRAPH ? run + 1 : 0;
			if (run >= need + 2) start = x - need;
			d->work++;
		}
		if (start < 0) start = b.x + 2;
		put_text(d->c, start, b.y, clean, strlen(clean), need, MM_CELL_TITLE, (int)s);
		free(clean);
	}
}

size_t ml_draw(const struct mm_graph *g, struct mm_layout *lay, bool ascii)
{
	struct mm_canvas *c = &lay->canvas;
	int W = lay->width, H = lay->height;
	free(c->cells);
	free(c->pool);
	memset(c, 0, sizeof *c);
	c->width = W;
	c->height = H;
	c->ascii = ascii;
	size_t n = (size_t)W * (size_t)H;
	c->cells = ml_alloc(n, sizeof(struct mm_cell));
	for (size_t i = 0; i < n; i++) { c->cells[i].cp = ' '; c->cells[i].owner = -1; }
	struct dctx d = { .g = g, .lay = lay, .c = c, .W = W, .H = H, .n = n, .ascii = ascii, .work = n };
	d.mask = ml_alloc(n, 1);
	d.emask = ml_alloc(n, 1);
	d.style = ml_alloc(n, 1);
	d.eown = ml_alloc(n, sizeof(int));
	for (size_t i = 0; i < n; i++) d.eown[i] = -1;
	draw_subgraph_borders(&d);
	draw_edge_lines(&d);
	draw_line_glyphs(&d);
	draw_nodes(&d);
	draw_edge_ends(&d);
	draw_edge_labels(&d);
	draw_titles(&d);
	free(d.mask); free(d.emask); free(d.style); free(d.eown);
	return d.work;
}

void mm_layout_draw(const struct mm_graph *g, struct mm_layout *lay, bool ascii)
{
	ml_draw(g, lay, ascii);
}

size_t mm_cell_utf8(const struct mm_canvas *cv, const struct mm_cell *c, char *out, size_t cap)
{
	if (!c || (c->flags & MM_CELL_CONT) || cap < 5) return 0;
	if (c->ext && cv->pool) {
		const char *s = cv->pool + c->ext - 1;
		size_t n = strlen(s);
		if (n >= cap) n = cap - 1;
		memcpy(out, s, n);
		out[n] = 0;
		return n;
	}
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c->cp, (utf8proc_uint8_t *)out);
	if (n <= 0) { out[0] = '?'; n = 1; }
	out[n] = 0;
	return (size_t)n;
}

char *mm_canvas_text(const struct mm_canvas *c, size_t *len)
{
	size_t cap = (size_t)c->width * (size_t)c->height * 3 + (size_t)c->height + 1, o = 0;
	char *buf = ml_alloc(cap, 1);
	for (int y = 0; y < c->height; y++) {
		const struct mm_cell *row = &c->cells[(size_t)y * (size_t)c->width];
		for (int x = 0; x < c->width; x++) {
			const struct mm_cell *k = &row[x];
			if (o + 64 + 2 > cap) { cap = cap * 2 + 64; buf = ml_realloc(buf, cap, 1); }
			/* most cells are spaces and line glyphs: encode them here */
			if (!k->ext && !(k->flags & MM_CELL_CONT) && k->cp < 0x10000 && k->cp) {
				uint32_t cp = k->cp;
				if (cp < 0x80) buf[o++] = (char)cp;
				else if (cp < 0x800) {
					buf[o++] = (char)(0xC0 | (cp >> 6));
					buf[o++] = (char)(0x80 | (cp & 0x3F));
				} else if (cp < 0xD800 || cp > 0xDFFF) {
					buf[o++] = (char)(0xE0 | (cp >> 12));
					buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					buf[o++] = (char)(0x80 | (cp & 0x3F));
				} else
					buf[o++] = '?';
				continue;
			}
			o += mm_cell_utf8(c, k, buf + o, 64);
		}
		buf[o++] = '\n';
	}
	buf[o] = 0;
	if (len) *len = o;
	return buf;
}
