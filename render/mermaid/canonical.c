/* canonical.c — a parsed flowchart as Mermaid source that mermaid-js
 * accepts (contract: render/mermaid/canonical.h).
 *
 * Layout of the output: the header, the subgraphs (nested blocks, each
 * declaring its own member nodes, so mermaid-js puts every node in the
 * same subgraph), the top-level nodes, then every edge in the graph's
 * order, then the fills and colours. Linear in the graph.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/alloc.h"
#include "render/buf.h"
#include "render/mermaid/canonical.h"

/* ---------- ids ---------- */

/* Can id be written as it is? Plain ASCII words only: letters, digits and
 * '_', not a keyword, and not a lone "o"/"x" next to a link. Anything else
 * (punctuation the official lexer splits on, non-ASCII it may not read as
 * an id) is renamed. */
static bool plain_id(const char *id)
{
	if (!*id || strlen(id) > 64)
		return false;
	for (const char *s = id; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return !mm_reserved_id(id) && strcmp(id, "default") != 0 && strcmp(id, "direction") != 0 &&
	       strcmp(id, "accTitle") != 0 && strcmp(id, "accDescr") != 0 && strcmp(id, "o") != 0 &&
	       strcmp(id, "x") != 0 && strcmp(id, "v") != 0;
}

struct names {
	char **node;      /* id written for each node */
	char **sg;        /* id written for each subgraph */
	size_t *order;    /* nodes in the order they are written */
	size_t norder;
};

/* A string set (open addressing) to keep written ids unique. */
struct sset {
	char **k;
	size_t cap;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool sset_has(const struct sset *t, const char *s)
{
	for (size_t i = hash(s) & (t->cap - 1); t->k[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->k[i], s) == 0)
			return true;
	return false;
}

static void sset_add(struct sset *t, char *s)
{
	size_t i = hash(s) & (t->cap - 1);
	while (t->k[i])
		i = (i + 1) & (t->cap - 1);
	t->k[i] = s;
}

/* Chooses the written ids: a plain id is kept unless taken already (a
 * node and a subgraph of one name), others become n1, n2, … / sg1, … */
static void choose_ids(const struct mm_graph *g, struct names *nm)
{
	size_t total = g->nnodes + g->nsubgraphs;
	struct sset used = {0};
	used.cap = 16;
	while (used.cap < 2 * (total + 1))
		used.cap *= 2;
	used.k = xcalloc(used.cap, sizeof *used.k);
	nm->node = xcalloc(g->nnodes + 1, sizeof *nm->node);
	nm->sg = xcalloc(g->nsubgraphs + 1, sizeof *nm->sg);
	/* plain ids first, so a generated one never takes a real one's name */
	for (size_t k = 0; k < g->nnodes; k++)
		if (plain_id(g->nodes[k].id) && !sset_has(&used, g->nodes[k].id)) {
			nm->node[k] = xstrndup(g->nodes[k].id, strlen(g->nodes[k].id));
			sset_add(&used, nm->node[k]);
		}
	for (size_t s = 0; s < g->nsubgraphs; s++)
		if (plain_id(g->subgraphs[s].id) && !sset_has(&used, g->subgraphs[s].id)) {
			nm->sg[s] = xstrndup(g->subgraphs[s].id, strlen(g->subgraphs[s].id));
			sset_add(&used, nm->sg[s]);
		}
	unsigned long n = 0;
	char tmp[32];
	for (size_t k = 0; k < g->nnodes; k++) {
		if (nm->node[k])
			continue;
		do
			snprintf(tmp, sizeof tmp, "n%lu", ++n);
		while (sset_has(&used, tmp));
		nm->node[k] = xstrndup(tmp, strlen(tmp));
		sset_add(&used, nm->node[k]);
	}
	n = 0;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (nm->sg[s])
			continue;
		do
			snprintf(tmp, sizeof tmp, "sg%lu", ++n);
		while (sset_has(&used, tmp));
		nm->sg[s] = xstrndup(tmp, strlen(tmp));
		sset_add(&used, nm->sg[s]);
	}
	free(used.k);
}

/* ---------- text ---------- */

/* A label as a quoted Mermaid string: the characters the official parser
 * would read as syntax are written as its entities (and an '&' that would
 * start an entity with them); an empty label as one space. */
static void put_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (!*s)
		buf_putc(b, ' ');   /* mermaid-js refuses "" */
	for (; *s; s++) {
		switch (*s) {
		case '"': buf_puts(b, "#quot;"); break;
		case '#': buf_puts(b, "#35;"); break;
		case '<': buf_puts(b, "#lt;"); break;
		case '>': buf_puts(b, "#gt;"); break;
		case '`': buf_puts(b, "#96;"); break;
		case '&': {
			/* an '&' that would start an entity with what follows */
			const char *t = s + 1;
			bool ent = *t == '#' || *t == '"' || *t == '<' || *t == '>' || *t == '`';
			if (!ent) {
				while ((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9'))
					t++;
				ent = t > s + 1 && *t == ';';
			}
			buf_puts(b, ent ? "#amp;" : "&");
			break;
		}
		case '\n': buf_puts(b, "<br>"); break;
		default: buf_putc(b, *s);
		}
	}
	buf_putc(b, '"');
}

static void indent(struct buf *b, int depth)
{
	for (int i = 0; i < depth + 1; i++)
		buf_puts(b, "    ");
}

struct shape_form {
	const char *open, *close;
};

static struct shape_form shape_form(enum mm_shape s)
{
	switch (s) {
	case MM_SHAPE_ROUND: return (struct shape_form){"(", ")"};
	case MM_SHAPE_STADIUM: return (struct shape_form){"([", "])"};
	case MM_SHAPE_SUBROUTINE: return (struct shape_form){"[[", "]]"};
	case MM_SHAPE_CYLINDER: return (struct shape_form){"[(", ")]"};
	case MM_SHAPE_CIRCLE: return (struct shape_form){"((", "))"};
	case MM_SHAPE_DOUBLECIRCLE: return (struct shape_form){"(((", ")))"};
	case MM_SHAPE_ASYMMETRIC: return (struct shape_form){">", "]"};
	case MM_SHAPE_DIAMOND: return (struct shape_form){"{", "}"};
	case MM_SHAPE_HEXAGON: return (struct shape_form){"{{", "}}"};
	case MM_SHAPE_LEAN_RIGHT: return (struct shape_form){"[/", "/]"};
	case MM_SHAPE_LEAN_LEFT: return (struct shape_form){"[\\", "\\]"};
	case MM_SHAPE_TRAPEZOID: return (struct shape_form){"[/", "\\]"};
	case MM_SHAPE_INV_TRAPEZOID: return (struct shape_form){"[\\", "/]"};
	case MM_SHAPE_ELLIPSE: return (struct shape_form){"(-", "-)"};
	default: return (struct shape_form){"[", "]"};
	}
}

static void put_node(struct buf *b, const struct mm_graph *g, struct names *nm, size_t k, int depth)
{
	const struct mm_node *n = &g->nodes[k];
	nm->order[nm->norder++] = k;
	indent(b, depth);
	buf_puts(b, nm->node[k]);
	if (n->shape_name) {
		/* a shape precis draws as a rectangle keeps its name */
		buf_printf(b, "@{ shape: %s, label: ", n->shape_name);
		put_string(b, n->label);
		buf_puts(b, " }\n");
		return;
	}
	if (n->shape == MM_SHAPE_DEFAULT && strcmp(n->label, n->id) == 0 && strcmp(nm->node[k], n->id) == 0) {
		buf_putc(b, '\n');
		return;
	}
	struct shape_form f = shape_form(n->shape);
	buf_puts(b, f.open);
	put_string(b, n->label);
	buf_puts(b, f.close);
	buf_putc(b, '\n');
}

static void put_subgraph(struct buf *b, const struct mm_graph *g, struct names *nm, size_t s, int depth)
{
	const struct mm_subgraph *sg = &g->subgraphs[s];
	indent(b, depth);
	buf_printf(b, "subgraph %s[", nm->sg[s]);
	put_string(b, sg->title && *sg->title ? sg->title : sg->id);
	buf_puts(b, "]\n");
	if (sg->has_dir) {
		indent(b, depth + 1);
		buf_printf(b, "direction %s\n", sg->dir == MM_TD ? "TB" : mm_dir_name(sg->dir));
	}
	for (size_t i = 0; i < sg->nchildren; i++)
		put_subgraph(b, g, nm, (size_t)sg->children[i], depth + 1);
	for (size_t i = 0; i < sg->nnodes; i++)
		put_node(b, g, nm, (size_t)sg->nodes[i], depth + 1);
	indent(b, depth);
	buf_puts(b, "end\n");
}

/* The link token for e: "-->", "==>", "-.->", "---", "<-->", "o--o",
 * "~~~", longer for a longer edge. Mixed heads (which the official
 * grammar refuses) are written with the target's head at both ends. */
static void put_link(struct buf *b, const struct mm_edge *e)
{
	int len = e->length < 1 ? 1 : e->length;
	if (e->stroke == MM_STROKE_INVISIBLE) {
		buf_puts(b, "~~~");
		for (int i = 1; i < len; i++)
			buf_putc(b, '~');
		return;
	}
	enum mm_head ht = e->head_to, hf = e->head_from;
	if (hf != MM_HEAD_NONE && ht == MM_HEAD_NONE)
		ht = hf;
	if (hf != MM_HEAD_NONE)
		hf = ht;
	char head = ht == MM_HEAD_ARROW ? '>' : ht == MM_HEAD_CIRCLE ? 'o' : ht == MM_HEAD_CROSS ? 'x' : 0;
	char start = hf == MM_HEAD_ARROW ? '<' : hf == MM_HEAD_CIRCLE ? 'o' : hf == MM_HEAD_CROSS ? 'x' : 0;
	if (start)
		buf_putc(b, start);
	if (e->stroke == MM_STROKE_DOTTED) {
		buf_putc(b, '-');
		for (int i = 0; i < len; i++)
			buf_putc(b, '.');
		buf_putc(b, '-');
	} else {
		char c = e->stroke == MM_STROKE_THICK ? '=' : '-';
		/* "-->" is two dashes and a head, "---" three dashes: one more
		 * for each extra rank */
		int n = (head ? 2 : 3) + len - 1;
		for (int i = 0; i < n; i++)
			buf_putc(b, c);
	}
	if (head)
		buf_putc(b, head);
}

static const char *ref_name(const struct names *nm, struct mm_ref r)
{
	return r.is_subgraph ? nm->sg[r.index] : nm->node[r.index];
}

char *mm_canonical(const struct mm_graph *g, size_t *len)
{
	return mm_canonical_names(g, len, NULL, NULL);
}

char *mm_canonical_names(const struct mm_graph *g, size_t *len, char ***node_ids, char ***sg_ids)
{
	struct buf b = {0};
	struct names nm;
	choose_ids(g, &nm);
	nm.order = xcalloc(g->nnodes + 1, sizeof *nm.order);
	nm.norder = 0;
	buf_printf(&b, "flowchart %s\n", g->dir == MM_TD ? "TB" : mm_dir_name(g->dir));
	for (size_t s = 0; s < g->nsubgraphs; s++)
		if (g->subgraphs[s].parent < 0)
			put_subgraph(&b, g, &nm, s, 0);
	for (size_t k = 0; k < g->nnodes; k++)
		if (g->nodes[k].subgraph < 0)
			put_node(&b, g, &nm, k, 0);
	/* an edge id is kept when it is a plain word no node or subgraph uses
	 * and no earlier edge took it */
	struct sset eids = {0};
	eids.cap = 16;
	while (eids.cap < 2 * (g->nedges + 1))
		eids.cap *= 2;
	eids.k = xcalloc(eids.cap, sizeof *eids.k);
	for (size_t i = 0; i < g->nedges; i++) {
		const struct mm_edge *e = &g->edges[i];
		indent(&b, 0);
		buf_puts(&b, ref_name(&nm, e->from));
		buf_putc(&b, ' ');
		if (e->id && plain_id(e->id) && !sset_has(&eids, e->id) && mm_find_node(g, e->id) < 0) {
			bool sg = false;
			for (size_t s = 0; s < g->nsubgraphs && !sg; s++)
				sg = strcmp(nm.sg[s], e->id) == 0;
			if (!sg) {
				sset_add(&eids, e->id);
				buf_printf(&b, "%s@", e->id);
			}
		}
		put_link(&b, e);
		if (e->label && *e->label) {
			buf_putc(&b, '|');
			put_string(&b, e->label);
			buf_putc(&b, '|');
		}
		buf_putc(&b, ' ');
		buf_puts(&b, ref_name(&nm, e->to));
		buf_putc(&b, '\n');
	}
	free(eids.k);
	/* in the order the nodes were written, so the output read again
	 * gives the same output */
	for (size_t o = 0; o < nm.norder; o++) {
		size_t k = nm.order[o];
		const struct mm_node *n = &g->nodes[k];
		if (!n->has_fill && !n->has_color)
			continue;
		indent(&b, 0);
		buf_printf(&b, "style %s ", nm.node[k]);
		if (n->has_fill)
			buf_printf(&b, "fill:#%06x%s", (unsigned)(n->fill & 0xFFFFFF), n->has_color ? "," : "");
		if (n->has_color)
			buf_printf(&b, "color:#%06x", (unsigned)(n->color & 0xFFFFFF));
		buf_putc(&b, '\n');
	}
	free(nm.order);
	if (node_ids) {
		*node_ids = nm.node;
	} else {
		for (size_t k = 0; k < g->nnodes; k++)
			free(nm.node[k]);
		free(nm.node);
	}
	if (sg_ids) {
		*sg_ids = nm.sg;
	} else {
		for (size_t s = 0; s < g->nsubgraphs; s++)
			free(nm.sg[s]);
		free(nm.sg);
	}
	if (len)
		*len = b.len;
	return buf_take(&b);
}
