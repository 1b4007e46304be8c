/* browse.c — what the full-screen app reads: keyset pages of the listing
 * (only the rows on screen, at any archive size), header counts from a
 * small index, and a way to interrupt a search from another thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"

/* The WHERE clause of a filter (table alias t). */
static const char *filter_sql(enum ar_filter f)
{
	switch (f) {
	case AR_F_UNSUMMARIZED: return "t.current_summary_id IS NULL";
	case AR_F_SUMMARIZED: return "t.current_summary_id IS NOT NULL";
	case AR_F_UNREVIEWED: return "t.review_state = 'unreviewed'";
	case AR_F_APPROVED: return "t.review_state = 'approved'";
	case AR_F_FLAGGED: return "t.review_state = 'flagged'";
	default: return "1";   /* "+1" is fine too */
	}
}

int sq_counts(struct archive *a, struct ar_counts *c)
{
	sqlite3_stmt *st = NULL;
	memset(c, 0, sizeof *c);
	/* Kept by triggers (migration 5): a handful of rows, whatever the
	 * archive's size. */
	if (sqlite3_prepare_v2(SQ(a)->db, "SELECT review_state, unsummarized, n FROM list_counts",
	                       -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "counts");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rs = (const char *)sqlite3_column_text(st, 0);
		int unsum = sqlite3_column_int(st, 1);
		int64_t k = sqlite3_column_int64(st, 2);
		c->total += k;
		if (unsum)
			c->unsummarized += k;
		else
			c->summarized += k;
		if (rs && !strcmp(rs, "approved"))
			c->approved += k;
		else if (rs && !strcmp(rs, "flagged"))
			c->flagged += k;
		else
			c->unreviewed += k;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ar_fail_sql(a, "counts");
	return 0;
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

int sq_list_page(struct archive *a, enum ar_sort sort, enum ar_filter f,
                 const struct ar_meta *from, int inclusive, int dir, int limit,
                 struct ar_meta **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if ((unsigned)sort > AR_SORT_UNSUPPORTED)
		sort = AR_SORT_DATE;
	if (limit <= 0)
		return 0;
	const struct order *o = &orders[sort];
	/* Walking forward in a descending order means smaller keys. */
	int scan_desc = dir >= 0 ? o->desc : !o->desc;
	char where[1024] = "", sql[4096];
	const char *ob = scan_desc ? o->desc_sql : o->asc_sql;
	if (from) {
		char params[32];
		snprintf(params, sizeof params, o->ncols == 3 ? "(?1, ?2, ?3)" : "(?1, ?2)");
		snprintf(where, sizeof where, " AND %s %s= ?1 AND %s %s%s %s", o->first,
		         scan_desc ? "<" : ">", o->cols, scan_desc ? "<" : ">",
		         inclusive ? "=" : "", params);
	}
	/* A filter matching many rows must not steer the planner to the
	 * review index (then every match is sorted): "+" keeps the order's
	 * index; a rare state (a few flagged) is found through its index. */
	int rare = 0;
	if (f == AR_F_UNREVIEWED || f == AR_F_APPROVED || f == AR_F_FLAGGED) {
		char q[256];
		sqlite3_stmt *cs = NULL;
		snprintf(q, sizeof q, "SELECT count(*) FROM (SELECT 1 FROM transcripts t"
		         " WHERE %s LIMIT 2000)", filter_sql(f));
		if (sqlite3_prepare_v2(SQ(a)->db, q, -1, &cs, NULL) == SQLITE_OK &&
		    sqlite3_step(cs) == SQLITE_ROW)
			rare = sqlite3_column_int(cs, 0) < 2000;
		sqlite3_finalize(cs);
	}
	snprintf(sql, sizeof sql, "SELECT " META_COLS " FROM transcripts t WHERE %s%s%s"
	         " ORDER BY %s LIMIT %d", rare ? "" : "+", filter_sql(f), where, ob, limit);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "listing");
	if (from)
		bind_key(st, sort, from);
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

void sq_interrupt(struct archive *a)
{
	if (a && SQ(a)->db)
		sqlite3_interrupt(SQ(a)->db);
}
