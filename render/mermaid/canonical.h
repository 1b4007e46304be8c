/* canonical.h — a parsed Mermaid flowchart written back as Mermaid source
 * that mermaid-js accepts (`precis mermaid --canonical`).
 *
 * The source describes the graph precis read: the direction, every node
 * with its label and shape, every subgraph (nested, with its title, its
 * members and its own direction), every edge with its label, heads,
 * stroke and length, and node fills/colours. What the lenient parser had
 * to guess at is written as it was read, in the form the official grammar
 * accepts: every label quoted (quotes, '#', '<', '>' and backticks as
 * mermaid entities, line breaks as <br>), ids the official lexer would
 * misread (keywords, punctuation, non-ASCII, ids ending in a dash) renamed
 * n1, n2, … with their text kept as the label. No ncurses here.
 */
#ifndef PRECIS_RENDER_MERMAID_CANONICAL_H
#define PRECIS_RENDER_MERMAID_CANONICAL_H

#include <stddef.h>

#include "render/mermaid/mermaid.h"

/* The canonical source of g (malloc'd, NUL-terminated, ends in '\n');
 * its length in *len when len is not NULL. */
char *mm_canonical(const struct mm_graph *g, size_t *len);

/* The same, and the id written for each node and subgraph: (*node_ids)[k]
 * for g->nodes[k], (*sg_ids)[s] for g->subgraphs[s] (malloc'd arrays of
 * malloc'd strings, for the caller to free; either pointer may be NULL). */
char *mm_canonical_names(const struct mm_graph *g, size_t *len, char ***node_ids, char ***sg_ids);

#endif
