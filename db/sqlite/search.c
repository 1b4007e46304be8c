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

#include "db/sqlite/archive_int.h"
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
/* Work units (see "cost" below) a matching row costs besides its
 * position-list entries. */
#define COST_ROW 16
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

/* The ranking pass of one search (search_ranked): the work done, the
 * limit past which it stops, the rows ranked, and the best k rows so far
 * (a heap whose root is the worst of them), so that no SQL sorter and no
 * second function per row is needed. */
struct rank_ent {
	double r;      /* precis_rank: lower is better */
	int64_t id;
	int hits;
};

struct rank_pass {
	int64_t work, limit, rows;
	int over;
	size_t k, n, cap;
	struct rank_ent *e;
};

/* 1 when x comes after y in the results (worse rank, then higher id). */
static int ent_after(const struct rank_ent *x, const struct rank_ent *y)
{
	return x->r > y->r || (x->r == y->r && x->id > y->id);
}

/* Keeps e if it is among the best p->k so far. */
static void rank_keep(struct rank_pass *p, struct rank_ent e)
{
	if (p->k == 0)
		return;
	size_t i;
	if (p->n < p->k) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			if (p->cap > p->k)
				p->cap = p->k;
			p->e = xrealloc(p->e, p->cap * sizeof *p->e);
		}
		i = p->n++;
		while (i > 0 && ent_after(&e, &p->e[(i - 1) / 2])) {   /* sift up */
			p->e[i] = p->e[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		p->e[i] = e;
		return;
	}
	if (!ent_after(&p->e[0], &e))
		return;   /* no better than the worst kept */
	i = 0;
	for (;;) {   /* sift down from the root */
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct rank_ent *mv = &e;
		if (l < p->n && ent_after(&p->e[l], mv)) {
			m = l;
			mv = &p->e[l];
		}
		if (r < p->n && ent_after(&p->e[r], mv))
			m = r;
		if (m == i)
			break;
		p->e[i] = p->e[m];
		i = m;
	}
	p->e[i] = e;
}

static int cmp_ent(const void *x, const void *y)
{
	const struct rank_ent *a = x, *b = y;
	return ent_after(a, b) ? 1 : ent_after(b, a) ? -1 : 0;
}

static void fn_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                    sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	int rc, n = 0;
	struct rank_data *d = rank_data_get(api, fts, &rc);
	if (!d) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	memset(d->tf, 0, sizeof *d->tf * 3 * (size_t)d->nphrase);
	if (d->nphrase == 1) {
		/* one phrase: its positions counted per column straight from
		 * the position list (no instance array is built) */
		Fts5PhraseIter it;
		int col = -1, off;
		rc = api->xPhraseFirst(fts, 0, &it, &col, &off);
		for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
			if (col < 3)
				d->tf[col] += 1;
			n++;
		}
	} else if ((rc = api->xInstCount(fts, &n)) == SQLITE_OK) {
		for (int i = 0; i < n; i++) {
			int ph, col, off;
			if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK &&
			    ph >= 0 && ph < d->nphrase && col >= 0 && col < 3)
				d->tf[ph * 3 + col] += 1;
		}
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	/* The work of this row (its position list was just read): past the
	 * search's limit the pass stops and the caller falls back to the
	 * newest matches. Rows come in rowid order, so where it stops is
	 * the same on every run. */
	struct archive *a = api->xUserData(fts);
	struct rank_pass *p = a->rank_pass;
	if (p) {
		p->rows++;
		p->work += n + COST_ROW;
		if (p->limit > 0 && p->work > p->limit) {
			p->over = 1;
			sqlite3_result_error(ctx, "search over its work budget", -1);
			return;
		}
	}
	double score = 0;
	for (int ph = 0; ph < d->nphrase; ph++)
		for (int col = 0; col < 3; col++) {
			double tf = d->tf[ph * 3 + col];
			if (tf > 0)
				score += d->idf[ph] * col_weight[col] * tf * (RANK_K1 + 1) / (tf + RANK_K1);
		}
	if (p)
		rank_keep(p, (struct rank_ent){ -score, api->xRowid(fts), n });
	sqlite3_result_double(ctx, -score);
}

/* Registers the auxiliary FTS5 functions this file uses (precis_hits,
 * precis_rank, the latter counting its work in a). Returns an SQLite
 * code. */
static int search_register(struct archive *a)
{
	fts5_api *api = ar_fts5_api(a->db);
	if (!api)
		return SQLITE_ERROR;
	int rc = api->xCreateFunction(api, "precis_hits", NULL, fn_hits, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "precis_rank", a, fn_rank, NULL);
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

/* The needle of one term (negative ones too): its whole text without
 * surrounding punctuation, as make_needles() makes it. Returns 0, or -1
 * when nothing is left (nd->s NULL). */
static int make_needles_term(const struct term *t, struct needle *nd)
{
	struct term one = *t;
	one.neg = 0;
	one.or_next = 0;
	nd->s = NULL;
	int start = 0, end = one.n;
	while (start < end && (unsigned char)one.s[start] < 0x80 && !is_alnum_byte((unsigned char)one.s[start]))
		start++;
	while (end > start && (unsigned char)one.s[end - 1] < 0x80 && !is_alnum_byte((unsigned char)one.s[end - 1]))
		end--;
	if (end <= start)
		return -1;
	nd->n = end - start;
	nd->s = xmalloc((size_t)nd->n + 1);
	nd->latin = 1;
	for (int m = 0; m < nd->n; m++) {
		unsigned char x = (unsigned char)one.s[start + m];
		nd->s[m] = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
		if (x >= 0x80)
			nd->latin = 0;
	}
	nd->s[nd->n] = 0;
	nd->prefix = one.prefix;
	return 0;
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

/* ---- cost -------------------------------------------------------------
 *
 * Whether ranking a query is affordable is decided before it runs, from
 * work that does not depend on the clock, so the same archive gives the
 * same answer every time. A unit of work is one entry of a position list
 * read (FTS5 reads every position of a matching row to rank it), plus
 * COST_ROW per matching row. A token's work is estimated from its newest
 * COST_SAMPLE matches (their rows and positions, read backwards through
 * the doclist: bounded at any archive size) scaled by how densely they
 * fall among the archive's ids; exact when it has no more matches. A
 * prefix's work is the number of FTS5 leaf pages its terms span (read
 * from the index's b-tree of page-first terms, %_idx), COST_PAGE each:
 * FTS5 merges all of them before the first match comes out. The
 * constants were measured on the bench archive (docs/archive.md): 1,000
 * units are 12–25 µs of ranking on its machine (words less than phrases). */

#define COST_SAMPLE 64
#define COST_PAGE 8000
#define COST_SKIP 0.2
#define MAX_TOKENS 16

struct tokens {
	int n;
	char *s[MAX_TOKENS];
	int len[MAX_TOKENS];
};

static int collect_tok(void *ctx, int colocated, const char *t, int len, int s, int e)
{
	struct tokens *tk = ctx;
	if (colocated || tk->n >= MAX_TOKENS)
		return 0;
	tk->s[tk->n] = xmalloc((size_t)len + 1);
	memcpy(tk->s[tk->n], t, (size_t)len);
	tk->s[tk->n][len] = 0;
	tk->len[tk->n++] = len;
	return 0;
}

static void tokens_free(struct tokens *tk)
{
	for (int i = 0; i < tk->n; i++)
		free(tk->s[i]);
	tk->n = 0;
}

/* The archive's id range and row count, for scaling a sample. */
struct id_span {
	int64_t lo, hi, rows;
};

static void id_span_get(struct archive *a, struct id_span *sp)
{
	sqlite3_stmt *st;
	sp->lo = 1;
	sp->hi = 1;
	sp->rows = 1;
	/* each in its own subquery: one end of the primary key each (min
	 * and max in one SELECT would scan the table), the row count from
	 * the trigger-kept list counts */
	if (sqlite3_prepare_v2(a->db, "SELECT (SELECT min(id) FROM transcripts), (SELECT max(id) FROM transcripts),"
	                              " (SELECT sum(n) FROM list_counts)", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			sp->lo = sqlite3_column_int64(st, 0);
			sp->hi = sqlite3_column_int64(st, 1);
			sp->rows = sqlite3_column_int64(st, 2);
			if (sp->rows < 1)
				sp->rows = sp->hi - sp->lo + 1;
		}
		sqlite3_finalize(st);
	}
}

/* Matching rows estimated from the newest n matches, ids first ≥ last:
 * they cover the ids from last up; the matches are assumed as dense
 * below. Never less than n, never more than the archive. */
static double scale_rows(const struct id_span *sp, int64_t first, int64_t last, int n)
{
	double span = (double)(sp->hi - last + 1), all = (double)(sp->hi - sp->lo + 1);
	double est = span > 0 ? (double)n * all / span : n;
	if (est < n)
		est = n;
	if (est > (double)sp->rows)
		est = (double)sp->rows;
	return est;
}

/* Estimates a token's matching rows and work. Returns 0 or -1. */
static int token_cost(struct archive *a, const struct id_span *sp, const char *tok, int len,
                      double *rows, double *work)
{
	static const char sql[] = "SELECT rowid, precis_hits(fts) FROM fts WHERE fts MATCH ?1"
	                          " ORDER BY rowid DESC LIMIT ?2";
	sqlite3_stmt *st;
	struct buf q = { 0 };
	struct term t = { tok, len, 0, 0, 0 };
	put_term(&q, &t);
	*rows = *work = 0;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(q.p);
		return ar_fail_sql(a, "search");
	}
	sqlite3_bind_text(st, 1, q.p, (int)q.len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, COST_SAMPLE + 1);
	int n = 0, rc;
	int64_t first = 0, last = 0;
	double inst = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		if (!n)
			first = last;
		inst += sqlite3_column_int(st, 1);
		n++;
	}
	sqlite3_finalize(st);
	free(q.p);
	if (rc != SQLITE_DONE)
		return ar_fail_sql(a, "search");
	if (n == 0)
		return 0;
	double r = n <= COST_SAMPLE ? n : scale_rows(sp, first, last, n);
	*rows = r;
	*work = r * (inst / n + COST_ROW);
	return 0;
}

/* Leaf pages of the full-text index spanned by the terms starting with
 * prefix (casefolded), summed over its segments: an upper bound (the
 * page where the first of them starts may hold earlier terms' lists).
 * Returns the count, or -1 (not an error: the index is not readable
 * that way, e.g. another FTS5 layout). */
static int64_t prefix_pages(struct archive *a, const char *prefix, int len)
{
	sqlite3_stmt *seg = NULL, *lo = NULL, *hi = NULL, *top = NULL;
	int64_t pages = -1;
	char *klo = xmalloc((size_t)len + 2), *khi = xmalloc((size_t)len + 3);
	klo[0] = khi[0] = '0';   /* FTS5's main index */
	memcpy(klo + 1, prefix, (size_t)len);
	memcpy(khi + 1, prefix, (size_t)len);
	khi[len + 1] = (char)0xFF;   /* above every UTF-8 continuation */
	if (sqlite3_prepare_v2(a->db, "SELECT min(segid) FROM fts_idx WHERE segid > ?1", -1, &seg, NULL) ||
	    sqlite3_prepare_v2(a->db, "SELECT pgno FROM fts_idx WHERE segid = ?1 AND term < ?2"
	                              " ORDER BY term DESC LIMIT 1", -1, &lo, NULL) ||
	    sqlite3_prepare_v2(a->db, "SELECT pgno FROM fts_idx WHERE segid = ?1 AND term >= ?2"
	                              " ORDER BY term LIMIT 1", -1, &hi, NULL) ||
	    sqlite3_prepare_v2(a->db, "SELECT max(pgno) FROM fts_idx WHERE segid = ?1", -1, &top, NULL))
		goto out;
	sqlite3_bind_blob(lo, 2, klo, len + 1, SQLITE_STATIC);
	sqlite3_bind_blob(hi, 2, khi, len + 2, SQLITE_STATIC);
	pages = 0;
	int64_t id = -1;
	for (;;) {
		sqlite3_bind_int64(seg, 1, id);
		if (sqlite3_step(seg) != SQLITE_ROW || sqlite3_column_type(seg, 0) == SQLITE_NULL)
			break;
		id = sqlite3_column_int64(seg, 0);
		sqlite3_reset(seg);
		int64_t p0 = 1, p1;
		sqlite3_bind_int64(lo, 1, id);
		if (sqlite3_step(lo) == SQLITE_ROW)
			p0 = sqlite3_column_int64(lo, 0) >> 1;
		sqlite3_reset(lo);
		sqlite3_bind_int64(hi, 1, id);
		if (sqlite3_step(hi) == SQLITE_ROW) {
			p1 = sqlite3_column_int64(hi, 0) >> 1;
		} else {
			sqlite3_bind_int64(top, 1, id);
			p1 = sqlite3_step(top) == SQLITE_ROW ? (sqlite3_column_int64(top, 0) >> 1) + 1 : p0;
			sqlite3_reset(top);
		}
		sqlite3_reset(hi);
		if (p1 > p0)
			pages += p1 - p0;
		else
			pages += 1;
	}
out:
	sqlite3_finalize(seg);
	sqlite3_finalize(lo);
	sqlite3_finalize(hi);
	sqlite3_finalize(top);
	free(klo);
	free(khi);
	return pages;
}

/* The estimated work of ranking the whole query (units above), with
 * *prefix_over set when a prefix term alone is over budget (FTS5 would
 * merge its lists even to find the newest matches). A phrase reads the
 * lists of all its tokens; an OR reads each side; an AND walks the
 * rows of its rarest side and reads the others' positions only there.
 * Returns 0 or -1. */
static int query_cost(struct archive *a, const char *query, int64_t budget,
                      double *cost, int *prefix_over)
{
	struct term t[MAX_TERMS];
	int nt = lex(query ? query : "", t);
	struct id_span sp;
	id_span_get(a, &sp);
	double grows[MAX_TERMS], gwork[MAX_TERMS];
	int ng = 0, nphrase = 0;
	*cost = 0;
	*prefix_over = 0;
	for (int i = 0; i < nt; i++) {
		if (t[i].neg)
			continue;
		int in_or = i > 0 && t[i - 1].or_next;
		nphrase++;
		if (!in_or) {
			grows[ng] = gwork[ng] = 0;
			ng++;
		}
		struct tokens tk = { 0 };
		tok_scan(t[i].s, t[i].n, 1, collect_tok, &tk);
		double rows = (double)sp.rows, work = 0;
		for (int k = 0; k < tk.n; k++) {
			double r, w;
			if (t[i].prefix && k == tk.n - 1) {
				int64_t p = prefix_pages(a, tk.s[k], tk.len[k]);
				w = p < 0 ? 0 : (double)p * COST_PAGE;
				r = (double)sp.rows;
				if (w > (double)budget)
					*prefix_over = 1;
			} else if (token_cost(a, &sp, tk.s[k], tk.len[k], &r, &w) != 0) {
				tokens_free(&tk);
				return -1;
			}
			if (r < rows)
				rows = r;
			work += w;
		}
		tokens_free(&tk);
		grows[ng - 1] += rows;
		gwork[ng - 1] += work;
	}
	if (ng == 0)
		return 0;
	double rmin = grows[0];
	for (int g = 1; g < ng; g++)
		if (grows[g] < rmin)
			rmin = grows[g];
	/* With several phrases every position of the rows ranked is looked
	 * at one by one (precis_rank): about twice one phrase's work. An AND
	 * still reads the frequent side's lists to skip to the rare side's
	 * rows: about a fifth of ranking them. */
	double mult = nphrase > 1 ? 2 : 1;
	for (int g = 0; g < ng; g++) {
		double share = grows[g] > 0 ? rmin / grows[g] : 0;
		*cost += gwork[g] * (share * mult + (share < COST_SKIP ? COST_SKIP - share : 0));
	}
	return 0;
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

/* Probes the newest matches: the rowids of the first `want`, newest
 * first (FTS5 walks the doclists backwards and stops there). Returns how
 * many were found (≤ want), or -1. */
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

/* What the three ways of answering share: the needles of the query and
 * the statements reading a result's text and metadata. */
struct search_ctx {
	struct archive *a;
	const char *query, *expr;
	struct needle nd[MAX_TERMS * 2], wd[MAX_TERMS * 2];
	int nn, wn;
	sqlite3_stmt *text_st, *meta_st;
	size_t cap;
};

/* Appends a blank result to out. */
static struct ar_hit *add_hit(struct search_ctx *c, struct ar_search_result *out)
{
	if (out->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		out->hits = xrealloc(out->hits, c->cap * sizeof *out->hits);
	}
	struct ar_hit *h = &out->hits[out->n];
	memset(h, 0, sizeof *h);
	return h;
}

/* Adds the unranked result id (metadata, hits counted in its text, the
 * snippet). Returns 0 (also when the row vanished meanwhile) or -1. */
static int add_unranked(struct search_ctx *c, struct ar_search_result *out, int64_t id)
{
	struct ar_hit *h = add_hit(c, out);
	h->id = id;
	sqlite3_bind_int64(c->meta_st, 1, id);
	if (fill_hit(c->meta_st, h) != 0)
		return 0;   /* deleted meanwhile */
	out->n++;
	h->hits = -1;   /* annotate counts them in the text */
	return annotate(c->a, c->text_st, c->nd, c->nn, c->wd, c->wn, h);
}

/* Ranks every match in one pass: precis_rank keeps the best offset +
 * limit rows as it goes (their hit counts with them), the total is exact.
 * Returns 0, -1, or 1 when the pass went over its work limit (out
 * emptied). */
static int search_ranked(struct search_ctx *c, int limit, int offset, int64_t work_limit,
                         struct ar_search_result *out)
{
	struct archive *a = c->a;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, "SELECT precis_rank(fts) FROM fts WHERE fts MATCH ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "search");
	sqlite3_bind_text(st, 1, c->expr, -1, SQLITE_STATIC);
	int64_t k = (int64_t)offset + limit;
	struct rank_pass pass = { .limit = work_limit, .k = (size_t)k };   /* grown as rows come */
	a->rank_pass = &pass;
	int r = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	a->rank_pass = NULL;
	sqlite3_finalize(st);
	if (pass.over) {
		free(pass.e);
		return 1;
	}
	if (rc != SQLITE_DONE) {
		free(pass.e);
		return ar_fail_sql(a, "search");
	}
	/* every match was ranked once: the exact total */
	out->total = pass.rows;
	if (pass.n > 1)
		qsort(pass.e, pass.n, sizeof *pass.e, cmp_ent);
	for (size_t i = (size_t)offset; r == 0 && i < pass.n; i++) {
		struct ar_hit *h = add_hit(c, out);
		h->id = pass.e[i].id;
		sqlite3_bind_int64(c->meta_st, 1, h->id);
		if (fill_hit(c->meta_st, h) != 0)
			continue;   /* deleted meanwhile */
		out->n++;
		h->rank = pass.e[i].r;
		h->hits = pass.e[i].hits;
		r = annotate(a, c->text_st, c->nd, c->nn, c->wd, c->wn, h);
	}
	free(pass.e);
	return r;
}

/* A broad query: the newest matches are the results, each counted alone
 * (FTS5 seeks to the rowid), and the total is estimated from where the
 * newest SEARCH_PROBE of them fall. Returns 0 or -1. */
static int search_newest(struct search_ctx *c, int limit, int offset,
                         struct ar_search_result *out)
{
	enum { SEARCH_PROBE = 201 };
	int want = SEARCH_PROBE;
	if ((int64_t)offset + limit > want && (int64_t)offset + limit <= 100000)
		want = offset + limit;
	int64_t *ids = xmalloc(sizeof *ids * (size_t)want);
	int found = probe(c->a, c->expr, ids, want), r = 0;
	if (found < 0) {
		free(ids);
		return -1;
	}
	out->broad = found > 0;
	if (found < want) {
		out->total = found;
	} else {
		struct id_span sp;
		id_span_get(c->a, &sp);
		out->total = (int64_t)(scale_rows(&sp, ids[0], ids[found - 1], found) + 0.5);
	}
	for (int i = offset; r == 0 && i < found && (int64_t)i < (int64_t)offset + limit; i++)
		r = add_unranked(c, out, ids[i]);
	free(ids);
	return r;
}

/* 1 when needle k (or, for a term of several words, its words) occurs in
 * one of the row's three columns of text_st. */
static int row_has(sqlite3_stmt *text_st, const struct needle *nd)
{
	for (int col = 0; col < 3; col++) {
		const char *s = (const char *)sqlite3_column_text(text_st, col);
		size_t n = (size_t)sqlite3_column_bytes(text_st, col);
		if (s && find_next(s, n, 0, nd))
			return 1;
	}
	return 0;
}

/* A query with a prefix too broad to hand to FTS5 (which merges every
 * list of the prefix before the first match): the newest transcripts
 * are read and kept when their text holds the query's terms (each AND
 * group one of its terms, no excluded term), at most SCAN_ROWS of them;
 * the total is the share found times the archive. Returns 0 or -1. */
static int search_scan(struct search_ctx *c, int limit, int offset,
                       struct ar_search_result *out)
{
	enum { SCAN_ROWS = 2000 };
	struct archive *a = c->a;
	struct term t[MAX_TERMS];
	int nt = lex(c->query, t);
	struct needle tn[MAX_TERMS];
	int group[MAX_TERMS], ng = 0;
	for (int i = 0; i < nt; i++) {
		if (make_needles_term(&t[i], &tn[i]) != 0)
			tn[i].s = NULL;
		group[i] = t[i].neg ? -1 : (i > 0 && t[i - 1].or_next ? ng - 1 : ng++);
	}
	sqlite3_stmt *st;
	int r = 0, rc, seen = 0, matched = 0;
	if (sqlite3_prepare_v2(a->db, "SELECT t.id FROM transcripts t ORDER BY t.id DESC LIMIT ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		r = ar_fail_sql(a, "search");
		goto out;
	}
	sqlite3_bind_int(st, 1, SCAN_ROWS);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		seen++;
		sqlite3_bind_int64(c->text_st, 1, id);
		if (sqlite3_step(c->text_st) != SQLITE_ROW) {
			sqlite3_reset(c->text_st);
			continue;
		}
		int ok = 1;
		unsigned char got[MAX_TERMS] = { 0 };
		for (int i = 0; i < nt && ok; i++) {
			if (!tn[i].s)
				continue;
			int has = row_has(c->text_st, &tn[i]);
			if (group[i] < 0 && has)
				ok = 0;
			else if (group[i] >= 0 && has)
				got[group[i]] = 1;
		}
		for (int g = 0; g < ng && ok; g++)
			ok = got[g];
		sqlite3_reset(c->text_st);
		if (!ok)
			continue;
		if (matched >= offset && matched < offset + limit)
			r = add_unranked(c, out, id);
		matched++;
		if (matched >= offset + limit)
			break;
	}
	if (r == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = ar_fail_sql(a, "search");
	sqlite3_finalize(st);
	if (r == 0) {
		struct id_span sp;
		id_span_get(a, &sp);
		out->broad = matched > 0;
		out->total = seen >= sp.rows || seen == 0 ? matched
		             : (int64_t)((double)matched * (double)sp.rows / seen + 0.5);
		if (out->total < matched)
			out->total = matched;
	}
out:
	for (int i = 0; i < nt; i++)
		free(tn[i].s);
	return r;
}

int ar_search(struct archive *a, const char *query, int limit, int offset,
              struct ar_search_result *out)
{
	memset(out, 0, sizeof *out);
	char *expr = NULL;
	if (ar_query_compile(query, &expr) != 0)
		return 0;
	if (!a->search_ready) {
		if (search_register(a) != SQLITE_OK) {
			free(expr);
			return ar_fail(a, "cannot register search functions");
		}
		a->search_ready = 1;
	}
	if (limit <= 0)
		limit = 1 << 30;
	if (offset < 0)
		offset = 0;
	struct search_ctx c = { .a = a, .query = query, .expr = expr };
	c.nn = make_needles(query, c.nd, MAX_TERMS * 2, 0);
	c.wn = make_needles(query, c.wd, MAX_TERMS * 2, 1);
	int r = 0;
	if (sqlite3_prepare_v2(a->db, "SELECT x.text, s.body, t.title FROM transcripts t"
	                              " JOIN texts x ON x.transcript_id = t.id"
	                              " LEFT JOIN summaries s ON s.id = t.current_summary_id"
	                              " WHERE t.id = ?1", -1, &c.text_st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(a->db, "SELECT title, recorded_at, duration_s,"
	                              " CASE WHEN review_state = 'flagged' THEN 4 WHEN review_state = 'approved' THEN 3"
	                              " WHEN current_summary_id IS NOT NULL THEN 2 ELSE 1 END"
	                              " FROM transcripts WHERE id = ?1", -1, &c.meta_st, NULL) != SQLITE_OK) {
		r = ar_fail_sql(a, "search");
		goto done;
	}
	/* Rank when affordable; the ranking pass itself stops at twice the
	 * budget should the estimate have been low. Otherwise (broad) the
	 * newest matches, or for a broad prefix the newest transcripts
	 * that hold it. */
	int64_t budget = a->search_budget > 0 ? a->search_budget : AR_SEARCH_BUDGET;
	double cost = 0;
	int prefix_over = 0;
	if (query_cost(a, query, budget, &cost, &prefix_over) != 0) {
		r = -1;
		goto done;
	}
	out->cost = (int64_t)(cost + 0.5);
	if (!prefix_over && cost <= (double)budget) {
		r = search_ranked(&c, limit, offset, 2 * budget, out);
		if (r != 1)
			goto done;
	}
	r = prefix_over ? search_scan(&c, limit, offset, out) : search_newest(&c, limit, offset, out);
done:
	for (int i = 0; i < c.nn; i++)
		free(c.nd[i].s);
	for (int i = 0; i < c.wn; i++)
		free(c.wd[i].s);
	sqlite3_finalize(c.text_st);
	sqlite3_finalize(c.meta_st);
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

void ar_search_set_budget(struct archive *a, int64_t units)
{
	a->search_budget = units > 0 ? units : 0;
}
