/* search.c — ar_search for every engine: the user's query parsed, the
 * work of ranking it estimated, every match ranked (BM25) or the newest
 * ones taken, snippets cut. The engine (db/engine.h, "search") only finds
 * matches and counts phrase instances in its index, so the same archive
 * gives the same results on every engine.
 *
 * The query syntax has no operators but these, and no input is an error:
 *   word word      both (AND)          "a phrase"   adjacent words
 *   -word          must not contain    a OR b       either
 *   pre*           prefix (Latin)      anything else is literal text
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/engine.h"
#include "db/search_int.h"
#include "render/buf.h"
#include "render/sanitize.h"
#include "render/utf8.h"
#include "render/width.h"

#define MAX_TERMS SR_MAX_TERMS

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
static int lex(const char *q, struct sr_term *t)
{
	size_t n = strlen(q), i = 0, sk;
	int nt = 0;
	int pending_or = 0;
	while (i < n && nt < MAX_TERMS) {
		if (is_space(q, n, i, &sk)) {
			i += sk;
			continue;
		}
		struct sr_term cur = { 0 };
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

int sr_parse(const char *query, struct sr_query *q)
{
	q->nt = lex(query ? query : "", q->t);
	int npos = 0;
	for (int i = 0; i < q->nt; i++)
		npos += !q->t[i].neg;
	return npos;
}

const struct sr_term *sr_phrase_term(const struct sr_query *q, int i)
{
	for (int k = 0, seen = 0; k < q->nt; k++)
		if (!q->t[k].neg && seen++ == i)
			return &q->t[k];
	int npos = 0;
	for (int k = 0; k < q->nt; k++)
		npos += !q->t[k].neg;
	for (int k = 0, seen = npos; k < q->nt; k++)
		if (q->t[k].neg && seen++ == i)
			return &q->t[k];
	return NULL;
}

/* ---- ranking ------------------------------------------------------------
 *
 * BM25 without length normalisation (b = 0, k1 = 1.2), columns weighted
 * title 10, text 1, summary 3, IDF per phrase. Lower is better, like
 * FTS5's bm25(). Skipping the length term avoids one document-size lookup
 * per matching row, which made bm25() five times slower on queries that
 * match most of a large archive (docs/archive.md); saturation of the term
 * frequency keeps long transcripts from winning by length alone. */

#define RANK_K1 1.2
/* Work units (see "cost" below) a matching row costs besides its
 * phrase instances. */
#define COST_ROW SR_COST_ROW
static const double col_weight[3] = { 10.0, 1.0, 3.0 };

void sr_rank_begin(struct sr_ranker *r, int nphrase, int64_t nrows, const int64_t *ndocs)
{
	r->nphrase = nphrase;
	free(r->idf);
	free(r->tf);
	r->idf = xmalloc(sizeof *r->idf * (size_t)(nphrase + 1));
	r->tf = xmalloc(sizeof *r->tf * 3 * (size_t)(nphrase + 1));
	memset(r->tf, 0, sizeof *r->tf * 3 * (size_t)(nphrase + 1));
	for (int i = 0; i < nphrase; i++) {
		double n = (double)ndocs[i];
		double idf = log(((double)nrows - n + 0.5) / (n + 0.5));
		r->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
}

static void sr_rank_free(struct sr_ranker *r)
{
	free(r->e);
	free(r->idf);
	free(r->tf);
	r->e = NULL;
	r->idf = r->tf = NULL;
}

/* 1 when x comes after y in the results (worse rank, then higher id). */
static int ent_after(const struct sr_rank_ent *x, const struct sr_rank_ent *y)
{
	return x->r > y->r || (x->r == y->r && x->id > y->id);
}

/* Keeps e if it is among the best p->k so far. */
static void rank_keep(struct sr_ranker *p, struct sr_rank_ent e)
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
		const struct sr_rank_ent *mv = &e;
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
	const struct sr_rank_ent *a = x, *b = y;
	return ent_after(a, b) ? 1 : ent_after(b, a) ? -1 : 0;
}

int sr_rank_row(struct sr_ranker *p, int64_t id, int n)
{
	/* The work of this row (its phrase instances were just counted):
	 * past the pass's limit it stops and the caller falls back to the
	 * newest matches. Rows come in id order, so where it stops is the
	 * same on every run. */
	p->rows++;
	p->work += n + COST_ROW;
	if (p->limit > 0 && p->work > p->limit) {
		p->over = 1;
		return 1;
	}
	double score = 0;
	for (int ph = 0; ph < p->nphrase; ph++)
		for (int col = 0; col < 3; col++) {
			double tf = p->tf[ph * 3 + col];
			if (tf > 0)
				score += p->idf[ph] * col_weight[col] * tf * (RANK_K1 + 1) / (tf + RANK_K1);
		}
	memset(p->tf, 0, sizeof *p->tf * 3 * (size_t)p->nphrase);
	rank_keep(p, (struct sr_rank_ent){ -score, id, n });
	return 0;
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
	struct sr_term t[MAX_TERMS];
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
static int make_needles_term(const struct sr_term *t, struct needle *nd)
{
	struct sr_term one = *t;
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

/* Successive occurrences of one needle in one text. A needle with ASCII
 * letters is found case-insensitively: the next byte of its first letter
 * in either case comes from memchr, and each memchr result is kept until
 * the search passes it — so a letter absent in one case (a transcript
 * with no upper-case letter) is searched for once per text, not once per
 * hit (that made counting "the" in a 20 MB lower-case transcript take
 * minutes). Every call to finder_next together reads the text about once:
 * linear in the text, whatever the needle. */
struct finder {
	const char *text;
	size_t len;
	const struct needle *nd;
	int fold;
	unsigned char f, g;      /* the first byte, in both cases when fold */
	const char *x, *y;       /* next f / g at or after xfrom / yfrom */
	size_t xfrom, yfrom;
	int xok, yok;            /* x / y hold a memchr result */
};

static void finder_init(struct finder *fi, const char *text, size_t len, const struct needle *nd)
{
	memset(fi, 0, sizeof *fi);
	fi->text = text;
	fi->len = len;
	fi->nd = nd;
	fi->fold = has_ascii_letter(nd);
	fi->f = (unsigned char)nd->s[0];
	fi->g = fi->f >= 'a' && fi->f <= 'z' ? (unsigned char)(fi->f - 32) : fi->f;
}

/* The next byte c at or after from, through the cache (*p, *at, *ok). */
static const char *cached_chr(const struct finder *fi, unsigned char c, size_t from,
                              const char **p, size_t *at, int *ok)
{
	if (*ok && *at <= from && (!*p || (size_t)(*p - fi->text) >= from))
		return *p;   /* still ahead of from (or none left at all) */
	*p = memchr(fi->text + from, c, fi->len - from);
	*at = from;
	*ok = 1;
	return *p;
}

/* Next occurrence of the needle in text[from..len) that starts (and,
 * unless a prefix, ends) on a word boundary for Latin needles; NULL when
 * none. */
static const char *finder_next(struct finder *fi, size_t from)
{
	const struct needle *nd = fi->nd;
	const char *text = fi->text;
	size_t len = fi->len, n = (size_t)nd->n;
	while (from + n <= len) {
		const char *h = NULL;
		if (!fi->fold) {
			h = memmem(text + from, len - from, nd->s, n);
		} else {
			for (;;) {
				const char *x = cached_chr(fi, fi->f, from, &fi->x, &fi->xfrom, &fi->xok);
				const char *y = fi->g != fi->f
				                ? cached_chr(fi, fi->g, from, &fi->y, &fi->yfrom, &fi->yok)
				                : NULL;
				const char *c = !x ? y : !y ? x : x < y ? x : y;
				if (!c || (size_t)(c - text) + n > len)
					break;
				if (!strncasecmp(c, nd->s, n)) {
					h = c;
					break;
				}
				from = (size_t)(c - text) + 1;
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

/* The first occurrence of nd in text[0..len) (see finder_next). */
static const char *find_first(const char *text, size_t len, const struct needle *nd)
{
	struct finder fi;
	finder_init(&fi, text, len, nd);
	return finder_next(&fi, 0);
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
		const char *h = find_first(text, len, &nd[0]);
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
		struct finder fi;
		finder_init(&fi, text, len, &nd[k]);
		for (int found = 0; found < PER; found++) {
			const char *h = finder_next(&fi, from);
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
 * prefix's work is the engine's (the SQLite engine counts the FTS5 leaf
 * pages its terms span, db/sqlite/fts.c: FTS5 merges all of them before
 * the first match comes out). The
 * constants were measured on the bench archive (docs/archive.md): 1,000
 * units are 12–25 µs of ranking on its machine (words less than phrases). */

#define COST_SAMPLE 64
#define MAX_TOKENS 16

/* Calibration (issue 19): the unit above is one position of a single
 * word ranked; other kinds of work cost more per position, measured as
 * CPU time per unit of the ranking pass forced over every match
 * (bench/search.sh's calibration table, 1,000 mixed and 2,000 English
 * transcripts): a single word 7–12 µs per 1,000 units, a phrase's
 * position checks 2–3 times that, a query of several phrases (AND, OR:
 * FTS5 counts each phrase's rows in a pass of its own, then every
 * instance is listed) 2–4.5 times, an AND reading a frequent side's lists
 * to skip to the rare side's rows about half of ranking them. Before
 * this the estimate counted every kind as a word, so "of the" at 2,000
 * English talks was ranked under the budget and took 21 ms. */
#define COST_PHRASE 3.0     /* a term of several tokens, per unit */
#define COST_MULTI 4.5      /* every unit of a query of several phrases */
#define COST_SKIP 0.5       /* an AND's frequent side, read to skip */

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

/* The archive's id range and row count, for scaling a sample (all 1
 * when the engine cannot tell). */
static void id_span_get(struct archive *a, struct sr_span *sp)
{
	if (a->ops->search_span(a, sp) != 0) {
		sp->lo = 1;
		sp->hi = 1;
		sp->rows = 1;
	}
}

/* Matching rows estimated from the newest n matches, ids first ≥ last:
 * they cover the ids from last up; the matches are assumed as dense
 * below. Never less than n, never more than the archive. */
static double scale_rows(const struct sr_span *sp, int64_t first, int64_t last, int n)
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
static int token_cost(struct archive *a, const struct sr_span *sp, const char *tok, int len,
                      double *rows, double *work)
{
	struct sr_sample sm;
	*rows = *work = 0;
	if (a->ops->search_sample(a, tok, len, COST_SAMPLE + 1, &sm) != 0)
		return -1;
	if (sm.n == 0)
		return 0;
	double r = sm.n <= COST_SAMPLE ? sm.n : scale_rows(sp, sm.first, sm.last, sm.n);
	*rows = r;
	*work = r * (sm.inst / sm.n + COST_ROW);
	return 0;
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
	struct sr_term t[MAX_TERMS];
	int nt = lex(query ? query : "", t);
	struct sr_span sp;
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
				int64_t p = a->ops->search_prefix_cost(a, tk.s[k], tk.len[k]);
				w = p < 0 ? 0 : (double)p;
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
		if (tk.n > 1)
			work *= COST_PHRASE;   /* every position checked against the next token's */
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
	 * at one by one (precis_rank) after each phrase's rows were counted
	 * in a pass of their own: COST_MULTI. An AND still reads the
	 * frequent side's lists to skip to the rare side's rows: COST_SKIP
	 * of ranking them. */
	double mult = nphrase > 1 ? COST_MULTI : 1;
	for (int g = 0; g < ng; g++) {
		double share = grows[g] > 0 ? rmin / grows[g] : 0;
		*cost += gwork[g] * (share * mult + (share < COST_SKIP ? COST_SKIP - share : 0));
	}
	return 0;
}

/* ---- search ----------------------------------------------------------- */

/* 1 when ar_interrupt() was called since this search began (then the
 * search ends at once with an error). */
static int stopped(struct archive *a)
{
	if (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED))
		return 0;
	ar_fail(a, "search interrupted");
	return 1;
}

/* What annotate's look at a result's columns needs. */
/* Bytes of text one unranked result, and a whole query, may scan to
 * count hits (each needle over each column counts): past either, a result
 * is counted in part of its text and says so (ar_hit.hits_partial). A
 * 20 MB transcript alone would otherwise take the query's whole share.
 * Reading the results' texts for their snippets is linear in them too, so
 * a query's work is bounded by its page of results. */
#define COUNT_SCAN_RESULT ((int64_t)16 << 20)
#define COUNT_SCAN_MAX ((int64_t)256 << 20)

struct annot {
	struct archive *a;
	struct needle *nd, *wd;
	int nn, wn;
	struct ar_hit *h;
	int64_t *count_left;     /* the query's COUNT_SCAN_MAX */
};

static int annotate_cols(void *ctx, const char *const col[3], const size_t len[3])
{
	struct annot *x = ctx;
	struct ar_hit *h = x->h;
	int pos = 0, hl = 0, done = 0;
	if (h->hits < 0) {
		/* Not ranked (a broad query): the hits are the occurrences
		 * of the whole terms in the three columns. */
		h->hits = 0;
		int64_t mine = *x->count_left < COUNT_SCAN_RESULT ? *x->count_left : COUNT_SCAN_RESULT;
		for (int c = 0; c < 3; c++) {
			const char *s = col[c];
			size_t n = len[c];
			if (s && x->nn > 0) {
				int64_t room = mine / x->nn;
				if ((int64_t)n > room) {
					n = room > 0 ? (size_t)room : 0;
					h->hits_partial = 1;
				}
				mine -= (int64_t)n * x->nn;
				*x->count_left -= (int64_t)n * x->nn;
			}
			for (int k = 0; s && k < x->nn; k++) {
				struct finder fi;
				finder_init(&fi, s, n, &x->nd[k]);
				for (const char *p = finder_next(&fi, 0); p;
				     p = finder_next(&fi, (size_t)(p - s) + (size_t)x->nd[k].n))
					if (!(++h->hits & 0xffff) && stopped(x->a))
						return -1;
			}
			if (stopped(x->a))
				return -1;
		}
	}
	/* Transcript first, then the summary, then the title. */
	for (int pass = 0; pass < 2 && !done; pass++)
		for (int c = 0; c < 3 && !done; c++) {
			const char *s = col[c];
			size_t n = len[c];
			if (s && best_hit(s, n, pass ? x->wd : x->nd, pass ? x->wn : x->nn, &pos, &hl)) {
				h->snippet = make_snippet(s, n, pos, hl, &h->hl_start, &h->hl_len);
				done = 1;
			}
		}
	if (!done) {
		const char *s = col[0];
		size_t n = len[0];
		h->snippet = make_snippet(s ? s : "", s ? n : 0, 0, 0, &h->hl_start, &h->hl_len);
		h->hl_start = h->hl_len = 0;
	}
	return 0;
}

/* Fills h->snippet for one result: the best hit of the whole terms (nd),
 * else of their words (wd). Returns 0 or -1. */
static int annotate(struct archive *a, struct needle *nd, int nn, struct needle *wd, int wn,
                    struct ar_hit *h, int64_t *count_left)
{
	struct annot x = { a, nd, wd, nn, wn, h, count_left };
	int r = a->ops->search_texts(a, h->id, annotate_cols, &x);
	if (r == 1) {
		h->snippet = xstrdup("");
		return 0;
	}
	return r < 0 ? -1 : 0;
}

/* Fills one result's metadata. Returns 0, or non-zero when the row
 * vanished (or could not be read). */
static int fill_hit(struct archive *a, struct ar_hit *h)
{
	return a->ops->search_hit_meta(a, h->id, h) != 0;
}

/* What the three ways of answering share: the parsed query and its
 * needles. */
struct search_ctx {
	struct archive *a;
	const char *query;
	const struct sr_query *q;
	struct needle nd[MAX_TERMS * 2], wd[MAX_TERMS * 2];
	int nn, wn;
	size_t cap;
	int64_t count_left;      /* COUNT_SCAN_MAX, as it is spent */
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
	if (fill_hit(c->a, h) != 0)
		return 0;   /* deleted meanwhile */
	out->n++;
	h->hits = -1;   /* annotate counts them in the text */
	return annotate(c->a, c->nd, c->nn, c->wd, c->wn, h, &c->count_left);
}

/* Ranks every match in one pass: the ranker keeps the best offset +
 * limit rows as the engine hands them over (their hit counts with them),
 * the total is exact. Returns 0, -1, or 1 when the pass went over its
 * work limit (out emptied). */
static int search_ranked(struct search_ctx *c, int limit, int offset, int64_t work_limit,
                         struct ar_search_result *out)
{
	struct archive *a = c->a;
	int64_t k = (int64_t)offset + limit;
	struct sr_ranker pass = { .limit = work_limit, .k = (size_t)k };   /* grown as rows come */
	int r = a->ops->search_rank(a, c->q, &pass);
	if (r != 0) {
		sr_rank_free(&pass);
		return r;
	}
	/* every match was ranked once: the exact total */
	out->total = pass.rows;
	if (pass.n > 1)
		qsort(pass.e, pass.n, sizeof *pass.e, cmp_ent);
	for (size_t i = (size_t)offset; r == 0 && i < pass.n; i++) {
		if (stopped(a)) {
			r = -1;
			break;
		}
		struct ar_hit *h = add_hit(c, out);
		h->id = pass.e[i].id;
		if (fill_hit(a, h) != 0)
			continue;   /* deleted meanwhile */
		out->n++;
		h->rank = pass.e[i].r;
		h->hits = pass.e[i].hits;
		r = annotate(a, c->nd, c->nn, c->wd, c->wn, h, &c->count_left);
	}
	sr_rank_free(&pass);
	return r;
}

/* A broad query: the newest matches are the results, each counted alone
 * (the engine seeks to the id), and the total is estimated from where the
 * newest SEARCH_PROBE of them fall. Returns 0 or -1. */
static int search_newest(struct search_ctx *c, int limit, int offset,
                         struct ar_search_result *out)
{
	enum { SEARCH_PROBE = 201 };
	int want = SEARCH_PROBE;
	if ((int64_t)offset + limit > want && (int64_t)offset + limit <= 100000)
		want = offset + limit;
	int64_t *ids = xmalloc(sizeof *ids * (size_t)want);
	int found = c->a->ops->search_newest(c->a, c->q, ids, want), r = 0;
	if (found < 0) {
		free(ids);
		return -1;
	}
	out->broad = found > 0;
	if (found < want) {
		out->total = found;
	} else {
		struct sr_span sp;
		id_span_get(c->a, &sp);
		out->total = (int64_t)(scale_rows(&sp, ids[0], ids[found - 1], found) + 0.5);
	}
	for (int i = offset; r == 0 && i < found && (int64_t)i < (int64_t)offset + limit; i++)
		r = stopped(c->a) ? -1 : add_unranked(c, out, ids[i]);
	free(ids);
	return r;
}

/* 1 when needle nd occurs in one of the three columns. */
static int row_has(const char *const col[3], const size_t len[3], const struct needle *nd)
{
	for (int c = 0; c < 3; c++)
		if (col[c] && find_first(col[c], len[c], nd))
			return 1;
	return 0;
}

/* Whether one transcript holds a query's terms (search_scan). */
struct scan_row {
	const struct sr_term *t;
	const struct needle *tn;
	const int *group;
	int nt, ng;
	int ok;
};

static int scan_cols(void *ctx, const char *const col[3], const size_t len[3])
{
	struct scan_row *x = ctx;
	int ok = 1;
	unsigned char got[MAX_TERMS] = { 0 };
	for (int i = 0; i < x->nt && ok; i++) {
		if (!x->tn[i].s)
			continue;
		int has = row_has(col, len, &x->tn[i]);
		if (x->group[i] < 0 && has)
			ok = 0;
		else if (x->group[i] >= 0 && has)
			got[x->group[i]] = 1;
	}
	for (int g = 0; g < x->ng && ok; g++)
		ok = got[g];
	x->ok = ok;
	return 0;
}

/* A query with a prefix too broad to hand to the index (FTS5 merges
 * every list of the prefix before the first match): the newest
 * transcripts are read and kept when their text holds the query's terms
 * (each AND group one of its terms, no excluded term), at most SCAN_ROWS
 * of them; the total is the share found times the archive. Returns 0 or
 * -1. */
static int search_scan(struct search_ctx *c, int limit, int offset,
                       struct ar_search_result *out)
{
	enum { SCAN_ROWS = 2000, CHUNK = 200 };
	struct archive *a = c->a;
	const struct sr_term *t = c->q->t;
	int nt = c->q->nt;
	struct needle tn[MAX_TERMS];
	int group[MAX_TERMS], ng = 0;
	for (int i = 0; i < nt; i++) {
		if (make_needles_term(&t[i], &tn[i]) != 0)
			tn[i].s = NULL;
		group[i] = t[i].neg ? -1 : (i > 0 && t[i - 1].or_next ? ng - 1 : ng++);
	}
	int64_t ids[CHUNK], before = 0;
	int r = 0, seen = 0, matched = 0, nids = 0, k = 0;
	while (r == 0 && seen < SCAN_ROWS) {
		if (k == nids) {   /* the next newest transcripts */
			int want = SCAN_ROWS - seen < CHUNK ? SCAN_ROWS - seen : CHUNK;
			nids = a->ops->search_recent(a, before, ids, want);
			k = 0;
			if (nids < 0)
				r = -1;
			if (nids <= 0)
				break;
			before = ids[nids - 1];
		}
		int64_t id = ids[k++];
		seen++;
		if (stopped(a)) {
			r = -1;
			break;
		}
		struct scan_row x = { t, tn, group, nt, ng, 0 };
		int rc = a->ops->search_texts(a, id, scan_cols, &x);
		if (rc < 0) {
			r = -1;
			break;
		}
		if (rc != 0 || !x.ok)
			continue;
		if (matched >= offset && matched < offset + limit)
			r = add_unranked(c, out, id);
		matched++;
		if (matched >= offset + limit)
			break;
	}
	if (r == 0) {
		struct sr_span sp;
		id_span_get(a, &sp);
		out->broad = matched > 0;
		out->total = seen >= sp.rows || seen == 0 ? matched
		             : (int64_t)((double)matched * (double)sp.rows / seen + 0.5);
		if (out->total < matched)
			out->total = matched;
	}
	for (int i = 0; i < nt; i++)
		free(tn[i].s);
	return r;
}

int ar_search(struct archive *a, const char *query, int limit, int offset,
              struct ar_search_result *out)
{
	memset(out, 0, sizeof *out);
	struct sr_query q;
	if (sr_parse(query, &q) == 0)
		return 0;
	if (limit <= 0)
		limit = 1 << 30;
	if (offset < 0)
		offset = 0;
	if (stopped(a))
		return -1;   /* interrupted before it began */
	struct search_ctx c = { .a = a, .query = query, .q = &q, .count_left = COUNT_SCAN_MAX };
	c.nn = make_needles(query, c.nd, MAX_TERMS * 2, 0);
	c.wn = make_needles(query, c.wd, MAX_TERMS * 2, 1);
	int r = 0;
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
	if (stopped(a)) {
		r = -1;
		goto done;
	}
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
