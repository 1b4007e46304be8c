/* json.c — a Mermaid layout, or its outline, as JSON (the shapes tests
 * and tools read; documented in docs/mermaid.md).
 *
 * Written straight into one buffer: a layout's edge cells can number
 * millions, and a DOM of them (jansson: three allocations a cell) took
 * hundreds of megabytes. The text is what jansson's JSON_COMPACT gives
 * (keys in this order, \uXXXX in upper case), except that DEL, C1
 * controls and bidi controls are escaped too, so a pipe into a terminal
 * stays safe, and invalid UTF-8 becomes U+FFFD, so the JSON stays valid.
 */
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"
#include "render/mermaid/util.h"
#include "render/width.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jb { char *p; size_t n, cap; };

static void jb_room(struct jb *b, size_t more)
{
	if (b->n + more + 1 > b->cap) {
		b->cap = (b->n + more + 1) * 2;
		b->p = ml_realloc(b->p, b->cap, 1);
	}
}

static void jb_put(struct jb *b, const char *s)
{
	size_t n = strlen(s);
	jb_room(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void jb_int(struct jb *b, long long v)
{
	jb_room(b, 24);
	b->n += (size_t)snprintf(b->p + b->n, 24, "%lld", v);
}

/* True for what must not reach a terminal raw: DEL, C1 controls,
 * LRM/RLM/ALM, bidi embeddings, overrides and isolates. */
static bool unsafe(int32_t c)
{
	return c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x61c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* A JSON string (NULL: null). */
static void jb_str(struct jb *b, const char *s)
{
	if (!s) { jb_put(b, "null"); return; }
	size_t len = strlen(s);
	jb_room(b, len + 2);
	b->p[b->n++] = '"';
	for (size_t i = 0; i < len; ) {
		unsigned char c = (unsigned char)s[i];
		jb_room(b, 8);
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			b->p[b->n++] = (char)c;
			i++;
			continue;
		}
		int32_t cp;
		size_t k = rw_decode(s + i, len - i, &cp);
		const char *esc = cp == '"' ? "\\\"" : cp == '\\' ? "\\\\" : cp == '\b' ? "\\b" :
		                  cp == '\f' ? "\\f" : cp == '\n' ? "\\n" : cp == '\r' ? "\\r" :
		                  cp == '\t' ? "\\t" : NULL;
		if (esc)
			jb_put(b, esc);
		else if (cp < 0x20 || unsafe(cp)) {
			b->n += (size_t)snprintf(b->p + b->n, 8, "\\u%04X", (unsigned)cp);
		} else if (cp == 0xFFFD && !(k == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
			jb_put(b, "\xEF\xBF\xBD");   /* invalid bytes */
		} else {
			memcpy(b->p + b->n, s + i, k);
			b->n += k;
		}
		i += k;
	}
	b->p[b->n++] = '"';
}

/* "key": (the comma before it when not first). */
static void jb_key(struct jb *b, const char *key, bool first)
{
	if (!first) jb_put(b, ",");
	jb_str(b, key);
	jb_put(b, ":");
}

static char *jb_take(struct jb *b)
{
	jb_room(b, 0);
	b->p[b->n] = 0;
	return b->p;
}

static const char *ref_id(const struct mm_graph *g, const struct mm_ref *r)
{
	return r->is_subgraph ? g->subgraphs[r->index].id : g->nodes[r->index].id;
}

static void box(struct jb *b, struct mm_box x)
{
	jb_key(b, "x", false); jb_int(b, x.x);
	jb_key(b, "y", false); jb_int(b, x.y);
	jb_key(b, "w", false); jb_int(b, x.w);
	jb_key(b, "h", false); jb_int(b, x.h);
}

static void warnings(struct jb *b, const struct mm_graph *g)
{
	jb_key(b, "warnings", false);
	jb_put(b, "[");
	for (size_t i = 0; i < g->nwarnings; i++) {
		jb_put(b, i ? ",{" : "{");
		jb_key(b, "line", true); jb_int(b, g->warnings[i].line);
		jb_key(b, "column", false); jb_int(b, g->warnings[i].column);
		jb_key(b, "message", false); jb_str(b, g->warnings[i].message ? g->warnings[i].message : "");
		jb_put(b, "}");
	}
	jb_put(b, "]");
}

/* Returns the layout of g as a malloc'd JSON string. */
char *mm_layout_json(const struct mm_graph *g, const struct mm_layout *lay)
{
	struct jb b = { 0 };
	jb_put(&b, "{");
	jb_key(&b, "width", true); jb_int(&b, lay->width);
	jb_key(&b, "height", false); jb_int(&b, lay->height);
	jb_key(&b, "nodes", false);
	jb_put(&b, "[");
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct mm_node_layout *n = &lay->nodes[i];
		jb_put(&b, i ? ",{" : "{");
		jb_key(&b, "id", true); jb_str(&b, g->nodes[i].id);
		jb_key(&b, "label", false); jb_str(&b, n->text ? n->text : "");
		box(&b, n->box);
		jb_put(&b, "}");
	}
	jb_put(&b, "]");
	jb_key(&b, "edges", false);
	jb_put(&b, "[");
	for (size_t i = 0; i < g->nedges; i++) {
		const struct mm_edge_layout *e = &lay->edges[i];
		const struct mm_edge *ge = &g->edges[i];
		jb_put(&b, i ? ",{" : "{");
		jb_key(&b, "from", true); jb_str(&b, ref_id(g, &ge->from));
		jb_key(&b, "to", false); jb_str(&b, ref_id(g, &ge->to));
		jb_key(&b, "label", false); jb_str(&b, e->text);
		jb_key(&b, "label_x", false);
		if (e->has_label) jb_int(&b, e->label.x); else jb_put(&b, "null");
		jb_key(&b, "label_y", false);
		if (e->has_label) jb_int(&b, e->label.y); else jb_put(&b, "null");
		jb_key(&b, "cells", false);
		jb_room(&b, e->ncells * 16 + 2);
		b.p[b.n++] = '[';
		for (size_t k = 0; k < e->ncells; k++) {
			jb_room(&b, 32);
			b.n += (size_t)snprintf(b.p + b.n, 32, "%s[%d,%d]", k ? "," : "", e->cells[k].x, e->cells[k].y);
		}
		jb_put(&b, "]}");
	}
	jb_put(&b, "]");
	jb_key(&b, "subgraphs", false);
	jb_put(&b, "[");
	for (size_t i = 0; i < g->nsubgraphs; i++) {
		const struct mm_subgraph *s = &g->subgraphs[i];
		jb_put(&b, i ? ",{" : "{");
		jb_key(&b, "id", true); jb_str(&b, s->id);
		jb_key(&b, "title", false); jb_str(&b, s->title ? s->title : s->id);
		jb_key(&b, "members", false);
		jb_put(&b, "[");
		for (size_t k = 0; k < s->nnodes; k++) {
			if (k) jb_put(&b, ",");
			jb_str(&b, g->nodes[s->nodes[k]].id);
		}
		for (size_t k = 0; k < s->nchildren; k++) {
			if (k || s->nnodes) jb_put(&b, ",");
			jb_str(&b, g->subgraphs[s->children[k]].id);
		}
		jb_put(&b, "]");
		box(&b, lay->subgraphs[i].box);
		jb_put(&b, "}");
	}
	jb_put(&b, "]");
	warnings(&b, g);
	jb_key(&b, "crossings", false); jb_int(&b, lay->crossings);
	jb_put(&b, "}");
	return jb_take(&b);
}

static const char *const kind_name[] = { "subgraph", "node", "edge" };

/* Returns the outline of g as a malloc'd JSON string: {"outline": [{depth,
 * kind, id | from + to, text}], "reason": reason or null, "warnings"}. */
char *mm_outline_json(const struct mm_graph *g, const struct mm_outline *ol, const char *reason)
{
	struct jb b = { 0 };
	jb_put(&b, "{");
	jb_key(&b, "outline", true);
	jb_put(&b, "[");
	for (size_t i = 0; i < ol->nlines; i++) {
		const struct mm_outline_line *l = &ol->lines[i];
		jb_put(&b, i ? ",{" : "{");
		jb_key(&b, "depth", true); jb_int(&b, l->depth);
		jb_key(&b, "kind", false); jb_str(&b, kind_name[l->kind]);
		if (l->kind == MM_OUTLINE_EDGE) {
			jb_key(&b, "from", false); jb_str(&b, ref_id(g, &g->edges[l->index].from));
			jb_key(&b, "to", false); jb_str(&b, ref_id(g, &l->target));
		} else {
			jb_key(&b, "id", false);
			jb_str(&b, l->kind == MM_OUTLINE_NODE ? g->nodes[l->index].id : g->subgraphs[l->index].id);
		}
		jb_key(&b, "text", false); jb_str(&b, l->text);
		jb_put(&b, "}");
	}
	jb_put(&b, "]");
	jb_key(&b, "reason", false); jb_str(&b, reason);
	warnings(&b, g);
	jb_put(&b, "}");
	return jb_take(&b);
}
