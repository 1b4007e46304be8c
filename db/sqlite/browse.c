/* browse.c — what the full-screen app reads: keyset pages of the listing
 * in either direction of an order, under a filter and a pattern (only
 * the rows on screen, at any archive size), every row of one (tagging),
 * header counts from a small table, and a way to interrupt a search from
 * another thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <utf8proc.h>

#include "db/sqlite/archive_int.h"
#include "db/t2s.h"
#include "render/buf.h"
#include "render/utf8.h"

int sq_counts(struct archive *a, struct ar_counts *c)
{
	sqlite3_stmt *st = NULL;
	memset(c, 0, sizeof *c);
	/* Kept by triggers (migration 9): a handful of rows, whatever the
	 * archive's size. */
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT review_state, changed, unsummarized, n FROM review_counts",
	                       -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "counts");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rs = (const char *)sqlite3_column_text(st, 0);
		int changed = sqlite3_column_int(st, 1);
		int unsum = sqlite3_column_int(st, 2);
		int64_t k = sqlite3_column_int64(st, 3);
		c->total += k;
		if (unsum)
			c->unsummarized += k;
		else
			c->summarized += k;
		if (rs && !strcmp(rs, "approved"))
			c->approved += k;
		else if (rs && !strcmp(rs, "flagged"))
			c->flagged += k;
		else if (!unsum) {
			c->unreviewed += k;   /* the queue: summarized ones only */
			if (changed)
				c->changed += k;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ar_fail_sql(a, "counts");
	return 0;
}

/* ---- the list's pattern (l in the app) --------------------------------
 * Every word of the pattern must occur in the title, the channel or the
 * URL, compared folded: case, accents and compatibility forms (utf8proc,
 * as the tokenizer folds words) and traditional Chinese as simplified
 * (db/t2s.h, as the search and evidence fold it). An SQL function of the
 * connection, precis_match(words, title, channel, url), the words folded
 * once and separated by spaces. */

/* Appends the folded form of s[0..n) to b. */
static void fold_into(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			buf_putc(b, (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
			i++;
			continue;
		}
		int32_t cp;
		i += utf8_next(s + i, n - i, &cp);
		cp = (int32_t)t2s_fold((uint32_t)cp);
		utf8proc_int32_t out[8];
		int last = 0;
		utf8proc_ssize_t m = utf8proc_decompose_char((utf8proc_int32_t)cp, out, 8,
			UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE |
			UTF8PROC_IGNORE, &last);
		if (m < 0 || m > 8) {
			out[0] = cp;
			m = 1;
		}
		for (utf8proc_ssize_t j = 0; j < m; j++) {
			char enc[4];
			size_t e = utf8_encode(out[j], enc);
			buf_put(b, enc, e);
		}
	}
}

static void match_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *words = (const char *)sqlite3_value_text(argv[0]);
	if (!words || !*words) {
		sqlite3_result_int(ctx, 1);
		return;
	}
	struct buf hay = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *f = (const char *)sqlite3_value_text(argv[i]);
		if (!f)
			continue;
		fold_into(&hay, f, (size_t)sqlite3_value_bytes(argv[i]));
		buf_putc(&hay, '\n');   /* a word never spans two fields */
	}
	int all = 1;
	for (const char *w = words; *w && all; ) {
		const char *e = strchr(w, ' ');
		size_t wl = e ? (size_t)(e - w) : strlen(w);
		if (wl && (!hay.p || !memmem(hay.p, hay.len, w, wl)))
			all = 0;
		w += wl + (e != NULL);
	}
	buf_free(&hay);
	sqlite3_result_int(ctx, all);
}

/* The pattern's words folded, separated by single spaces (malloc'd; ""
 * when it has none). */
static char *fold_pattern(const char *p)
{
	struct buf b = { 0 };
	fold_into(&b, p, strlen(p));
	if (!b.p)
		return xstrdup("");
	/* words: runs between ASCII spaces and tabs */
	char *s = b.p, *o = b.p;
	for (char *t = strtok(s, " \t"); t; t = strtok(NULL, " \t")) {
		if (o != b.p)
			*o++ = ' ';
		size_t l = strlen(t);
		memmove(o, t, l);
		o += l;
	}
	*o = 0;
	return b.p;
}

/* Registers precis_match on a's connection once. 0 or -1. */
static int match_ready(struct archive *a)
{
	if (SQ(a)->match_ready)
		return 0;
	if (sqlite3_create_function(SQ(a)->db, "precis_match", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                            NULL, match_fn, NULL, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "pattern");
	SQ(a)->match_ready = 1;
	return 0;
}

/* The WHERE condition of q (filter and pattern), binding the folded
 * pattern at ?9 when there is one (*words: free it after the query). */
static void query_where(const struct ar_page_query *q, char **words, char *buf, size_t n)
{
	*words = NULL;
	if (q->pattern && *q->pattern) {
		*words = fold_pattern(q->pattern);
		if (!**words) {
			free(*words);
			*words = NULL;
		}
	}
	snprintf(buf, n, "(%s)%s", ar_filter_sql(q->filter),
	         *words ? " AND precis_match(?9, t.title, t.channel, t.url)" : "");
}

/* One sort order: its key columns (as the index of migration 2 has them),
 * and whether the display order is descending. */
struct order {
	const char *cols;      /* row value of the key, e.g. "(k1, k2, id)" */
	const char *first;     /* its first column: SQLite uses a range on it
	                          with the expression index (not the row value) */
	int ncols;
	int desc;
	const char *asc_sql, *desc_sql;   /* ORDER BY, ascending / descending */
};

static const struct order orders[] = {
	[AR_SORT_DATE] = { "(coalesce(t.recorded_at, ''), t.imported_at, t.id)",
	                   "coalesce(t.recorded_at, '')", 3, 1,
	                   "coalesce(t.recorded_at, ''), t.imported_at, t.id",
	                   "coalesce(t.recorded_at, '') DESC, t.imported_at DESC, t.id DESC" },
	[AR_SORT_TITLE] = { "(t.title COLLATE NOCASE, t.id)", "t.title COLLATE NOCASE", 2, 0,
	                    "t.title COLLATE NOCASE, t.id",
	                    "t.title COLLATE NOCASE DESC, t.id DESC" },
	[AR_SORT_DURATION] = { "(coalesce(t.duration_s, -1), t.id)", "coalesce(t.duration_s, -1)", 2, 1,
	                       "coalesce(t.duration_s, -1), t.id",
	                       "coalesce(t.duration_s, -1) DESC, t.id DESC" },
	[AR_SORT_IMPORTED] = { "(t.imported_at, t.id)", "t.imported_at", 2, 1,
	                       "t.imported_at, t.id", "t.imported_at DESC, t.id DESC" },
	/* most unsupported summary lines first, unknown counts (no summary,
	 * or its evidence not computed) last: the stored count's index
	 * (migration 7) */
	[AR_SORT_UNSUPPORTED] = { "(coalesce(" UNSUPPORTED_SQL ", -1), t.id)",
	                          "coalesce(" UNSUPPORTED_SQL ", -1)", 2, 1,
	                          "coalesce(" UNSUPPORTED_SQL ", -1), t.id",
	                          "coalesce(" UNSUPPORTED_SQL ", -1) DESC, t.id DESC" },
};

/* Binds the key of m for sort s at parameters 1.. */
static void bind_key(sqlite3_stmt *st, enum ar_sort s, const struct ar_meta *m)
{
	switch (s) {
	case AR_SORT_DATE:
		sqlite3_bind_text(st, 1, m->recorded_at ? m->recorded_at : "", -1, SQLITE_TRANSIENT);
		if (m->imported_at)
			sqlite3_bind_text(st, 2, m->imported_at, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_text(st, 2, "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->id);
		break;
	case AR_SORT_TITLE:
		sqlite3_bind_text(st, 1, m->title ? m->title : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, m->id);
		break;
	case AR_SORT_DURATION:
		sqlite3_bind_int64(st, 1, m->duration_s >= 0 ? m->duration_s : -1);
		sqlite3_bind_int64(st, 2, m->id);
		break;
	case AR_SORT_IMPORTED:
		if (m->imported_at)
			sqlite3_bind_text(st, 1, m->imported_at, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_text(st, 1, "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, m->id);
		break;
	case AR_SORT_UNSUPPORTED:
		sqlite3_bind_int64(st, 1, m->unsupported >= 0 ? m->unsupported : -1);
		sqlite3_bind_int64(st, 2, m->id);
		break;
	default:
		break;
	}
}

/* A filter matching many rows must not steer the planner to a review
 * index (then every match is sorted): 1 when f is rare enough (fewer
 * than 2,000 rows) to be found through its index. */
static int filter_rare(struct archive *a, enum ar_filter f)
{
	if (f != AR_F_UNREVIEWED && f != AR_F_APPROVED && f != AR_F_FLAGGED && f != AR_F_CHANGED)
		return 0;
	char q[256];
	sqlite3_stmt *cs = NULL;
	int rare = 0;
	snprintf(q, sizeof q, "SELECT count(*) FROM (SELECT 1 FROM transcripts t"
	         " WHERE %s LIMIT 2000)", ar_filter_sql(f));
	if (sqlite3_prepare_v2(SQ(a)->db, q, -1, &cs, NULL) == SQLITE_OK &&
	    sqlite3_step(cs) == SQLITE_ROW)
		rare = sqlite3_column_int(cs, 0) < 2000;
	sqlite3_finalize(cs);
	return rare;
}

int sq_list_page(struct archive *a, const struct ar_page_query *q,
                 const struct ar_meta *from, int inclusive, int dir, int limit,
                 struct ar_meta **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	enum ar_sort sort = (unsigned)q->sort > AR_SORT_UNSUPPORTED ? AR_SORT_DATE : q->sort;
	if (limit <= 0)
		return 0;
	const struct order *o = &orders[sort];
	/* Walking forward in a descending order means smaller keys. */
	int desc = q->reverse ? !o->desc : o->desc;
	int scan_desc = dir >= 0 ? desc : !desc;
	char where[1024] = "", cond[512], sql[4096];
	const char *ob = scan_desc ? o->desc_sql : o->asc_sql;
	if (from) {
		char params[32];
		snprintf(params, sizeof params, o->ncols == 3 ? "(?1, ?2, ?3)" : "(?1, ?2)");
		snprintf(where, sizeof where, " AND %s %s= ?1 AND %s %s%s %s", o->first,
		         scan_desc ? "<" : ">", o->cols, scan_desc ? "<" : ">",
		         inclusive ? "=" : "", params);
	}
	char *words;
	query_where(q, &words, cond, sizeof cond);
	if (words && match_ready(a) != 0) {
		free(words);
		return -1;
	}
	/* "+" keeps the order's index unless the filter is rare */
	snprintf(sql, sizeof sql, "SELECT " META_COLS " FROM " META_FROM " WHERE %s%s%s"
	         " ORDER BY %s LIMIT %d", filter_rare(a, q->filter) ? "" : "+", cond, where, ob, limit);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(words);
		return ar_fail_sql(a, "listing");
	}
	if (from)
		bind_key(st, sort, from);
	if (words)
		sqlite3_bind_text(st, 9, words, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*rows = xrealloc(*rows, cap * sizeof **rows);
		}
		ar_meta_from_row(st, &(*rows)[(*n)++]);
	}
	sqlite3_finalize(st);
	free(words);
	if (rc != SQLITE_DONE) {
		ar_metas_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return ar_fail_sql(a, "listing");
	}
	if (dir < 0) {
		/* fetched backwards: hand them out in display order */
		for (size_t i = 0; i < *n / 2; i++) {
			struct ar_meta t = (*rows)[i];
			(*rows)[i] = (*rows)[*n - 1 - i];
			(*rows)[*n - 1 - i] = t;
		}
	}
	return 0;
}

int sq_list_refs(struct archive *a, const struct ar_page_query *q,
                 struct ar_row_ref **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	enum ar_sort sort = (unsigned)q->sort > AR_SORT_UNSUPPORTED ? AR_SORT_DATE : q->sort;
	const struct order *o = &orders[sort];
	int desc = q->reverse ? !o->desc : o->desc;
	char cond[512], sql[2048];
	char *words;
	query_where(q, &words, cond, sizeof cond);
	if (words && match_ready(a) != 0) {
		free(words);
		return -1;
	}
	snprintf(sql, sizeof sql, "SELECT t.id, coalesce(t.current_summary_id, 0) FROM transcripts t"
	         " WHERE %s ORDER BY %s", cond, desc ? o->desc_sql : o->asc_sql);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(words);
		return ar_fail_sql(a, "listing");
	}
	if (words)
		sqlite3_bind_text(st, 9, words, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(v, &cap, *n + 1, sizeof **v);
		(*v)[*n].id = sqlite3_column_int64(st, 0);
		(*v)[*n].summary_id = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	free(words);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return ar_fail_sql(a, "listing");
	}
	return 0;
}

void sq_interrupt(struct archive *a)
{
	if (a && SQ(a)->db)
		sqlite3_interrupt(SQ(a)->db);
}
