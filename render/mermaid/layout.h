/* layout.h — a parsed Mermaid flowchart laid out on a grid of
 * terminal cells, and drawn onto a canvas.
 *
 * mm_layout_build() runs a layered (Sugiyama-style) layout: cycles broken by
 * reversing edges (drawn with the arrow at the original target), layers by
 * longest path then balanced, dummy nodes on long edges and one per edge
 * label, crossing reduction (barycenter / median sweeps from three starting
 * orders, transposition) with subgraphs kept as contiguous blocks,
 * coordinates by weighted isotonic regression per layer aimed at the ports
 * plus a constraint pass that keeps subgraph boxes rectangular, and
 * orthogonal channel routing (own port and track per edge, vertical-conflict
 * ordering, doglegs for swapped pairs, crossing-cost track order).
 *
 * The result is geometry (boxes, edge cell paths, label boxes) and a canvas
 * of cells: each cell holds its glyph, whether it is the continuation of a
 * wide character, and which node / edge / subgraph it belongs to, so a
 * full-screen view can pan it and colour nodes by mm_node.fill. No ncurses.
 */
#ifndef PRECIS_RENDER_MERMAID_LAYOUT_H
#define PRECIS_RENDER_MERMAID_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/mermaid/mermaid.h"

/* Budgets of a drawing. A diagram past any of them is not laid out:
 * mm_layout_build() returns MM_TOO_LARGE with the reason in err->message,
 * and the caller shows the outline instead (render/mermaid/outline.h).
 * The defaults (mm_default_limits) and why:
 *  - nodes 2,000, edges 4,000: four times the largest generated map in
 *    `make bench` (500 nodes, 689 edges, 776×878 cells); past that a
 *    drawing is not read as a picture. Checked before any layout work.
 *  - depth 20 levels of subgraphs: each level takes 4 columns and 3 rows
 *    of border, so 20 levels are 80 columns of borders alone.
 *  - items 12,000: points of the layered graph (nodes, one per rank an
 *    edge crosses, subgraph sides per rank). The ordering and placement
 *    work grows with them; counted before they are made (a dense
 *    2,000-edge map needs ~140,000).
 *  - cells 4,000,000: the canvas (16 bytes a cell: 64 MB, under 120 MB
 *    with the drawing's scratch and text), checked as the tracks are
 *    routed, before it is allocated.
 * Inside these budgets a layout takes well under a second (docs/mermaid.md,
 * "Limits"). */
struct mm_limits {
	int nodes, edges, depth;
	long items, cells;
};
extern const struct mm_limits mm_default_limits;

#define MM_TOO_LARGE (-2)

struct mm_layout_opts {
	int direction;        /* -1: the diagram's own; else an enum mm_dir */
	bool ascii;           /* canvas drawn with ASCII line glyphs */
	int max_node_width;   /* wrap node labels at this many cells (0: 24) */
	int max_label_width;  /* wrap edge labels at this many cells (0: 20) */
	const struct mm_limits *limits; /* NULL: mm_default_limits */
};

struct mm_box { int x, y, w, h; };   /* w, h include the border */
struct mm_xy { int x, y; };

struct mm_node_layout {
	struct mm_box box;
	char *text;           /* the label as drawn: wrapped, '\n' between lines */
	int text_w, text_h;   /* widest line in cells, number of lines */
};

struct mm_edge_layout {
	struct mm_xy *cells;  /* from the cell next to the source to the cell
	                         next to the target (the arrowhead) */
	size_t ncells;
	bool drawn;           /* false: could not be routed (counted as dropped) */
	bool has_label;
	struct mm_box label;  /* label text box (no border) when has_label */
	char *text;           /* wrapped label, '\n' between lines */
	int attach_from, attach_to; /* node the path really touches when a
	                         subgraph end had to fall back to a member; -1 */
};

struct mm_subgraph_layout {
	struct mm_box box;
	bool drawn;
};

enum mm_cell_kind {
	MM_CELL_EMPTY = 0,
	MM_CELL_NODE,         /* a node's border or inside; owner = node */
	MM_CELL_NODE_TEXT,    /* a node's label text; owner = node */
	MM_CELL_EDGE,         /* an edge line; owner = edge */
	MM_CELL_ARROW,        /* an arrowhead (or o / x head); owner = edge */
	MM_CELL_EDGE_LABEL,   /* an edge label; owner = edge */
	MM_CELL_SUBGRAPH,     /* a subgraph border; owner = subgraph */
	MM_CELL_TITLE         /* a subgraph title; owner = subgraph */
};

enum {
	MM_CELL_WIDE = 1,     /* the glyph is two cells wide; the next cell continues it */
	MM_CELL_CONT = 2,     /* continuation of the wide glyph to its left (no glyph) */
	MM_CELL_CROSS = 4     /* two edges cross here */
};

struct mm_cell {
	uint32_t cp;          /* the glyph's code point (0 on continuation cells) */
	uint32_t ext;         /* >0: the glyph is a grapheme cluster stored at
	                         canvas.pool + ext - 1 (NUL-terminated) */
	uint8_t kind;         /* enum mm_cell_kind */
	uint8_t flags;        /* MM_CELL_* */
	int32_t owner;        /* index into nodes / edges / subgraphs, -1 none */
};

struct mm_canvas {
	int width, height;
	struct mm_cell *cells;   /* width * height, row-major */
	char *pool;              /* multi-code-point glyphs */
	size_t pool_len, pool_cap;
	bool ascii;
};

struct mm_layout {
	enum mm_dir dir;              /* the direction drawn */
	int width, height;            /* canvas size in cells */
	size_t nnodes, nedges, nsubgraphs;
	struct mm_node_layout *nodes; /* parallel to graph nodes[] */
	struct mm_edge_layout *edges; /* parallel to graph edges[] */
	struct mm_subgraph_layout *subgraphs; /* parallel to graph subgraphs[] */
	int crossings;                /* cells where two edges cross */
	size_t nodes_drawn, edges_drawn;
	struct mm_canvas canvas;
	size_t work;                  /* units of work the layout took (steps of
	                                 its inner loops, canvas cells): grows
	                                 about linearly with the input; tests
	                                 check it instead of timing */
};

/* Lays out and draws g. Returns 0 and fills *lay (free with
 * mm_layout_free), -1 with *err set when there is nothing to draw, or
 * MM_TOO_LARGE with the reason in err->message when g is past a budget
 * (o->limits); on failure *lay holds nothing to free (only .work is
 * set). */
int mm_layout_build(const struct mm_graph *g, const struct mm_layout_opts *o,
                    struct mm_layout *lay, struct mm_error *err);

void mm_layout_free(struct mm_layout *lay);

/* 0 when g is within the budgets a layout can check before starting
 * (nodes, edges, subgraph depth; lim NULL: the defaults), else
 * MM_TOO_LARGE with the reason in err->message. Linear in g. */
int mm_check_limits(const struct mm_graph *g, const struct mm_limits *lim, struct mm_error *err);

/* Redraws the canvas of an existing layout (e.g. to toggle ASCII). */
void mm_layout_draw(const struct mm_graph *g, struct mm_layout *lay, bool ascii);

/* The cell at (x, y), or NULL outside the canvas. */
const struct mm_cell *mm_canvas_at(const struct mm_canvas *c, int x, int y);

/* Writes the glyph of cell c as UTF-8 into out (≥ 64 bytes); returns its
 * length (0 for continuation cells). */
size_t mm_cell_utf8(const struct mm_canvas *cv, const struct mm_cell *c, char *out, size_t cap);

/* The canvas as text: every row, '\n'-terminated, trailing blanks kept so
 * each row is exactly width cells. Returns a malloc'd string (*len set). */
char *mm_canvas_text(const struct mm_canvas *c, size_t *len);

/* The layout as JSON (see docs/mermaid.md). Returns a malloc'd string. */
char *mm_layout_json(const struct mm_graph *g, const struct mm_layout *lay);

/* Parse + layout in one call; returns what mm_parse / mm_layout_build
 * return. On failure *lay and *g hold nothing to free (to show the
 * outline of a diagram too large to draw, call them one by one). */
int mm_render(const char *src, size_t len, const struct mm_layout_opts *o,
              struct mm_graph *g, struct mm_layout *lay, struct mm_error *err);

#endif
