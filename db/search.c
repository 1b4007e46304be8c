/* search.c — user query → FTS5 expression, ranked results with snippets.
 *
 * The user never writes FTS5 syntax: every term becomes a quoted FTS5
 * string (quotes doubled), so no input can be a syntax error, and the
 * only operators are the ones parsed here:
 *   word word      both (AND)          "a phrase"   adjacent words
 *   -word          must not contain    a OR b       either
 *   pre*           prefix (Latin)      anything else is literal text
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "db/archive_int.h"
#include "render/buf.h"
#include "render/sanitize.h"
#include "render/utf8.h"
#include "render/width.h"

#define MAX_TERMS 32

struct term {
	const char *s;   /* raw text in the query */
	int n;
	int neg;         /* -term */
	int prefix;      /* term* */
	int or_next;     /* joined to the next term by OR */
};

static int count_tok(void *ctx, int colocated, const char *t, int len, int s, int e)
{
	(*(int *)ctx)++;
	return 0;
}

/* Number of search tokens in s[0..n). */
static int ntokens(const char *s, int n)
{
	int c = 0;
	tok_scan(s, n, 1, count_tok, &c);
	return c;
}

static int is_space(const char *s, size_t n, size_t i, size_t *skip)
{
	unsigned char c = (unsigned char)s[i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
		*skip = 1;
		return 1;
	}
	/* U+3000 ideographic space, as typed by Chinese input methods. */
	if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0x80) {
		*skip = 3;
		return 1;
	}
	return 0;
}

/* Splits a query into terms; returns how many (at most MAX_TERMS). */
static int lex(const char *q, struct term *t)
{
	size_t n = strlen(q), i = 0, sk;
	int nt = 0;
	int pending_or = 0;
	while (i < n && nt < MAX_TERMS) {
		if (is_space(q, n, i, &sk)) {
			i += sk;
			continue;
		}
		struct term cur = { 0 };
		if (q[i] == '-' && i + 1 < n && !is_space(q, n, i + 1, &sk)) {
			cur.neg = 1;
			i++;
		}
		if (q[i] == '"') {
			size_t j = ++i;
			while (j < n && q[j] != '"')
				j++;
			cur.s = q + i;
			cur.n = (int)(j - i);
			i = j < n ? j + 1 : j;
			if (i < n && q[i] == '*') {
				cur.prefix = 1;
				i++;
			}
		} else {
			size_t j = i;
			while (j < n && q[j] != '"' && !is_space(q, n, j, &sk))
				j++;
			cur.s = q + i;
			cur.n = (int)(j - i);
			i = j;
			if (!cur.neg && cur.n == 2 && !memcmp(cur.s, "OR", 2)) {
				pending_or = 1;
				continue;
			}
			if (!cur.neg && cur.n == 3 && !memcmp(cur.s, "AND", 3))
				continue;
			while (cur.n > 0 && cur.s[cur.n - 1] == '*') {
				cur.prefix = 1;
				cur.n--;
			}
		}
		if (ntokens(cur.s, cur.n) == 0)
			continue;   /* punctuation only: nothing to look for */
		if (pending_or && nt > 0 && !cur.neg && !t[nt - 1].neg)
			t[nt - 1].or_next = 1;
		pending_or = 0;
		t[nt++] = cur;
	}
	return nt;
}

static void put_term(struct buf *b, const struct term *t)
{
	buf_puts(b, "\"");
	for (int i = 0; i < t->n; i++) {
		if (t->s[i] == '"')
			buf_puts(b, "\"\"");
		else if (t->s[i] == 0)
			break;
		else
			buf_put(b, t->s + i, 1);
	}
	buf_puts(b, t->prefix ? "\" *" : "\"");
}

int ar_query_compile(const char *query, char **expr)
{
	struct term t[MAX_TERMS];
	int nt = lex(query ? query : "", t);
	struct buf b = { 0 };
	int npos = 0;
	*expr = NULL;
	for (int i = 0; i < nt; i++) {
		if (t[i].neg)
			continue;
		int in_or = i > 0 && t[i - 1].or_next;
		if (!in_or) {
			if (npos++)
				buf_puts(&b, " AND ");
			buf_puts(&b, "(");
		} else {
			buf_puts(&b, " OR ");
		}
		put_term(&b, &t[i]);
		if (!t[i].or_next)
			buf_puts(&b, ")");
	}
	if (!npos) {
		free(b.p);
		return 1;
	}
	for (int i = 0; i < nt; i++) {
		if (!t[i].neg)
			continue;
		struct buf w = { 0 };
		buf_puts(&w, "(");
		buf_put(&w, b.p, b.len);
		buf_puts(&w, ") NOT ");
		put_term(&w, &t[i]);
		free(b.p);
		b = w;
	}
	*expr = b.p;
	return 0;
}

/* ---- hit counts ------------------------------------------------------ */

/* precis_hits(fts): phrase instances matched in the current row. */
static void fn_hits(const Fts5ExtensionApi *api, Fts5Context *fts,
                    sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	int n = 0;
	int rc = api->xInstCount(fts, &n);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_int(ctx, n);
}

/* ---- ranking ------------------------------------------------------------
 *
 * precis_rank(fts): BM25 without length normalisation (b = 0, k1 = 1.2),
 * columns weighted title 10, text 1, summary 3, IDF per phrase. Lower is
 * better, like FTS5's bm25(). Skipping the length term avoids one
 * document-size lookup per matching row, which made bm25() five times
 * slower on queries that match most of a large archive (docs/archive.md);
 * saturation of the term frequency keeps long transcripts from winning by
 * length alone. */

#define RANK_K1 1.2
static const double col_weight[3] = { 10.0, 1.0, 3.0 };

struct rank_data {
	int nphrase;
	double *idf;
	double *tf;   /* nphrase × 3 scratch */
};

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	if (d) {
		free(d->idf);
		free(d->tf);
		free(d);
	}
}

/* Per-query data: the IDF of each phrase (one pass over its doclist). */
static struct rank_data *rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	*rc = SQLITE_OK;
	if (d)
		return d;
	d = xmalloc(sizeof *d);
	d->nphrase = api->xPhraseCount(fts);
	d->idf = xmalloc(sizeof *d->idf * (size_t)(d->nphrase + 1));
	d->tf = xmalloc(sizeof *d->tf * 3 * (size_t)(d->nphrase + 1));
	sqlite3_int64 nrow = 0;
	*rc = api->xRowCount(fts, &nrow);
	for (int i = 0; *rc == SQLITE_OK && i < d->nphrase; i++) {
		sqlite3_int64 n = 0;
		*rc = api->xQueryPhrase(fts, i, &n, count_cb);
		double idf = log(((double)nrow - (double)n + 0.5) / ((double)n + 0.5));
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (*rc == SQLITE_OK)
		*rc = api->xSetAuxdata(fts, d, rank_data_free);
	if (*rc != SQLITE_OK) {
		rank_data_free(d);
		return NULL;
	}
	return d;
}

static void fn_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                    sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	int rc, n = 0;
	struct rank_data *d = rank_data_get(api, fts, &rc);
	if (!d || (rc = api->xInstCount(fts, &n)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	memset(d->tf, 0, sizeof *d->tf * 3 * (size_t)d->nphrase);
	if (d->nphrase == 1) {
		/* Instances come sorted by column then offset: two binary
		 * searches find the column boundaries, no walk over all hits. */
		int bound[4] = { 0, 0, 0, n };
		for (int c = 1; c < 3; c++) {
			int lo = bound[c - 1], hi = n;
			while (lo < hi) {
				int mid = lo + (hi - lo) / 2, ph, col, off;
				if (api->xInst(fts, mid, &ph, &col, &off) != SQLITE_OK)
					break;
				if (col < c)
					lo = mid + 1;
				else
					hi = mid;
			}
			bound[c] = lo;
		}
		for (int c = 0; c < 3; c++)
			d->tf[c] = bound[c + 1] - bound[c];
	} else {
		for (int i = 0; i < n; i++) {
			int ph, col, off;
			if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK &&
			    ph >= 0 && ph < d->nphrase && col >= 0 && col < 3)
				d->tf[ph * 3 + col] += 1;
		}
	}
	double score = 0;
	for (int ph = 0; ph < d->nphrase; ph++)
		for (int col = 0; col < 3; col++) {
			double tf = d->tf[ph * 3 + col];
			if (tf > 0)
				score += d->idf[ph] * col_weight[col] * tf * (RANK_K1 + 1) / (tf + RANK_K1);
		}
	sqlite3_result_double(ctx, -score);
}

/* Registers the auxiliary FTS5 functions this file uses (precis_hits).
 * Returns an SQLite code. */
static int search_register(sqlite3 *db)
{
	fts5_api *api = ar_fts5_api(db);
	if (!api)
		return SQLITE_ERROR;
	int rc = api->xCreateFunction(api, "precis_hits", NULL, fn_hits, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "precis_rank", NULL, fn_rank, NULL);
	return rc;
}

/* ---- snippets --------------------------------------------------------- */

struct needle {
	char *s;       /* ASCII-lowercased text to find */
	int n;
	int latin;     /* check word boundaries */
	int prefix;
};

struct occ {
	int pos, len, which;
};

static int is_alnum_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Needles for snippets, ASCII-lowercased. words == 0: one per positive
 * term, its whole text without surrounding punctuation ("digital
 * signature" is found as written); words == 1: every run of word or CJK
 * characters of the positive terms (the fallback when a phrase is split
 * by a line break or punctuation in the text). Returns how many (≤ max). */
static int make_needles(const char *query, struct needle *nd, int max, int words)
{
	struct term t[MAX_TERMS];
	int nt = lex(query ? query : "", t), k = 0;
	for (int i = 0; i < nt && k < max; i++) {
		if (t[i].neg)
			continue;
		int j = 0;
		while (j < t[i].n && k < max) {
			unsigned char c = (unsigned char)t[i].s[j];
			/* separators: ASCII punctuation and space */
			if (c < 0x80 && !is_alnum_byte(c)) {
				j++;
				continue;
			}
			int start = j, end = j, latin = 1;
			while (j < t[i].n) {
				c = (unsigned char)t[i].s[j];
				if (c < 0x80 && !is_alnum_byte(c)) {
					if (words)
						break;
				} else {
					end = j + 1;
				}
				if (c >= 0x80)
					latin = 0;
				j++;
			}
			if (words)
				end = j;
			nd[k].n = end - start;
			nd[k].s = xmalloc((size_t)nd[k].n + 1);
			for (int m = 0; m < nd[k].n; m++) {
				unsigned char x = (unsigned char)t[i].s[start + m];
				nd[k].s[m] = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
			}
			nd[k].s[nd[k].n] = 0;
			nd[k].latin = latin;
			nd[k].prefix = t[i].prefix && end == t[i].n;
			k++;
		}
	}
	return k;
}

static int cmp_occ(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* 1 when the needle has ASCII letters (searched case-insensitively). */
static int has_ascii_letter(const struct needle *nd)
{
	for (int i = 0; i < nd->n; i++)
		if ((nd->s[i] >= 'a' && nd->s[i] <= 'z'))
			return 1;
	return 0;
}

/* Next occurrence of nd in text[from..len) that starts (and, unless a
 * prefix, ends) on a word boundary for Latin needles; NULL when none. */
static const char *find_next(const char *text, size_t len, size_t from, const struct needle *nd)
{
	size_t n = (size_t)nd->n;
	int fold = has_ascii_letter(nd);
	while (from + n <= len) {
		const char *h;
		if (!fold) {
			h = memmem(text + from, len - from, nd->s, n);
		} else {
			/* the first byte in either case via memchr, then compare;
			 * each memchr result is kept until passed, so a letter
			 * that is rare in one case is not searched for again */
			h = NULL;
			unsigned char f = (unsigned char)nd->s[0];
			unsigned char g = f >= 'a' && f <= 'z' ? (unsigned char)(f - 32) : f;
			const char *x = memchr(text + from, f, len - from);
			const char *y = g != f ? memchr(text + from, g, len - from) : NULL;
			for (;;) {
				const char *c = !x ? y : !y ? x : x < y ? x : y;
				if (!c || (size_t)(c - text) + n > len)
					break;
				if (!strncasecmp(c, nd->s, n)) {
					h = c;
					break;
				}
				size_t at = (size_t)(c - text) + 1;
				if (c == x)
					x = memchr(text + at, f, len - at);
				if (c == y)
					y = memchr(text + at, g, len - at);
			}
		}
		if (!h)
			return NULL;
		from = (size_t)(h - text) + 1;
		if (nd->latin) {
			if (h > text && is_alnum_byte((unsigned char)h[-1]))
				continue;
			if (!nd->prefix && (size_t)(h - text) + n < len &&
			    is_alnum_byte((unsigned char)h[n]))
				continue;
		}
		return h;
	}
	return NULL;
}

/* Finds the best hit in text: with one needle its first occurrence, else
 * the occurrence whose 120-byte window holds the most distinct needles
 * (earliest on ties). Returns 1 and sets *pos and *hlen, or 0 when no
 * needle occurs. */
static int best_hit(const char *text, size_t len, struct needle *nd, int nn,
                    int *pos, int *hlen)
{
	enum { PER = 256, WIN = 120 };
	if (nn == 1) {
		const char *h = find_next(text, len, 0, &nd[0]);
		if (!h)
			return 0;
		*pos = (int)(h - text);
		*hlen = nd[0].n;
		return 1;
	}
	struct occ *o = xmalloc(sizeof *o * (size_t)nn * PER);
	int no = 0;
	for (int k = 0; k < nn; k++) {
		size_t from = 0;
		for (int found = 0; found < PER; found++) {
			const char *h = find_next(text, len, from, &nd[k]);
			if (!h)
				break;
			o[no++] = (struct occ){ (int)(h - text), nd[k].n, k };
			from = (size_t)(h - text) + 1;
		}
	}
	if (!no) {
		free(o);
		return 0;
	}
	qsort(o, (size_t)no, sizeof *o, cmp_occ);
	int best = 0, best_score = -1;
	unsigned seen[MAX_TERMS * 2];
	for (int i = 0; i < no; i++) {
		int score = 0;
		memset(seen, 0, sizeof seen);
		for (int j = i; j < no && o[j].pos - o[i].pos < WIN; j++)
			if (!seen[o[j].which]++)
				score++;
		if (score > best_score) {
			best_score = score;
			best = i;
		}
		if (score == nn)
			break;
	}
	*pos = o[best].pos;
	*hlen = o[best].len;
	free(o);
	return 1;
}

/* 1 when cluster c of a text shows as (part of) a single space in a
 * snippet: white space, line ends, controls and escape sequences. */
static int snippet_blank(const struct rs_cluster *c)
{
	return c->kind == RS_SPACE || c->kind == RS_TAB || c->kind == RS_NEWLINE ||
	       c->kind == RS_CONTROL || c->kind == RS_ESCAPE ||
	       (c->kind == RS_TEXT && (c->cp == 0xA0 || c->cp == 0x3000));
}

/* Builds a one-line snippet of about 100 cells around text[pos..pos+hlen):
 * white space, controls, escape sequences and line breaks become single
 * spaces, invisible format characters are dropped, a run of invalid bytes
 * is one U+FFFD, "…" marks a cut. Cells are the cluster widths render/
 * draws (render/sanitize.h). Sets *hs and *hl to the hit's byte range
 * inside the result. Returns a malloc'd string. */
static char *make_snippet(const char *text, size_t len, int pos, int hlen, int *hs, int *hl)
{
	enum { BEFORE = 30, TOTAL = 100 };
	size_t start = (size_t)pos, end = (size_t)pos + (size_t)hlen;
	int w = 0;
	while (start > 0 && w < BEFORE) {
		size_t b = utf8_prev(text, start);
		int32_t cp;
		utf8_next(text + b, len - b, &cp);
		if (cp == '\n' && w > 8)
			break;   /* start at the beginning of the hit's line */
		w += cp < 0x20 || cp == 0x3000 ? 1 : rw_cp_width(cp);
		start = b;
	}
	struct buf b = { 0 };
	if (start > 0)
		buf_puts(&b, "…");
	int last_space = 1;
	w = 0;
	*hs = -1;
	*hl = 0;
	size_t i = start;
	while (i < len && (w < TOTAL || i < end)) {
		struct rs_cluster c;
		size_t next = rs_next(text, len, i, &c);
		if (*hs < 0 && next > (size_t)pos)
			*hs = (int)b.len;
		if (snippet_blank(&c)) {
			if (!last_space) {
				buf_puts(&b, " ");
				w++;
			}
			last_space = 1;
		} else if (c.kind != RS_DROPPED) {
			if (c.kind == RS_INVALID)
				buf_puts(&b, "\xEF\xBF\xBD");
			else
				buf_put(&b, text + i, c.len);
			w += c.width;
			last_space = 0;
		}
		i = next;
		if (hlen > 0 && *hs >= 0 && *hl == 0 && i >= end)
			*hl = (int)b.len - *hs;
	}
	while (b.len > 0 && b.p[b.len - 1] == ' ')
		b.p[--b.len] = 0;
	if (i < len)
		buf_puts(&b, "…");
	if (!b.p)
		buf_puts(&b, "");
	if (*hs < 0 || *hs + *hl > (int)b.len) {
		*hs = 0;
		*hl = 0;
	}
	return b.p;
}

/* ---- search ----------------------------------------------------------- */

/* Fills h->snippet for one result: the best hit of the whole terms (nd),
 * else of their words (wd). Returns 0 or -1. */
static int annotate(struct archive *a, sqlite3_stmt *text_st,
                    struct needle *nd, int nn, struct needle *wd, int wn,
                    struct ar_hit *h)
{
	sqlite3_bind_int64(text_st, 1, h->id);
	int rc = sqlite3_step(text_st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(text_st);
		if (rc == SQLITE_DONE) {
			h->snippet = xstrdup("");
			return 0;
		}
		return ar_fail_sql(a, "snippet");
	}
	int pos = 0, hl = 0, done = 0;
	if (h->hits < 0) {
		/* Not ranked by FTS5 (a broad query): the hits are the
		 * occurrences of the whole terms in the three columns. */
		h->hits = 0;
		for (int col = 0; col < 3; col++) {
			const char *s = (const char *)sqlite3_column_text(text_st, col);
			size_t n = (size_t)sqlite3_column_bytes(text_st, col);
			for (int k = 0; s && k < nn; k++)
				for (const char *p = find_next(s, n, 0, &nd[k]); p;
				     p = find_next(s, n, (size_t)(p - s) + (size_t)nd[k].n, &nd[k]))
					h->hits++;
		}
	}
	/* Transcript first, then the summary, then the title. */
	for (int pass = 0; pass < 2 && !done; pass++)
		for (int col = 0; col < 3 && !done; col++) {
			const char *s = (const char *)sqlite3_column_text(text_st, col);
			size_t n = (size_t)sqlite3_column_bytes(text_st, col);
			if (s && best_hit(s, n, pass ? wd : nd, pass ? wn : nn, &pos, &hl)) {
				h->snippet = make_snippet(s, n, pos, hl, &h->hl_start, &h->hl_len);
				done = 1;
			}
		}
	if (!done) {
		const char *s = (const char *)sqlite3_column_text(text_st, 0);
		size_t n = (size_t)sqlite3_column_bytes(text_st, 0);
		h->snippet = make_snippet(s ? s : "", s ? n : 0, 0, 0, &h->hl_start, &h->hl_len);
		h->hl_start = h->hl_len = 0;
	}
	sqlite3_reset(text_st);
	return 0;
}

/* Fills one result's metadata from the row of meta_st (id bound by the
 * caller, stepped here). Returns 0, or -1 when the row vanished. */
static int fill_hit(sqlite3_stmt *meta_st, struct ar_hit *h)
{
	if (sqlite3_step(meta_st) != SQLITE_ROW) {
		sqlite3_reset(meta_st);
		return -1;
	}
	const char *t = (const char *)sqlite3_column_text(meta_st, 0);
	h->title = xstrdup(t ? t : "");
	t = (const char *)sqlite3_column_text(meta_st, 1);
	h->recorded_at = t ? xstrdup(t) : NULL;
	h->duration_s = sqlite3_column_type(meta_st, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(meta_st, 2);
	h->state = (enum ar_state)sqlite3_column_int(meta_st, 3);
	sqlite3_reset(meta_st);
	return 0;
}

/* Probes how broad the query is: the rowids of its first `want` matches,
 * newest first (FTS5 walks the doclists backwards and stops there).
 * Returns how many were found (≤ want), or -1. */
static int probe(struct archive *a, const char *expr, int64_t *ids, int want)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
	                       -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "search");
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, want);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < want)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : ar_fail_sql(a, "search");
}

/* An estimate of all matches of a broad query from its newest `n`
 * matches: they cover the rowids from ids[n-1] up; matches are assumed
 * as dense below. Never less than n, never more than the archive. */
static int64_t estimate_total(struct archive *a, const int64_t *ids, int n)
{
	sqlite3_stmt *st;
	int64_t lo = 1, hi = ids[0], rows = n;
	if (sqlite3_prepare_v2(a->db, "SELECT min(id), max(id), count(*) FROM transcripts", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			lo = sqlite3_column_int64(st, 0);
			hi = sqlite3_column_int64(st, 1);
			rows = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	double span = (double)(hi - ids[n - 1] + 1), all = (double)(hi - lo + 1);
	int64_t est = span > 0 ? (int64_t)((double)n * all / span + 0.5) : n;
	if (est < n)
		est = n;
	if (est > rows)
		est = rows;
	return est;
}

int ar_search(struct archive *a, const char *query, int limit, int offset,
              struct ar_search_result *out)
{
	memset(out, 0, sizeof *out);
	char *expr = NULL;
	if (ar_query_compile(query, &expr) != 0)
		return 0;
	if (!a->search_ready) {
		if (search_register(a->db) != SQLITE_OK) {
			free(expr);
			return ar_fail(a, "cannot register search functions");
		}
		a->search_ready = 1;
	}
	if (limit <= 0)
		limit = 1 << 30;
	if (offset < 0)
		offset = 0;
	sqlite3_stmt *st = NULL, *text_st = NULL, *meta_st = NULL;
	struct needle nd[MAX_TERMS * 2], wd[MAX_TERMS * 2];
	int nn = make_needles(query, nd, MAX_TERMS * 2, 0);
	int wn = make_needles(query, wd, MAX_TERMS * 2, 1);
	int r = 0, rc;
	size_t cap = 0;
	/* How broad is it? Up to AR_SEARCH_BROAD + 1 matches, newest first. */
	int want = AR_SEARCH_BROAD + 1;
	if ((int64_t)offset + limit > want && (int64_t)offset + limit <= 100000)
		want = offset + limit;
	int64_t *ids = xmalloc(sizeof *ids * (size_t)want);
	int found = probe(a, expr, ids, want);
	if (found < 0) {
		r = -1;
		goto done;
	}
	if (found == 0)
		goto done;
	if (sqlite3_prepare_v2(a->db, "SELECT x.text, s.body, t.title FROM transcripts t"
	                              " JOIN texts x ON x.transcript_id = t.id"
	                              " LEFT JOIN summaries s ON s.id = t.current_summary_id"
	                              " WHERE t.id = ?1", -1, &text_st, NULL) != SQLITE_OK) {
		r = ar_fail_sql(a, "search");
		goto done;
	}
	if (found > AR_SEARCH_BROAD) {
		/* Broad: ranking every match would visit all of them (the
		 * slowest queries users type: 的, "of the", the). The newest
		 * matches are the results, each ranked and counted alone
		 * (FTS5 seeks to the rowid), and the total is estimated. */
		out->broad = 1;
		out->total = found < want ? found : estimate_total(a, ids, found);
		if (sqlite3_prepare_v2(a->db, "SELECT title, recorded_at, duration_s,"
		                              " CASE WHEN review_state = 'flagged' THEN 4 WHEN review_state = 'approved' THEN 3"
		                              " WHEN current_summary_id IS NOT NULL THEN 2 ELSE 1 END"
		                              " FROM transcripts WHERE id = ?1", -1, &meta_st, NULL) != SQLITE_OK) {
			r = ar_fail_sql(a, "search");
			goto done;
		}
		for (int i = offset; i < found && (int64_t)i < (int64_t)offset + limit; i++) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 16;
				out->hits = xrealloc(out->hits, cap * sizeof *out->hits);
			}
			struct ar_hit *h = &out->hits[out->n];
			memset(h, 0, sizeof *h);
			h->id = ids[i];
			sqlite3_bind_int64(meta_st, 1, h->id);
			if (fill_hit(meta_st, h) != 0)
				continue;   /* deleted meanwhile */
			out->n++;
			h->hits = -1;   /* annotate counts them in the text */
			if (annotate(a, text_st, nd, nn, wd, wn, h) != 0) {
				r = -1;
				break;
			}
		}
		goto done;
	}

	/* Selective: all of its (at most AR_SEARCH_BROAD) matches ranked in
	 * one pass (rank and hit count share xInstCount); SQLite keeps the
	 * best rows. */
	out->total = found;
	const char *sql =
		"SELECT m.id, m.r, t.title, t.recorded_at, t.duration_s,"
		" CASE WHEN t.review_state = 'flagged' THEN 4 WHEN t.review_state = 'approved' THEN 3"
		" WHEN t.current_summary_id IS NOT NULL THEN 2 ELSE 1 END, m.h"
		" FROM (SELECT rowid AS id, precis_rank(fts) AS r, precis_hits(fts) AS h FROM fts"
		"       WHERE fts MATCH ?1 ORDER BY r, rowid LIMIT ?2 OFFSET ?3) m"
		" JOIN transcripts t ON t.id = m.id ORDER BY m.r, m.id";
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		r = ar_fail_sql(a, "search");
		goto done;
	}
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->hits = xrealloc(out->hits, cap * sizeof *out->hits);
		}
		struct ar_hit *h = &out->hits[out->n++];
		memset(h, 0, sizeof *h);
		h->id = sqlite3_column_int64(st, 0);
		h->rank = sqlite3_column_double(st, 1);
		const char *t = (const char *)sqlite3_column_text(st, 2);
		h->title = xstrdup(t ? t : "");
		t = (const char *)sqlite3_column_text(st, 3);
		h->recorded_at = t ? xstrdup(t) : NULL;
		h->duration_s = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 4);
		h->state = (enum ar_state)sqlite3_column_int(st, 5);
		h->hits = sqlite3_column_int(st, 6);
		if (annotate(a, text_st, nd, nn, wd, wn, h) != 0) {
			r = -1;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = ar_fail_sql(a, "search");
done:
	free(ids);
	for (int i = 0; i < nn; i++)
		free(nd[i].s);
	for (int i = 0; i < wn; i++)
		free(wd[i].s);
	sqlite3_finalize(st);
	sqlite3_finalize(text_st);
	sqlite3_finalize(meta_st);
	free(expr);
	if (r != 0)
		ar_search_free(out);
	return r;
}

void ar_search_free(struct ar_search_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->hits[i].title);
		free(r->hits[i].recorded_at);
		free(r->hits[i].snippet);
	}
	free(r->hits);
	memset(r, 0, sizeof *r);
}
