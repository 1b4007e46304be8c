/* layout.c — cluster analysis once, greedy UAX #14 wrapping per width. */
#include "render/layout.h"
#include "render/alloc.h"
#include "render/sanitize.h"
#include "render/utf8.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linebreak.h>

enum { U_BRK = 1, U_SKIP = 2 };       /* break allowed before; skippable */

struct unit {
	uint32_t off, len;
	uint16_t width;
	uint8_t kind;                      /* enum rs_kind */
	uint8_t flags;
};

struct blk {
	struct rl_block b;
	size_t u0, u1;                     /* its units */
};

struct rl_doc {
	char *text;
	size_t len;
	struct blk *blocks;
	size_t nblocks;
	struct rl_span *spans;
	size_t nspans;
	struct unit *units;
	size_t nunits;
	int width;                         /* of the current layout; -1 none */
	struct rl_line *lines;
	size_t nlines, caplines;
};

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;
static void lb_init(void) { init_linebreak(); }

/* Scans a paragraph before libunibreak sees it. Returns "zh" when it holds
 * CJK (U+3000–U+9FFF, U+F900–U+FFEF): libunibreak then treats “ ” ‘ ’ as
 * opening/closing punctuation the way CJK typesetting does. *poison is set
 * when it holds something libunibreak 1.1 aborts on (an assertion, found
 * by fuzz_text): regional indicators U+1F1E6–U+1F1FF, U+FFFF (its internal
 * end-of-text value), or invalid UTF-8 (its lenient decoder can turn a
 * broken sequence into either). */
static const char *para_scan(const char *s, size_t n, int *poison)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *lang = NULL;
	*poison = 0;
	size_t i = 0;
	while (i < n) {
		unsigned char b = p[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		/* Inline validation of the common 2- and 3-byte forms. */
		if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		if (b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < n &&
		    (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
			if (b >= 0xE3 && b <= 0xE9)
				lang = "zh";        /* U+3000–U+9FFF */
			else if (b == 0xEF) {
				if (p[i + 1] >= 0xA4 && !(p[i + 1] == 0xBF && p[i + 2] >= 0xB0))
					lang = "zh";    /* U+F900–U+FFEF */
				if (p[i + 1] == 0xBF && p[i + 2] == 0xBF)
					*poison = 1;    /* U+FFFF */
			}
			i += 3;
			continue;
		}
		int32_t c;
		size_t m = utf8_decode(s + i, n - i, &c);
		if (m == 0) {
			*poison = 1;
			i++;
			continue;
		}
		if (c >= 0x1F1E6 && c <= 0x1F1FF)
			*poison = 1;
		i += m;
	}
	return lang;
}

/* A copy of s[0..n) in *buf with para_scan()'s poison replaced by
 * same-length stand-ins of a harmless class: invalid bytes by '?',
 * regional indicators by U+20000 (ideographic, breaks like an emoji),
 * U+FFFF by U+FFFD. Offsets stay the same. Returns the copy. */
static const char *unpoison(const char *s, size_t n, char **buf, size_t *cap)
{
	if (n > *cap) {
		*cap = n * 2;
		*buf = xrealloc(*buf, *cap);
	}
	char *o = *buf;
	memcpy(o, s, n);
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)o[i] < 0x80) {
			i++;
			continue;
		}
		int32_t c;
		size_t m = utf8_decode(o + i, n - i, &c);
		if (m == 0) {
			o[i++] = '?';
			continue;
		}
		if (c == 0xFFFF)
			o[i + 2] = (char)0xBD;
		else if (c >= 0x1F1E6 && c <= 0x1F1FF)
			memcpy(o + i, "\xF0\xA0\x80\x80", 4);
		i += m;
	}
	return o;
}

/* 1 when p[i..n) starts a CJK ideograph of line-break class ID
 * (U+3400–U+4DBF, U+4E00–U+9FFF; not the hexagrams U+4DC0–U+4DFF). */
static inline int ideo_at(const unsigned char *p, size_t n, size_t i)
{
	if (i + 2 >= n)
		return 0;
	unsigned char b = p[i], b1 = p[i + 1];
	if ((b1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
		return 0;
	if (b >= 0xE4 && b <= 0xE9)
		return !(b == 0xE4 && b1 == 0xB7);
	return b == 0xE3 && b1 >= 0x90;
}

/* UAX #14 break opportunities of p[0..n) (valid UTF-8) into brks, like
 * set_linebreaks_utf8(). Between two ideographs a break is always allowed
 * (ID ÷ ID) and an ideograph carries no context to the right, so runs of
 * ideographs are filled in directly and libunibreak only sees the text
 * between them, each piece starting at the last ideograph of the run
 * before it: the same answer in about a third of the time on Chinese. */
static void linebreaks(const char *p, size_t n, const char *lang, char *brks)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, seg = 0;
	while (i + 5 < n) {
		if (!(s[i] >= 0xE3 && s[i] <= 0xE9 && ideo_at(s, n, i) && ideo_at(s, n, i + 3))) {
			i++;
			continue;
		}
		set_linebreaks_utf8((const utf8_t *)p + seg, i + 3 - seg, lang, brks + seg);
		size_t j = i;
		while (ideo_at(s, n, j) && ideo_at(s, n, j + 3)) {
			brks[j] = brks[j + 1] = LINEBREAK_INSIDEACHAR;
			brks[j + 2] = LINEBREAK_ALLOWBREAK;
			j += 3;
		}
		seg = j;                       /* the run's last ideograph */
		i = j + 3;
	}
	if (seg < n)
		set_linebreaks_utf8((const utf8_t *)p + seg, n - seg, lang, brks + seg);
}

/* Analyses one block: its clusters, widths and break opportunities. */
static void analyse_block(struct rl_doc *d, struct blk *bk, size_t *cap,
                          char **brks, size_t *brkcap, char **tmp, size_t *tmpcap)
{
	const char *s = d->text;
	size_t end = bk->b.end, pos = bk->b.off;
	bk->u0 = d->nunits;
	while (pos < end) {
		/* One paragraph: up to and including a line end. */
		size_t pstart = pos;
		const char *nl = memchr(s + pos, '\n', end - pos);
		size_t pend = nl ? (size_t)(nl - s) : end;
		size_t plen = pend - pstart;
		if (plen > 0) {
			if (plen > *brkcap) {
				*brkcap = plen * 2;
				*brks = xrealloc(*brks, *brkcap);
			}
			int poison;
			const char *lang = para_scan(s + pstart, plen, &poison);
			const char *p = poison ? unpoison(s + pstart, plen, tmp, tmpcap)
			                       : s + pstart;
			linebreaks(p, plen, lang, *brks);
		}
		int col = 0;
		size_t limit = pend < end ? pend + 1 : end;
		while (pos < limit) {
			struct rs_cluster c;
			size_t next = rs_next(s, limit, pos, &c);
			if (d->nunits == *cap) {
				*cap = *cap ? *cap * 2 : 256;
				d->units = xrealloc(d->units, *cap * sizeof *d->units);
			}
			struct unit *u = &d->units[d->nunits++];
			u->off = (uint32_t)pos;
			u->len = (uint32_t)c.len;
			u->kind = (uint8_t)c.kind;
			int w = c.kind == RS_TAB ? rs_tab_width(col) : c.width;
			if (w > 0xFFFF)
				w = 0xFFFF;
			u->width = (uint16_t)w;
			col += w;
			u->flags = 0;
			if (c.kind == RS_SPACE || c.kind == RS_TAB)
				u->flags |= U_SKIP;
			if (pos > pstart && pos <= pend) {
				char b = (*brks)[pos - pstart - 1];
				if (b == LINEBREAK_ALLOWBREAK || b == LINEBREAK_MUSTBREAK)
					u->flags |= U_BRK;
			}
			pos = next;
		}
	}
	bk->u1 = d->nunits;
}

struct rl_doc *rl_new(const char *text, size_t len,
                      const struct rl_block *blocks, size_t nblocks,
                      const struct rl_span *spans, size_t nspans)
{
	pthread_once(&lb_once, lb_init);
	struct rl_doc *d = xmalloc(sizeof *d);
	memset(d, 0, sizeof *d);
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;          /* offsets are 32-bit */
	d->text = xmalloc(len + 1);
	if (len)
		memcpy(d->text, text, len);    /* text may be NULL when len is 0 */
	d->text[len] = '\0';
	d->len = len;
	if (!blocks || nblocks == 0) {
		d->nblocks = 1;
		d->blocks = xmalloc(sizeof *d->blocks);
		memset(d->blocks, 0, sizeof *d->blocks);
		d->blocks[0].b.off = 0;
		d->blocks[0].b.end = len;
	} else {
		d->nblocks = nblocks;
		d->blocks = xmalloc(nblocks * sizeof *d->blocks);
		size_t prev = 0;
		for (size_t i = 0; i < nblocks; i++) {
			struct rl_block b = blocks[i];
			if (b.off < prev) b.off = prev;       /* keep them sorted */
			if (b.off > len) b.off = len;
			if (b.end < b.off) b.end = b.off;
			if (b.end > len) b.end = len;
			if (b.indent_first < 0) b.indent_first = 0;
			if (b.indent_rest < 0) b.indent_rest = 0;
			d->blocks[i].b = b;
			prev = b.end;
		}
	}
	if (spans && nspans) {
		d->spans = xmalloc(nspans * sizeof *d->spans);
		memcpy(d->spans, spans, nspans * sizeof *spans);
		d->nspans = nspans;
	}
	size_t cap = len / 2 + 16, brkcap = 0, tmpcap = 0;
	char *brks = NULL, *tmp = NULL;
	d->units = xmalloc(cap * sizeof *d->units);
	for (size_t i = 0; i < d->nblocks; i++)
		analyse_block(d, &d->blocks[i], &cap, &brks, &brkcap, &tmp, &tmpcap);
	free(brks);
	free(tmp);
	d->width = -1;
	return d;
}

void rl_free(struct rl_doc *d)
{
	if (!d)
		return;
	free(d->text);
	free(d->blocks);
	free(d->spans);
	free(d->units);
	free(d->lines);
	free(d);
}

const char *rl_text(const struct rl_doc *d, size_t *len)
{
	if (len)
		*len = d->len;
	return d->text;
}

size_t rl_cluster_count(const struct rl_doc *d) { return d->nunits; }
int rl_width(const struct rl_doc *d) { return d->width < 0 ? 0 : d->width; }
size_t rl_count(const struct rl_doc *d) { return d->nlines; }

const struct rl_line *rl_line(const struct rl_doc *d, size_t k)
{
	return k < d->nlines ? &d->lines[k] : NULL;
}

static struct rl_line *push_line(struct rl_doc *d)
{
	if (d->nlines == d->caplines) {
		d->caplines = d->caplines ? d->caplines * 2 : 64;
		d->lines = xrealloc(d->lines, d->caplines * sizeof *d->lines);
	}
	struct rl_line *l = &d->lines[d->nlines++];
	memset(l, 0, sizeof *l);
	return l;
}

/* Indent that still leaves room for text at width w. */
static int fit_indent(int indent, int w)
{
	if (w <= 0)
		return indent;
	int most = (w - 1) / 2;
	return indent < most ? indent : most;
}

/* Lays out block bi at width w (INT_MAX: unwrapped). */
static void wrap_block(struct rl_doc *d, size_t bi, int w)
{
	const struct blk *bk = &d->blocks[bi];
	const struct unit *u = d->units;
	size_t i = bk->u0, ue = bk->u1;
	int unwrapped = w == INT_MAX;
	if (i == ue) {                          /* empty block: one blank line */
		struct rl_line *l = push_line(d);
		l->off = l->end = bk->b.off;
		l->block = bi;
		l->indent = 0;
		return;
	}
	int first = 1, soft = 0;
	while (i < ue) {
		if (soft) {                         /* spaces at a soft break */
			while (i < ue && (u[i].flags & U_SKIP))
				i++;
			if (i == ue)
				break;
		}
		int indent = fit_indent(first ? bk->b.indent_first : bk->b.indent_rest,
		                        unwrapped ? 0 : w);
		int avail = unwrapped ? INT_MAX : w - indent;
		if (avail < 1)
			avail = 1;
		first = 0;
		size_t start = i;
		long col = 0, vis_col = 0;          /* vis: without trailing spaces */
		size_t vis_end = i;                 /* unit index past last shown */
		size_t brk = 0;                     /* unit where we may break */
		long brk_col = 0;
		size_t brk_vis = 0;
		int clipped = 0;
		soft = 1;
		while (i < ue) {
			const struct unit *x = &u[i];
			if (x->kind == RS_NEWLINE) {
				i++;
				soft = 0;
				break;
			}
			if (i > start && (x->flags & U_BRK)) {
				brk = i;
				brk_col = vis_col;
				brk_vis = vis_end;
			}
			if (x->flags & U_SKIP) {
				col += x->width;
				i++;
				continue;
			}
			if (col + x->width > avail) {
				if (brk > start) {          /* break at the opportunity */
					i = brk;
					vis_col = brk_col;
					vis_end = brk_vis;
				} else if (i > start) {     /* hard break: nothing fits */
					/* keep vis as is: the run up to i is shown */
				} else {                    /* one cluster wider than room */
					i++;
					vis_end = i;
					vis_col = avail;
					clipped = 1;
				}
				break;
			}
			col += x->width;
			vis_col = col;
			i++;
			vis_end = i;
		}
		struct rl_line *l = push_line(d);
		l->block = bi;
		l->indent = indent;
		l->off = u[start].off;
		l->end = vis_end > start ? u[vis_end - 1].off + u[vis_end - 1].len : l->off;
		if (unwrapped && vis_col > INT_MAX - indent)
			vis_col = INT_MAX - indent;
		l->width = indent + (int)vis_col;
		l->clipped = clipped;
	}
}

size_t rl_wrap(struct rl_doc *d, int width)
{
	int w = width <= 0 ? 0 : width;
	if (d->width == w)
		return d->nlines;
	d->nlines = 0;
	for (size_t b = 0; b < d->nblocks; b++)
		wrap_block(d, b, w == 0 ? INT_MAX : w);
	d->width = w;
	return d->nlines;
}

size_t rl_line_at(const struct rl_doc *d, size_t off)
{
	size_t lo = 0, hi = d->nlines;     /* last line with off ≤ target */
	if (hi == 0)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->lines[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* First unit at or after byte off (binary search). */
static size_t unit_at(const struct rl_doc *d, size_t off)
{
	size_t lo = 0, hi = d->nunits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->units[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rl_col_at(const struct rl_doc *d, size_t k, size_t off)
{
	const struct rl_line *l = rl_line(d, k);
	if (!l)
		return 0;
	if (off >= l->end)
		return l->width;
	int col = l->indent;
	for (size_t i = unit_at(d, l->off); i < d->nunits && d->units[i].off < l->end; i++) {
		const struct unit *x = &d->units[i];
		if (off < (size_t)x->off + x->len)
			return col;
		col += x->width;
	}
	return l->width;
}

/* Attribute of the span holding off; *si is a cursor into spans. */
static unsigned span_attr(const struct rl_doc *d, size_t *si, size_t off)
{
	while (*si < d->nspans && d->spans[*si].end <= off)
		(*si)++;
	if (*si < d->nspans && d->spans[*si].off <= off)
		return d->spans[*si].attr;
	return 0;
}

static size_t first_span(const struct rl_doc *d, size_t off)
{
	size_t lo = 0, hi = d->nspans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->spans[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t rl_cells(const struct rl_doc *d, size_t k, struct rc_cell *cells,
                size_t max, const struct rl_range *hl, size_t nhl)
{
	const struct rl_line *l = rl_line(d, k);
	if (!l)
		return 0;
	unsigned battr = d->blocks[l->block].b.attr;
	size_t n = 0;
	int col = 0;
	for (; col < l->indent && n < max; col++, n++) {
		struct rc_cell *c = &cells[n];
		c->text[0] = ' ';
		c->text[1] = '\0';
		c->len = 1;
		c->width = 1;
		c->attr = (uint16_t)(battr & (RC_QUOTE | RC_DIM | RC_CODE));
		c->col = col;
		c->off = l->off;
	}
	size_t si = first_span(d, l->off), hi = 0;
	while (hi < nhl && hl[hi].end <= l->off)
		hi++;
	for (size_t i = unit_at(d, l->off); i < d->nunits && d->units[i].off < l->end && n < max; i++) {
		const struct unit *x = &d->units[i];
		if (x->width == 0)
			continue;               /* line ends, dropped characters */
		struct rc_cell *c = &cells[n];
		struct rs_cluster rc;
		rs_next(d->text, (size_t)x->off + x->len, x->off, &rc);
		int ph = 0;
		size_t gl;
		int w = x->width;
		if (l->clipped) {
			w = l->width - l->indent;
			gl = 0;
			for (int j = 0; j < w && j < RS_GLYPH_MAX - 1; j++)
				c->text[gl++] = j == 0 && x->kind != RS_TEXT ? '^' : '?';
			c->text[gl] = '\0';
			ph = 1;
		} else if (x->kind == RS_TAB) {
			gl = 0;
			for (int j = 0; j < w && j < RS_GLYPH_MAX - 1; j++)
				c->text[gl++] = ' ';
			c->text[gl] = '\0';
		} else {
			gl = rs_glyph(d->text, &rc, c->text, &ph);
		}
		c->len = (uint8_t)gl;
		c->width = (uint8_t)w;
		c->col = col;
		c->off = x->off;
		unsigned a = battr | span_attr(d, &si, x->off);
		if (ph)
			a |= RC_PLACEHOLDER;
		while (hi < nhl && hl[hi].end <= x->off)
			hi++;
		if (hi < nhl && hl[hi].off < (size_t)x->off + x->len)
			a |= RC_HIGHLIGHT;
		c->attr = (uint16_t)a;
		col += w;
		n++;
	}
	return n;
}
