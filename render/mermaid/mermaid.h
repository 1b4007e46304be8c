/* mermaid.h — a Mermaid flowchart as precis understands it.
 *
 * Contract between the lenient parser (render/mermaid/parse.c) and the
 * layout/drawing code (render/mermaid/layout.c, render/mermaid/draw.c).
 * The parser never fails on a bad line: it skips it with a warning. Only a
 * diagram with nothing drawable is an error. No ncurses here.
 */
#ifndef PRECIS_RENDER_MERMAID_H
#define PRECIS_RENDER_MERMAID_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum mm_dir { MM_TD = 0, MM_BT, MM_LR, MM_RL };   /* TB is MM_TD */

enum mm_shape {
	MM_SHAPE_DEFAULT = 0, /* bare id: A                     */
	MM_SHAPE_RECT,        /* A[text]      ("square")        */
	MM_SHAPE_ROUND,       /* A(text)                        */
	MM_SHAPE_STADIUM,     /* A([text])                      */
	MM_SHAPE_SUBROUTINE,  /* A[[text]]                      */
	MM_SHAPE_CYLINDER,    /* A[(text)]                      */
	MM_SHAPE_CIRCLE,      /* A((text))                      */
	MM_SHAPE_DOUBLECIRCLE,/* A(((text)))                    */
	MM_SHAPE_ASYMMETRIC,  /* A>text]      ("odd")           */
	MM_SHAPE_DIAMOND,     /* A{text}                        */
	MM_SHAPE_HEXAGON,     /* A{{text}}                      */
	MM_SHAPE_LEAN_RIGHT,  /* A[/text/]                      */
	MM_SHAPE_LEAN_LEFT,   /* A[\text\]                      */
	MM_SHAPE_TRAPEZOID,   /* A[/text\]                      */
	MM_SHAPE_INV_TRAPEZOID,/* A[\text/]                     */
	MM_SHAPE_ELLIPSE      /* A(-text-)                      */
};

enum mm_head { MM_HEAD_NONE = 0, MM_HEAD_ARROW, MM_HEAD_CIRCLE, MM_HEAD_CROSS };
enum mm_stroke { MM_STROKE_NORMAL = 0, MM_STROKE_THICK, MM_STROKE_DOTTED, MM_STROKE_INVISIBLE };

/* An edge end: a node, or a subgraph when the diagram points at one. */
struct mm_ref {
	bool is_subgraph;
	int index;            /* into nodes[] or subgraphs[] */
};

struct mm_node {
	char *id;
	char *label;          /* display text: entities decoded, <br> → '\n', quotes and
	                         Markdown-string backticks removed; id when none given */
	enum mm_shape shape;
	int subgraph;         /* innermost subgraph index, -1 when top level */
	bool has_fill;
	uint32_t fill;        /* 0xRRGGBB from style/classDef fill:, when has_fill */
	bool has_color;
	uint32_t color;       /* text colour (color:), when has_color */
	int line;             /* 1-based source line of its first mention */
	char *shape_name;     /* the "@{ shape: … }" name when precis has no glyph of its
	                         own for it (drawn as a rectangle), else NULL */
};

struct mm_edge {
	struct mm_ref from, to;
	char *label;          /* NULL when none; '\n' for line breaks */
	enum mm_head head_from, head_to;  /* A <--> B: both ARROW; A --> B: head_to */
	enum mm_stroke stroke;
	int length;           /* 1 for -->, 2 for --->, … (rank span hint) */
	int line;
	char *id;             /* "e1" of "A e1@--> B", else NULL */
};

struct mm_subgraph {
	char *id;
	char *title;          /* id when no title given */
	int parent;           /* enclosing subgraph index, -1 at top level */
	bool has_dir;
	enum mm_dir dir;      /* "direction" inside the subgraph, when has_dir */
	int *nodes;           /* direct member nodes (indices) */
	size_t nnodes;
	int *children;        /* direct child subgraphs (indices) */
	size_t nchildren;
	int line;
};

struct mm_warning {
	int line, column;     /* 1-based */
	char *message;        /* e.g. "unknown statement skipped: …" */
	bool note;            /* a line only mermaid-js rejects, read by precis
	                       * without a guess and drawn the same without it
	                       * (a linkStyle it refuses, '#…;' mid-line): not a
	                       * problem of the map (mm_problems) */
};

struct mm_graph {
	enum mm_dir dir;
	struct mm_node *nodes;         size_t nnodes;
	struct mm_edge *edges;         size_t nedges;
	struct mm_subgraph *subgraphs; size_t nsubgraphs;
	struct mm_warning *warnings;   size_t nwarnings;
};

struct mm_error {
	int line, column;     /* 0 when not tied to a place */
	char message[256];
};

/* Parses Mermaid flowchart source (optionally wrapped in <Mermaid_Diagram>
 * tags or ``` fences). Returns 0 and fills *g (free with mm_graph_free),
 * or -1 when nothing drawable was found, with *err set. */
int mm_parse(const char *src, size_t len, struct mm_graph *g, struct mm_error *err);

void mm_graph_free(struct mm_graph *g);

/* The warnings that are not notes: what the parser had to guess. */
size_t mm_problems(const struct mm_graph *g);

/* Is id a keyword that mermaid-js's lexer never reads as a node id
 * ("end", "style", "classDef", "click", …)? */
bool mm_reserved_id(const char *id);

/* Index of the node with this id, or -1. */
int mm_find_node(const struct mm_graph *g, const char *id);

/* "TD", "BT", "LR", "RL". */
const char *mm_dir_name(enum mm_dir d);

/* The shape names the official parser uses ("square", "round", "diamond", …). */
const char *mm_shape_name(enum mm_shape s);

#endif
