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

/* The analysis keeps one byte per byte of text (a unit per cluster cost
 * 12 bytes per cluster: a 20 MB summary took 200 MB of them). A byte that
 * starts a cluster holds B_START, its break flags, whether it is a line
 * end, its length when it is 1 to 3 bytes (0: find the next start) and its
 * width (3: look it up in the wide table, for tabs and clusters wider than
 * 2); the other bytes of a cluster are 0, the bytes outside every block
 * B_START (so a cluster never runs past its block's end). The kind of a
 * cluster is rs_next()'s to say again where it is drawn. */
enum {
	B_START = 0x80,
	B_BRK = 0x40,                      /* a break is allowed before it */
	B_SKIP = 0x20,                     /* skippable at a soft break */
	B_NL = 0x10,                       /* a line end (RS_NEWLINE) */
	B_LEN_SHIFT = 2,                   /* bytes, 1–3, in bits 2–3; 0: more */
	B_WIDE = 3,                        /* width in the wide table */
};

struct wide {
	uint32_t off;
	uint32_t width;
};

/* One cluster, decoded from the analysis bytes. */
struct unit {
	size_t off, len;
	int width;
	int flags;                         /* B_BRK, B_SKIP, B_NL */
};

/* A block as kept (the caller's array is taken over in place). */
struct blk {
	struct rl_block b;
};

struct rl_doc {
	char *text;
	size_t len;
	struct blk *blocks;
	size_t nblocks;
	struct rl_span *spans;
	size_t nspans;
	uint8_t *ub;                       /* the analysis: one byte per byte */
	struct wide *wide;                 /* sorted by off */
	size_t nwide, capwide;
	size_t nunits;
	int width;                         /* of the current layout; -1 none */
	struct rl_line *lines;
	size_t nlines, caplines;
};

static int wide_width(const struct rl_doc *d, size_t off)
{
	size_t lo = 0, hi = d->nwide;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->wide[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nwide && d->wide[lo].off == off ? (int)d->wide[lo].width : 0;
}

/* The offset just past the cluster starting at byte i (a B_START byte
 * < d->len). */
/* unit_next() on the arrays themselves, for loops that keep them in
 * registers: the length kept in the start byte, else the first start
 * after i, found eight bytes at a time (ub has UB_PAD bytes of B_START
 * past the text; an escape sequence may be 4 KB long). */
#define UB_PAD 8
static inline size_t next_start(const uint8_t *ub, size_t i)
{
	size_t n = (ub[i] >> B_LEN_SHIFT) & 3;
	if (n)
		return i + n;
	size_t j = i + 1;
	for (;;) {
		uint64_t w;
		memcpy(&w, ub + j, 8);
		w &= 0x8080808080808080ull;
		if (w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return j + (size_t)(__builtin_ctzll(w) >> 3);
#else
			while (!(ub[j] & B_START))
				j++;
			return j;
#endif
		}
		j += 8;
	}
}

static inline size_t unit_next(const struct rl_doc *d, size_t i)
{
	return next_start(d->ub, i);
}

static inline int unit_width(const struct rl_doc *d, size_t i, uint8_t b)
{
	return (b & 3) == B_WIDE ? wide_width(d, i) : (b & 3);
}

/* The cluster starting at byte i (a B_START byte < d->len) into *u;
 * returns the offset just past it. */
static inline size_t unit_get(const struct rl_doc *d, size_t i, struct unit *u)
{
	uint8_t b = d->ub[i];
	size_t j = unit_next(d, i);
	u->off = i;
	u->len = j - i;
	u->flags = b & (B_BRK | B_SKIP | B_NL);
	u->width = unit_width(d, i, b);
	return j;
}

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
static void analyse_block(struct rl_doc *d, struct blk *bk,
                          char **brks, size_t *brkcap, char **tmp, size_t *tmpcap)
{
	const char *s = d->text;
	size_t end = bk->b.end, pos = bk->b.off;
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
			int w = c.kind == RS_TAB ? rs_tab_width(col) : c.width;
			if (w > 0xFFFF)
				w = 0xFFFF;
			col += w;
			uint8_t b = B_START;
			if (c.kind == RS_NEWLINE)
				b |= B_NL;
			if (c.len <= 3)
				b |= (uint8_t)(c.len << B_LEN_SHIFT);
			if (w <= 2) {
				b |= (uint8_t)w;
			} else {
				b |= B_WIDE;
				if (d->nwide == d->capwide) {
					d->capwide = d->capwide ? d->capwide * 2 : 64;
					d->wide = xrealloc(d->wide, d->capwide * sizeof *d->wide);
				}
				d->wide[d->nwide].off = (uint32_t)pos;
				d->wide[d->nwide++].width = (uint32_t)w;
			}
			if (c.kind == RS_SPACE || c.kind == RS_TAB)
				b |= B_SKIP;
			if (pos > pstart && pos <= pend) {
				char k = (*brks)[pos - pstart - 1];
				if (k == LINEBREAK_ALLOWBREAK || k == LINEBREAK_MUSTBREAK)
					b |= B_BRK;
			}
			d->ub[pos] = b;
			if (next > pos + 1)
				memset(d->ub + pos + 1, 0, next - pos - 1);
			d->nunits++;
			pos = next;
		}
	}
}

struct rl_doc *rl_new(const char *text, size_t len,
                      const struct rl_block *blocks, size_t nblocks,
                      const struct rl_span *spans, size_t nspans)
{
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;          /* offsets are 32-bit */
	char *copy = xmalloc(len + 1);
	if (len)
		memcpy(copy, text, len);       /* text may be NULL when len is 0 */
	struct rl_block *bc = NULL;
	struct rl_span *sc = NULL;
	if (blocks && nblocks) {
		bc = xreallocarray(NULL, nblocks, sizeof *bc);
		memcpy(bc, blocks, nblocks * sizeof *bc);
	}
	if (spans && nspans) {
		sc = xreallocarray(NULL, nspans, sizeof *sc);
		memcpy(sc, spans, nspans * sizeof *sc);
	}
	return rl_new_owned(copy, len, bc, nblocks, sc, nspans);
}

struct rl_doc *rl_new_owned(char *text, size_t len,
                            struct rl_block *blocks, size_t nblocks,
                            struct rl_span *spans, size_t nspans)
{
	pthread_once(&lb_once, lb_init);
	struct rl_doc *d = xmalloc(sizeof *d);
	memset(d, 0, sizeof *d);
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;          /* offsets are 32-bit */
	d->text = xrealloc(text, len + 1); /* no spare capacity kept */
	d->text[len] = '\0';
	d->len = len;
	if (!blocks || nblocks == 0) {
		free(blocks);
		d->nblocks = 1;
		d->blocks = xmalloc(sizeof *d->blocks);
		memset(d->blocks, 0, sizeof *d->blocks);
		d->blocks[0].b.off = 0;
		d->blocks[0].b.end = (uint32_t)len;
	} else {
		d->nblocks = nblocks;
		d->blocks = (struct blk *)xreallocarray(blocks, nblocks, sizeof *d->blocks);
		uint32_t prev = 0;
		for (size_t i = 0; i < nblocks; i++) {
			struct rl_block *b = &d->blocks[i].b;
			if (b->off < prev) b->off = prev;     /* keep them sorted */
			if (b->off > len) b->off = (uint32_t)len;
			if (b->end < b->off) b->end = b->off;
			if (b->end > len) b->end = (uint32_t)len;
			if (b->indent_first < 0) b->indent_first = 0;
			if (b->indent_rest < 0) b->indent_rest = 0;
			prev = b->end;
		}
	}
	if (spans && nspans) {
		d->spans = xreallocarray(spans, nspans, sizeof *d->spans);
		for (size_t i = 0; i < nspans; i++) {
			struct rl_span *sp = &d->spans[i];
			if (sp->off > len) sp->off = (uint32_t)len;
			if (sp->end > len) sp->end = (uint32_t)len;
			if (sp->end < sp->off) sp->end = sp->off;
		}
		d->nspans = nspans;
	} else {
		free(spans);
	}
	size_t brkcap = 0, tmpcap = 0;
	char *brks = NULL, *tmp = NULL;
	d->ub = xmalloc(len + UB_PAD + 1);
	memset(d->ub, B_START, len + UB_PAD + 1);   /* outside every block */
	for (size_t i = 0; i < d->nblocks; i++)
		analyse_block(d, &d->blocks[i], &brks, &brkcap, &tmp, &tmpcap);
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
	free(d->ub);
	free(d->wide);
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
	size_t i = bk->b.off, ue = bk->b.end;   /* byte offsets of units */
	int unwrapped = w == INT_MAX;
	if (i == ue) {                          /* empty block: one blank line */
		struct rl_line *l = push_line(d);
		l->off = l->end = bk->b.off;
		l->block = (uint32_t)bi;
		l->indent = 0;
		return;
	}
	int first = 1, soft = 0;
	const uint8_t *const ub = d->ub;
	while (i < ue) {
		if (soft) {                         /* spaces at a soft break */
			while (i < ue && (ub[i] & B_SKIP))
				i = next_start(ub, i);
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
		size_t vis_end = i;                 /* byte past the last shown unit */
		size_t brk = 0;                     /* unit where we may break */
		long brk_col = 0;
		size_t brk_vis = 0;
		int clipped = 0;
		soft = 1;
		while (i < ue) {
			uint8_t b = ub[i];
			size_t nx = next_start(ub, i);
			if (b & B_NL) {
				i = nx;
				soft = 0;
				break;
			}
			if ((b & B_BRK) && i > start) {
				brk = i;
				brk_col = vis_col;
				brk_vis = vis_end;
			}
			int xw = (b & 3) == B_WIDE ? wide_width(d, i) : (b & 3);
			if (b & B_SKIP) {
				col += xw;
				i = nx;
				continue;
			}
			if (col + xw > avail) {
				if (brk > start) {          /* break at the opportunity */
					i = brk;
					vis_col = brk_col;
					vis_end = brk_vis;
				} else if (i > start) {     /* hard break: nothing fits */
					/* keep vis as is: the run up to i is shown */
				} else {                    /* one cluster wider than room */
					i = nx;
					vis_end = i;
					vis_col = avail;
					clipped = 1;
				}
				break;
			}
			col += xw;
			vis_col = col;
			i = nx;
			vis_end = i;
		}
		struct rl_line *l = push_line(d);
		l->block = (uint32_t)bi;
		l->indent = indent;
		l->off = (uint32_t)start;
		l->end = (uint32_t)(vis_end > start ? vis_end : start);
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

size_t rl_wrap_blocks(struct rl_doc *d, int width, size_t b0, size_t b1)
{
	int w = width <= 0 ? 0 : width;
	if (b1 > d->nblocks)
		b1 = d->nblocks;
	d->nlines = 0;
	for (size_t b = b0; b < b1; b++)
		wrap_block(d, b, w == 0 ? INT_MAX : w);
	d->width = -1;                     /* not the whole document's layout */
	return d->nlines;
}

size_t rl_block_count(const struct rl_doc *d) { return d->nblocks; }

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

int rl_col_at(const struct rl_doc *d, size_t k, size_t off)
{
	const struct rl_line *l = rl_line(d, k);
	if (!l)
		return 0;
	if (off >= l->end)
		return l->width;
	int col = l->indent;
	struct unit x;
	for (size_t i = l->off; i < l->end;) {
		size_t nx = unit_get(d, i, &x);
		if (off < nx)
			return col;
		col += x.width;
		i = nx;
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
	struct unit xu;
	const struct unit *x = &xu;
	for (size_t i = l->off, nx; i < l->end && n < max; i = nx) {
		nx = unit_get(d, i, &xu);
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
				c->text[gl++] = j == 0 && rc.kind != RS_TEXT ? '^' : '?';
			c->text[gl] = '\0';
			ph = 1;
		} else if (rc.kind == RS_TAB) {
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
