/* parse.c — lenient Mermaid flowchart parser (contract: render/mermaid/mermaid.h).
 *
 * One pass over the source with a cursor; statements end at a newline or
 * ';' outside quotes and brackets. Nothing here fails on a bad statement: it
 * is skipped (or guessed at) with a warning carrying line and column. Every
 * scan is bounded so the whole parse is linear in the input: lookups go
 * through hash maps, and any search that can fail remembers its failure or
 * consumes what it scanned.
 *
 * Membership follows the official parser: a node belongs to the first
 * subgraph to *close* among those whose body mentions it (so the innermost
 * wins, and a node first mentioned at top level still joins a subgraph that
 * mentions it later). Ids that name a subgraph become subgraph references.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/mermaid.h"
#include "render/alloc.h"
#include "render/mermaid/parse_int.h"


/* ---------- graph building ---------- */

/* Index of the node with this id, creating it (label = id) when new. */
static int node_get(struct pst *p, const char *id, size_t idlen, size_t off)
{
	int k = mp_map_getn(&p->nodes, id, idlen);
	if (k >= 0)
		return k;
	char *key = xstrndup(id, idlen);
	struct mm_graph *g = p->g;
	xgrow(&g->nodes, &p->ncap, g->nnodes + 1, sizeof *g->nodes);
	xgrow(&p->nx, &p->nxcap, g->nnodes + 1, sizeof *p->nx);
	k = (int)g->nnodes++;
	struct mm_node *nd = &g->nodes[k];
	memset(nd, 0, sizeof *nd);
	nd->id = key;
	nd->label = mp_label_plain(key, idlen);
	nd->shape = MM_SHAPE_DEFAULT;
	nd->subgraph = -1;
	nd->line = mp_pos_line(p, off);
	memset(&p->nx[k], 0, sizeof p->nx[k]);
	mp_map_put(&p->nodes, nd->id, k);
	if (mm_reserved_id(nd->id))
		mp_warn(p, off, 0, 0, "'%.60s' as a node id: mermaid-js rejects it (a keyword)", nd->id);
	return k;
}

static void mention(struct pst *p, int node)
{
	if (!p->stack.n)
		return;
	int sg = p->stack.v[p->stack.n - 1];
	struct int_vec *m = &p->mention[sg];
	xgrow(&m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n++] = node;
}

static void ivec_push(struct int_vec *v, int x)
{
	xgrow(&v->v, &v->cap, v->n + 1, sizeof *v->v);
	v->v[v->n++] = x;
}

static void edge_add(struct pst *p, int from, int to, const struct mm_edge *tmpl, size_t off)
{
	struct mm_graph *g = p->g;
	xgrow(&g->edges, &p->ecap, g->nedges + 1, sizeof *g->edges);
	struct mm_edge *e = &g->edges[g->nedges++];
	*e = *tmpl;
	e->from.is_subgraph = false;
	e->from.index = from;
	e->to.is_subgraph = false;
	e->to.index = to;
	e->label = tmpl->label ? xstrndup(tmpl->label, strlen(tmpl->label)) : NULL;
	e->line = mp_pos_line(p, off);
}

/* ---------- labels in brackets ---------- */


struct opener {
	const char *open;
	const char *close1;
	enum mm_shape shape1;
	const char *close2;   /* alternative closer ([/ … \] ) or NULL */
	enum mm_shape shape2;
};

/* Longest first. */
static const struct opener OPENERS[] = {
	{"(((", ")))", MM_SHAPE_DOUBLECIRCLE, NULL, 0},
	{"((", "))", MM_SHAPE_CIRCLE, NULL, 0},
	{"([", "])", MM_SHAPE_STADIUM, NULL, 0},
	{"(-", "-)", MM_SHAPE_ELLIPSE, NULL, 0},
	{"(", ")", MM_SHAPE_ROUND, NULL, 0},
	{"[[", "]]", MM_SHAPE_SUBROUTINE, NULL, 0},
	{"[(", ")]", MM_SHAPE_CYLINDER, NULL, 0},
	{"[/", "/]", MM_SHAPE_LEAN_RIGHT, "\\]", MM_SHAPE_TRAPEZOID},
	{"[\\", "\\]", MM_SHAPE_LEAN_LEFT, "/]", MM_SHAPE_INV_TRAPEZOID},
	{"[", "]", MM_SHAPE_RECT, NULL, 0},
	{"{{", "}}", MM_SHAPE_HEXAGON, NULL, 0},
	{"{", "}", MM_SHAPE_DIAMOND, NULL, 0},
	{">", "]", MM_SHAPE_ASYMMETRIC, NULL, 0},
};

/* Which closer starts at i (1 or 2), or 0. */
static int closer_at(const struct pst *p, size_t i, const struct opener *o)
{
	if (mp_at(p, i, o->close1))
		return 1;
	if (o->close2 && mp_at(p, i, o->close2))
		return 2;
	return 0;
}


/* Scans a bracketed label starting at p->i (just after the opener).
 * Quoted pieces are atomic and may span lines; unquoted text ends at the
 * closer or the end of the line (then the label is closed there with a
 * warning). Appends the raw text (quotes removed) to raw; *md is set for a
 * Markdown string. Returns the closer used (1/2), 0 if unterminated. */
static int scan_label(struct pst *p, const struct opener *o, struct buf *raw, bool *md, bool *quoted)
{
	size_t start = p->i;
	int depth = 0;
	bool single = strlen(o->close1) == 1 && !o->close2;
	char openc = o->open[strlen(o->open) - 1];
	bool risky_warned = false;
	*md = false;
	*quoted = false;
	/* leading whitespace (also newlines) before a quote is not text */
	size_t k = p->i;
	while (k < p->end && (mp_is_sp(p->s[k]) || p->s[k] == '\n'))
		k++;
	if (k < p->end && p->s[k] == '"') {
		size_t q = mp_next_quote(p, k + 1);
		if (q < p->end) {
			*quoted = true;
			size_t a = k + 1;
			/* a backslash-escaped quote is not mermaid, but LLMs write it */
			while (q < p->end && q > a && p->s[q - 1] == '\\') {
				size_t q2 = mp_next_quote(p, q + 1);
				size_t e = mp_eol(p, q);
				if (q2 >= p->end || q2 > e || !closer_at(p, q2 + 1, o))
					break;
				mp_warn(p, q - 1, 0, 0, "backslash-escaped quote in label read as '\"'");
				buf_put(raw, p->s + a, q - 1 - a);
				buf_putc(raw, '"');
				a = q + 1;
				q = q2;
			}
			/* 'A["This is a "()" in text"]': the quote that ends the label
			 * is the one the closer follows; the inner ones are text */
			size_t e = mp_eol(p, a), y = q + 1;
			while (y < e && mp_is_sp(p->s[y]))
				y++;
			if (q < e && !closer_at(p, y, o)) {
				/* up to the first closer, at most 1,000 bytes on: linear */
				size_t lim = e - q > 1000 ? q + 1000 : e;
				for (size_t x = q + 1; x < lim && !closer_at(p, x, o); x++) {
					if (p->s[x] != '"')
						continue;
					size_t z = x + 1;
					while (z < e && mp_is_sp(p->s[z]))
						z++;
					if (closer_at(p, z, o)) {
						mp_warn(p, q, 0, 0, "quotes inside a quoted label kept as text (mermaid-js rejects them)");
						q = x;
						break;
					}
				}
			}
			buf_put(raw, p->s + a, q - a);
			const char *nl = memchr(p->s + a, '\n', q - a);
			if (nl) {
				/* the official parser reads on to the next quote; when the
				 * first line already closes the label, a quote is missing */
				size_t e1 = (size_t)(nl - p->s);
				for (size_t x = a; x + strlen(o->close1) <= e1; x++)
					if (closer_at(p, x, o)) {
						mp_warn(p, k, k, e1, "quoted label runs to line %d: closing quote missing?",
							mp_pos_line(p, q));
						break;
					}
			}
			if (raw->len >= 2 && raw->p[0] == '`' && raw->p[raw->len - 1] == '`')
				*md = true;
			p->i = q + 1;
		}
	}
	size_t text_from = p->i;
	while (p->i < p->end) {
		char c = p->s[p->i];
		if (depth == 0) {
			int which = closer_at(p, p->i, o);
			if (which) {
				if (*quoted && p->i > text_from) {
					/* text after a quoted part: kept, like the official parser */
					*md = false;
				}
				p->i += strlen(which == 1 ? o->close1 : o->close2);
				return which;
			}
		}
		if (c == '\n')
			break;
		if (c == '"' && p->i >= text_from) {
			size_t q = mp_next_quote(p, p->i + 1);
			if (*quoted || p->i != text_from) {
				/* quote in the middle of text: literal */
				if (!risky_warned) {
					mp_warn(p, p->i, 0, 0, "quote inside unquoted label kept as text");
					risky_warned = true;
				}
			} else if (q < p->end && q <= mp_eol(p, p->i)) {
				buf_put(raw, p->s + p->i + 1, q - p->i - 1);
				p->i = q + 1;
				continue;
			}
		} else if (single && c == openc) {
			depth++;
		} else if (single && depth > 0 && c == o->close1[0]) {
			depth--;
		}
		if (!risky_warned && !*quoted && mp_is_risky(c)) {
			mp_warn(p, p->i, 0, 0, "'%c' inside an unquoted label (quote the label)", c);
			risky_warned = true;
		}
		buf_putc(raw, c);
		p->i++;
	}
	/* unterminated: the label is what we have up to the end of the line */
	mp_warn(p, start, start, p->i, "unterminated '%s' label closed at end of line", o->open);
	return 0;
}

/* ---------- nodes ---------- */

/* Skips a ":::class" suffix, recording the class for node k. */
static void parse_class_suffix(struct pst *p, int k)
{
	while (mp_at(p, p->i, ":::")) {
		p->i += 3;
		size_t l = mp_id_len(p, p->i);
		if (!l) {
			mp_warn(p, p->i, 0, 0, "':::' without a class name");
			return;
		}
		xgrow(&p->uses, &p->ucap, p->nuses + 1, sizeof *p->uses);
		p->uses[p->nuses].node = k;
		p->uses[p->nuses].name = xstrndup(p->s + p->i, l);
		p->nuses++;
		p->i += l;
	}
}

/* Skips "@{ … }" (new-style shape data); reads label: and shape: keys. */
static void parse_shape_data(struct pst *p, int k)
{
	size_t a = p->i;
	p->i += 2;
	size_t b = p->i;
	if (b < p->brace_none) {
		while (b < p->end && p->s[b] != '}') {
			if (p->s[b] == '"') {
				size_t q = mp_next_quote(p, b + 1);
				b = q < p->end ? q + 1 : p->end;
				continue;
			}
			b++;
		}
	} else {
		b = p->end;
	}
	if (b >= p->end) {
		/* unterminated: take the rest of the line only */
		if (p->i < p->brace_none)
			p->brace_none = p->i;
		b = mp_eol(p, p->i);
		mp_warn(p, a, a, b, "unterminated '@{' shape data");
	}
	size_t bad = 0, badlen = 0;
	int r = mp_shape_data(p->g, k, p->s + p->i, b - p->i, &bad, &badlen);
	if (r == 2)
		mp_warn(p, p->i + bad, p->i + bad, p->i + bad + badlen,
			"unknown shape (mermaid-js rejects it) drawn as a rectangle");
	else if (r == 1)
		mp_warn(p, p->i + bad, p->i + bad, p->i + bad + badlen, "shape drawn as a rectangle");
	p->i = b < p->end ? b + 1 : b;
	p->nx[k].explicit_shape = true;
}

/* "A[|borders:lt|text]": a rectangle with a property. Moves the cursor to
 * the label's start (after the second '|') and returns true when the
 * property part is there. */
static bool props_label(struct pst *p)
{
	size_t e = mp_eol(p, p->i), k = p->i + 2, colon = 0;
	if (!mp_at(p, p->i, "[|"))
		return false;
	while (k < e && p->s[k] != '|' && p->s[k] != ']' && p->s[k] != '"') {
		if (p->s[k] == ':' && !colon)
			colon = k;
		k++;
	}
	if (k >= e || p->s[k] != '|' || !colon || colon == p->i + 2 || colon + 1 == k)
		return false;
	p->i = k + 1;
	return true;
}

/* "odd->Vertex Text]": like mermaid-js, an id right before "->" that a
 * "]" closes on the same line (no "[", quote or link between) ends in
 * the dash, and the rest is an odd-shaped label. */
static bool odd_dash(struct pst *p, size_t at)
{
	if (!mp_at(p, at, "->"))
		return false;
	size_t e = mp_eol(p, at);
	for (size_t k = at + 2; k < e; k++) {
		char c = p->s[k];
		if (c == ']')
			return k > at + 2;
		if (c == '[' || c == '"' || c == '|' || mp_at(p, k, "--") || mp_at(p, k, "==") ||
		    mp_at(p, k, "-.") || mp_at(p, k, "->"))
			return false;
	}
	return false;
}

/* Does the text at i end a node whose id starts with punctuation (a
 * link, '&', a shape, data, a class, or the statement's end)? Other text
 * ("# note", "- item") is not a statement. */
static bool ends_punct_id(struct pst *p, size_t i)
{
	if (i >= p->end)
		return true;
	char c = p->s[i];
	if (c == '[' || c == '(' || c == '{' || c == '>' || mp_at(p, i, "@{") || mp_at(p, i, ":::"))
		return true;
	while (i < p->end && mp_is_sp(p->s[i]))
		i++;
	if (i >= p->end)
		return true;
	c = p->s[i];
	if (c == '\n' || c == ';' || c == '&' || mp_at(p, i, "%%"))
		return true;
	struct link t = {0};
	size_t sl;
	if (c == '<' || ((c == 'o' || c == 'x') && i + 1 < p->end))
		i++;
	return mp_link_token(p, i, &t) > 0 || mp_text_start(p, i, &sl) >= 0 ||
	       (mp_at(p, i, "->"));
}

/* Parses one node reference (id with optional shape and label). Returns
 * its index, or -1 (cursor unchanged) when no id starts here. */
static int parse_node(struct pst *p)
{
	size_t a = p->i;
	size_t l = mp_id_len(p, a);
	if (!l)
		return -1;
	if (odd_dash(p, a + l))
		l++;
	if (!mp_word_start(p, a) && !ends_punct_id(p, a + l))
		return -1;
	int k = node_get(p, p->s + a, l, a);
	p->i = a + l;
	bool props = props_label(p);
	for (size_t o = 0; o < sizeof OPENERS / sizeof OPENERS[0]; o++) {
		const struct opener *op = &OPENERS[o];
		if (props) {
			if (op->shape1 != MM_SHAPE_RECT)
				continue;
		} else if (!mp_at(p, p->i, op->open)) {
			continue;
		}
		if (op->open[0] == '>' && mp_next_rbracket(p, p->i) > mp_eol(p, p->i))
			break;
		if (op->shape1 == MM_SHAPE_ELLIPSE) {
			/* "(-" is an ellipse only when "-)" closes it on the line */
			size_t e = mp_eol(p, p->i), x;
			for (x = p->i + 2; x + 1 < e; x++)
				if (p->s[x] == '-' && p->s[x + 1] == ')')
					break;
			if (x + 1 >= e)
				continue;
		}
		if (!props)
			p->i += strlen(op->open);
		free(p->g->nodes[k].shape_name);
		p->g->nodes[k].shape_name = NULL;
		struct buf raw = {0};
		bool md, quoted;
		int which = scan_label(p, op, &raw, &md, &quoted);
		struct mm_node *nd = &p->g->nodes[k];
		nd->shape = which == 2 ? op->shape2 : op->shape1;
		free(nd->label);
		nd->label = mp_label(raw.p ? raw.p : "", raw.len, md);
		free(raw.p);
		p->nx[k].explicit_shape = true;
		break;
	}
	if (mp_at(p, p->i, "@{"))
		parse_shape_data(p, k);
	parse_class_suffix(p, k);
	return k;
}

/* ---------- statements ---------- */

struct group {
	int *v;
	size_t n, cap;
};

/* Parses "node (& node)*". Returns false when no node starts here. */
static bool parse_group(struct pst *p, struct group *gr)
{
	gr->n = 0;
	for (;;) {
		int k = parse_node(p);
		if (k < 0)
			return gr->n > 0;
		xgrow(&gr->v, &gr->cap, gr->n + 1, sizeof *gr->v);
		gr->v[gr->n++] = k;
		mention(p, k);
		size_t save = p->i;
		mp_skip_sp(p);
		if (p->i < p->end && p->s[p->i] == '&') {
			p->i++;
			mp_skip_sp(p);
			continue;
		}
		p->i = save;
		return true;
	}
}

/* Is the next non-blank text (possibly on following lines) a link? Moves
 * the cursor there when it is. */
static bool continue_with_link(struct pst *p)
{
	size_t k = p->i;
	while (k < p->end && (mp_is_sp(p->s[k]) || p->s[k] == '\n'))
		k++;
	struct link t = {0};
	size_t sl, l = 0;
	if (k >= p->end)
		return false;
	if ((l = mp_link_token(p, k, &t)) == 0 && p->s[k] == '<' && (l = mp_link_token(p, k + 1, &t)) > 0)
		l++;
	if (l == 0 && mp_text_start(p, k, &sl) >= 0)
		l = sl;
	if (l == 0)
		return false;
	/* a lone "---" line (a Markdown rule, say) does not continue anything:
	 * the link must lead somewhere on its own line */
	size_t e = mp_eol(p, k), x = k + l;
	while (x < e && mp_is_sp(p->s[x]))
		x++;
	if (x >= e)
		return false;
	p->i = k;
	return true;
}

/* Length of an edge id "e1" when "e1@" and a link start at i (like
 * mermaid-js's LINK_ID: no space or quote, '@' not before '{' or '"'),
 * else 0. */
static size_t edge_id_at(struct pst *p, size_t i)
{
	size_t k = i;
	while (k < p->end && !mp_is_sp(p->s[k]) && p->s[k] != '\n' && p->s[k] != '"' && p->s[k] != '@' &&
	       p->s[k] != ';' && k - i < 256)
		k++;
	if (k == i || k >= p->end || p->s[k] != '@')
		return 0;
	size_t x = k + 1;
	struct link t = {0};
	size_t sl;
	if (x < p->end && (p->s[x] == '<' || ((p->s[x] == 'o' || p->s[x] == 'x') && mp_at(p, x + 1, "-")) ||
			   ((p->s[x] == 'o' || p->s[x] == 'x') && mp_at(p, x + 1, "="))))
		x++;
	if (mp_link_token(p, x, &t) > 0 || mp_text_start(p, x, &sl) >= 0)
		return k - i;
	return 0;
}

/* Skips "@{ … }" (quotes atomic) at the cursor; false when unterminated
 * (then the rest of the line is skipped). */
static bool skip_braces(struct pst *p)
{
	size_t b = p->i + 2;
	if (b < p->brace_none) {
		while (b < p->end && p->s[b] != '}') {
			if (p->s[b] == '"') {
				size_t q = mp_next_quote(p, b + 1);
				b = q < p->end ? q + 1 : p->end;
				continue;
			}
			b++;
		}
	} else {
		b = p->end;
	}
	if (b >= p->end) {
		if (p->i < p->brace_none)
			p->brace_none = p->i;
		p->i = mp_eol(p, p->i);
		return false;
	}
	p->i = b + 1;
	return true;
}

/* Node/edge statement: group (link group)*. Returns false if nothing parsed. */
static bool parse_edge_stmt(struct pst *p)
{
	struct group g1 = {0}, g2 = {0};
	size_t stmt = p->i;
	if (!parse_group(p, &g1)) {
		free(g1.v);
		return false;
	}
	for (;;) {
		size_t save = p->i;
		mp_skip_sp(p);
		if (p->i >= p->end || p->s[p->i] == '\n') {
			p->i = save;
			if (!continue_with_link(p))
				break;
		}
		struct link lk;
		char *eid = NULL;
		size_t idl = edge_id_at(p, p->i);
		if (idl) {
			eid = xstrndup(p->s + p->i, idl);
			p->i += idl + 1;
		}
		size_t lat = p->i;
		if (!mp_parse_link(p, &lk)) {
			free(eid);
			p->i = save;
			break;
		}
		while (p->i < p->end && (mp_is_sp(p->s[p->i]) || p->s[p->i] == '\n'))
			p->i++;
		if (!parse_group(p, &g2)) {
			mp_warn(p, lat, stmt, p->i, "link without a target ignored");
			free(lk.label);
			free(eid);
			break;
		}
		struct mm_edge tmpl = {0};
		tmpl.label = lk.label;
		tmpl.head_from = lk.hf;
		tmpl.head_to = lk.ht;
		tmpl.stroke = lk.stroke;
		tmpl.length = lk.length;
		size_t first = p->g->nedges;
		for (size_t x = 0; x < g1.n; x++)
			for (size_t y = 0; y < g2.n; y++)
				edge_add(p, g1.v[x], g2.v[y], &tmpl, stmt);
		if (eid && p->g->nedges > first) {
			/* the id names the link's first edge */
			p->g->edges[first].id = eid;
			mp_map_put(&p->edge_ids, eid, (int)first);
		} else {
			free(eid);
		}
		free(lk.label);
		struct group t = g1;
		g1 = g2;
		g2 = t;
	}
	free(g1.v);
	free(g2.v);
	return true;
}

static size_t word_at(const struct pst *p, size_t i)
{
	size_t k = i;
	while (k < p->end && ((p->s[k] >= 'a' && p->s[k] <= 'z') || (p->s[k] >= 'A' && p->s[k] <= 'Z')))
		k++;
	return k - i;
}

/* Is s[i..i+l) the keyword kw, not followed by an id character? */
static bool keyword(const struct pst *p, size_t i, size_t l, const char *kw)
{
	/* "accTitle: …": a colon may follow a keyword (ids may hold colons) */
	return strlen(kw) == l && memcmp(p->s + i, kw, l) == 0 &&
	       (!mp_id_char(p, i + l, false) || (p->s[i + l] == ':' && !mp_at(p, i + l, ":::"))) &&
	       !(i + l < p->end && (p->s[i + l] == '-' || p->s[i + l] == '.' || p->s[i + l] == '['));
}

static bool parse_dir(const char *s, size_t l, enum mm_dir *d)
{
	if (l == 2) {
		char a = s[0] & ~0x20, b = s[1] & ~0x20;
		if ((a == 'T' && b == 'D') || (a == 'T' && b == 'B')) {
			*d = MM_TD;
			return true;
		}
		if (a == 'B' && b == 'T') {
			*d = MM_BT;
			return true;
		}
		if (a == 'L' && b == 'R') {
			*d = MM_LR;
			return true;
		}
		if (a == 'R' && b == 'L') {
			*d = MM_RL;
			return true;
		}
	}
	if (l == 1) {
		switch (s[0]) {
		case 'v': *d = MM_TD; return true;
		case '^': *d = MM_BT; return true;
		case '>': *d = MM_LR; return true;
		case '<': *d = MM_RL; return true;
		}
	}
	return false;
}

/* Reads a direction word at the cursor into *d; warns on a bad one. */
static bool read_dir(struct pst *p, enum mm_dir *d)
{
	mp_skip_sp(p);
	size_t a = p->i;
	while (p->i < p->end && !mp_is_sp(p->s[p->i]) && p->s[p->i] != '\n' && p->s[p->i] != ';')
		p->i++;
	if (p->i == a)
		return false;
	if (parse_dir(p->s + a, p->i - a, d))
		return true;
	mp_warn(p, a, a, p->i, "unknown direction ignored");
	return false;
}

/* End of a style-like line: ';' or newline (quotes atomic on the line). */
static size_t stmt_end(struct pst *p, size_t i)
{
	size_t e = mp_eol(p, i);
	size_t k = i;
	while (k < e && p->s[k] != ';') {
		if (p->s[k] == '"') {
			const char *q = memchr(p->s + k + 1, '"', e - k - 1);
			if (q) {
				k = (size_t)(q - p->s) + 1;
				continue;
			}
		}
		k++;
	}
	return k;
}

static void open_subgraph(struct pst *p, size_t kw);
static void close_subgraph(struct pst *p, size_t at_off, bool eof);

/* style / classDef / class: fills and colours are kept. */
static size_t hash_semicolon(const struct pst *p, size_t a, size_t b);

static void parse_style_like(struct pst *p, size_t kw, const char *which)
{
	size_t e = stmt_end(p, p->i);
	if (which[1] != 'l') {
		/* mermaid-js drops a ';' after a colour only at the line's end */
		size_t eol = mp_eol(p, e), h = hash_semicolon(p, kw, e + 1 <= eol ? e + 1 : eol);
		size_t after = e + 1;
		while (after < eol && (mp_is_sp(p->s[after]) || p->s[after] == ';'))
			after++;
		if (h < e + 1 && e < eol && after < eol && !mp_at(p, after, "%%"))
			mp_note(p, h, kw, e, "'#…;' read as an entity by mermaid-js, which rejects the line (end it with a newline)");
	}
	mp_skip_sp(p);
	size_t a = p->i;
	size_t b = a;
	while (b < e && !mp_is_sp(p->s[b]))
		b++;
	if (b == a) {
		mp_warn(p, kw, kw, e, "%s without a target ignored", which);
		p->i = e;
		return;
	}
	const char *props = p->s + b;
	size_t plen = e - b;
	if (which[0] == 's') {
		/* style ID[,ID…] props — creates the node like the official parser */
		struct mm_style st;
		mp_parse_style(props, plen, &st);
		for (size_t x = a; x < b;) {
			size_t y = x;
			while (y < b && p->s[y] != ',')
				y++;
			/* the list's commas separate ids here */
			size_t save_end = p->end;
			p->end = y;
			size_t l = mp_id_len(p, x);
			p->end = save_end;
			if (l == 0 || x + l != y) {
				mp_warn(p, x, x, y, "style for something that is not a node id ignored");
				x = y + 1;
				continue;
			}
			int k = node_get(p, p->s + x, l, x);
			if (st.has_fill) {
				p->g->nodes[k].has_fill = true;
				p->g->nodes[k].fill = st.fill;
				p->nx[k].styled_fill = true;
			}
			if (st.has_color) {
				p->g->nodes[k].has_color = true;
				p->g->nodes[k].color = st.color;
				p->nx[k].styled_color = true;
			}
			x = y + 1;
		}
	} else if (which[5] == 'D') {
		/* classDef a,b props */
		struct mm_style st;
		mp_parse_style(props, plen, &st);
		size_t x = a;
		while (x < b) {
			size_t y = x;
			while (y < b && p->s[y] != ',')
				y++;
			if (y > x) {
				xgrow(&p->defs, &p->dcap, p->ndefs + 1, sizeof *p->defs);
				struct class_def *d = &p->defs[p->ndefs++];
				d->name = xstrndup(p->s + x, y - x);
				d->has_fill = st.has_fill;
				d->fill = st.fill;
				d->has_color = st.has_color;
				d->color = st.color;
			}
			x = y + 1;
		}
	} else {
		/* class a,b name */
		size_t c = b;
		while (c < e && mp_is_sp(p->s[c]))
			c++;
		size_t d = c;
		while (d < e && !mp_is_sp(p->s[d]))
			d++;
		if (d == c) {
			mp_warn(p, kw, kw, e, "class without a class name ignored");
		} else {
			size_t x = a;
			while (x < b) {
				size_t y = x;
				while (y < b && p->s[y] != ',')
					y++;
				char *id = xstrndup(p->s + x, y - x);
				int k = strlen(id) == y - x ? mp_map_get(&p->nodes, id) : -1;
				free(id);
				if (k >= 0) {
					xgrow(&p->uses, &p->ucap, p->nuses + 1, sizeof *p->uses);
					p->uses[p->nuses].node = k;
					p->uses[p->nuses].name = xstrndup(p->s + c, d - c);
					p->nuses++;
				}
				x = y + 1;
			}
		}
	}
	p->i = e;
}

/* Skips the rest of the statement (to ';' or end of line). */
static void skip_stmt(struct pst *p)
{
	p->i = stmt_end(p, p->i);
}

/* Does a link (or '&') start at i, after blanks? */
static bool link_follows(struct pst *p, size_t i)
{
	while (i < p->end && mp_is_sp(p->s[i]))
		i++;
	if (i >= p->end)
		return false;
	struct link t = {0};
	size_t sl;
	if (p->s[i] == '&')
		return true;
	if (p->s[i] == '<')
		i++;
	return mp_link_token(p, i, &t) > 0 || mp_text_start(p, i, &sl) >= 0 || mp_at(p, i, "->");
}

/* "#f00;" inside s[a..b): mermaid-js's entity encoding reads it as an
 * entity, and the style line no longer parses. Returns its offset or b. */
static size_t hash_semicolon(const struct pst *p, size_t a, size_t b)
{
	for (size_t k = a; k < b; k++) {
		if (p->s[k] != '#')
			continue;
		size_t x = k + 1;
		while (x < b && ((p->s[x] >= '0' && p->s[x] <= '9') || ((p->s[x] | 0x20) >= 'a' && (p->s[x] | 0x20) <= 'z') ||
				 p->s[x] == '_'))
			x++;
		if (x > k + 1 && x < b && p->s[x] == ';')
			return k;
	}
	return b;
}

/* linkStyle: precis draws no link styles, but says when mermaid-js would
 * reject the line (so a pasted diagram would not render there). The
 * cursor is after the keyword. */
static void check_link_style(struct pst *p, size_t kw)
{
	size_t e = mp_eol(p, p->i);
	size_t se = stmt_end(p, p->i);
	size_t k = p->i;
	while (k < se && mp_is_sp(p->s[k]))
		k++;
	size_t a = k;
	const char *why = NULL;
	int kind = 0;
	if (se - k >= 7 && memcmp(p->s + k, "default", 7) == 0) {
		k += 7;
	} else {
		while (k < se) {
			size_t d = k;
			long v = 0;
			while (k < se && p->s[k] >= '0' && p->s[k] <= '9' && v < 1000000)
				v = v * 10 + (p->s[k++] - '0');
			if (k == d) {
				why = "no edge number";
				kind = 0;
				break;
			}
			if (v >= (long)p->g->nedges && !why) {
				why = "no such edge yet";
				kind = 1;
			}
			if (k < se && p->s[k] == ',') {
				k++;
				continue;
			}
			break;
		}
	}
	if (!why && (k >= se || !mp_is_sp(p->s[k]))) {
		why = "no style";
		kind = 0;
	}
	if (!why && memchr(p->s + a, '"', se - a)) {
		why = "a quote in the style";
		kind = 2;
	}
	if (!why && hash_semicolon(p, a, e) < e) {
		why = "';' after a colour: read as an entity";
		kind = 3;
	}
	if (!why)
		return;
	if (p->ls_warn[kind] > 0) {
		p->ls_more[kind]++;
		p->ls_last[kind] = mp_pos_line(p, kw);
		return;
	}
	size_t before = p->g->nwarnings;
	mp_note(p, kw, kw, se, "linkStyle ignored (mermaid-js rejects it: %s)", why);
	if (p->g->nwarnings > before)
		p->ls_warn[kind] = (int)p->g->nwarnings;   /* index + 1 */
}

/* "…; also on N more lines, up to line L" on each linkStyle warning that
 * stands for several lines. */
static void finish_link_style(struct pst *p)
{
	for (int r = 0; r < 4; r++) {
		if (p->ls_warn[r] <= 0 || !p->ls_more[r])
			continue;
		struct mm_warning *w = &p->g->warnings[p->ls_warn[r] - 1];
		char tail[96];
		snprintf(tail, sizeof tail, " (and %d more linkStyle line%s like it, up to line %d)", p->ls_more[r],
			 p->ls_more[r] == 1 ? "" : "s", p->ls_last[r]);
		size_t l = strlen(w->message), t = strlen(tail);
		w->message = xrealloc(w->message, l + t + 1);
		memcpy(w->message + l, tail, t + 1);
	}
}

/* Statement at the cursor (not blank, not a comment). */
static void parse_statement(struct pst *p)
{
	size_t a = p->i;
	size_t wl = word_at(p, a);
	if (wl && link_follows(p, a + wl) &&
	    (keyword(p, a, wl, "end") || keyword(p, a, wl, "style") || keyword(p, a, wl, "classDef") ||
	     keyword(p, a, wl, "class") || keyword(p, a, wl, "linkStyle") || keyword(p, a, wl, "click"))) {
		/* "classDef --> B": a keyword as a node id (node_get warns) */
		wl = 0;
	}
	if (wl) {
		if (keyword(p, a, wl, "subgraph")) {
			p->i = a + wl;
			open_subgraph(p, a);
			return;
		}
		if (keyword(p, a, wl, "end")) {
			p->i = a + wl;
			close_subgraph(p, a, false);
			return;
		}
		if (keyword(p, a, wl, "direction")) {
			p->i = a + wl;
			enum mm_dir d;
			if (read_dir(p, &d)) {
				if (p->stack.n) {
					struct mm_subgraph *s = &p->g->subgraphs[p->stack.v[p->stack.n - 1]];
					s->has_dir = true;
					s->dir = d;
				} else {
					p->g->dir = d;
				}
			}
			return;
		}
		if (keyword(p, a, wl, "style")) {
			p->i = a + wl;
			parse_style_like(p, a, "style");
			return;
		}
		if (keyword(p, a, wl, "classDef")) {
			p->i = a + wl;
			parse_style_like(p, a, "classDef");
			return;
		}
		if (keyword(p, a, wl, "class")) {
			p->i = a + wl;
			parse_style_like(p, a, "class");
			return;
		}
		if (keyword(p, a, wl, "linkStyle")) {
			p->i = a + wl;
			check_link_style(p, a);
			skip_stmt(p);
			return;
		}
		if (keyword(p, a, wl, "click") ||
		    keyword(p, a, wl, "accTitle") || keyword(p, a, wl, "accDescr")) {
			p->i = a + wl;
			mp_skip_sp(p);
			if (keyword(p, a, wl, "accDescr") && p->i < p->end && p->s[p->i] == '{') {
				const char *c = memchr(p->s + p->i, '}', p->end - p->i);
				p->i = c ? (size_t)(c - p->s) + 1 : p->end;
				return;
			}
			skip_stmt(p);
			return;
		}
		if (keyword(p, a, wl, "graph") || keyword(p, a, wl, "flowchart")) {
			mp_warn(p, a, a, mp_eol(p, a), "second diagram header ignored");
			p->i = mp_eol(p, a);
			return;
		}
	}
	/* "e1@{ animate: true }": data of an edge named before, not a node */
	size_t il = mp_id_len(p, a);
	if (il && mp_at(p, a + il, "@{") && mp_map_getn(&p->edge_ids, p->s + a, il) >= 0) {
		p->i = a + il;
		if (!skip_braces(p))
			mp_warn(p, a, a, p->i, "unterminated '@{' edge data");
		return;
	}
	if (!parse_edge_stmt(p)) {
		size_t e = stmt_end(p, a);
		if (e == a)
			e = mp_eol(p, a);
		mp_warn(p, a, a, e, "unknown statement skipped");
		p->i = e > a ? e : a + 1;
	}
}

/* ---------- subgraphs ---------- */

static bool has_space(const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n')
			return true;
	return false;
}

static void open_subgraph(struct pst *p, size_t kw)
{
	struct mm_graph *g = p->g;
	size_t e = mp_eol(p, p->i);
	/* the header ends at ';' or "%%" outside quotes, or at the line's end */
	size_t k = p->i;
	while (k < e) {
		if (p->s[k] == '"') {
			const char *q = memchr(p->s + k + 1, '"', e - k - 1);
			k = q ? (size_t)(q - p->s) + 1 : e;
			continue;
		}
		if (p->s[k] == ';' || mp_at(p, k, "%%"))
			break;
		k++;
	}
	size_t a = p->i, b = k;
	while (a < b && (mp_is_sp(p->s[a]) || mp_uni_space(p, a)))
		a += mp_uni_space(p, a) ? mp_uni_space(p, a) : 1;
	while (b > a && mp_is_sp(p->s[b - 1]))
		b--;
	char *id = NULL, *title = NULL;
	bool gen = false;
	if (a < b && p->s[a] == '"') {
		const char *q = memchr(p->s + a + 1, '"', b - a - 1);
		size_t qe = q ? (size_t)(q - p->s) : b;
		size_t ta = a + 1, tl = qe - a - 1;
		if (tl >= 2 && p->s[ta] == '`' && p->s[ta + tl - 1] == '`') {
			/* a Markdown string: mermaid-js's id is the text inside the
			 * backticks, the title that text shown */
			title = mp_label(p->s + ta, tl, true);
			id = xstrndup(p->s + ta + 1, tl - 2);
		} else {
			title = mp_label(p->s + ta, tl, false);
			id = xstrndup(title, strlen(title));
		}
		if (q && qe + 1 < b)
			mp_warn(p, qe + 1, qe + 1, b, "text after subgraph title ignored");
		if (!q)
			mp_warn(p, a, 0, 0, "unterminated subgraph title");
	} else {
		/* id [title] — the title in brackets, quoted or not */
		size_t br = a;
		while (br < b && p->s[br] != '[' && p->s[br] != '"')
			br++;
		size_t ie = br;
		while (ie > a && mp_is_sp(p->s[ie - 1]))
			ie--;
		if (br < b && p->s[br] == '[' && p->s[b - 1] == ']' && ie > a) {
			id = xstrndup(p->s + a, ie - a);
			size_t ta = br + 1, tb = b - 1;
			while (ta < tb && mp_is_sp(p->s[ta]))
				ta++;
			while (tb > ta && mp_is_sp(p->s[tb - 1]))
				tb--;
			bool md = false;
			if (tb - ta >= 2 && p->s[ta] == '"' && p->s[tb - 1] == '"') {
				ta++;
				tb--;
				md = tb - ta >= 2 && p->s[ta] == '`' && p->s[tb - 1] == '`';
			}
			title = mp_label(p->s + ta, tb - ta, md);
		} else {
			id = xstrndup(p->s + a, b - a);
			title = mp_label(p->s + a, b - a, false);
			for (size_t x = a; x < b; x++)
				if (p->s[x] == '(' || p->s[x] == ')' || p->s[x] == '[' || p->s[x] == '{' ||
				    p->s[x] == '"' || mp_at(p, x, "\xEF\xBC\x88") || mp_at(p, x, "\xEF\xBC\x89")) {
					mp_warn(p, x, 0, 0, "brackets in an unquoted subgraph title (quote the title)");
					break;
				}
		}
	}
	/* the official parser makes up an id when the title doubles as the id
	 * and holds a space */
	/* (also when the title has trailing blanks: "subgraph T  ") */
	bool trailing = false;
	for (size_t x = b; x < k; x++)
		trailing |= p->s[x] == ' ' || p->s[x] == '\t';
	if (!*id || (strcmp(id, title) == 0 && (has_space(id) || (trailing && p->s[a] != '"'))))
		gen = true;
	p->i = k;
	xgrow(&g->subgraphs, &p->scap, g->nsubgraphs + 1, sizeof *g->subgraphs);
	xgrow(&p->mention, &p->mcap, g->nsubgraphs + 1, sizeof *p->mention);
	xgrow(&p->sg_gen, &p->gcap, g->nsubgraphs + 1, sizeof *p->sg_gen);
	int si = (int)g->nsubgraphs++;
	struct mm_subgraph *s = &g->subgraphs[si];
	memset(s, 0, sizeof *s);
	memset(&p->mention[si], 0, sizeof p->mention[si]);
	p->sg_gen[si] = gen;
	s->id = id;
	s->title = title;
	s->parent = p->stack.n ? p->stack.v[p->stack.n - 1] : -1;
	s->line = mp_pos_line(p, kw);
	if (!gen) {
		if (mp_map_get(&p->sgs, s->id) >= 0)
			mp_warn(p, kw, 0, 0, "subgraph id '%.60s' used twice", s->id);
		mp_map_put(&p->sgs, s->id, si);
	}
	ivec_push(&p->stack, si);
}

/* Closes the innermost subgraph: its unclaimed mentioned nodes join it. */
static void close_subgraph(struct pst *p, size_t at_off, bool eof)
{
	if (!p->stack.n) {
		mp_warn(p, at_off, 0, 0, "'end' without an open subgraph ignored");
		return;
	}
	int si = p->stack.v[--p->stack.n];
	struct mm_subgraph *s = &p->g->subgraphs[si];
	if (eof)
		mp_warn(p, at_off, 0, 0, "subgraph '%.60s' (line %d) not closed with 'end'", s->title, s->line);
	if (p->sg_gen[si]) {
		char buf[32];
		snprintf(buf, sizeof buf, "subGraph%d", p->nclosed);
		free(s->id);
		s->id = xstrndup(buf, strlen(buf));
		if (!*s->title) {
			free(s->title);
			s->title = xstrndup(buf, strlen(buf));
		}
		mp_map_put(&p->sgs, s->id, si);
	}
	p->nclosed++;
	struct int_vec *m = &p->mention[si];
	for (size_t x = 0; x < m->n; x++) {
		int k = m->v[x];
		if (p->nx[k].claimed)
			continue;
		p->nx[k].claimed = true;
		p->g->nodes[k].subgraph = si;
	}
}

/* ---------- finishing ---------- */

/* Applies classDef fills/colours to nodes (inline style wins). */
static void apply_classes(struct pst *p)
{
	struct map defs = {0};
	/* inserted last first: a later classDef of the same name wins */
	for (size_t d = p->ndefs; d-- > 0;)
		mp_map_put(&defs, p->defs[d].name, (int)d);
	bool *has_class = xcalloc(p->g->nnodes ? p->g->nnodes : 1, 1);
	for (size_t u = 0; u < p->nuses; u++) {
		int k = p->uses[u].node;
		has_class[k] = true;
		int d = mp_map_get(&defs, p->uses[u].name);
		if (d < 0)
			continue;
		struct mm_node *n = &p->g->nodes[k];
		if (p->defs[d].has_fill && !p->nx[k].styled_fill) {
			n->has_fill = true;
			n->fill = p->defs[d].fill;
		}
		if (p->defs[d].has_color && !p->nx[k].styled_color) {
			n->has_color = true;
			n->color = p->defs[d].color;
		}
	}
	int dflt = mp_map_get(&defs, "default");
	if (dflt >= 0)
		for (size_t k = 0; k < p->g->nnodes; k++) {
			if (has_class[k])
				continue;
			struct mm_node *n = &p->g->nodes[k];
			if (p->defs[dflt].has_fill && !p->nx[k].styled_fill) {
				n->has_fill = true;
				n->fill = p->defs[dflt].fill;
			}
			if (p->defs[dflt].has_color && !p->nx[k].styled_color) {
				n->has_color = true;
				n->color = p->defs[dflt].color;
			}
		}
	free(has_class);
	mp_map_free(&defs);
}

/* Nodes whose id names a subgraph (and that were never given a shape or
 * label) become references to that subgraph; the node list is compacted. */
static void resolve_subgraph_refs(struct pst *p)
{
	struct mm_graph *g = p->g;
	if (!g->nsubgraphs || !g->nnodes)
		return;
	int *newidx = xrealloc(NULL, g->nnodes * sizeof *newidx);
	int *alias = xrealloc(NULL, g->nnodes * sizeof *alias);
	size_t w = 0;
	bool any = false;
	for (size_t k = 0; k < g->nnodes; k++) {
		int sg = mp_map_get(&p->sgs, g->nodes[k].id);
		alias[k] = -1;
		if (sg >= 0 && !p->nx[k].explicit_shape) {
			alias[k] = sg;
			newidx[k] = -1;
			any = true;
		} else {
			newidx[k] = (int)w++;
		}
	}
	if (!any) {
		free(newidx);
		free(alias);
		return;
	}
	for (size_t e = 0; e < g->nedges; e++) {
		struct mm_ref *r[2] = {&g->edges[e].from, &g->edges[e].to};
		for (int j = 0; j < 2; j++) {
			if (r[j]->is_subgraph)
				continue;
			int old = r[j]->index;
			if (alias[old] >= 0) {
				r[j]->is_subgraph = true;
				r[j]->index = alias[old];
			} else {
				r[j]->index = newidx[old];
			}
		}
	}
	for (size_t k = 0; k < g->nnodes; k++) {
		if (newidx[k] < 0) {
			free(g->nodes[k].id);
			free(g->nodes[k].label);
			free(g->nodes[k].shape_name);
			continue;
		}
		g->nodes[newidx[k]] = g->nodes[k];
		p->nx[newidx[k]] = p->nx[k];
	}
	g->nnodes = w;
	free(newidx);
	free(alias);
}

/* Fills each subgraph's direct member list from node.subgraph. */
static void fill_members(struct mm_graph *g)
{
	size_t *cnt = xcalloc(g->nsubgraphs + 1, sizeof *cnt);
	for (size_t k = 0; k < g->nnodes; k++)
		if (g->nodes[k].subgraph >= 0)
			cnt[g->nodes[k].subgraph]++;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		g->subgraphs[s].nodes = cnt[s] ? xrealloc(NULL, cnt[s] * sizeof(int)) : NULL;
		g->subgraphs[s].nnodes = 0;
	}
	for (size_t k = 0; k < g->nnodes; k++) {
		int s = g->nodes[k].subgraph;
		if (s >= 0)
			g->subgraphs[s].nodes[g->subgraphs[s].nnodes++] = (int)k;
	}
	/* children, in the order they were opened */
	memset(cnt, 0, (g->nsubgraphs + 1) * sizeof *cnt);
	for (size_t s = 0; s < g->nsubgraphs; s++)
		if (g->subgraphs[s].parent >= 0)
			cnt[g->subgraphs[s].parent]++;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		g->subgraphs[s].children = cnt[s] ? xrealloc(NULL, cnt[s] * sizeof(int)) : NULL;
		g->subgraphs[s].nchildren = 0;
	}
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		int par = g->subgraphs[s].parent;
		if (par >= 0)
			g->subgraphs[par].children[g->subgraphs[par].nchildren++] = (int)s;
	}
	free(cnt);
}

/* ---------- region and header ---------- */

/* Offset just after the end of line at i (or end). */
static size_t next_line(const struct pst *p, size_t i)
{
	size_t e = mp_eol(p, i);
	return e < p->end ? e + 1 : e;
}

static size_t skip_blank(const struct pst *p, size_t i, size_t e)
{
	while (i < e && (mp_is_sp(p->s[i]) || mp_uni_space(p, i)))
		i += mp_uni_space(p, i) ? mp_uni_space(p, i) : 1;
	return i;
}

static bool line_starts_with(const struct pst *p, size_t ls, const char *lit, size_t *after)
{
	/* cheap first-character test before finding the line's end */
	size_t i = ls;
	while (i < p->end && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (i >= p->end || (p->s[i] != lit[0] && !((unsigned char)p->s[i] & 0x80) &&
			    (p->s[i] | 0x20) != (lit[0] | 0x20)))
		return false;
	size_t e = mp_eol(p, ls);
	i = skip_blank(p, ls, e);
	size_t l = strlen(lit);
	if (i + l <= e && strncasecmp(p->s + i, lit, l) == 0) {
		if (after)
			*after = i + l;
		return true;
	}
	return false;
}

/* Narrows [start,end) to the inside of a ```mermaid fence or of
 * <Mermaid_Diagram> tags, when the source has them. */
static void find_region(struct pst *p)
{
	/* <Mermaid_Diagram> … </Mermaid_Diagram> */
	for (size_t ls = 0; ls < p->n; ls = next_line(p, ls)) {
		size_t after;
		if (line_starts_with(p, ls, "<Mermaid_Diagram>", &after)) {
			p->i = after;
			const char *s = p->s;
			for (size_t k = after; k + 18 <= p->n; k++)
				if (s[k] == '<' && strncasecmp(s + k, "</Mermaid_Diagram>", 18) == 0) {
					p->end = k;
					break;
				}
			break;
		}
		if (mp_eol(p, ls) >= p->n)
			break;
	}
	/* then a fence inside that: ```mermaid preferred, else the first ``` */
	size_t fence = p->end, any_fence = p->end;
	for (size_t ls = p->i; ls < p->end; ls = next_line(p, ls)) {
		size_t after;
		if (line_starts_with(p, ls, "```", &after) || line_starts_with(p, ls, "~~~", &after)) {
			if (any_fence == p->end)
				any_fence = ls;
			size_t e = mp_eol(p, ls);
			size_t w = skip_blank(p, after, e);
			if (w + 7 <= e && strncasecmp(p->s + w, "mermaid", 7) == 0) {
				fence = ls;
				break;
			}
		}
		if (mp_eol(p, ls) >= p->end)
			break;
	}
	if (fence == p->end)
		fence = any_fence;
	if (fence == p->end)
		return;
	p->i = next_line(p, fence);
	for (size_t ls = p->i; ls < p->end; ls = next_line(p, ls)) {
		if (line_starts_with(p, ls, "```", NULL) || line_starts_with(p, ls, "~~~", NULL)) {
			p->end = ls;
			return;
		}
		if (mp_eol(p, ls) >= p->end)
			break;
	}
}

static const char *const OTHER_DIAGRAMS[] = {
	"sequenceDiagram", "classDiagram", "stateDiagram", "erDiagram", "gantt", "pie",
	"journey", "mindmap", "timeline", "gitGraph", "quadrantChart", "requirementDiagram",
	"sankey", "xychart", "block", "C4Context", "packet", "kanban", "architecture", "radar",
};

/* Finds the header; leaves the cursor after it. Returns -1 (err set) for a
 * diagram that is not a flowchart. */
static int parse_header(struct pst *p, struct mm_error *err, size_t *header_at)
{
	size_t i = p->i;
	*header_at = p->end;
	/* front matter "---" … "---" */
	size_t first = i;
	while (first < p->end) {
		size_t e = mp_eol(p, first);
		size_t b = skip_blank(p, first, e);
		if (b < e)
			break;
		first = next_line(p, first);
		if (e >= p->end)
			break;
	}
	if (first < p->end && line_starts_with(p, first, "---", NULL)) {
		size_t ls = next_line(p, first);
		for (; ls < p->end; ls = next_line(p, ls))
			if (line_starts_with(p, ls, "---", NULL)) {
				i = next_line(p, ls);
				break;
			}
	}
	/* look for graph/flowchart, skipping comments, blank and stray lines */
	size_t first_stmt = p->end;
	for (size_t ls = i; ls < p->end; ls = next_line(p, ls)) {
		size_t e = mp_eol(p, ls);
		size_t b = skip_blank(p, ls, e);
		if (b >= e || mp_at(p, b, "%%") || mp_at(p, b, "<Mermaid_Diagram") || mp_at(p, b, "</Mermaid_Diagram")) {
			if (e >= p->end)
				break;
			continue;
		}
		size_t wl = word_at(p, b);
		if (wl && (keyword(p, b, wl, "graph") || keyword(p, b, wl, "flowchart") ||
			   (wl == 9 && memcmp(p->s + b, "flowchart", 9) == 0 && mp_at(p, b + 9, "-")) ||
			   (wl == 5 && memcmp(p->s + b, "graph", 5) == 0 && mp_at(p, b + 5, "-")))) {
			if (first_stmt < ls)
				mp_warn(p, first_stmt, first_stmt, mp_eol(p, first_stmt),
					"text before the diagram header ignored");
			*header_at = b;
			p->i = b + wl;
			while (p->i < e && p->s[p->i] == '-')
				p->i += 1 + mp_id_len(p, p->i + 1);
			size_t save = p->i;
			enum mm_dir d = MM_TD;
			mp_skip_sp(p);
			size_t da = p->i;
			while (p->i < e && !mp_is_sp(p->s[p->i]) && p->s[p->i] != ';')
				p->i++;
			if (p->i > da) {
				if (parse_dir(p->s + da, p->i - da, &d))
					p->g->dir = d;
				else if (mp_at(p, da, "%%"))
					p->i = save;
				else {
					mp_warn(p, da, da, p->i, "unknown direction, using TD");
				}
			}
			return 0;
		}
		for (size_t o = 0; o < sizeof OTHER_DIAGRAMS / sizeof OTHER_DIAGRAMS[0]; o++) {
			size_t l = strlen(OTHER_DIAGRAMS[o]);
			if (wl >= l && memcmp(p->s + b, OTHER_DIAGRAMS[o], l) == 0 &&
			    (wl == l || strncmp(OTHER_DIAGRAMS[o], "stateDiagram", 12) == 0 ||
			     strncmp(OTHER_DIAGRAMS[o], "C4", 2) == 0)) {
				mp_pos_of(p, b, &err->line, &err->column);
				snprintf(err->message, sizeof err->message,
					 "not a flowchart: %.*s diagrams are not supported", (int)wl, p->s + b);
				return -1;
			}
		}
		if (first_stmt == p->end)
			first_stmt = ls;
		if (e >= p->end)
			break;
	}
	if (first_stmt < p->end) {
		mp_warn(p, first_stmt, 0, 0, "no 'graph' or 'flowchart' header; assuming 'graph TD'");
		p->i = first_stmt;
	} else {
		p->i = p->end;
	}
	return 0;
}

/* ---------- public API ---------- */

static void pst_free(struct pst *p)
{
	free(p->lstart);
	mp_map_free(&p->nodes);
	mp_map_free(&p->sgs);
	mp_map_free(&p->edge_ids);
	free(p->nx);
	free(p->stack.v);
	for (size_t s = 0; s < p->g->nsubgraphs; s++)
		free(p->mention[s].v);
	free(p->mention);
	free(p->sg_gen);
	for (size_t u = 0; u < p->nuses; u++)
		free(p->uses[u].name);
	free(p->uses);
	for (size_t d = 0; d < p->ndefs; d++)
		free(p->defs[d].name);
	free(p->defs);
}

/* Parser state over src[0..len) for g, with the byte offset of every
 * line start. */
static void pst_init(struct pst *p, const char *src, size_t len, struct mm_graph *g)
{
	memset(p, 0, sizeof *p);
	p->s = src ? src : "";
	p->n = len;
	p->end = len;
	p->g = g;
	p->brace_none = len;
	p->q_from = 1;
	p->q_at = 0;
	p->rb_from = 1;
	p->rb_at = 0;
	for (int f = 0; f < 3; f++)
		p->fail_from[f] = p->fail_to[f] = 0;
	/* line starts */
	size_t nl = 1;
	for (const char *q = p->s; (q = memchr(q, '\n', len - (size_t)(q - p->s))); q++)
		nl++;
	p->lstart = xrealloc(NULL, nl * sizeof *p->lstart);
	p->lstart[0] = 0;
	p->nlines = 1;
	for (const char *q = p->s; (q = memchr(q, '\n', len - (size_t)(q - p->s))); q++)
		p->lstart[p->nlines++] = (size_t)(q - p->s) + 1;
}

/* The statements after the header, up to the end of the region: each
 * must end at ';', a newline, a comment or the end; what follows one
 * otherwise is read as a label (": text") or skipped with a warning. */
static void parse_body(struct pst *p)
{
	struct mm_graph *g = p->g;
	while (p->i < p->end) {
		char c = p->s[p->i];
		if (c == '\n' || c == ';' || mp_is_sp(c)) {
			p->i++;
			continue;
		}
		size_t u = mp_uni_space(p, p->i);
		if (u) {
			p->i += u;
			continue;
		}
		if (mp_at(p, p->i, "%%")) {
			p->i = mp_eol(p, p->i);
			continue;
		}
		if (mp_at(p, p->i, "```") || mp_at(p, p->i, "~~~~") ||
		    (c == '<' && (strncasecmp(p->s + p->i, "<Mermaid_Diagram>", p->end - p->i < 17 ? p->end - p->i : 17) == 0 ||
				  strncasecmp(p->s + p->i, "</Mermaid_Diagram>", p->end - p->i < 18 ? p->end - p->i : 18) == 0))) {
			p->i = mp_eol(p, p->i);
			continue;
		}
		size_t before = p->i, edges_before = g->nedges;
		parse_statement(p);
		if (p->i <= before)
			p->i = before + 1;
		/* the statement must end here: ';', newline, comment or end */
		mp_skip_sp(p);
		if (p->i >= p->end || p->s[p->i] == '\n' || p->s[p->i] == ';' || mp_at(p, p->i, "%%"))
			continue;
		if (p->s[p->i] == '<' && (mp_at(p, p->i, "</Mermaid_Diagram>") || mp_at(p, p->i, "<Mermaid_Diagram>"))) {
			p->i = mp_eol(p, p->i);
			continue;
		}
		size_t e = mp_eol(p, p->i);
		if (mp_word_start(p, p->i)) {
			mp_warn(p, p->i, 0, 0, "statements on one line need ';' between them");
			continue;
		}
		if (p->s[p->i] == ':' && !mp_at(p, p->i, ":::") && g->nedges > edges_before &&
		    !g->edges[g->nedges - 1].label) {
			/* "A --> B: text" (sequence-diagram habit): the text labels the link */
			size_t se = stmt_end(p, p->i);
			mp_warn(p, p->i, 0, 0, "': text' after a link read as its label");
			g->edges[g->nedges - 1].label = mp_link_label(p, p->i + 1, se, false);
			p->i = se;
			continue;
		}
		mp_warn(p, p->i, p->i, e, "unexpected text ignored");
		p->i = e;
	}
}

/* Closes what is open, applies classes, resolves subgraph references and
 * fills the member lists; then decides whether there is a diagram at
 * all. Returns 0, or -1 with *err set. */
static int finish(struct pst *p, size_t header_at, size_t len, struct mm_error *err)
{
	struct mm_graph *g = p->g;
	while (p->stack.n)
		close_subgraph(p, p->end > 0 ? p->end - 1 : 0, true);
	finish_link_style(p);
	apply_classes(p);
	resolve_subgraph_refs(p);
	fill_members(g);
	if (p->warned_cap) {
		g->nwarnings--;
		free(g->warnings[g->nwarnings].message);
		mp_warn(p, p->end, 0, 0, "too many warnings; the rest were dropped");
	}
	/* Without a header, plain prose would parse as lone nodes: ask for at
	 * least one edge, shaped node or subgraph before calling it a diagram. */
	bool shaped = false;
	for (size_t k = 0; k < g->nnodes && !shaped; k++)
		shaped = p->nx[k].explicit_shape;
	if (header_at >= p->end && g->nnodes > 0 && g->nedges == 0 && g->nsubgraphs == 0 && !shaped) {
		err->line = 1;
		err->column = 1;
		snprintf(err->message, sizeof err->message,
			 "no flowchart here: no 'graph' or 'flowchart' header, and no edges or shaped nodes");
		return -1;
	}
	if (g->nnodes == 0 && g->nsubgraphs == 0) {
		size_t off = header_at < p->end ? header_at : (p->end > 0 ? p->end : 0);
		if (header_at >= p->end) {
			err->line = 1;
			err->column = 1;
		} else
			mp_pos_of(p, off, &err->line, &err->column);
		snprintf(err->message, sizeof err->message, "%s",
			 len == 0 ? "empty diagram: nothing to draw"
				  : "nothing to draw: no nodes, edges or subgraphs found");
		return -1;
	}
	return 0;
}

int mm_parse(const char *src, size_t len, struct mm_graph *g, struct mm_error *err)
{
	struct mm_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof *err);
	if (!g) {
		snprintf(err->message, sizeof err->message, "no graph to fill");
		return -1;
	}
	memset(g, 0, sizeof *g);
	if (!src)
		len = 0;
	struct pst p;
	pst_init(&p, src, len, g);
	/* UTF-8 BOM */
	if (mp_at(&p, 0, "\xEF\xBB\xBF"))
		p.i = 3;
	find_region(&p);
	size_t header_at;
	int r = parse_header(&p, err, &header_at);
	if (r >= 0) {
		parse_body(&p);
		r = finish(&p, header_at, len, err);
	}
	pst_free(&p);
	if (r < 0) {
		mm_graph_free(g);
		return -1;
	}
	return 0;
}

size_t mm_problems(const struct mm_graph *g)
{
	size_t n = 0;
	for (size_t w = 0; w < g->nwarnings; w++)
		n += !g->warnings[w].note;
	return n;
}

void mm_graph_free(struct mm_graph *g)
{
	if (!g)
		return;
	for (size_t k = 0; k < g->nnodes; k++) {
		free(g->nodes[k].id);
		free(g->nodes[k].label);
		free(g->nodes[k].shape_name);
	}
	free(g->nodes);
	for (size_t e = 0; e < g->nedges; e++) {
		free(g->edges[e].label);
		free(g->edges[e].id);
	}
	free(g->edges);
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		free(g->subgraphs[s].id);
		free(g->subgraphs[s].title);
		free(g->subgraphs[s].nodes);
		free(g->subgraphs[s].children);
	}
	free(g->subgraphs);
	for (size_t w = 0; w < g->nwarnings; w++)
		free(g->warnings[w].message);
	free(g->warnings);
	memset(g, 0, sizeof *g);
}

bool mm_reserved_id(const char *id)
{
	static const char *const KW[] = {
		"style", "linkStyle", "classDef", "class", "end", "subgraph", "graph", "flowchart",
		"flowchart-elk", "interpolate", "click", "call", "href", "_self", "_blank", "_parent", "_top",
	};
	for (size_t k = 0; k < sizeof KW / sizeof KW[0]; k++)
		if (strcmp(id, KW[k]) == 0)
			return true;
	return false;
}

int mm_find_node(const struct mm_graph *g, const char *id)
{
	if (!g || !id)
		return -1;
	for (size_t k = 0; k < g->nnodes; k++)
		if (strcmp(g->nodes[k].id, id) == 0)
			return (int)k;
	return -1;
}

const char *mm_dir_name(enum mm_dir d)
{
	switch (d) {
	case MM_TD: return "TD";
	case MM_BT: return "BT";
	case MM_LR: return "LR";
	case MM_RL: return "RL";
	}
	return "TD";
}

const char *mm_shape_name(enum mm_shape s)
{
	static const char *const names[] = {
		[MM_SHAPE_DEFAULT] = "default",       [MM_SHAPE_RECT] = "square",
		[MM_SHAPE_ROUND] = "round",           [MM_SHAPE_STADIUM] = "stadium",
		[MM_SHAPE_SUBROUTINE] = "subroutine", [MM_SHAPE_CYLINDER] = "cylinder",
		[MM_SHAPE_CIRCLE] = "circle",         [MM_SHAPE_DOUBLECIRCLE] = "doublecircle",
		[MM_SHAPE_ASYMMETRIC] = "odd",        [MM_SHAPE_DIAMOND] = "diamond",
		[MM_SHAPE_HEXAGON] = "hexagon",       [MM_SHAPE_LEAN_RIGHT] = "lean_right",
		[MM_SHAPE_LEAN_LEFT] = "lean_left",   [MM_SHAPE_TRAPEZOID] = "trapezoid",
		[MM_SHAPE_INV_TRAPEZOID] = "inv_trapezoid", [MM_SHAPE_ELLIPSE] = "ellipse",
	};
	if ((unsigned)s < sizeof names / sizeof names[0] && names[s])
		return names[s];
	return "default";
}
