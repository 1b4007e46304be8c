/* outline.h — a Mermaid flowchart as an outline: lines of text instead of
 * box art, for a narrow terminal, a screen reader, or a diagram too large
 * to draw (mm_layout_build() then returns MM_TOO_LARGE).
 *
 * Each node is a line, indented under the subgraph that holds it; below a
 * node (or a subgraph) come its outgoing edges, one level further in:
 *
 *     外部因素:                       MM_OUTLINE_SUBGRAPH  depth 0
 *       投资者 (如英伟达)              MM_OUTLINE_NODE      depth 1
 *         → 埃隆·马斯克 (驱动者)       MM_OUTLINE_EDGE      depth 2
 *     XAI/Grok                         MM_OUTLINE_NODE      depth 0
 *       → Tesla (提供 AI 能力)         MM_OUTLINE_EDGE      depth 1
 *
 * A subgraph line is its title and a colon; a node line its label (the
 * label's line breaks become spaces; "[id]" is added when another node
 * has the same label); an edge line is "→ target" followed by the edge
 * label in parentheses. The arrow shows the heads: "→" (A --> B),
 * "—" (A --- B, no head), "↔" (A <--> B), "←" (a head only at the source);
 * with ascii: "->", "--", "<->", "<-". Members come in source order (first
 * mention); edges in source order under their source.
 *
 * Every line knows what it stands for (kind + index into the graph's
 * nodes / edges / subgraphs, and an edge's target), so a view can move a
 * cursor over the outline and jump to the node in the drawing. Texts are
 * clean (render/sanitize.h's rs_clean_line: no control characters, escape
 * sequences or bidi controls) and hold no indentation: draw depth
 * yourself, or take mm_outline_text(). No ncurses here.
 *
 *     struct mm_outline ol;
 *     mm_outline_build(&g, false, &ol);
 *     for (size_t i = 0; i < ol.nlines; i++)
 *             draw(ol.lines[i].depth * 2, ol.lines[i].text);
 *     mm_outline_free(&ol);
 *
 * Cost: linear in the graph (plus an n log n sort of the labels); memory
 * about the size of the labels, whatever the nesting depth or edge count.
 */
#ifndef PRECIS_RENDER_MERMAID_OUTLINE_H
#define PRECIS_RENDER_MERMAID_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "render/mermaid/mermaid.h"

enum mm_outline_kind {
	MM_OUTLINE_SUBGRAPH,  /* index into g->subgraphs */
	MM_OUTLINE_NODE,      /* index into g->nodes */
	MM_OUTLINE_EDGE       /* index into g->edges; target says where it goes */
};

struct mm_outline_line {
	enum mm_outline_kind kind;
	int index;            /* the subgraph, node or edge this line is */
	struct mm_ref target; /* MM_OUTLINE_EDGE: the edge's target (g->edges[index].to) */
	int depth;            /* nesting level, 0 at the top */
	char *text;           /* the line without indentation, clean UTF-8 */
	int width;            /* cells of text (render/width.h) */
};

struct mm_outline {
	struct mm_outline_line *lines;
	size_t nlines;
};

/* Builds the outline of g into *ol (free with mm_outline_free). ascii
 * chooses "->" over "→". Never fails (out of memory ends the process);
 * an empty graph gives no lines. */
void mm_outline_build(const struct mm_graph *g, bool ascii, struct mm_outline *ol);

void mm_outline_free(struct mm_outline *ol);

/* Most levels of indentation mm_outline_text() draws: deeper lines stay at
 * this indentation and start with "[depth N] ", so a 5,000-deep nesting
 * does not turn into megabytes of spaces. */
#define MM_OUTLINE_MAX_INDENT 16

/* The outline as text: each line indented two spaces per level (at most
 * MM_OUTLINE_MAX_INDENT levels), '\n' after each. Malloc'd; *len set when
 * len != NULL. */
char *mm_outline_text(const struct mm_outline *ol, size_t *len);

/* The outline as JSON (render/mermaid/json.c): {"outline": [{"depth",
 * "kind": "subgraph"|"node"|"edge", "id" (subgraph, node) or "from" and
 * "to" (edge), "text"}], "reason": why there is no drawing, or null,
 * "warnings": [...]}. Malloc'd. */
char *mm_outline_json(const struct mm_graph *g, const struct mm_outline *ol, const char *reason);

#endif
