/* outline.c — a Mermaid graph as an indented outline of its nodes and
 * edges (see outline.h). Needs only the parsed graph: no layout, so it
 * works for diagrams of any size, in time linear in the graph.
 */
#include "render/mermaid/outline.h"
#include "render/mermaid/util.h"
#include "render/sanitize.h"
#include "render/width.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compressed lists: the items of bucket b are item[start[b] .. start[b+1]). */
struct buckets { int *start, *item; };

/* Sorts indices 0..n-1 into nb buckets by key(i) (stable: index order
 * within a bucket); key < 0 or ≥ nb goes to bucket fallback. */
static void bucket(struct buckets *bk, int n, int nb, const int *key, int fallback)
{
	bk->start = ml_alloc((size_t)nb + 2, sizeof(int));
	bk->item = ml_alloc((size_t)n + 1, sizeof(int));
	for (int i = 0; i < n; i++) {
		int k = key[i] >= 0 && key[i] < nb ? key[i] : fallback;
		bk->start[k + 1]++;
	}
	for (int b = 0; b < nb; b++) bk->start[b + 1] += bk->start[b];
	int *fill = ml_alloc((size_t)nb + 1, sizeof(int));
	memcpy(fill, bk->start, (size_t)nb * sizeof(int));
	for (int i = 0; i < n; i++) {
		int k = key[i] >= 0 && key[i] < nb ? key[i] : fallback;
		bk->item[fill[k]++] = i;
	}
	free(fill);
}

static void buckets_free(struct buckets *bk)
{
	free(bk->start);
	free(bk->item);
}

static const char **sort_labels;

static int label_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int c = strcmp(sort_labels[x], sort_labels[y]);
	return c ? c : x - y;
}

/* A malloc'd concatenation of up to four strings (NULLs skipped). */
static char *cat4(const char *a, const char *b, const char *c, const char *d)
{
	const char *s[4] = { a, b, c, d };
	size_t n = 1;
	for (int i = 0; i < 4; i++) if (s[i]) n += strlen(s[i]);
	char *out = ml_alloc(n, 1), *o = out;
	for (int i = 0; i < 4; i++)
		if (s[i]) { size_t l = strlen(s[i]); memcpy(o, s[i], l); o += l; }
	*o = 0;
	return out;
}

static char *clean(const char *s)
{
	return rs_clean_line(s ? s : "", s ? strlen(s) : 0, NULL);
}

/* Display names of the nodes: the cleaned label, plus " [id]" when some
 * other node shows the same label. Returns a malloc'd array of strings. */
static char **node_names(const struct mm_graph *g)
{
	int n = (int)g->nnodes;
	char **name = ml_alloc((size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++)
		name[i] = clean(g->nodes[i].label ? g->nodes[i].label : g->nodes[i].id);
	int *ord = ml_alloc((size_t)n + 1, sizeof(int));
	for (int i = 0; i < n; i++) ord[i] = i;
	sort_labels = (const char **)name;
	qsort(ord, (size_t)n, sizeof(int), label_cmp);
	char *dup = ml_alloc((size_t)n + 1, 1);
	for (int k = 1; k < n; k++)
		if (!strcmp(name[ord[k]], name[ord[k - 1]])) dup[ord[k]] = dup[ord[k - 1]] = 1;
	for (int i = 0; i < n; i++)
		if (dup[i]) {
			char *id = clean(g->nodes[i].id);
			char *s = cat4(name[i], " [", id, "]");
			free(id);
			free(name[i]);
			name[i] = s;
		}
	free(ord);
	free(dup);
	return name;
}

struct ob {
	const struct mm_graph *g;
	struct mm_outline *ol;
	char **nname, **sname;   /* display names of nodes and subgraphs */
	struct buckets nout, sout; /* outgoing edges per node / per subgraph */
	bool ascii;
};

static void add_line(struct ob *b, enum mm_outline_kind kind, int index, int depth, char *text)
{
	struct mm_outline_line *l = &b->ol->lines[b->ol->nlines++];
	l->kind = kind;
	l->index = index;
	l->target = (struct mm_ref){ false, -1 };
	l->depth = depth;
	l->text = text;
	l->width = rw_swidth(text);
}

static const char *arrow(const struct mm_edge *e, bool ascii)
{
	bool hf = e->head_from != MM_HEAD_NONE, ht = e->head_to != MM_HEAD_NONE;
	if (hf && ht) return ascii ? "<->" : "\xE2\x86\x94";   /* ↔ */
	if (ht) return ascii ? "->" : "\xE2\x86\x92";          /* → */
	if (hf) return ascii ? "<-" : "\xE2\x86\x90";          /* ← */
	return ascii ? "--" : "\xE2\x80\x94";                  /* — */
}

static bool ref_ok(const struct mm_graph *g, struct mm_ref r)
{
	return r.index >= 0 && (size_t)r.index < (r.is_subgraph ? g->nsubgraphs : g->nnodes);
}

/* Lines for the edges in bucket k of bk, at depth. */
static void add_edges(struct ob *b, const struct buckets *bk, int k, int depth)
{
	const struct mm_graph *g = b->g;
	for (int j = bk->start[k]; j < bk->start[k + 1]; j++) {
		int e = bk->item[j];
		const struct mm_edge *ge = &g->edges[e];
		if (!ref_ok(g, ge->to)) continue;
		const char *to = ge->to.is_subgraph ? b->sname[ge->to.index] : b->nname[ge->to.index];
		char *text;
		if (ge->label && ge->label[0]) {
			char *lab = clean(ge->label);
			char *head = cat4(arrow(ge, b->ascii), " ", to, " (");
			text = cat4(head, lab, ")", NULL);
			free(head);
			free(lab);
		} else
			text = cat4(arrow(ge, b->ascii), " ", to, NULL);
		add_line(b, MM_OUTLINE_EDGE, e, depth, text);
		b->ol->lines[b->ol->nlines - 1].target = ge->to;
	}
}

/* One open container on the walk: its member nodes and child subgraphs
 * still to emit. */
struct frame { int c, ni, ci, depth; };

void mm_outline_build(const struct mm_graph *g, bool ascii, struct mm_outline *ol)
{
	memset(ol, 0, sizeof *ol);
	if (!g) return;
	int nn = (int)g->nnodes, ne = (int)g->nedges, ns = (int)g->nsubgraphs;
	ol->lines = ml_alloc((size_t)nn + ne + ns + 1, sizeof *ol->lines);
	struct ob b = { .g = g, .ol = ol, .ascii = ascii };
	b.nname = node_names(g);
	b.sname = ml_alloc((size_t)ns + 1, sizeof(char *));
	for (int s = 0; s < ns; s++)
		b.sname[s] = clean(g->subgraphs[s].title ? g->subgraphs[s].title : g->subgraphs[s].id);

	/* outgoing edges per node and per subgraph (index ns / nn: none) */
	int *key = ml_alloc((size_t)(ne > nn ? ne : nn) + (size_t)ns + 1, sizeof(int));
	for (int e = 0; e < ne; e++) {
		struct mm_ref f = g->edges[e].from;
		key[e] = !f.is_subgraph && ref_ok(g, f) ? f.index : -1;
	}
	bucket(&b.nout, ne, nn + 1, key, nn);
	for (int e = 0; e < ne; e++) {
		struct mm_ref f = g->edges[e].from;
		key[e] = f.is_subgraph && ref_ok(g, f) ? f.index : -1;
	}
	bucket(&b.sout, ne, ns + 1, key, ns);
	/* members per container (index ns: the top level) */
	struct buckets mem, kid;
	for (int i = 0; i < nn; i++) key[i] = g->nodes[i].subgraph;
	bucket(&mem, nn, ns + 1, key, ns);
	for (int s = 0; s < ns; s++) key[s] = g->subgraphs[s].parent;
	bucket(&kid, ns, ns + 1, key, ns);
	free(key);

	/* depth-first over the subgraph tree with an explicit stack (nesting
	 * may be thousands deep); a subgraph is entered once even if its
	 * parent links were to loop */
	char *seen = ml_alloc((size_t)ns + 1, 1);
	struct frame *st = ml_alloc((size_t)ns + 2, sizeof *st);
	for (int root = -1; root < ns; root++) {
		int sp = 0;
		if (root < 0)
			st[sp++] = (struct frame){ ns, mem.start[ns], kid.start[ns], 0 };
		else if (!seen[root]) {
			/* only reached when the parent links do not form a tree */
			seen[root] = 1;
			add_line(&b, MM_OUTLINE_SUBGRAPH, root, 0, cat4(b.sname[root], ":", NULL, NULL));
			add_edges(&b, &b.sout, root, 1);
			st[sp++] = (struct frame){ root, mem.start[root], kid.start[root], 1 };
		}
		while (sp) {
			struct frame *f = &st[sp - 1];
			bool has_n = f->ni < mem.start[f->c + 1], has_c = f->ci < kid.start[f->c + 1];
			if (!has_n && !has_c) { sp--; continue; }
			int n = has_n ? mem.item[f->ni] : -1, s = has_c ? kid.item[f->ci] : -1;
			if (has_n && (!has_c || g->nodes[n].line <= g->subgraphs[s].line)) {
				f->ni++;
				add_line(&b, MM_OUTLINE_NODE, n, f->depth, cat4(b.nname[n], NULL, NULL, NULL));
				add_edges(&b, &b.nout, n, f->depth + 1);
				continue;
			}
			f->ci++;
			if (seen[s]) continue;
			seen[s] = 1;
			add_line(&b, MM_OUTLINE_SUBGRAPH, s, f->depth, cat4(b.sname[s], ":", NULL, NULL));
			add_edges(&b, &b.sout, s, f->depth + 1);
			int d = f->depth + 1;
			st[sp++] = (struct frame){ s, mem.start[s], kid.start[s], d };
		}
	}
	free(seen);
	free(st);
	for (int i = 0; i < nn; i++) free(b.nname[i]);
	for (int s = 0; s < ns; s++) free(b.sname[s]);
	free(b.nname);
	free(b.sname);
	buckets_free(&b.nout);
	buckets_free(&b.sout);
	buckets_free(&mem);
	buckets_free(&kid);
}

void mm_outline_free(struct mm_outline *ol)
{
	if (!ol) return;
	for (size_t i = 0; i < ol->nlines; i++) free(ol->lines[i].text);
	free(ol->lines);
	memset(ol, 0, sizeof *ol);
}

char *mm_outline_text(const struct mm_outline *ol, size_t *len)
{
	size_t cap = 1;
	for (size_t i = 0; i < ol->nlines; i++)
		cap += 2 * MM_OUTLINE_MAX_INDENT + 32 + strlen(ol->lines[i].text) + 1;
	char *out = ml_alloc(cap, 1);
	size_t o = 0;
	for (size_t i = 0; i < ol->nlines; i++) {
		const struct mm_outline_line *l = &ol->lines[i];
		int ind = l->depth < MM_OUTLINE_MAX_INDENT ? l->depth : MM_OUTLINE_MAX_INDENT;
		memset(out + o, ' ', (size_t)ind * 2);
		o += (size_t)ind * 2;
		if (l->depth > MM_OUTLINE_MAX_INDENT)
			o += (size_t)snprintf(out + o, cap - o, "[depth %d] ", l->depth);
		size_t n = strlen(l->text);
		memcpy(out + o, l->text, n);
		o += n;
		out[o++] = '\n';
	}
	out[o] = 0;
	if (len) *len = o;
	return out;
}
