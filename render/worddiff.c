/* worddiff.c — line, then word (CJK character) diff of two texts
 * (render/worddiff.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "render/alloc.h"
#include "render/utf8.h"
#include "render/worddiff.h"

/* Above this many cells (old tokens × new tokens) a block is not aligned
 * word by word: 4 M cells is 4 MB of directions. */
#define MAX_CELLS (4u << 20)

struct tok {
	size_t off, len;
	uint64_t h;
	int space;
};

static int is_cjk(int32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
	       (c >= 0xFF00 && c <= 0xFFEF);
}

static int is_word(int32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
	if (is_cjk(c))
		return 0;
	utf8proc_category_t k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
	       (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) ||
	       (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static int is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0;
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Splits s[from..to) into tokens appended to *v. */
static void tokenize(const char *s, size_t from, size_t to, struct tok **v, size_t *n, size_t *cap)
{
	size_t i = from;
	while (i < to) {
		int32_t c;
		size_t k = utf8_next(s + i, to - i, &c);
		size_t e = i + k;
		int sp = is_space(c);
		if (sp || is_word(c)) {
			while (e < to) {
				int32_t d;
				size_t l = utf8_next(s + e, to - e, &d);
				if (sp ? !is_space(d) : !is_word(d))
					break;
				e += l;
			}
		}
		xgrow(v, cap, *n + 1, sizeof **v);
		(*v)[*n] = (struct tok){ i, e - i, hash(s + i, e - i), sp };
		(*n)++;
		i = e;
	}
}

static void add_span(struct wd_result *r, size_t *cap, enum wd_op op, size_t off, size_t len)
{
	if (!len)
		return;
	if (r->n && r->spans[r->n - 1].op == op &&
	    r->spans[r->n - 1].off + r->spans[r->n - 1].len == off) {
		r->spans[r->n - 1].len += len;
		return;
	}
	xgrow(&r->spans, cap, r->n + 1, sizeof *r->spans);
	r->spans[r->n++] = (struct wd_span){ op, off, len };
}

static int tok_eq(const char *a, const struct tok *x, const char *b, const struct tok *y)
{
	return x->h == y->h && x->len == y->len && !memcmp(a + x->off, b + y->off, x->len);
}

/* Aligns the tokens of a[as..ae) with b[bs..be) and appends the spans. */
static void diff_block(const char *a, size_t as, size_t ae, const char *b, size_t bs, size_t be,
                       struct wd_result *r, size_t *cap)
{
	struct tok *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0, ca = 0, cb = 0;
	tokenize(a, as, ae, &ta, &na, &ca);
	tokenize(b, bs, be, &tb, &nb, &cb);
	/* common prefix and suffix need no table */
	size_t p = 0;
	while (p < na && p < nb && tok_eq(a, &ta[p], b, &tb[p]))
		p++;
	size_t s = 0;
	while (s < na - p && s < nb - p && tok_eq(a, &ta[na - 1 - s], b, &tb[nb - 1 - s]))
		s++;
	if (p)
		add_span(r, cap, WD_SAME, ta[0].off, ta[p - 1].off + ta[p - 1].len - ta[0].off);
	size_t n = na - p - s, m = nb - p - s;
	struct tok *x = ta + p, *y = tb + p;
	if (n && m && (uint64_t)(n + 1) * (m + 1) <= MAX_CELLS) {
		/* LCS lengths, two rows at a time, directions kept */
		unsigned char *dir = xmalloc((n + 1) * (m + 1));
		uint32_t *prev = xcalloc(m + 1, sizeof *prev), *cur = xcalloc(m + 1, sizeof *cur);
		for (size_t i = n; i-- > 0;) {
			cur[m] = 0;
			for (size_t j = m; j-- > 0;) {
				if (tok_eq(a, &x[i], b, &y[j])) {
					cur[j] = prev[j + 1] + 1;
					dir[i * (m + 1) + j] = 0;
				} else if (prev[j] >= cur[j + 1]) {
					cur[j] = prev[j];
					dir[i * (m + 1) + j] = 1;   /* drop x[i] */
				} else {
					cur[j] = cur[j + 1];
					dir[i * (m + 1) + j] = 2;   /* take y[j] */
				}
			}
			uint32_t *t = prev;
			prev = cur;
			cur = t;
		}
		size_t i = 0, j = 0;
		while (i < n || j < m) {
			int d = i < n && j < m ? dir[i * (m + 1) + j] : i < n ? 1 : 2;
			if (d == 0) {
				add_span(r, cap, WD_SAME, x[i].off, x[i].len);
				i++;
				j++;
			} else if (d == 1) {
				add_span(r, cap, WD_DEL, x[i].off, x[i].len);
				r->deleted += !x[i].space;
				i++;
			} else {
				add_span(r, cap, WD_INS, y[j].off, y[j].len);
				r->inserted += !y[j].space;
				j++;
			}
		}
		free(dir);
		free(prev);
		free(cur);
	} else {
		for (size_t i = 0; i < n; i++) {
			add_span(r, cap, WD_DEL, x[i].off, x[i].len);
			r->deleted += !x[i].space;
		}
		for (size_t j = 0; j < m; j++) {
			add_span(r, cap, WD_INS, y[j].off, y[j].len);
			r->inserted += !y[j].space;
		}
	}
	if (s)
		add_span(r, cap, WD_SAME, ta[na - s].off, ta[na - 1].off + ta[na - 1].len - ta[na - s].off);
	free(ta);
	free(tb);
}

/* Line starts of s (with the end as a last entry). */
static size_t lines(const char *s, size_t n, size_t **out)
{
	size_t k = 0, cap = 0;
	size_t *v = NULL;
	size_t i = 0;
	while (i < n) {
		xgrow(&v, &cap, k + 1, sizeof *v);
		v[k++] = i;
		const char *nl = memchr(s + i, '\n', n - i);
		i = nl ? (size_t)(nl - s) + 1 : n;
	}
	xgrow(&v, &cap, k + 1, sizeof *v);
	v[k] = n;
	*out = v;
	return k;
}

void wd_diff(const char *a, size_t an, const char *b, size_t bn, struct wd_result *out)
{
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	size_t *la, *lb;
	size_t na = lines(a, an, &la), nb = lines(b, bn, &lb);
	uint64_t *ha = xmalloc((na + 1) * sizeof *ha), *hb = xmalloc((nb + 1) * sizeof *hb);
	for (size_t i = 0; i < na; i++)
		ha[i] = hash(a + la[i], la[i + 1] - la[i]);
	for (size_t j = 0; j < nb; j++)
		hb[j] = hash(b + lb[j], lb[j + 1] - lb[j]);
	/* line LCS (summaries have tens to hundreds of lines) */
	if ((uint64_t)(na + 1) * (nb + 1) > MAX_CELLS) {
		diff_block(a, 0, an, b, 0, bn, out, &cap);
	} else {
		uint32_t *L = xcalloc((na + 1) * (nb + 1), sizeof *L);
#define AT(i, j) L[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				AT(i, j) = ha[i] == hb[j] ? AT(i + 1, j + 1) + 1
				         : AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (i < na && j < nb && ha[i] == hb[j]) {
				add_span(out, &cap, WD_SAME, la[i], la[i + 1] - la[i]);
				i++;
				j++;
				continue;
			}
			/* a run of changed lines on both sides: align its words */
			size_t i2 = i, j2 = j;
			while (i2 < na || j2 < nb) {
				if (i2 < na && j2 < nb && ha[i2] == hb[j2])
					break;
				if (j2 >= nb || (i2 < na && AT(i2 + 1, j2) >= AT(i2, j2 + 1)))
					i2++;
				else
					j2++;
			}
			diff_block(a, la[i], la[i2], b, lb[j], lb[j2], out, &cap);
			i = i2;
			j = j2;
		}
#undef AT
		free(L);
	}
	free(la);
	free(lb);
	free(ha);
	free(hb);
}

void wd_free(struct wd_result *r)
{
	free(r->spans);
	memset(r, 0, sizeof *r);
}
