/* render.c — the Mermaid pipeline in order: parse (parse.c) → ranks,
 * order and placement (layout.c) → ports, tracks and geometry (route.c) →
 * canvas (draw.c). The entry points of render/mermaid/layout.h that run
 * more than one stage live here, so no stage calls back into another.
 */
#include "render/mermaid/layout.h"
#include "render/mermaid/layout_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct mm_limits mm_default_limits = {
	.nodes = 2000, .edges = 4000, .depth = 20, .items = 12000, .cells = 4000000
};

static int fail(struct mm_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets *err (line and column 0) and returns status. */
static int fail(struct mm_error *err, int status, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->line = err->column = 0;
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return status;
}

int mm_check_limits(const struct mm_graph *g, const struct mm_limits *lim, struct mm_error *err)
{
	if (!lim) lim = &mm_default_limits;
	if (g->nnodes > (size_t)lim->nodes)
		return fail(err, MM_TOO_LARGE, "too large to draw: %zu nodes, more than %d", g->nnodes, lim->nodes);
	if (g->nedges > (size_t)lim->edges)
		return fail(err, MM_TOO_LARGE, "too large to draw: %zu edges, more than %d", g->nedges, lim->edges);
	/* nesting depth: each subgraph's depth from its parent's, with a
	 * step limit so a loop of parent links cannot hang */
	int ns = (int)g->nsubgraphs, maxd = 0;
	int *depth = ml_alloc((size_t)ns + 1, sizeof(int));
	for (int s = 0; s < ns && maxd <= lim->depth; s++) {
		int d = 0, t = s, steps = 0;
		while (t >= 0 && t < ns && !depth[t] && steps++ <= ns) { d++; t = g->subgraphs[t].parent; }
		d += t >= 0 && t < ns ? depth[t] : 0;
		/* fill the chain just walked */
		for (int u = s, k = d; u >= 0 && u < ns && !depth[u] && k > 0; u = g->subgraphs[u].parent, k--)
			depth[u] = k;
		if (d > maxd) maxd = d;
	}
	free(depth);
	if (maxd > lim->depth)
		return fail(err, MM_TOO_LARGE, "too large to draw: subgraphs nested more than %d deep", lim->depth);
	return 0;
}

/* Frees what a failed build allocated in *lay and zeroes it but for the
 * work count. */
static int drop(struct mm_layout *lay, int status)
{
	size_t work = lay->work;
	mm_layout_free(lay);
	lay->work = work;
	return status;
}

/* One layout of g with ordering variant var (struct lctx.variant). */
static int build_once(const struct mm_graph *g, const struct mm_layout_opts *o,
                      struct mm_layout *lay, struct mm_error *err, int var, long *items,
                      const int *fixw, const int *fixh)
{
	memset(lay, 0, sizeof *lay);
	if (!g || g->nnodes == 0)
		return fail(err, -1, "nothing to draw: the diagram has no nodes");
	const struct mm_limits *lim = o && o->limits ? o->limits : &mm_default_limits;
	int r = mm_check_limits(g, lim, err);
	if (r) return r;
	lay->dir = o && o->direction >= 0 ? (enum mm_dir)o->direction : g->dir;
	lay->nnodes = g->nnodes;
	lay->nedges = g->nedges;
	lay->nsubgraphs = g->nsubgraphs;
	lay->nodes = ml_alloc(g->nnodes, sizeof *lay->nodes);
	lay->edges = ml_alloc(g->nedges + 1, sizeof *lay->edges);
	lay->subgraphs = ml_alloc(g->nsubgraphs + 1, sizeof *lay->subgraphs);
	struct lctx L;
	memset(&L, 0, sizeof L);
	L.variant = var;
	L.fixw = fixw;
	L.fixh = fixh;
	L.max_items = lim->items;
	L.max_cells = lim->cells;
	ml_prepare(&L, g, o, lay);
	*items = L.nit;
	if (!L.too_large) ml_route(&L);
	if (!L.too_large) ml_emit(&L);
	lay->work = L.work;
	if (L.too_large) {
		fail(err, MM_TOO_LARGE, "too large to draw: %s", L.why);
		ml_free(&L);
		return drop(lay, MM_TOO_LARGE);
	}
	ml_free(&L);
	/* route.c checks this already; the last guard before the allocation */
	if ((long)lay->width * lay->height > lim->cells)
		return drop(lay, fail(err, MM_TOO_LARGE, "too large to draw: the drawing would be %d by %d cells, "
		                      "more than %ld", lay->width, lay->height, lim->cells));
	lay->work += ml_draw(g, lay, o && o->ascii);
	return 0;
}

/* The layered graph's crossing count is what the drawing shows, but for
 * edges that end on a subgraph's border: their port on the border is
 * chosen after ordering, so orderings that tie in the layered graph can
 * draw differently. When such a map's drawing has crossings (and it is
 * small enough for this to cost little), the three starting orders are
 * drawn on their own too, and the drawing with the fewest crossings wins
 * (the first on a tie). */
#define RETRY_ITEMS 300
#define RETRY_VARIANTS 3

/* The layout of g with the fewest crossings we look for (see above);
 * fixw/fixh: fixed node box sizes or NULL. */
static int build_best(const struct mm_graph *g, const struct mm_layout_opts *o,
                      struct mm_layout *lay, struct mm_error *err, const int *fixw, const int *fixh)
{
	long items = 0;
	int r = build_once(g, o, lay, err, -1, &items, fixw, fixh);
	if (r != 0 || lay->crossings == 0 || items > RETRY_ITEMS)
		return r;
	bool to_subgraph = false;
	for (size_t e = 0; e < g->nedges && !to_subgraph; e++)
		to_subgraph = g->edges[e].from.is_subgraph || g->edges[e].to.is_subgraph;
	if (!to_subgraph)
		return r;
	size_t work = lay->work;
	for (int var = 0; var < RETRY_VARIANTS && lay->crossings > 0; var++) {
		struct mm_layout alt;
		struct mm_error e2;
		long n2;
		if (build_once(g, o, &alt, &e2, var, &n2, fixw, fixh) != 0) {
			mm_layout_free(&alt);
			continue;
		}
		work += alt.work;
		if (alt.crossings < lay->crossings) {
			mm_layout_free(lay);
			*lay = alt;
		} else {
			mm_layout_free(&alt);
		}
	}
	lay->work = work;
	return 0;
}

/* ---------- subgraphs in their own direction ----------
 *
 * Like mermaid-js, a subgraph with its own "direction" is laid out in it
 * when none of its nodes has an edge to a node outside it (edges to the
 * subgraph itself are fine); otherwise it follows its parent. Such a
 * subgraph's inside is laid out on its own, as a graph of its own (its
 * nested subgraphs may have directions of their own too); the rest of the
 * diagram is laid out with one stand-in node of that drawing's size in the
 * subgraph; then the inside's geometry is moved into the stand-in's box
 * and the whole is drawn from the geometry, as any layout. */

struct own_dir {
	int sg;                 /* the subgraph */
	struct mm_graph sub;    /* its inside, indices of its own */
	struct mm_layout lay;
	int *node_of, *edge_of, *sg_of;   /* sub index → g index */
	int stand_in;           /* the stand-in's node index in the parent */
};

static bool sg_within(const struct mm_graph *g, int t, int s)
{
	for (; t >= 0; t = g->subgraphs[t].parent)
		if (t == s) return true;
	return false;
}

/* Is one end of an edge inside subgraph s (a node in it, or a subgraph
 * below it) and the other not? */
static bool edge_leaves(const struct mm_graph *g, const struct mm_edge *e, int s)
{
	struct mm_ref r[2] = {e->from, e->to};
	bool in[2];
	for (int k = 0; k < 2; k++)
		in[k] = r[k].is_subgraph ? r[k].index != s && sg_within(g, r[k].index, s)
		                         : sg_within(g, g->nodes[r[k].index].subgraph, s);
	return in[0] != in[1];
}

/* Subgraphs to lay out in their own direction: the outermost ones whose
 * direction differs from the drawing's and whose nodes link nowhere
 * outside. Returns how many, their indices in *out (malloc'd). */
static int own_dir_subgraphs(const struct mm_graph *g, enum mm_dir top, int **out)
{
	int n = 0;
	*out = NULL;
	bool *cand = ml_alloc(g->nsubgraphs + 1, sizeof(bool));
	bool any = false;
	for (size_t s = 0; s < g->nsubgraphs; s++)
		if (g->subgraphs[s].has_dir && (g->subgraphs[s].nnodes || g->subgraphs[s].nchildren)) {
			cand[s] = true;
			any = true;
		}
	if (!any) {
		free(cand);
		return 0;
	}
	for (size_t e = 0; e < g->nedges; e++)
		for (size_t s = 0; s < g->nsubgraphs; s++)
			if (cand[s] && edge_leaves(g, &g->edges[e], (int)s))
				cand[s] = false;
	*out = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!cand[s]) continue;
		/* the outermost honoured one decides; inner ones are its own
		 * layout's business */
		bool outer = true;
		enum mm_dir pdir = top;
		for (int t = g->subgraphs[s].parent; t >= 0; t = g->subgraphs[t].parent)
			if (cand[t]) outer = false;
		if (outer && g->subgraphs[s].dir != pdir)
			(*out)[n++] = (int)s;
	}
	free(cand);
	if (!n) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/* The inside of subgraph s as a graph of its own (shallow: the strings
 * stay g's). */
static void inside_graph(const struct mm_graph *g, struct own_dir *od)
{
	int s = od->sg;
	struct mm_graph *h = &od->sub;
	memset(h, 0, sizeof *h);
	h->dir = g->subgraphs[s].dir;
	int *nmap = ml_alloc(g->nnodes + 1, sizeof(int)), *smap = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	od->node_of = ml_alloc(g->nnodes + 1, sizeof(int));
	od->sg_of = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	od->edge_of = ml_alloc(g->nedges + 1, sizeof(int));
	h->subgraphs = ml_alloc(g->nsubgraphs + 1, sizeof(struct mm_subgraph));
	for (size_t t = 0; t < g->nsubgraphs; t++) {
		smap[t] = -1;
		if ((int)t != s && sg_within(g, (int)t, s)) {
			smap[t] = (int)h->nsubgraphs;
			od->sg_of[h->nsubgraphs++] = (int)t;
		}
	}
	h->nodes = ml_alloc(g->nnodes + 1, sizeof(struct mm_node));
	for (size_t k = 0; k < g->nnodes; k++) {
		nmap[k] = -1;
		if (sg_within(g, g->nodes[k].subgraph, s)) {
			nmap[k] = (int)h->nnodes;
			h->nodes[h->nnodes] = g->nodes[k];
			h->nodes[h->nnodes].subgraph = g->nodes[k].subgraph == s ? -1 : smap[g->nodes[k].subgraph];
			od->node_of[h->nnodes++] = (int)k;
		}
	}
	for (size_t t = 0; t < h->nsubgraphs; t++) {
		const struct mm_subgraph *o = &g->subgraphs[od->sg_of[t]];
		struct mm_subgraph *x = &h->subgraphs[t];
		*x = *o;
		x->parent = o->parent == s ? -1 : smap[o->parent];
		x->nodes = ml_alloc(o->nnodes + 1, sizeof(int));
		for (size_t i = 0; i < o->nnodes; i++) x->nodes[i] = nmap[o->nodes[i]];
		x->children = ml_alloc(o->nchildren + 1, sizeof(int));
		for (size_t i = 0; i < o->nchildren; i++) x->children[i] = smap[o->children[i]];
	}
	h->edges = ml_alloc(g->nedges + 1, sizeof(struct mm_edge));
	for (size_t e = 0; e < g->nedges; e++) {
		const struct mm_edge *o = &g->edges[e];
		bool in = o->from.is_subgraph ? smap[o->from.index] >= 0 : nmap[o->from.index] >= 0;
		if (!in) continue;
		struct mm_edge *x = &h->edges[h->nedges];
		*x = *o;
		x->from.index = o->from.is_subgraph ? smap[o->from.index] : nmap[o->from.index];
		x->to.index = o->to.is_subgraph ? smap[o->to.index] : nmap[o->to.index];
		od->edge_of[h->nedges++] = (int)e;
	}
	free(nmap);
	free(smap);
}

static void free_inside(struct own_dir *od)
{
	for (size_t t = 0; t < od->sub.nsubgraphs; t++) {
		free(od->sub.subgraphs[t].nodes);
		free(od->sub.subgraphs[t].children);
	}
	free(od->sub.nodes);
	free(od->sub.edges);
	free(od->sub.subgraphs);
	free(od->node_of);
	free(od->edge_of);
	free(od->sg_of);
	mm_layout_free(&od->lay);
}

static void shift_box(struct mm_box *b, int dx, int dy)
{
	b->x += dx;
	b->y += dy;
}

/* Lays out g with the subgraphs ods[0..n) in their own directions.
 * Returns 0 with *lay filled, 1 when this cannot be done (the caller lays
 * g out as one), or an error status. */
static int build_own_dirs(const struct mm_graph *g, const struct mm_layout_opts *o, struct mm_layout *lay,
                          struct mm_error *err, struct own_dir *ods, int n)
{
	struct mm_layout_opts so = o ? *o : (struct mm_layout_opts){0};
	so.direction = -1;
	for (int i = 0; i < n; i++) {
		inside_graph(g, &ods[i]);
		struct mm_error e2;
		if (ods[i].sub.nnodes == 0 || mm_layout_build(&ods[i].sub, &so, &ods[i].lay, &e2) != 0)
			return 1;
	}
	/* the parent: g without the insides, a stand-in in each subgraph */
	struct mm_graph pg = {0};
	pg.dir = g->dir;
	int *nmap = ml_alloc(g->nnodes + 1, sizeof(int)), *smap = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	int *pnode_of = ml_alloc(g->nnodes + (size_t)n + 1, sizeof(int));
	int *pedge_of = ml_alloc(g->nedges + 1, sizeof(int));
	int *psg_of = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	int *inside = ml_alloc(g->nsubgraphs + 1, sizeof(int));   /* own_dir index + 1 of the subgraph it is in */
	for (size_t t = 0; t < g->nsubgraphs; t++)
		for (int i = 0; i < n; i++)
			if ((int)t != ods[i].sg && sg_within(g, (int)t, ods[i].sg)) inside[t] = i + 1;
	pg.subgraphs = ml_alloc(g->nsubgraphs + 1, sizeof(struct mm_subgraph));
	for (size_t t = 0; t < g->nsubgraphs; t++) {
		smap[t] = -1;
		if (!inside[t]) {
			smap[t] = (int)pg.nsubgraphs;
			psg_of[pg.nsubgraphs++] = (int)t;
		}
	}
	pg.nodes = ml_alloc(g->nnodes + (size_t)n + 1, sizeof(struct mm_node));
	for (size_t k = 0; k < g->nnodes; k++) {
		int s = g->nodes[k].subgraph;
		bool in = false;
		for (int i = 0; i < n && !in; i++) in = sg_within(g, s, ods[i].sg);
		nmap[k] = -1;
		if (in) continue;
		nmap[k] = (int)pg.nnodes;
		pg.nodes[pg.nnodes] = g->nodes[k];
		pg.nodes[pg.nnodes].subgraph = s >= 0 ? smap[s] : -1;
		pnode_of[pg.nnodes++] = (int)k;
	}
	int *fixw = ml_alloc(g->nnodes + (size_t)n + 1, sizeof(int)), *fixh = ml_alloc(g->nnodes + (size_t)n + 1, sizeof(int));
	for (int i = 0; i < n; i++) {
		struct mm_node *x = &pg.nodes[pg.nnodes];
		memset(x, 0, sizeof *x);
		x->id = (char *)"";
		x->label = (char *)"";
		x->shape = MM_SHAPE_RECT;
		x->subgraph = smap[ods[i].sg];
		fixw[pg.nnodes] = ods[i].lay.width;
		fixh[pg.nnodes] = ods[i].lay.height;
		pnode_of[pg.nnodes] = -1;
		ods[i].stand_in = (int)pg.nnodes++;
	}
	for (size_t t = 0; t < pg.nsubgraphs; t++) {
		const struct mm_subgraph *os = &g->subgraphs[psg_of[t]];
		struct mm_subgraph *x = &pg.subgraphs[t];
		*x = *os;
		x->parent = os->parent >= 0 ? smap[os->parent] : -1;
		x->nodes = ml_alloc(os->nnodes + 2, sizeof(int));
		x->children = ml_alloc(os->nchildren + 1, sizeof(int));
		x->nnodes = x->nchildren = 0;
		int own = -1;
		for (int i = 0; i < n; i++) if (ods[i].sg == psg_of[t]) own = i;
		if (own >= 0) {
			x->nodes[x->nnodes++] = ods[own].stand_in;
			continue;
		}
		for (size_t j = 0; j < os->nnodes; j++) x->nodes[x->nnodes++] = nmap[os->nodes[j]];
		for (size_t j = 0; j < os->nchildren; j++) x->children[x->nchildren++] = smap[os->children[j]];
	}
	pg.edges = ml_alloc(g->nedges + 1, sizeof(struct mm_edge));
	for (size_t e = 0; e < g->nedges; e++) {
		const struct mm_edge *oe = &g->edges[e];
		int a = oe->from.is_subgraph ? smap[oe->from.index] : nmap[oe->from.index];
		int b = oe->to.is_subgraph ? smap[oe->to.index] : nmap[oe->to.index];
		if (a < 0 || b < 0) continue;   /* inside an own-direction subgraph */
		struct mm_edge *x = &pg.edges[pg.nedges];
		*x = *oe;
		x->from.index = a;
		x->to.index = b;
		pedge_of[pg.nedges++] = (int)e;
	}
	struct mm_layout pl;
	int r = build_best(&pg, o, &pl, err, fixw, fixh);
	/* an edge that had to end on the stand-in instead of the border */
	for (size_t e = 0; r == 0 && e < pg.nedges; e++)
		for (int i = 0; i < n; i++)
			if (pl.edges[e].attach_from == ods[i].stand_in || pl.edges[e].attach_to == ods[i].stand_in)
				r = 1;
	if (r == 0) {
		/* the geometry of all, in g's indices */
		memset(lay, 0, sizeof *lay);
		lay->dir = pl.dir;
		lay->width = pl.width;
		lay->height = pl.height;
		lay->nnodes = g->nnodes;
		lay->nedges = g->nedges;
		lay->nsubgraphs = g->nsubgraphs;
		lay->nodes = ml_alloc(g->nnodes + 1, sizeof *lay->nodes);
		lay->edges = ml_alloc(g->nedges + 1, sizeof *lay->edges);
		lay->subgraphs = ml_alloc(g->nsubgraphs + 1, sizeof *lay->subgraphs);
		lay->work = pl.work;
		for (size_t k = 0; k < pg.nnodes; k++)
			if (pnode_of[k] >= 0) {
				lay->nodes[pnode_of[k]] = pl.nodes[k];
				pl.nodes[k].text = NULL;
			}
		for (size_t e = 0; e < pg.nedges; e++) {
			struct mm_edge_layout *x = &lay->edges[pedge_of[e]];
			*x = pl.edges[e];
			pl.edges[e].cells = NULL;
			pl.edges[e].text = NULL;
			if (x->attach_from >= 0) x->attach_from = pnode_of[x->attach_from];
			if (x->attach_to >= 0) x->attach_to = pnode_of[x->attach_to];
		}
		for (size_t t = 0; t < pg.nsubgraphs; t++)
			lay->subgraphs[psg_of[t]] = pl.subgraphs[t];
		for (int i = 0; i < n; i++) {
			struct own_dir *od = &ods[i];
			struct mm_box b = pl.nodes[od->stand_in].box;
			int dx = b.x + (b.w - od->lay.width) / 2, dy = b.y + (b.h - od->lay.height) / 2;
			lay->work += od->lay.work;
			for (size_t k = 0; k < od->sub.nnodes; k++) {
				struct mm_node_layout *x = &lay->nodes[od->node_of[k]];
				*x = od->lay.nodes[k];
				od->lay.nodes[k].text = NULL;
				shift_box(&x->box, dx, dy);
			}
			for (size_t e = 0; e < od->sub.nedges; e++) {
				struct mm_edge_layout *x = &lay->edges[od->edge_of[e]];
				*x = od->lay.edges[e];
				od->lay.edges[e].cells = NULL;
				od->lay.edges[e].text = NULL;
				for (size_t c = 0; c < x->ncells; c++) {
					x->cells[c].x += dx;
					x->cells[c].y += dy;
				}
				shift_box(&x->label, dx, dy);
				if (x->attach_from >= 0) x->attach_from = od->node_of[x->attach_from];
				if (x->attach_to >= 0) x->attach_to = od->node_of[x->attach_to];
			}
			for (size_t t = 0; t < od->sub.nsubgraphs; t++) {
				struct mm_subgraph_layout *x = &lay->subgraphs[od->sg_of[t]];
				*x = od->lay.subgraphs[t];
				shift_box(&x->box, dx, dy);
			}
		}
		lay->work += ml_draw(g, lay, o && o->ascii);
	}
	if (r == 0 || r == 1)
		mm_layout_free(&pl);
	for (size_t t = 0; t < pg.nsubgraphs; t++) {
		free(pg.subgraphs[t].nodes);
		free(pg.subgraphs[t].children);
	}
	free(pg.nodes); free(pg.edges); free(pg.subgraphs);
	free(nmap); free(smap); free(pnode_of); free(pedge_of); free(psg_of); free(inside);
	free(fixw); free(fixh);
	return r;
}

int mm_layout_build(const struct mm_graph *g, const struct mm_layout_opts *o,
                    struct mm_layout *lay, struct mm_error *err)
{
	if (g && g->nnodes > 0 && mm_check_limits(g, o && o->limits ? o->limits : NULL, NULL) == 0) {
		enum mm_dir top = o && o->direction >= 0 ? (enum mm_dir)o->direction : g->dir;
		int *sgs;
		int n = own_dir_subgraphs(g, top, &sgs);
		if (n > 0) {
			struct own_dir *ods = ml_alloc((size_t)n, sizeof *ods);
			for (int i = 0; i < n; i++) ods[i].sg = sgs[i];
			int r = build_own_dirs(g, o, lay, err, ods, n);
			for (int i = 0; i < n; i++) free_inside(&ods[i]);
			free(ods);
			free(sgs);
			if (r != 1)
				return r;
		}
	}
	return build_best(g, o, lay, err, NULL, NULL);
}

void mm_layout_free(struct mm_layout *lay)
{
	if (!lay) return;
	for (size_t i = 0; i < lay->nnodes; i++) free(lay->nodes[i].text);
	for (size_t i = 0; i < lay->nedges; i++) { free(lay->edges[i].cells); free(lay->edges[i].text); }
	free(lay->nodes);
	free(lay->edges);
	free(lay->subgraphs);
	free(lay->canvas.cells);
	free(lay->canvas.pool);
	memset(lay, 0, sizeof *lay);
}

int mm_render(const char *src, size_t len, const struct mm_layout_opts *o,
              struct mm_graph *g, struct mm_layout *lay, struct mm_error *err)
{
	if (mm_parse(src, len, g, err) != 0)
		return -1;
	int r = mm_layout_build(g, o, lay, err);
	if (r != 0)
		mm_graph_free(g);
	return r;
}
