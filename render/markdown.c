/* markdown.c — md4c events turned into blocks, spans and a section index. */
#include "render/markdown.h"
#include "render/alloc.h"
#include "render/buf.h"
#include "render/layout.h"
#include "render/mermaid/mermaid.h"
#include "render/sanitize.h"
#include "render/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <md4c.h>

#define MAX_DEPTH 64
#define FENCE_INFO "precis-mermaid"
#define DIAGRAM_GLYPH "\xE2\x8A\x9E"     /* U+229E ⊞ (Neutral) */
#define SEP " \xE2\x8B\x85 "             /* U+22C5 ⋅ (Neutral) */

static const char *const bullets[3] = {
	"\xE2\x80\xA3",                      /* U+2023 ‣ */
	"\xE2\x97\xA6",                      /* U+25E6 ◦ */
	"\xE2\x81\x83",                      /* U+2043 ⁃ */
};

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 16; \
		(arr) = xrealloc((arr), (cap) * sizeof *(arr)); \
	} } while (0)

struct list {
	int ordered;
	unsigned next;          /* next item number */
	int tight;
	int content;            /* indent of its items' text */
	int item_mw;            /* marker width of the open item */
};

struct st {
	struct buf out;             /* the text laid out (render/buf.h) */
	struct rl_block *blocks;
	size_t nblocks, capblocks;
	struct rl_span *spans;
	size_t nspans, capspans;
	struct rm_section *sections;
	size_t nsections, capsections;
	struct rm_diagram *diagrams;
	size_t ndiagrams, capdiagrams;
	struct rm_diagram *cut;     /* <Mermaid_Diagram> blocks cut out */
	size_t ncut;

	struct list lists[MAX_DEPTH];
	int nlists;
	int deeper;                 /* lists nested past MAX_DEPTH */
	int quote;                  /* block quote depth */
	int li_marker_pending;      /* an item's marker not yet written */
	char marker[32];
	int marker_indent, item_indent;

	int open;                   /* a text block is open */
	size_t bstart;
	int ind_first, ind_rest;
	unsigned battr;
	int heading;                /* level of the open heading, 0 none */
	int para;                   /* the open block is a paragraph */
	int only_strong;            /* paragraph text so far is all bold */
	int has_text;
	int need_blank;
	int any_block;

	int code;                   /* inside a code block */
	int mermaid;                /* the code block is a Mermaid fence */
	size_t msrc_start;          /* its source so far in buf (removed) */
	int cut_index;              /* which cut block, -1 for a fence */
	unsigned strong, em, codespan, link;
	int table_cell;             /* cells seen in the open table row */
};

static void put(struct st *s, const char *p, size_t n)
{
	buf_put(&s->out, p, n);
}

static unsigned cur_attr(const struct st *s)
{
	unsigned a = 0;
	if (s->strong) a |= RC_BOLD;
	if (s->em) a |= RC_ITALIC;
	if (s->codespan) a |= RC_CODE;
	if (s->link) a |= RC_LINK;
	return a;
}

/* Appends text with attributes, merging with the previous span. */
static void put_attr(struct st *s, const char *p, size_t n, unsigned a)
{
	size_t off = s->out.len;
	put(s, p, n);
	if (a == 0 || n == 0)
		return;
	if (s->nspans && s->spans[s->nspans - 1].end == off &&
	    s->spans[s->nspans - 1].attr == a) {
		s->spans[s->nspans - 1].end = s->out.len;
		return;
	}
	GROW(s->spans, s->nspans, s->capspans);
	s->spans[s->nspans++] = (struct rl_span){ (uint32_t)off, (uint32_t)s->out.len, a };
}

static void push_block(struct st *s, size_t off, size_t end, int f, int r, unsigned a)
{
	GROW(s->blocks, s->nblocks, s->capblocks);
	s->blocks[s->nblocks++] = (struct rl_block){ (uint32_t)off, (uint32_t)end, f, r, a };
	put(s, "\n", 1);
	s->any_block = 1;
}

static int base_indent(const struct st *s)
{
	int q = s->quote * 2;
	return s->nlists ? s->lists[s->nlists - 1].content + q : q;
}

/* Opens a text block (blank line first when one is due). */
static void open_block(struct st *s, unsigned attr)
{
	if (s->open)
		return;
	if (s->need_blank && s->any_block)
		push_block(s, s->out.len, s->out.len, 0, 0, 0);
	s->need_blank = 0;
	s->open = 1;
	s->bstart = s->out.len;
	s->battr = attr | (s->quote ? RC_QUOTE : 0);
	s->has_text = 0;
	s->only_strong = 1;
	if (s->li_marker_pending) {
		s->li_marker_pending = 0;
		s->ind_first = s->marker_indent;
		s->ind_rest = s->item_indent;
		put_attr(s, s->marker, strlen(s->marker), RC_LIST);
	} else {
		s->ind_first = s->ind_rest = base_indent(s);
	}
}

static void add_section(struct st *s, size_t off, const char *t, size_t n,
                        int level, int diagram)
{
	GROW(s->sections, s->nsections, s->capsections);
	struct rm_section *x = &s->sections[s->nsections++];
	x->title = rs_clean_line(t, n, NULL);
	x->level = level;
	x->is_diagram = diagram;
	x->off = off;
}

static void close_block(struct st *s)
{
	if (!s->open)
		return;
	s->open = 0;
	size_t end = s->out.len;
	while (end > s->bstart && s->out.p[end - 1] == '\n')
		end--;                      /* code blocks end with a line end */
	unsigned attr = s->battr;
	if (s->heading) {
		add_section(s, s->bstart, s->out.p + s->bstart, end - s->bstart, s->heading, 0);
	} else if (s->para && s->only_strong && s->has_text && s->nlists == 0 &&
	           s->quote == 0) {
		attr |= RC_HEADING;
		add_section(s, s->bstart, s->out.p + s->bstart, end - s->bstart, 2, 0);
	}
	buf_truncate(&s->out, end);
	push_block(s, s->bstart, end, s->ind_first, s->ind_rest, attr);
	int tight = s->nlists && s->lists[s->nlists - 1].tight;
	s->need_blank = !tight;
}

/* The placeholder line for a diagram with the given source. */
static void diagram(struct st *s, const char *src, size_t n)
{
	close_block(s);
	struct mm_graph g;
	struct mm_error err;
	int nodes = -1, problems = 0;
	if (mm_parse(src, n, &g, &err) == 0) {
		nodes = (int)g.nnodes;
		problems = (int)mm_problems(&g);   /* a line only mermaid-js rejects is no guess */
		mm_graph_free(&g);
	}
	/* the diagram kind from its first word */
	size_t i = 0;
	while (i < n && isspace((unsigned char)src[i]))
		i++;
	size_t w = i;
	while (w < n && isalpha((unsigned char)src[w]))
		w++;
	char kind[40];
	if ((w - i == 5 && strncasecmp(src + i, "graph", 5) == 0) ||
	    (w - i == 9 && strncasecmp(src + i, "flowchart", 9) == 0) || w == i)
		snprintf(kind, sizeof kind, "concept map");
	else
		snprintf(kind, sizeof kind, "%.*s diagram", (int)(w - i > 24 ? 24 : w - i), src + i);
	/* a count of nodes only for a map that parsed cleanly: one the
	 * parser had to guess at is not "a map of N nodes" */
	char line[160];
	if (nodes >= 0 && !problems)
		snprintf(line, sizeof line, DIAGRAM_GLYPH " %s" SEP "%d node%s" SEP "press m",
		         kind, nodes, nodes == 1 ? "" : "s");
	else if (nodes >= 0)
		snprintf(line, sizeof line, DIAGRAM_GLYPH " %s" SEP "does not parse cleanly: %d problem%s"
		         SEP "press m", kind, problems, problems == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, DIAGRAM_GLYPH " %s" SEP "does not parse" SEP "press m", kind);
	if (s->need_blank && s->any_block)
		push_block(s, s->out.len, s->out.len, 0, 0, 0);
	size_t off = s->out.len;
	put_attr(s, line, strlen(line), RC_DIAGRAM);
	push_block(s, off, off + strlen(line), base_indent(s), base_indent(s), RC_DIAGRAM);
	s->need_blank = 1;
	GROW(s->diagrams, s->ndiagrams, s->capdiagrams);
	struct rm_diagram *d = &s->diagrams[s->ndiagrams++];
	d->source = xstrndup(src, n);
	d->len = n;
	d->off = off;
	d->nodes = nodes;
	d->problems = problems;
	add_section(s, off, "Mermaid diagram", 15, 0, 1);
}

static int enter_block(MD_BLOCKTYPE t, void *detail, void *ud)
{
	struct st *s = ud;
	switch (t) {
	case MD_BLOCK_DOC:
		break;
	case MD_BLOCK_QUOTE:
		close_block(s);
		s->quote++;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL: {
		if (s->li_marker_pending)   /* item opens with a list: marker alone */
			open_block(s, 0);
		close_block(s);
		if (s->nlists)              /* nested: hugs its item's text */
			s->need_blank = 0;
		if (s->nlists == MAX_DEPTH) {
			s->deeper++;            /* drawn as the deepest level */
			break;
		}
		struct list *l = &s->lists[s->nlists];
		l->ordered = t == MD_BLOCK_OL;
		l->next = t == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 1;
		l->tight = t == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->is_tight
		                            : ((MD_BLOCK_UL_DETAIL *)detail)->is_tight;
		l->content = base_indent(s) - s->quote * 2;
		l->item_mw = 0;
		s->nlists++;
		break;
	}
	case MD_BLOCK_LI: {
		close_block(s);
		if (s->nlists == 0)
			break;
		struct list *l = &s->lists[s->nlists - 1];
		int base = l->content + s->quote * 2;
		if (!l->tight && l->item_mw == -1)
			s->need_blank = 1;  /* loose list: a blank between items */
		if (l->ordered)
			snprintf(s->marker, sizeof s->marker, "%u. ", l->next++);
		else
			snprintf(s->marker, sizeof s->marker, "%s ",
			         bullets[(s->nlists - 1) % 3]);
		int mw = (int)strlen(s->marker);
		if (!l->ordered)
			mw = 2;                 /* bullet glyph (1 cell) + space */
		s->li_marker_pending = 1;
		s->marker_indent = base;
		s->item_indent = base + mw;
		/* nested blocks of this item align with its text (not past
		 * MAX_DEPTH: there items share the deepest level's indent) */
		if (!s->deeper) {
			l->content += mw;
			l->item_mw = mw;
		}
		break;
	}
	case MD_BLOCK_HR:
		close_block(s);
		open_block(s, RC_DIM);
		put_attr(s, "----------", 10, RC_DIM);
		close_block(s);
		break;
	case MD_BLOCK_H:
		close_block(s);
		s->heading = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
		open_block(s, RC_HEADING | RC_BOLD);
		break;
	case MD_BLOCK_CODE: {
		close_block(s);
		MD_BLOCK_CODE_DETAIL *cd = detail;
		s->code = 1;
		s->mermaid = 0;
		s->cut_index = -1;
		const char *info = cd->info.text;
		size_t ilen = cd->info.size;
		if (ilen >= strlen(FENCE_INFO) && memcmp(info, FENCE_INFO, strlen(FENCE_INFO)) == 0) {
			char num[24];
			size_t k = strlen(FENCE_INFO), j = 0;
			while (k < ilen && j + 1 < sizeof num && isdigit((unsigned char)info[k]))
				num[j++] = info[k++];
			num[j] = '\0';
			s->mermaid = 1;
			s->cut_index = j ? atoi(num) : -1;
		} else if (cd->lang.size == 7 && strncasecmp(cd->lang.text, "mermaid", 7) == 0) {
			s->mermaid = 1;
		}
		if (s->mermaid) {
			s->msrc_start = s->out.len;
		} else {
			open_block(s, RC_CODE);
			s->ind_first = s->ind_rest = base_indent(s) + 2;
		}
		break;
	}
	case MD_BLOCK_HTML:
		close_block(s);
		open_block(s, RC_DIM);
		s->code = 1;
		break;
	case MD_BLOCK_P:
		close_block(s);
		open_block(s, 0);
		s->para = 1;
		break;
	case MD_BLOCK_TABLE:
		close_block(s);
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	case MD_BLOCK_TR:                   /* a row: cells joined by " | " */
		close_block(s);
		open_block(s, 0);
		s->table_cell = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (!s->open)
			open_block(s, 0);
		if (s->table_cell++)
			put_attr(s, " | ", 3, RC_DIM);
		if (t == MD_BLOCK_TH)
			s->strong++;
		break;
	default:
		close_block(s);
		break;
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE t, void *detail, void *ud)
{
	struct st *s = ud;
	(void)detail;
	switch (t) {
	case MD_BLOCK_QUOTE:
		close_block(s);
		if (s->quote)
			s->quote--;
		s->need_blank = 1;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		close_block(s);
		if (s->deeper)
			s->deeper--;
		else if (s->nlists)
			s->nlists--;
		s->li_marker_pending = 0;
		if (s->nlists == 0)
			s->need_blank = 1;
		break;
	case MD_BLOCK_LI:
		if (s->li_marker_pending)   /* empty item: still show its marker */
			open_block(s, 0);
		close_block(s);
		if (s->nlists && !s->deeper) {
			struct list *l = &s->lists[s->nlists - 1];
			if (l->item_mw > 0)
				l->content -= l->item_mw;
			l->item_mw = -1;        /* an item was seen */
		}
		break;
	case MD_BLOCK_H:
		close_block(s);
		s->heading = 0;
		break;
	case MD_BLOCK_CODE:
		if (s->mermaid) {
			const char *src;
			size_t n;
			if (s->cut_index >= 0 && (size_t)s->cut_index < s->ncut) {
				src = s->cut[s->cut_index].source;
				n = s->cut[s->cut_index].len;
			} else {
				src = s->out.p + s->msrc_start;
				n = s->out.len - s->msrc_start;
			}
			char *copy = xstrndup(src, n);
			buf_truncate(&s->out, s->msrc_start);
			diagram(s, copy, n);
			free(copy);
		} else {
			close_block(s);
		}
		s->code = 0;
		s->mermaid = 0;
		break;
	case MD_BLOCK_HTML:
		close_block(s);
		s->code = 0;
		break;
	case MD_BLOCK_P:
		close_block(s);
		s->para = 0;
		break;
	case MD_BLOCK_TH:
		if (s->strong)
			s->strong--;
		break;
	case MD_BLOCK_TD:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	case MD_BLOCK_TR:
		close_block(s);
		s->need_blank = 0;          /* rows stay together */
		break;
	case MD_BLOCK_TABLE:
		close_block(s);
		s->need_blank = 1;
		break;
	default:
		close_block(s);
		break;
	}
	return 0;
}

static int enter_span(MD_SPANTYPE t, void *detail, void *ud)
{
	struct st *s = ud;
	(void)detail;
	if (t == MD_SPAN_STRONG) s->strong++;
	else if (t == MD_SPAN_EM) s->em++;
	else if (t == MD_SPAN_CODE) s->codespan++;
	else if (t == MD_SPAN_A) s->link++;
	return 0;
}

static int leave_span(MD_SPANTYPE t, void *detail, void *ud)
{
	struct st *s = ud;
	(void)detail;
	if (t == MD_SPAN_STRONG && s->strong) s->strong--;
	else if (t == MD_SPAN_EM && s->em) s->em--;
	else if (t == MD_SPAN_CODE && s->codespan) s->codespan--;
	else if (t == MD_SPAN_A && s->link) s->link--;
	return 0;
}

/* Decodes an entity ("&amp;", "&#x4e2d;") into out; returns its length,
 * 0 when unknown (then shown as written). */
static size_t entity(const char *e, size_t n, char *out)
{
	static const struct { const char *name, *val; } names[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&apos;", "'" }, { "&nbsp;", "\xC2\xA0" }, { "&mdash;", "\xE2\x80\x94" },
		{ "&ndash;", "\xE2\x80\x93" }, { "&hellip;", "\xE2\x80\xA6" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && memcmp(names[i].name, e, n) == 0) {
			strcpy(out, names[i].val);
			return strlen(out);
		}
	if (n >= 4 && e[1] == '#') {
		long v = (e[2] == 'x' || e[2] == 'X') ? strtol(e + 3, NULL, 16)
		                                      : strtol(e + 2, NULL, 10);
		if (v <= 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		return utf8_encode((int32_t)v, out);
	}
	return 0;
}

/* 1 when the byte before off ends a CJK character (no space at a soft
 * line break between CJK text). */
static int cjk_before(const struct st *s)
{
	size_t i = s->out.len;
	if (i < 3)
		return 0;
	unsigned char b = (unsigned char)s->out.p[i - 3];
	return b >= 0xE3 && b <= 0xEF;
}

static int text(MD_TEXTTYPE t, const MD_CHAR *p, MD_SIZE n, void *ud)
{
	struct st *s = ud;
	if (s->mermaid) {
		put(s, p, n);
		return 0;
	}
	if (!s->open)
		open_block(s, 0);
	unsigned a = cur_attr(s);
	switch (t) {
	case MD_TEXT_NULLCHAR:
		put_attr(s, "\xEF\xBF\xBD", 3, a);
		break;
	case MD_TEXT_BR:
		put(s, "\n", 1);
		break;
	case MD_TEXT_SOFTBR:
		if (!cjk_before(s))
			put(s, " ", 1);
		break;
	case MD_TEXT_ENTITY: {
		char out[8];
		size_t m = entity(p, n, out);
		if (m)
			put_attr(s, out, m, a);
		else
			put_attr(s, p, n, a);
		break;
	}
	case MD_TEXT_HTML:
		if ((n == 4 || n == 5 || n == 6) && strncasecmp(p, "<br", 3) == 0) {
			put(s, "\n", 1);
			break;
		}
		put_attr(s, p, n, a | RC_DIM);
		break;
	default:
		put_attr(s, p, n, a);
		break;
	}
	if (t != MD_TEXT_SOFTBR && t != MD_TEXT_BR) {
		for (MD_SIZE i = 0; i < n; i++)
			if (!isspace((unsigned char)p[i])) {
				s->has_text = 1;
				if (!s->strong)
					s->only_strong = 0;
				break;
			}
	}
	return 0;
}

/* Finds "<Mermaid_Diagram>" (any case) at or after from; returns its
 * offset or len. */
static size_t find_tag(const char *md, size_t len, size_t from, const char *tag)
{
	size_t tl = strlen(tag);
	for (size_t i = from; i + tl <= len; i++)
		if (md[i] == '<' && strncasecmp(md + i, tag, tl) == 0)
			return i;
	return len;
}

/* md with every <Mermaid_Diagram> block replaced by an empty fence that
 * names it; the sources go to s->cut. md itself (no copy, *copied 0)
 * when it has none; else a copy of about its size (*copied 1). */
static char *cut_diagrams(struct st *s, const char *md, size_t len, size_t *outlen,
                          int *copied)
{
	size_t first = find_tag(md, len, 0, "<Mermaid_Diagram>");
	*copied = first < len;
	if (first == len) {
		*outlen = len;
		return (char *)md;
	}
	char *out = NULL;
	size_t n = 0, cap = 0, pos = 0, capcut = 0;
	for (;;) {
		size_t a = find_tag(md, len, pos, "<Mermaid_Diagram>");
		size_t copy = a - pos;
		if (n + copy + 64 > cap) {
			/* the rest of md plus room for a few fences */
			cap = n + (len - pos) + 64 * 8;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, md + pos, copy);
		n += copy;
		if (a == len)
			break;
		size_t src = a + strlen("<Mermaid_Diagram>");
		size_t b = find_tag(md, len, src, "</Mermaid_Diagram>");
		GROW(s->cut, s->ncut, capcut);
		s->cut[s->ncut].source = xstrndup(md + src, b - src);
		s->cut[s->ncut].len = b - src;
		n += (size_t)snprintf(out + n, 64, "\n\n~~~~" FENCE_INFO "%zu\n~~~~\n\n", s->ncut);
		s->ncut++;
		pos = b == len ? len : b + strlen("</Mermaid_Diagram>");
	}
	*outlen = n;
	return out;
}

int rm_render(const char *md, size_t len, struct rm_doc *out)
{
	struct st s;
	memset(&s, 0, sizeof s);
	size_t mlen;
	int copied;
	char *m = cut_diagrams(&s, md, len, &mlen, &copied);
	MD_PARSER p;
	memset(&p, 0, sizeof p);
	p.abi_version = 0;
	p.flags = MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_TABLES;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	int rc = md_parse(m, (MD_SIZE)(mlen > 0xFFFFFFF0u ? 0xFFFFFFF0u : mlen), &p, &s);
	close_block(&s);
	if (copied)
		free(m);                        /* s.out holds all that is shown */
	if (rc != 0) {                      /* fall back to the plain text */
		buf_truncate(&s.out, 0);
		s.nblocks = s.nspans = 0;
		put(&s, md, len);
	}
	memset(out, 0, sizeof *out);
	/* the layout takes the text over: one copy of it, not two */
	size_t olen = s.out.len;
	char *otext = s.out.p ? s.out.p : xstrdup("");
	s.out.p = NULL;
	out->layout = rl_new_owned(otext, olen, s.nblocks ? s.blocks : NULL, s.nblocks,
	                           s.nspans ? s.spans : NULL, s.nspans);
	if (!s.nblocks)
		free(s.blocks);
	if (!s.nspans)
		free(s.spans);
	s.blocks = NULL;
	s.spans = NULL;
	out->sections = s.sections;
	out->nsections = s.nsections;
	out->diagrams = s.diagrams;
	out->ndiagrams = s.ndiagrams;
	for (size_t i = 0; i < s.ncut; i++)
		free(s.cut[i].source);
	free(s.cut);
	free(s.out.p);
	free(s.blocks);
	free(s.spans);
	return rc == 0 ? 0 : -1;
}

size_t rm_section_line(const struct rm_doc *d, size_t i)
{
	if (i >= d->nsections || !d->layout)
		return 0;
	return rl_line_at(d->layout, d->sections[i].off);
}

long rm_section_of_line(const struct rm_doc *d, size_t k)
{
	long best = -1;
	for (size_t i = 0; i < d->nsections; i++)
		if (rm_section_line(d, i) <= k)
			best = (long)i;
	return best;
}

void rm_free(struct rm_doc *d)
{
	if (!d)
		return;
	rl_free(d->layout);
	for (size_t i = 0; i < d->nsections; i++)
		free(d->sections[i].title);
	free(d->sections);
	for (size_t i = 0; i < d->ndiagrams; i++)
		free(d->diagrams[i].source);
	free(d->diagrams);
	memset(d, 0, sizeof *d);
}
