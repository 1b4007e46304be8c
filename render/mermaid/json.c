/* json.c — a Mermaid layout, or its outline, as JSON (the shapes tests
 * and tools read; documented in docs/mermaid.md). */
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *ref_id(const struct mm_graph *g, const struct mm_ref *r)
{
	if (r->is_subgraph) return json_string(g->subgraphs[r->index].id);
	return json_string(g->nodes[r->index].id);
}

static json_t *warnings_json(const struct mm_graph *g)
{
	json_t *warns = json_array();
	for (size_t i = 0; i < g->nwarnings; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "line", json_integer(g->warnings[i].line));
		json_object_set_new(o, "column", json_integer(g->warnings[i].column));
		json_object_set_new(o, "message", json_string(g->warnings[i].message ? g->warnings[i].message : ""));
		json_array_append_new(warns, o);
	}
	return warns;
}

/* Code point of the character at s that must not reach a terminal raw
 * (DEL, C1 controls, LRM/RLM/ALM, bidi embeddings, overrides and
 * isolates), with its length in *n; 0 for any other character. */
static unsigned unsafe_cp(const unsigned char *s, size_t *n)
{
	if (s[0] == 0x7f) { *n = 1; return 0x7f; }
	if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] < 0xA0) { *n = 2; return s[1]; }
	if (s[0] == 0xD8 && s[1] == 0x9C) { *n = 2; return 0x61C; }
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE))) {
		*n = 3;
		return 0x2000u + (s[2] - 0x80u);
	}
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9) { *n = 3; return 0x2040u + (s[2] - 0x80u); }
	return 0;
}

/* A malloc'd compact dump of root (which it releases). jansson escapes
 * only what is below U+0020; the characters unsafe_cp() names are written
 * as \uXXXX too, so the JSON is the same data and safe in a terminal
 * (they can only occur inside strings). */
static char *dump(json_t *root)
{
	char *s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!s) {
		fputs("precis: out of memory\n", stderr);
		abort();
	}
	size_t len = strlen(s), extra = 0, n;
	for (size_t i = 0; i < len; i++)
		if (unsafe_cp((const unsigned char *)s + i, &n)) extra += 6;
	if (!extra) return s;
	char *out = malloc(len + extra + 1), *o = out;
	if (!out) {
		fputs("precis: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < len; ) {
		unsigned cp = unsafe_cp((const unsigned char *)s + i, &n);
		if (cp) {
			o += sprintf(o, "\\u%04x", cp);
			i += n;
		} else
			*o++ = s[i++];
	}
	*o = 0;
	free(s);
	return out;
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
	json_object_set_new(root, "warnings", warnings_json(g));
	json_object_set_new(root, "crossings", json_integer(lay->crossings));
	return dump(root);
}

static const char *const kind_name[] = { "subgraph", "node", "edge" };

/* Returns the outline of g as a malloc'd JSON string: {"outline": [{depth,
 * kind, id | from + to, text}], "reason": reason or null, "warnings"}. */
char *mm_outline_json(const struct mm_graph *g, const struct mm_outline *ol, const char *reason)
{
	json_t *root = json_object();
	json_t *lines = json_array();
	for (size_t i = 0; i < ol->nlines; i++) {
		const struct mm_outline_line *l = &ol->lines[i];
		json_t *o = json_object();
		json_object_set_new(o, "depth", json_integer(l->depth));
		json_object_set_new(o, "kind", json_string(kind_name[l->kind]));
		if (l->kind == MM_OUTLINE_EDGE) {
			json_object_set_new(o, "from", ref_id(g, &g->edges[l->index].from));
			json_object_set_new(o, "to", ref_id(g, &l->target));
		} else if (l->kind == MM_OUTLINE_NODE)
			json_object_set_new(o, "id", json_string(g->nodes[l->index].id));
		else
			json_object_set_new(o, "id", json_string(g->subgraphs[l->index].id));
		json_object_set_new(o, "text", json_string(l->text));
		json_array_append_new(lines, o);
	}
	json_object_set_new(root, "outline", lines);
	json_object_set_new(root, "reason", reason ? json_string(reason) : json_null());
	json_object_set_new(root, "warnings", warnings_json(g));
	return dump(root);
}
