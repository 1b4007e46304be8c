/* find.c — folded copy of a text with a map back to its bytes. */
#include "render/find.h"
#include "render/utf8.h"
#include "render/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct rf_index {
	int32_t *f;          /* folded code points */
	uint32_t *src;       /* byte offset of the code point each came from */
	uint8_t *srclen;     /* its length in bytes */
	size_t n, cap;
};

/* Runs one utf8proc mapping over in[0..n) into out[0..cap); returns the
 * new count (a code point that cannot be mapped stays as it is). */
static size_t map_all(const int32_t *in, size_t n, int32_t *out, size_t cap, int opts)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < cap; i++) {
		int bc = 0;
		utf8proc_ssize_t m = utf8proc_decompose_char(in[i], out + k,
		                                             (utf8proc_ssize_t)(cap - k),
		                                             (utf8proc_option_t)opts, &bc);
		if (m < 0 || (size_t)m > cap - k) {
			out[k++] = in[i];
			continue;
		}
		k += (size_t)m;
	}
	return k;
}

/* Folds one code point into out[0..64); returns how many code points.
 * utf8proc's case folding does not decompose its result (U+FF27 Ｇ folds
 * to U+FF47 ｇ), so: compatibility decomposition, case fold, and again. */
static size_t fold_cp(int32_t cp, int32_t *out)
{
	if (cp < 0x80) {
		out[0] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
		return 1;
	}
	int32_t a[64], b[64];
	size_t n = map_all(&cp, 1, a, 64, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_IGNORE);
	n = map_all(a, n, b, 64, UTF8PROC_CASEFOLD);
	return map_all(b, n, out, 64, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE);
}

/* Decodes s[i..len): code point and bytes (invalid bytes: U+FFFD, 1). */
static inline size_t next_cp(const char *s, size_t len, size_t i, int32_t *cp)
{
	return utf8_next(s + i, len - i, cp);
}

struct rf_index *rf_index_new(const char *text, size_t len)
{
	struct rf_index *ix = xrealloc(NULL, sizeof *ix);
	memset(ix, 0, sizeof *ix);
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	ix->cap = len + 16;
	ix->f = xrealloc(NULL, ix->cap * sizeof *ix->f);
	ix->src = xrealloc(NULL, ix->cap * sizeof *ix->src);
	ix->srclen = xrealloc(NULL, ix->cap);
	size_t i = 0;
	int32_t buf[64];
	while (i < len) {
		int32_t cp;
		size_t m = next_cp(text, len, i, &cp);
		size_t k = fold_cp(cp, buf);
		if (ix->n + k > ix->cap) {
			ix->cap = (ix->n + k) * 2;
			ix->f = xrealloc(ix->f, ix->cap * sizeof *ix->f);
			ix->src = xrealloc(ix->src, ix->cap * sizeof *ix->src);
			ix->srclen = xrealloc(ix->srclen, ix->cap);
		}
		for (size_t j = 0; j < k; j++) {
			ix->f[ix->n] = buf[j];
			ix->src[ix->n] = (uint32_t)i;
			ix->srclen[ix->n] = (uint8_t)m;
			ix->n++;
		}
		i += m;
	}
	return ix;
}

void rf_index_free(struct rf_index *ix)
{
	if (!ix)
		return;
	free(ix->f);
	free(ix->src);
	free(ix->srclen);
	free(ix);
}

size_t rf_find(const struct rf_index *ix, const char *query, size_t qlen,
               struct rl_range **out)
{
	*out = NULL;
	size_t qn = 0, qcap = qlen + 16, i = 0;
	int32_t *q = xrealloc(NULL, qcap * sizeof *q);
	int32_t buf[64];
	while (i < qlen) {
		int32_t cp;
		i += next_cp(query, qlen, i, &cp);
		size_t k = fold_cp(cp, buf);
		if (qn + k > qcap) {
			qcap = (qn + k) * 2;
			q = xrealloc(q, qcap * sizeof *q);
		}
		memcpy(q + qn, buf, k * sizeof *q);
		qn += k;
	}
	size_t nhits = 0, cap = 0;
	struct rl_range *hits = NULL;
	if (qn == 0 || qn > ix->n) {
		free(q);
		return 0;
	}
	const int32_t *f = ix->f;
	for (size_t p = 0; p + qn <= ix->n; p++) {
		if (f[p] != q[0] || memcmp(f + p, q, qn * sizeof *q) != 0)
			continue;
		size_t e = p + qn;
		if (e < ix->n && utf8proc_get_property(f[e])->combining_class != 0)
			continue;              /* would split a base from its mark */
		if (nhits == cap) {
			cap = cap ? cap * 2 : 16;
			hits = xrealloc(hits, cap * sizeof *hits);
		}
		hits[nhits].off = ix->src[p];
		hits[nhits].end = (size_t)ix->src[e - 1] + ix->srclen[e - 1];
		nhits++;
		p = e - 1;
	}
	free(q);
	*out = hits;
	return nhits;
}

size_t rf_next_hit(const struct rl_range *hits, size_t n, size_t off)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hits[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == n ? 0 : lo;
}
