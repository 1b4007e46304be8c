/* layout_int.h — internals shared by the stages of the Mermaid layout:
 * layout.c (ranks, order, placement) → route.c (ports, tracks, geometry)
 * → draw.c (canvas), driven by render.c. Not a public interface. */
#ifndef PRECIS_RENDER_MERMAID_LAY_INT_H
#define PRECIS_RENDER_MERMAID_LAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <utf8proc.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/util.h"

enum { IT_NODE, IT_DUMMY, IT_LABEL, IT_BL, IT_BR };

/* One vertex of the layered graph: a node, an edge dummy (plain or the one
 * carrying the label) or a subgraph's left/right border on one rank. */
struct item {
	int kind, node, le, sg, rank, order;
	int bw;        /* breadth of the box / label / line (q extent) */
	int extra;     /* room beside the box for self loops */
	int breadth;   /* bw + extra */
	int depth;     /* p extent */
	int nloops;
	int q;         /* left q coordinate */
	struct ivec up, down;   /* segments to the rank above / below */
};

struct piece { int a, b, track; };

/* One hop of an edge between rank r and r+1 (u / v = -1: the end is the
 * border of subgraph ucl / vcl). */
struct seg {
	int u, v, le, ucl, vcl, rank;
	int a, b;                /* q columns at the top and bottom */
	int npiece;
	struct piece *piece;     /* horizontal runs, top to bottom */
	int start, end;          /* p rows of the first and last channel cell */
};

struct ledge {
	int tw, th;
	bool self, rev, dropped;
	int selfnode, loopk, labacc;
	int top, bot, topcl, botcl;   /* layout-upper / lower end: node or cluster */
	int labitem;
	int first_seg, nseg;
};

struct lctx {
	const struct mm_graph *g;
	struct mm_layout *lay;
	bool horiz;
	struct item *it; int nit, capit;
	struct seg *seg; int nseg, capseg;
	struct ivec *rk; int nrank;
	int **bl, **br;
	int *smin, *smax, *stitle_w;
	char *sdrawn;
	int *stop, *sbot, *sin, *sout;   /* border / in / out rows per subgraph */
	struct ledge *le;
	int *rank, *nodeitem;
	int *band, *bdepth;              /* per rank: first p row, depth */
	int *chan;                       /* per rank gap: first track row */
	int P, Q;
	bool use_median;
	double *anchor, anchor_w;        /* placement anchors (assign_q only) */
	int **ends_sorted;               /* assign_q only: see sort_ends() */
	int *sdepth;                     /* per subgraph: nesting depth, 1 at the top */
	int *tin, *tout;                 /* per subgraph: preorder interval of its subtree */
	int *childpos;                   /* per subgraph: place in its parent's child list */
	/* sort_rank() scratch, indexed by cluster + 1, zero between uses */
	int *icnt, *ista, *bcnt, *bsta;
	struct ivec gtouched;
	int *gitems, *gblocks, gcap;
	int *lstamp, lstamp_now;         /* rank_cluster_ordered() stamps */
	/* budgets (struct mm_limits): a stage that would pass one sets
	 * too_large and says why; the later stages are then skipped */
	long max_items, max_cells;
	/* which ordering to draw (render.c tries several when the first
	 * drawing has crossings): -1 the best of the three starting orders by
	 * the layered graph's count; v = 0…2 that start only; +3: every rank
	 * mirrored after ordering */
	int variant;
	/* per node: the box's fixed width and height (render.c's stand-in
	 * for a subgraph laid out in its own direction), or NULL / 0 */
	const int *fixw, *fixh;
	bool too_large;
	char why[200];
	size_t work;                     /* units of work done (mm_layout.work) */
};

/* layout.c: labels, ranks, items, order and q coordinates into *L. */
void ml_prepare(struct lctx *L, const struct mm_graph *g, const struct mm_layout_opts *o,
                struct mm_layout *lay);
/* layout.c: frees what the stages kept in *L (not L->lay). */
void ml_free(struct lctx *L);
/* route.c: ports, channel tracks, p rows. */
void ml_route(struct lctx *L);
/* route.c: geometry into L->lay (boxes, edge cells, labels). */
void ml_emit(struct lctx *L);
/* draw.c: mm_layout_draw(); returns the cells and steps it went through. */
size_t ml_draw(const struct mm_graph *g, struct mm_layout *lay, bool ascii);

#endif
