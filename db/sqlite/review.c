/* review.c — reviews (docs/review.md): adding one, with the check that
 * the version reviewed is still current made under the write lock; the
 * history of a transcript's reviews; noticing other connections' commits.
 * The transcript's review state is derived from the reviews by the
 * triggers of migration 9 (db/schema.c), never written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"

static const char *verdict_sql(enum ar_review v)
{
	return v == AR_APPROVED ? "approved" : v == AR_FLAGGED ? "flagged" : "cleared";
}

/* "v3 (llm, 2025-01-02 10:00)" for summary sid into buf, or "no summary". */
static void describe_version(struct archive *a, int64_t sid, char *buf, size_t n)
{
	if (!sid) {
		snprintf(buf, n, "no summary");
		return;
	}
	sqlite3_stmt *st = ar_prep(a, "SELECT version, origin, created_at FROM summaries WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, sid);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *when = (const char *)sqlite3_column_text(st, 2);
			snprintf(buf, n, "v%d (%s, %.10s %.5s)", sqlite3_column_int(st, 0),
			         (const char *)sqlite3_column_text(st, 1), when ? when : "",
			         when && strlen(when) > 11 ? when + 11 : "");
			sqlite3_finalize(st);
			return;
		}
		sqlite3_finalize(st);
	}
	snprintf(buf, n, "summary %lld", (long long)sid);
}

/* A statement kept in *slot across calls (reset before use), or NULL
 * with a->err set. */
static sqlite3_stmt *kept(struct archive *a, sqlite3_stmt **slot, const char *sql)
{
	if (*slot) {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
		return *slot;
	}
	if (sqlite3_prepare_v3(SQ(a)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		ar_fail_sql(a, "review");
		*slot = NULL;
	}
	return *slot;
}

int sq_review_add(struct archive *a, int64_t tid, const struct ar_review_new *r, int64_t *review_id)
{
	if (a->readonly)
		return ar_fail(a, "archive was opened read-only");
	int opened;
	if (ar_tx_open(a, &opened) != 0)
		return -1;
	/* under the write lock: what is current now */
	sqlite3_stmt *st = kept(a, &SQ(a)->rv_cur_st,
	                        "SELECT coalesce(current_summary_id, 0) FROM transcripts WHERE id = ?1");
	if (!st)
		return ar_tx_close(a, opened, -1);
	sqlite3_bind_int64(st, 1, tid);
	int rc = sqlite3_step(st);
	int64_t cur = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ar_tx_close(a, opened, 1);
	if (rc != SQLITE_ROW)
		return ar_tx_close(a, opened, ar_fail_sql(a, "review"));
	if (r->expect_summary_id != AR_REVIEW_ANY && r->expect_summary_id != cur) {
		char now[128], saw[128];
		describe_version(a, cur, now, sizeof now);
		describe_version(a, r->expect_summary_id, saw, sizeof saw);
		ar_fail(a, "the summary of #%lld changed: %s is current now, not %s",
		        (long long)tid, now, saw);
		return ar_tx_close(a, opened, AR_REVIEW_STALE);
	}
	if (r->verdict == AR_APPROVED && !cur) {
		ar_fail(a, "#%lld has no summary: there is nothing to approve", (long long)tid);
		return ar_tx_close(a, opened, AR_REVIEW_NO_SUMMARY);
	}
	char when[32];
	ar_now(when, sizeof when);
	st = kept(a, &SQ(a)->rv_ins_st, "INSERT INTO reviews(transcript_id, summary_id, verdict,"
	          " reason, reviewer, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return ar_tx_close(a, opened, -1);
	sqlite3_bind_int64(st, 1, tid);
	if (cur)
		sqlite3_bind_int64(st, 2, cur);
	else
		sqlite3_bind_null(st, 2);
	ar_bind_text(st, 3, verdict_sql(r->verdict));
	ar_bind_text(st, 4, r->verdict != AR_APPROVED && r->reason && *r->reason ? r->reason : NULL);
	ar_bind_text(st, 5, r->reviewer && *r->reviewer ? r->reviewer : NULL);
	ar_bind_text(st, 6, when);
	rc = sqlite3_step(st);
	int res = rc == SQLITE_DONE ? 0 : ar_fail_sql(a, "review");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);   /* they point at this call's strings */
	if (res == 0 && review_id)
		*review_id = sqlite3_last_insert_rowid(SQ(a)->db);
	return ar_tx_close(a, opened, res);
}

int sq_reviews(struct archive *a, int64_t tid, struct ar_review_rec **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	int e = ar_exists(a, tid);
	if (e <= 0)
		return e < 0 ? -1 : 1;
	sqlite3_stmt *st = ar_prep(a, "SELECT r.id, coalesce(r.summary_id, 0), s.version, r.verdict,"
	                              " r.reason, r.reviewer, r.created_at, r.id IS t.review_id,"
	                              " r.summary_id IS t.current_summary_id"
	                              " FROM reviews r JOIN transcripts t ON t.id = r.transcript_id"
	                              " LEFT JOIN summaries s ON s.id = r.summary_id"
	                              " WHERE r.transcript_id = ?1 ORDER BY r.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(v, &cap, *n + 1, sizeof **v);
		struct ar_review_rec *x = &(*v)[(*n)++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(st, 0);
		x->transcript_id = tid;
		x->summary_id = sqlite3_column_int64(st, 1);
		x->version = sqlite3_column_int(st, 2);
		x->verdict = ar_review_from((const char *)sqlite3_column_text(st, 3));
		x->reason = ar_col_str(st, 4);
		x->reviewer = ar_col_str(st, 5);
		x->created_at = ar_col_str(st, 6);
		x->in_force = sqlite3_column_int(st, 7) && x->verdict != AR_UNREVIEWED;
		x->of_current = sqlite3_column_int(st, 8);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ar_review_recs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return ar_fail_sql(a, "reviews");
	}
	return 0;
}

int sq_data_changed(struct archive *a, uint64_t *stamp)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(SQ(a)->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "data version");
	int rc = sqlite3_step(st);
	uint64_t v = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ar_fail_sql(a, "data version");
	/* kept as v + 1: 0 means "not taken yet" */
	int changed = *stamp != 0 && *stamp != v + 1;
	*stamp = v + 1;
	return changed;
}
