/* evidence_claims.c — the checkable claims of a summary: what a reviewer
 * would check against the transcript.
 *
 * md4c parses the Markdown (the same parser the reader renders with), so
 * a claim's text is what the reader shows. Claims are the sentences of
 * paragraphs, list items and table rows. Not claims: headings, a
 * paragraph all in bold (the "**Core Point**" titles of LLM summaries),
 * a list item all in bold that opens a nested list, anything ending in a
 * colon (a lead-in: "Grok's strengths:"), code, HTML, and the Mermaid
 * block itself. Each node label of a Mermaid concept map is a claim of
 * its own (nodes without a label, only an id, are not).
 *
 * The Mermaid labels come from render/mermaid's parser: a pure function
 * with no terminal behind it, used here so that the labels checked are
 * exactly the labels the map view draws (a second, simpler parser in db/
 * would disagree with it on the cases that matter).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <md4c.h>

#include "db/evidence.h"
#include "render/alloc.h"
#include "render/mermaid/mermaid.h"

#define MIN_SENTENCE 8      /* code points: shorter pieces stay with a neighbour */

/* A piece of plain text and where it came from in the body. */
struct seg {
	size_t plain, src;
};

struct cs {
	const char *body;      /* the blanked copy md4c parses */
	size_t len;
	const size_t *lines;   /* offsets of line starts */
	size_t nlines;
	struct ev_claim *out;
	size_t n, cap;
	/* the text being gathered */
	char *buf;
	size_t blen, bcap;
	struct seg *segs;
	size_t nsegs, capsegs;
	int in_strong;
	int any_plain;         /* text outside bold */
	int any_bold;
	/* where it is */
	int heading, code, html, table_row, li_depth, quote;
	int block_is_li;       /* the gathered text is a list item's own */
	int block_top_para;    /* a paragraph outside lists and quotes */
};

static int line_of(const struct cs *c, size_t off)
{
	size_t lo = 0, hi = c->nlines;
	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

static void push_claim(struct cs *c, size_t off, enum ev_kind kind, const char *id,
                       const char *text, size_t n)
{
	while (n > 0 && (text[0] == ' ' || text[0] == '\t')) {
		text++;
		n--;
	}
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->out = xrealloc(c->out, c->cap * sizeof *c->out);
	}
	struct ev_claim *e = &c->out[c->n++];
	e->line = line_of(c, off);
	e->off = off;
	e->kind = kind;
	e->node_id = id ? xstrndup(id, strlen(id)) : NULL;
	e->text = xstrndup(text, n);
}

static void put(struct cs *c, const char *s, size_t n, const char *src)
{
	if (c->blen + n + 1 > c->bcap) {
		c->bcap = (c->blen + n + 1) * 2;
		c->buf = xrealloc(c->buf, c->bcap);
	}
	if (src && src >= c->body && src < c->body + c->len) {
		if (c->nsegs == c->capsegs) {
			c->capsegs = c->capsegs ? c->capsegs * 2 : 16;
			c->segs = xrealloc(c->segs, c->capsegs * sizeof *c->segs);
		}
		c->segs[c->nsegs++] = (struct seg){ c->blen, (size_t)(src - c->body) };
	}
	memcpy(c->buf + c->blen, s, n);
	c->blen += n;
	c->buf[c->blen] = '\0';
}

/* Source offset of plain-text offset q of the gathered text. */
static size_t src_of(const struct cs *c, size_t q)
{
	size_t best = c->nsegs ? c->segs[0].src : 0;
	for (size_t i = 0; i < c->nsegs && c->segs[i].plain <= q; i++)
		best = c->segs[i].src + (q - c->segs[i].plain);
	return best;
}

static size_t cp_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* Byte length of the sentence end at s[i] (。！？ or . ! ? before a
 * space), else 0. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
	if (i + 3 <= n && (memcmp(s + i, "\xE3\x80\x82", 3) == 0 ||   /* 。 */
	                   memcmp(s + i, "\xEF\xBC\x81", 3) == 0 ||   /* ！ */
	                   memcmp(s + i, "\xEF\xBC\x9F", 3) == 0))    /* ？ */
		return 3;
	if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && i + 1 < n && s[i + 1] == ' ')
		return 1;
	return 0;
}

/* Splits the gathered text into sentences and pushes them as claims. */
static void push_sentences(struct cs *c)
{
	const char *s = c->buf;
	size_t n = c->blen, start = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = sentence_end(s, n, i);
		if (!k)
			continue;
		size_t end = i + k;
		/* short pieces stay joined to what follows */
		if (cp_count(s + start, end - start) >= MIN_SENTENCE &&
		    cp_count(s + end, n - end) >= MIN_SENTENCE) {
			size_t a = start;
			while (a < end && s[a] == ' ')
				a++;
			push_claim(c, src_of(c, a), EV_TEXT, NULL, s + a, end - a);
			start = end;
		}
		i = end - 1;
	}
	size_t a = start;
	while (a < n && s[a] == ' ')
		a++;
	if (a < n)
		push_claim(c, src_of(c, a), EV_TEXT, NULL, s + a, n - a);
}

static int ends_with_colon(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '*'))
		n--;
	return (n >= 1 && s[n - 1] == ':') ||
	       (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0);   /* ： */
}

/* Ends the gathered text: a claim (or several) unless it is a heading, a
 * title in bold, a lead-in or code. nested: a list follows inside the
 * same item. */
static void flush(struct cs *c, int nested)
{
	if (c->blen == 0)
		goto reset;
	int skip = c->heading || c->code || c->html;
	int bold_only = c->any_bold && !c->any_plain;
	if (bold_only && (c->block_top_para || (c->block_is_li && nested)))
		skip = 1;
	if (ends_with_colon(c->buf, c->blen))
		skip = 1;
	if (!skip && !c->table_row)
		push_sentences(c);
reset:
	if (c->table_row)
		return;   /* a table row gathers its cells until it ends */
	c->blen = 0;
	c->nsegs = 0;
	c->any_plain = c->any_bold = 0;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct cs *c = ud;
	flush(c, (type == MD_BLOCK_UL || type == MD_BLOCK_OL) && c->block_is_li);
	switch (type) {
	case MD_BLOCK_H: c->heading++; break;
	case MD_BLOCK_CODE: c->code++; break;
	case MD_BLOCK_HTML: c->html++; break;
	case MD_BLOCK_LI: c->li_depth++; break;
	case MD_BLOCK_QUOTE: c->quote++; break;
	case MD_BLOCK_TR: c->table_row = 1; break;
	case MD_BLOCK_TD: case MD_BLOCK_TH:
		if (c->blen)
			put(c, " | ", 3, NULL);
		break;
	default: break;
	}
	c->block_is_li = type == MD_BLOCK_LI || (type == MD_BLOCK_P && c->li_depth > 0);
	c->block_top_para = type == MD_BLOCK_P && c->li_depth == 0 && c->quote == 0;
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct cs *c = ud;
	if (type == MD_BLOCK_TR) {
		c->table_row = 0;
		if (c->blen && !ends_with_colon(c->buf, c->blen))
			push_sentences(c);
		c->blen = 0;
		c->nsegs = 0;
		c->any_plain = c->any_bold = 0;
		return 0;
	}
	flush(c, 0);
	switch (type) {
	case MD_BLOCK_H: c->heading--; break;
	case MD_BLOCK_CODE: c->code--; break;
	case MD_BLOCK_HTML: c->html--; break;
	case MD_BLOCK_LI: c->li_depth--; break;
	case MD_BLOCK_QUOTE: c->quote--; break;
	default: break;
	}
	c->block_is_li = c->li_depth > 0;
	c->block_top_para = 0;
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct cs *c = ud;
	if (type == MD_SPAN_STRONG)
		c->in_strong++;
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct cs *c = ud;
	if (type == MD_SPAN_STRONG)
		c->in_strong--;
	return 0;
}

/* 1 when s[0..n) has a letter, digit or CJK character (not only spaces
 * and punctuation). */
static int has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x80 || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))
			return 1;
	}
	return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE size, void *ud)
{
	struct cs *c = ud;
	if (c->code || c->html)
		return 0;
	switch (type) {
	case MD_TEXT_NORMAL:
	case MD_TEXT_CODE:
	case MD_TEXT_ENTITY:
		if (type == MD_TEXT_ENTITY) {
			static const struct { const char *e, *s; } ents[] = {
				{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
				{ "&quot;", "\"" }, { "&nbsp;", " " }, { "&#39;", "'" },
			};
			for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
				if (strlen(ents[i].e) == size && memcmp(t, ents[i].e, size) == 0) {
					put(c, ents[i].s, strlen(ents[i].s), t);
					return 0;
				}
			}
		}
		if (has_content(t, size)) {
			if (c->in_strong)
				c->any_bold = 1;
			else
				c->any_plain = 1;
		}
		put(c, t, size, t);
		break;
	case MD_TEXT_SOFTBR:
	case MD_TEXT_BR:
	case MD_TEXT_HTML:
		put(c, " ", 1, NULL);
		break;
	default:
		break;
	}
	return 0;
}

/* Adds the labelled nodes of the Mermaid source src[0..n), which starts
 * at body offset at, as claims. */
static void diagram_claims(struct cs *c, const char *src, size_t n, size_t at)
{
	struct mm_graph g;
	struct mm_error err;
	char *copy = xstrndup(src, n);
	if (mm_parse(copy, n, &g, &err) != 0) {
		free(copy);
		return;
	}
	int first = line_of(c, at);
	for (size_t i = 0; i < g.nnodes; i++) {
		const struct mm_node *nd = &g.nodes[i];
		if (!nd->label || strcmp(nd->label, nd->id) == 0)
			continue;
		char *l = xstrndup(nd->label, strlen(nd->label));
		for (char *p = l; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		int line = first + (nd->line > 0 ? nd->line - 1 : 0);
		size_t off = line - 1 < (int)c->nlines ? c->lines[line - 1] : at;
		if (has_content(l, strlen(l)))
			push_claim(c, off, EV_NODE, nd->id, l, strlen(l));
		free(l);
	}
	mm_graph_free(&g);
	free(copy);
}

static size_t find_tag(const char *s, size_t len, size_t from, const char *tag)
{
	size_t tl = strlen(tag);
	for (size_t i = from; i + tl <= len; i++)
		if (s[i] == '<' && strncasecmp(s + i, tag, tl) == 0)
			return i;
	return len;
}

/* Start of the line holding offset p. */
static size_t line_start(const char *s, size_t p)
{
	while (p > 0 && s[p - 1] != '\n')
		p--;
	return p;
}

/* Mermaid fences (```mermaid … ```): their extent in s, by lines. Calls
 * diagram_claims for each and blanks it in copy. */
static void fence_diagrams(struct cs *c, const char *s, size_t n, char *copy)
{
	size_t i = 0;
	while (i < n) {
		size_t eol = i;
		while (eol < n && s[eol] != '\n')
			eol++;
		size_t k = i;
		while (k < eol && s[k] == ' ' && k - i < 3)
			k++;
		char f = s[k];
		size_t fl = 0;
		while (k + fl < eol && s[k + fl] == f && (f == '`' || f == '~'))
			fl++;
		if (fl >= 3) {
			size_t w = k + fl;
			while (w < eol && s[w] == ' ')
				w++;
			if (eol - w >= 7 && strncasecmp(s + w, "mermaid", 7) == 0) {
				/* find the closing fence */
				size_t j = eol < n ? eol + 1 : n, end = n, next = n;
				while (j < n) {
					size_t e2 = j;
					while (e2 < n && s[e2] != '\n')
						e2++;
					size_t q = j;
					while (q < e2 && s[q] == ' ')
						q++;
					size_t cl = 0;
					while (q + cl < e2 && s[q + cl] == f)
						cl++;
					if (cl >= fl) {
						end = j;
						next = e2 < n ? e2 + 1 : n;
						break;
					}
					j = e2 < n ? e2 + 1 : n;
				}
				size_t body = eol < n ? eol + 1 : n;
				diagram_claims(c, s + body, end > body ? end - body : 0, body);
				for (size_t b = i; b < next && b < n; b++)
					if (copy[b] != '\n')
						copy[b] = ' ';
				i = next;
				continue;
			}
		}
		i = eol < n ? eol + 1 : n;
	}
}

/* Sorts claims by body offset, keeping the order of equal ones (the
 * nodes of one line). */
static void sort_claims(struct ev_claim *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct ev_claim x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1].off > x.off) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

int ev_claims(const char *body, size_t len, struct ev_claim **out, size_t *n)
{
	struct cs c;
	memset(&c, 0, sizeof c);
	*out = NULL;
	*n = 0;
	if (!body || len == 0)
		return 0;
	/* line starts, for line numbers */
	size_t nl = 1;
	for (size_t i = 0; i < len; i++)
		if (body[i] == '\n')
			nl++;
	size_t *lines = xrealloc(NULL, nl * sizeof *lines);
	lines[0] = 0;
	for (size_t i = 0, k = 1; i < len; i++)
		if (body[i] == '\n')
			lines[k++] = i + 1;
	c.lines = lines;
	c.nlines = nl;

	/* Mermaid blocks become blank lines for md4c (offsets kept); their
	 * nodes are claims. */
	char *copy = xstrndup(body, len);
	size_t pos = 0;
	for (;;) {
		size_t a = find_tag(body, len, pos, "<Mermaid_Diagram>");
		if (a == len)
			break;
		size_t b = find_tag(body, len, a, "</Mermaid_Diagram>");
		size_t end = b == len ? len : b + strlen("</Mermaid_Diagram>");
		size_t ls = line_start(body, a);
		diagram_claims(&c, body + ls, end - ls, ls);
		for (size_t i = a; i < end; i++)
			if (copy[i] != '\n')
				copy[i] = ' ';
		pos = end;
	}
	fence_diagrams(&c, body, len, copy);

	c.body = copy;
	c.len = len;
	MD_PARSER p;
	memset(&p, 0, sizeof p);
	p.flags = MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_TABLES;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	md_parse(copy, (MD_SIZE)(len > 0xFFFFFFF0u ? 0xFFFFFFF0u : len), &p, &c);
	flush(&c, 0);
	free(copy);
	free(c.buf);
	free(c.segs);
	free(lines);
	sort_claims(c.out, c.n);
	if (c.n > EV_MAX_CLAIMS) {   /* the first ones in body order */
		for (size_t i = EV_MAX_CLAIMS; i < c.n; i++) {
			free(c.out[i].text);
			free(c.out[i].node_id);
		}
		c.n = EV_MAX_CLAIMS;
	}
	*out = c.out;
	*n = c.n;
	return 0;
}

void ev_claims_free(struct ev_claim *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].text);
		free(c[i].node_id);
	}
	free(c);
}
