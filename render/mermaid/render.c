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
                      struct mm_layout *lay, struct mm_error *err, int var, long *items)
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

int mm_layout_build(const struct mm_graph *g, const struct mm_layout_opts *o,
                    struct mm_layout *lay, struct mm_error *err)
{
	long items = 0;
	int r = build_once(g, o, lay, err, -1, &items);
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
		if (build_once(g, o, &alt, &e2, var, &n2) != 0) {
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
