/* json.c — a Mermaid layout as JSON (the shape tests and tools
 * read; documented in docs/mermaid.md). */
#include "render/mermaid/layout.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *ref_id(const struct mm_graph *g, const struct mm_ref *r)
{
	if (r->is_subgraph) return json_string(g->subgraphs[r->index].id);
	return json_string(g->nodes[r->index].id);
}

/* Returns the layout of g as a malloc'd JSON string. */
char *mm_layout_json(const struct mm_graph *g, const struct mm_layout *lay)
{
	json_t *root = json_object();
	json_object_set_new(root, "width", json_integer(lay->width));
	json_object_set_new(root, "height", json_integer(lay->height));
	json_t *nodes = json_array();
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct mm_node_layout *n = &lay->nodes[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(g->nodes[i].id));
		json_object_set_new(o, "label", json_string(n->text ? n->text : ""));
		json_object_set_new(o, "x", json_integer(n->box.x));
		json_object_set_new(o, "y", json_integer(n->box.y));
		json_object_set_new(o, "w", json_integer(n->box.w));
		json_object_set_new(o, "h", json_integer(n->box.h));
		json_array_append_new(nodes, o);
	}
	json_object_set_new(root, "nodes", nodes);
	json_t *edges = json_array();
	for (size_t i = 0; i < g->nedges; i++) {
		const struct mm_edge_layout *e = &lay->edges[i];
		const struct mm_edge *ge = &g->edges[i];
		json_t *o = json_object();
		json_object_set_new(o, "from", ref_id(g, &ge->from));
		json_object_set_new(o, "to", ref_id(g, &ge->to));
		if (e->text) json_object_set_new(o, "label", json_string(e->text));
		else json_object_set_new(o, "label", json_null());
		if (e->has_label) {
			json_object_set_new(o, "label_x", json_integer(e->label.x));
			json_object_set_new(o, "label_y", json_integer(e->label.y));
		} else {
			json_object_set_new(o, "label_x", json_null());
			json_object_set_new(o, "label_y", json_null());
		}
		json_t *cells = json_array();
		for (size_t k = 0; k < e->ncells; k++) {
			json_t *c = json_array();
			json_array_append_new(c, json_integer(e->cells[k].x));
			json_array_append_new(c, json_integer(e->cells[k].y));
			json_array_append_new(cells, c);
		}
		json_object_set_new(o, "cells", cells);
		json_array_append_new(edges, o);
	}
	json_object_set_new(root, "edges", edges);
	json_t *subs = json_array();
	for (size_t i = 0; i < g->nsubgraphs; i++) {
		const struct mm_subgraph *s = &g->subgraphs[i];
		const struct mm_subgraph_layout *sl = &lay->subgraphs[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "title", json_string(s->title ? s->title : s->id));
		json_t *m = json_array();
		for (size_t k = 0; k < s->nnodes; k++)
			json_array_append_new(m, json_string(g->nodes[s->nodes[k]].id));
		for (size_t k = 0; k < s->nchildren; k++)
			json_array_append_new(m, json_string(g->subgraphs[s->children[k]].id));
		json_object_set_new(o, "members", m);
		json_object_set_new(o, "x", json_integer(sl->box.x));
		json_object_set_new(o, "y", json_integer(sl->box.y));
		json_object_set_new(o, "w", json_integer(sl->box.w));
		json_object_set_new(o, "h", json_integer(sl->box.h));
		json_array_append_new(subs, o);
	}
	json_object_set_new(root, "subgraphs", subs);
	json_t *warns = json_array();
	for (size_t i = 0; i < g->nwarnings; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "line", json_integer(g->warnings[i].line));
		json_object_set_new(o, "column", json_integer(g->warnings[i].column));
		json_object_set_new(o, "message", json_string(g->warnings[i].message ? g->warnings[i].message : ""));
		json_array_append_new(warns, o);
	}
	json_object_set_new(root, "warnings", warns);
	json_object_set_new(root, "crossings", json_integer(lay->crossings));
	char *s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!s) {
		fputs("precis: out of memory\n", stderr);
		abort();
	}
	return s;
}
