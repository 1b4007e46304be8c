/* chunk.c — token estimate and boundary-aware splitting (net/chunk.h). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "net/chunk.h"
#include "net/util.h"
#include "render/utf8.h"

/* Cost of one code point in tenths of a token. */
static int cp_cost(int32_t cp)
{
	return cp < 0x250 ? 3 : 6;
}

/* Tenths of tokens to the estimate, with the 10 % margin. */
static long units_to_tokens(long units)
{
	return (units * 11 + 99) / 100;
}

/* Decodes the code point at s[i]; returns its length (1 for a bad byte,
 * which then counts as U+FFFD). */
static size_t decode(const char *s, size_t n, size_t i, int32_t *cp)
{
	return utf8_next(s + i, n - i, cp);
}

long est_tokens(const char *s, size_t n)
{
	long units = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			units += 3;
			i++;
			continue;
		}
		int32_t cp;
		i += decode(s, n, i, &cp);
		units += cp_cost(cp);
	}
	return units_to_tokens(units);
}

static int is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0;
}

/* Closing marks that stay with the sentence they close. */
static int is_closer(int32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D ||
	       cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == 0x3011;
}

/* The class of a cut between code points prev2, prev and next (next is
 * -1 at the end of the text), or CUT_GRAPHEME when none better. */
static enum cut_kind classify(int32_t prev2, int32_t prev, int32_t next)
{
	if (prev == '\n')
		return prev2 == '\n' ? CUT_BLANK_LINE : CUT_LINE;
	if (next == '\r' || next == '\n' || is_closer(next))
		return CUT_GRAPHEME;   /* keep line ends and closers with what they end */
	switch (prev) {
	case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B:   /* 。！？； */
		return CUT_SENTENCE;
	case '.': case '!': case '?':
		return next < 0 || is_space(next) || next >= 0x2E80 ? CUT_SENTENCE : CUT_GRAPHEME;
	case 0xFF0C: case 0x3001: case 0xFF1A:                /* ，、： */
		return CUT_CLAUSE;
	case ',':
		return next < 0 || is_space(next) || next >= 0x2E80 ? CUT_CLAUSE : CUT_GRAPHEME;
	}
	if (is_closer(prev) && (prev2 == 0x3002 || prev2 == 0xFF01 || prev2 == 0xFF1F ||
	                        prev2 == '.' || prev2 == '!' || prev2 == '?'))
		return CUT_SENTENCE;
	if (is_space(prev) && !is_space(next))
		return CUT_SPACE;
	return CUT_GRAPHEME;
}

/* Forward walk over the text, one code point at a time, knowing where
 * grapheme clusters break. */
struct walker {
	const char *s;
	size_t n, pos;           /* pos: start of the next code point */
	int32_t prev2, prev;     /* the two code points before pos */
	utf8proc_int32_t gstate;
	long units;              /* cost of what was walked */
};

static void walk_init(struct walker *w, const char *s, size_t n, size_t pos)
{
	memset(w, 0, sizeof *w);
	w->s = s;
	w->n = n;
	w->pos = pos;
	w->prev = w->prev2 = -1;
}

/* Steps over one code point; sets *boundary when a grapheme cluster
 * ends before the next one, and *next_cp to that next code point (-1 at
 * the end). Returns 0 at the end of the text. */
static int walk_step(struct walker *w, int *boundary, int32_t *next_cp)
{
	if (w->pos >= w->n)
		return 0;
	int32_t cp;
	w->pos += decode(w->s, w->n, w->pos, &cp);
	w->units += cp_cost(cp);
	w->prev2 = w->prev;
	w->prev = cp;
	if (w->pos >= w->n) {
		*boundary = 1;
		*next_cp = -1;
		return 1;
	}
	int32_t nx;
	decode(w->s, w->n, w->pos, &nx);
	*next_cp = nx;
	*boundary = utf8proc_grapheme_break_stateful(cp, nx, &w->gstate);
	return 1;
}

/* Finds where the piece starting at start ends: the best boundary
 * between 60 % and 100 % of max_units. Sets *kind. */
static size_t find_cut(const char *s, size_t n, size_t start, long max_units, enum cut_kind *kind)
{
	struct walker w;
	walk_init(&w, s, n, start);
	long lo = max_units * 6 / 10;
	size_t best = 0, first = 0;
	enum cut_kind bk = CUT_GRAPHEME;
	int bnd;
	int32_t nx;
	while (walk_step(&w, &bnd, &nx)) {
		if (w.units > max_units && first)
			break;
		if (!bnd)
			continue;
		if (!first)
			first = w.pos;   /* at least one grapheme, however long */
		if (w.pos >= n) {
			*kind = CUT_END;
			return n;
		}
		if (w.units < lo)
			continue;
		enum cut_kind k = classify(w.prev2, w.prev, nx);
		if (!best || k <= bk) {
			best = w.pos;
			bk = k;
		}
		if (w.units >= max_units)
			break;
	}
	if (!best) {
		/* Nothing in the last 40 %: the last grapheme boundary that fits
		 * (or the first one, for a single oversized cluster). */
		struct walker v;
		walk_init(&v, s, n, start);
		best = first;
		while (walk_step(&v, &bnd, &nx) && v.units <= max_units)
			if (bnd)
				best = v.pos;
		bk = best >= n ? CUT_END : CUT_GRAPHEME;
	}
	*kind = bk;
	return best;
}

/* Where the next piece begins: about overlap_units before cut, on a
 * space or better when the overlap holds one, else on a grapheme
 * boundary; never before the middle of the piece [start, cut). */
static size_t overlap_start(const char *s, size_t n, size_t start, size_t cut, long overlap_units)
{
	if (overlap_units <= 0)
		return cut;
	struct walker w;
	walk_init(&w, s, cut, start);
	long total = 0;
	{
		struct walker t;
		int b;
		int32_t x;
		walk_init(&t, s, cut, start);
		while (walk_step(&t, &b, &x))
			;
		total = t.units;
	}
	long want = total - overlap_units;
	if (want < total / 2)
		want = total / 2;
	size_t grapheme = 0;
	int bnd;
	int32_t nx;
	(void)n;
	while (walk_step(&w, &bnd, &nx)) {
		if (w.pos >= cut)
			break;
		if (!bnd || w.units < want)
			continue;
		if (!grapheme)
			grapheme = w.pos;
		if (classify(w.prev2, w.prev, nx) <= CUT_SPACE)
			return w.pos;
		/* look a little further for a clean start, then settle */
		if (w.units > want + overlap_units / 2)
			break;
	}
	return grapheme ? grapheme : cut;
}

size_t chunk_split(const char *text, size_t len, long max_tokens, long overlap_tokens,
                   struct chunk **out)
{
	*out = NULL;
	if (len == 0)
		return 0;
	/* Token limits back to cost units (the inverse of units_to_tokens). */
	long max_units = max_tokens > 0 ? max_tokens * 100 / 11 : 1;
	if (max_units < 1)
		max_units = 1;
	long ov_units = overlap_tokens > 0 ? overlap_tokens * 100 / 11 : 0;
	size_t cap = 8, k = 0;
	struct chunk *v = xmalloc(cap * sizeof *v);
	size_t start = 0;
	while (start < len) {
		enum cut_kind kind;
		size_t cut = find_cut(text, len, start, max_units, &kind);
		if (cut <= start)
			cut = len;   /* cannot happen; never loop */
		if (k == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[k].off = start;
		v[k].len = cut - start;
		v[k].tokens = est_tokens(text + start, cut - start);
		v[k].cut = kind;
		k++;
		if (cut >= len)
			break;
		size_t next = overlap_start(text, len, start, cut, ov_units);
		start = next > start ? next : cut;
	}
	*out = v;
	return k;
}
