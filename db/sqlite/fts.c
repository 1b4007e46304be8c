/* fts.c — what db/search.c asks of the SQLite engine's full-text index
 * (the FTS5 table fts over title, text and current summary, tokenized by
 * db/sqlite/fts_tokenizer.c): the newest matches of a token or a query,
 * every match handed to the ranking pass, a prefix's cost, a result's
 * metadata and text. The query becomes an FTS5 expression here.
 *
 * The user never writes FTS5 syntax: every term becomes a quoted FTS5
 * string (quotes doubled), so no input can be a syntax error, and the
 * only operators are the ones db/search.c parsed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "db/search_int.h"
#include "db/sqlite/archive_int.h"
#include "render/buf.h"

/* A leaf page of the index merged for a prefix, in db/search.c's work
 * units (docs/archive.md, "Broad queries"): 8,000 positions' worth of
 * reading, and merging them costs about 2.5 times ranking a word's
 * (issue 19's calibration: 15–26 µs per 1,000 such units, 7–12 for a
 * word). */
#define COST_PAGE 20000

/* ---- the FTS5 expression ---------------------------------------------- */

static void put_term(struct buf *b, const struct sr_term *t)
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

/* The FTS5 expression of q (malloc'd), or NULL when it has no positive
 * term. Its phrases come in sr_phrase_term's order: the positive terms,
 * then the negative ones. */
static char *fts_expr(const struct sr_query *q)
{
	const struct sr_term *t = q->t;
	int nt = q->nt;
	struct buf b = { 0 };
	int npos = 0;
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
		return NULL;
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
	return b.p;
}

int ar_query_compile(const char *query, char **expr)
{
	struct sr_query q;
	sr_parse(query, &q);
	*expr = fts_expr(&q);
	return *expr ? 0 : 1;
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
 * precis_rank(fts): hands the current row's phrase instances per column
 * to the search's ranking pass (db/search.c: BM25 without length
 * normalisation, the best rows kept as they come). With a single phrase
 * they are counted straight from its position list (no instance array
 * is built). */

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

/* Starts the pass at its first row: the archive's rows and each
 * phrase's matching rows (one pass over its doclist). An SQLite code. */
static int rank_begin(const Fts5ExtensionApi *api, Fts5Context *fts, struct sr_ranker *p)
{
	int nphrase = api->xPhraseCount(fts);
	int64_t *ndocs = xmalloc(sizeof *ndocs * (size_t)(nphrase + 1));
	sqlite3_int64 nrow = 0;
	int rc = api->xRowCount(fts, &nrow);
	for (int i = 0; rc == SQLITE_OK && i < nphrase; i++) {
		sqlite3_int64 n = 0;
		rc = api->xQueryPhrase(fts, i, &n, count_cb);
		ndocs[i] = n;
	}
	if (rc == SQLITE_OK)
		sr_rank_begin(p, nphrase, nrow, ndocs);
	free(ndocs);
	return rc;
}

static void fn_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                    sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	struct archive *a = api->xUserData(fts);
	struct sr_ranker *p = SQ(a)->rank_pass;
	int rc = SQLITE_OK, n = 0;
	if (!p) {
		sqlite3_result_error(ctx, "precis_rank outside a search", -1);
		return;
	}
	if (!p->idf && (rc = rank_begin(api, fts, p)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (p->nphrase == 1) {
		Fts5PhraseIter it;
		int col = -1, off;
		rc = api->xPhraseFirst(fts, 0, &it, &col, &off);
		for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
			if (col < 3)
				p->tf[col] += 1;
			n++;
		}
	} else if ((rc = api->xInstCount(fts, &n)) == SQLITE_OK) {
		for (int i = 0; i < n; i++) {
			int ph, col, off;
			if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK &&
			    ph >= 0 && ph < p->nphrase && col >= 0 && col < 3)
				p->tf[ph * 3 + col] += 1;
		}
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	/* Past the pass's limit it stops (rows come in rowid order, so
	 * where it stops is the same on every run). */
	if (sr_rank_row(p, api->xRowid(fts), n)) {
		sqlite3_result_error(ctx, "search over its work budget", -1);
		return;
	}
	sqlite3_result_null(ctx);
}

/* Registers the auxiliary FTS5 functions (precis_hits, precis_rank, the
 * latter reporting to a's ranking pass) once. 0 or -1. */
static int search_ready(struct archive *a)
{
	if (SQ(a)->search_ready)
		return 0;
	fts5_api *api = ar_fts5_api(SQ(a)->db);
	int rc = api ? api->xCreateFunction(api, "precis_hits", NULL, fn_hits, NULL) : SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "precis_rank", a, fn_rank, NULL);
	if (rc != SQLITE_OK)
		return ar_fail(a, "cannot register search functions");
	SQ(a)->search_ready = 1;
	return 0;
}

/* ---- what db/search.c asks ---------------------------------------------- */

int sq_search_span(struct archive *a, struct sr_span *sp)
{
	sqlite3_stmt *st;
	sp->lo = 1;
	sp->hi = 1;
	sp->rows = 1;
	/* each in its own subquery: one end of the primary key each (min
	 * and max in one SELECT would scan the table), the row count from
	 * the trigger-kept list counts */
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT (SELECT min(id) FROM transcripts), (SELECT max(id) FROM transcripts),"
	                              " (SELECT sum(n) FROM review_counts)", -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "search");
	if (sqlite3_step(st) == SQLITE_ROW) {
		sp->lo = sqlite3_column_int64(st, 0);
		sp->hi = sqlite3_column_int64(st, 1);
		sp->rows = sqlite3_column_int64(st, 2);
		if (sp->rows < 1)
			sp->rows = sp->hi - sp->lo + 1;
	}
	sqlite3_finalize(st);
	return 0;
}

int sq_search_sample(struct archive *a, const char *tok, int len, int max, struct sr_sample *out)
{
	static const char sql[] = "SELECT rowid, precis_hits(fts) FROM fts WHERE fts MATCH ?1"
	                          " ORDER BY rowid DESC LIMIT ?2";
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	if (search_ready(a) != 0)
		return -1;
	struct buf q = { 0 };
	struct sr_term t = { tok, len, 0, 0, 0 };
	put_term(&q, &t);
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(q.p);
		return ar_fail_sql(a, "search");
	}
	sqlite3_bind_text(st, 1, q.p, (int)q.len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->last = sqlite3_column_int64(st, 0);
		if (!out->n)
			out->first = out->last;
		out->inst += sqlite3_column_int(st, 1);
		out->n++;
	}
	sqlite3_finalize(st);
	free(q.p);
	return rc == SQLITE_DONE ? 0 : ar_fail_sql(a, "search");
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
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT min(segid) FROM fts_idx WHERE segid > ?1", -1, &seg, NULL) ||
	    sqlite3_prepare_v2(SQ(a)->db, "SELECT pgno FROM fts_idx WHERE segid = ?1 AND term < ?2"
	                              " ORDER BY term DESC LIMIT 1", -1, &lo, NULL) ||
	    sqlite3_prepare_v2(SQ(a)->db, "SELECT pgno FROM fts_idx WHERE segid = ?1 AND term >= ?2"
	                              " ORDER BY term LIMIT 1", -1, &hi, NULL) ||
	    sqlite3_prepare_v2(SQ(a)->db, "SELECT max(pgno) FROM fts_idx WHERE segid = ?1", -1, &top, NULL))
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

int64_t sq_search_prefix_cost(struct archive *a, const char *tok, int len)
{
	int64_t p = prefix_pages(a, tok, len);
	return p < 0 ? -1 : p * COST_PAGE;
}

int sq_search_rank(struct archive *a, const struct sr_query *q, struct sr_ranker *r)
{
	if (search_ready(a) != 0)
		return -1;
	char *expr = fts_expr(q);
	if (!expr)
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT precis_rank(fts) FROM fts WHERE fts MATCH ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		free(expr);
		return ar_fail_sql(a, "search");
	}
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	SQ(a)->rank_pass = r;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	SQ(a)->rank_pass = NULL;
	sqlite3_finalize(st);
	free(expr);
	if (r->over)
		return 1;
	return rc == SQLITE_DONE ? 0 : ar_fail_sql(a, "search");
}

/* The rowids of the first `want` matches, newest first (FTS5 walks the
 * doclists backwards and stops there). */
int sq_search_newest(struct archive *a, const struct sr_query *q, int64_t *ids, int want)
{
	char *expr = fts_expr(q);
	if (!expr)
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
	                       -1, &st, NULL) != SQLITE_OK) {
		free(expr);
		return ar_fail_sql(a, "search");
	}
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, want);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < want)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	free(expr);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : ar_fail_sql(a, "search");
}

int sq_search_recent(struct archive *a, int64_t before, int64_t *ids, int want)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT t.id FROM transcripts t WHERE ?2 = 0 OR t.id < ?2"
	                       " ORDER BY t.id DESC LIMIT ?1", -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "search");
	sqlite3_bind_int(st, 1, want);
	sqlite3_bind_int64(st, 2, before);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < want)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : ar_fail_sql(a, "search");
}

/* The archive's statement sql, prepared once and kept (finalized at
 * close); reset by the caller after each use. NULL with a->err set. */
static sqlite3_stmt *kept(struct archive *a, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot && sqlite3_prepare_v2(SQ(a)->db, sql, -1, slot, NULL) != SQLITE_OK) {
		ar_fail_sql(a, "search");
		*slot = NULL;
	}
	return *slot;
}

int sq_search_hit_meta(struct archive *a, int64_t id, struct ar_hit *h)
{
	sqlite3_stmt *st = kept(a, &SQ(a)->hit_st, "SELECT title, recorded_at, duration_s,"
	                        " review_state, review_changed, coalesce(current_summary_id, 0)"
	                        " FROM transcripts WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 1 : ar_fail_sql(a, "search");
	}
	const char *t = (const char *)sqlite3_column_text(st, 0);
	h->title = xstrdup(t ? t : "");
	t = (const char *)sqlite3_column_text(st, 1);
	h->recorded_at = t ? xstrdup(t) : NULL;
	h->duration_s = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 2);
	enum ar_review rv = ar_review_from((const char *)sqlite3_column_text(st, 3));
	if (rv == AR_UNREVIEWED && sqlite3_column_int(st, 4))
		rv = AR_CHANGED;
	h->state = ar_state_of(rv, sqlite3_column_int64(st, 5));
	sqlite3_reset(st);
	return 0;
}

int sq_search_texts(struct archive *a, int64_t id, sr_texts_fn fn, void *ctx)
{
	sqlite3_stmt *st = kept(a, &SQ(a)->texts_st, "SELECT x.text, s.body, t.title FROM transcripts t"
	                        " JOIN texts x ON x.transcript_id = t.id"
	                        " LEFT JOIN summaries s ON s.id = t.current_summary_id"
	                        " WHERE t.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 1 : ar_fail_sql(a, "search");
	}
	const char *col[3];
	size_t len[3];
	for (int i = 0; i < 3; i++) {
		col[i] = (const char *)sqlite3_column_text(st, i);
		len[i] = (size_t)sqlite3_column_bytes(st, i);
	}
	int r = fn(ctx, col, len);
	sqlite3_reset(st);
	return r;
}
