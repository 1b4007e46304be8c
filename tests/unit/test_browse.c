/* test_browse.c — the app's reads: keyset pages in every order and
 * filter (forward, backward, from any row, inclusive or not, equal keys),
 * header counts, review reasons, the current summary's origin. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/archive.h"
#include "db/sqlite/archive_int.h"
#include "db/evidence.h"

static char tmpdir[256];
static struct archive *A;
#define N 23

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/precis-ut-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	char p[512], err[256];
	snprintf(p, sizeof p, "%s/b.db", tmpdir);
	assert_int_equal(ar_open(p, AR_CREATE, &A, err, sizeof err), 0);
	assert_int_equal(ar_begin(A), 0);
	for (int i = 0; i < N; i++) {
		struct doc d = { 0 };
		char title[64], date[32], hash[65], text[64];
		d.format = DOC_RECORD;
		/* repeated titles, dates and durations: ties broken by id */
		snprintf(title, sizeof title, "%c title %d", "bBaC"[i % 4], i % 5);
		snprintf(date, sizeof date, "2025-0%d-1%dT00:00:00", 1 + i % 3, i % 2);
		snprintf(hash, sizeof hash, "%064d", i);
		snprintf(text, sizeof text, "text %d", i);
		d.title = title;
		d.recorded_at = i % 7 == 3 ? NULL : date;
		d.duration_s = i % 6 == 1 ? -1 : 60 * (i % 4);
		d.text = text;
		d.text_len = strlen(text);
		d.summary = i % 3 ? "# S\nbody" : NULL;
		struct ar_import_info info = { "/x", hash, hash };
		int64_t id;
		assert_int_equal(ar_insert_doc(A, &d, &info, &id), 0);
	}
	assert_int_equal(ar_commit(A), 0);
	return 0;
}

static int teardown(void **state)
{
	ar_close(A);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The pattern and direction test_paging runs under (all_ids too). */
static const char *cur_pattern;
static int cur_reverse;

/* ar_list_page for order s, filter f, the current pattern and direction. */
static int page(enum ar_sort s, enum ar_filter f, const struct ar_meta *from, int incl, int dir,
                int limit, struct ar_meta **r, size_t *n)
{
	struct ar_page_query q = { .sort = s, .reverse = cur_reverse, .filter = f,
	                           .pattern = cur_pattern };
	return ar_list_page(A, &q, from, incl, dir, limit, r, n);
}

/* A review of the current version, unchecked, by "test". */
static int review(int64_t id, enum ar_review v, const char *reason)
{
	struct ar_review_new r = { .verdict = v, .reason = reason, .reviewer = "test",
	                           .expect_summary_id = AR_REVIEW_ANY };
	return ar_review_add(A, id, &r, NULL);
}

/* All ids in order sort / filter f, read in one page. */
static size_t all_ids(enum ar_sort s, enum ar_filter f, int64_t *ids)
{
	struct ar_meta *r;
	size_t n;
	assert_int_equal(page(s, f, NULL, 0, 1, 1000, &r, &n), 0);
	for (size_t i = 0; i < n; i++)
		ids[i] = r[i].id;
	ar_metas_free(r, n);
	return n;
}

/* Compares two rows in display order; -1, 0, 1. */
static int cmp(enum ar_sort s, const struct ar_meta *a, const struct ar_meta *b)
{
	int c = 0;
	switch (s) {
	case AR_SORT_DATE:
		c = -strcmp(a->recorded_at ? a->recorded_at : "", b->recorded_at ? b->recorded_at : "");
		if (!c)
			c = -strcmp(a->imported_at, b->imported_at);
		if (!c)
			c = a->id > b->id ? -1 : a->id < b->id;
		return c;
	case AR_SORT_TITLE:
		c = strcasecmp(a->title, b->title);
		return c ? c : (a->id < b->id ? -1 : a->id > b->id);
	case AR_SORT_DURATION:
		c = a->duration_s > b->duration_s ? -1 : a->duration_s < b->duration_s;
		return c ? c : (a->id > b->id ? -1 : a->id < b->id);
	case AR_SORT_IMPORTED:
		c = -strcmp(a->imported_at, b->imported_at);
		return c ? c : (a->id > b->id ? -1 : a->id < b->id);
	case AR_SORT_UNSUPPORTED:
		c = a->unsupported > b->unsupported ? -1 : a->unsupported < b->unsupported;
		return c ? c : (a->id > b->id ? -1 : a->id < b->id);
	default:
		return 0;
	}
}

static void test_orders_sorted(void **state)
{
	for (int s = 0; s <= AR_SORT_UNSUPPORTED; s++) {
		struct ar_meta *r;
		size_t n;
		assert_int_equal(page((enum ar_sort)s, AR_F_ALL, NULL, 0, 1, 1000, &r, &n), 0);
		assert_int_equal(n, N);
		for (size_t i = 1; i < n; i++)
			assert_true(cmp((enum ar_sort)s, &r[i - 1], &r[i]) < 0);
		if (s == AR_SORT_UNSUPPORTED) {
			/* summaries (with a count) first, none (unknown) last */
			assert_true(r[0].unsupported >= 0);
			assert_int_equal(r[n - 1].unsupported, -1);
		}
		ar_metas_free(r, n);
	}
}

/* Paging forward and backward in pages of k gives the same sequence, in
 * both directions of every order, with and without a pattern; the
 * reverse of an order is that order backwards. */
static void paging(void);
static void test_paging(void **state)
{
	static const char *const patterns[] = { NULL, "TITLE 2", "b", "nothing-matches" };
	for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++)
		for (int rev = 0; rev < 2; rev++) {
			cur_pattern = patterns[p];
			cur_reverse = rev;
			paging();
		}
	for (int s = 0; s <= AR_SORT_UNSUPPORTED; s++) {
		int64_t fw[N], bw[N];
		cur_pattern = NULL;
		cur_reverse = 0;
		size_t n = all_ids((enum ar_sort)s, AR_F_ALL, fw);
		cur_reverse = 1;
		assert_int_equal(all_ids((enum ar_sort)s, AR_F_ALL, bw), n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(fw[i], bw[n - 1 - i]);
	}
	cur_reverse = 0;
	cur_pattern = NULL;
}

static void paging(void)
{
	for (int s = 0; s <= AR_SORT_UNSUPPORTED; s++)
		for (int f = 0; f < AR_F_COUNT; f++)
			for (int k = 1; k <= 4; k++) {
				int64_t ref[N], got[N];
				size_t nref = all_ids((enum ar_sort)s, (enum ar_filter)f, ref), ng = 0;
				struct ar_meta last = { 0 }, *lp = NULL;
				for (;;) {
					struct ar_meta *r;
					size_t n;
					assert_int_equal(page((enum ar_sort)s, (enum ar_filter)f, lp, 0, 1, k, &r, &n), 0);
					for (size_t i = 0; i < n; i++)
						got[ng++] = r[i].id;
					if (lp)
						ar_meta_free(&last);
					if (!n) {
						free(r);
						break;
					}
					last = r[n - 1];
					memset(&r[n - 1], 0, sizeof r[n - 1]);
					ar_metas_free(r, n);
					lp = &last;
				}
				assert_int_equal(ng, nref);
				assert_memory_equal(got, ref, ng * sizeof *ref);
				/* backward from the end */
				ng = 0;
				lp = NULL;
				int64_t back[N];
				for (;;) {
					struct ar_meta *r;
					size_t n;
					assert_int_equal(page((enum ar_sort)s, (enum ar_filter)f, lp, 0, -1, k, &r, &n), 0);
					/* display order within the page */
					for (size_t i = n; i-- > 0;)
						back[ng++] = r[i].id;
					if (lp)
						ar_meta_free(&last);
					if (!n) {
						free(r);
						break;
					}
					last = r[0];
					memset(&r[0], 0, sizeof r[0]);
					ar_metas_free(r, n);
					lp = &last;
				}
				assert_int_equal(ng, nref);
				for (size_t i = 0; i < ng; i++)
					assert_int_equal(back[i], ref[nref - 1 - i]);
			}
}

static void test_inclusive(void **state)
{
	int64_t ref[N];
	size_t n = all_ids(AR_SORT_TITLE, AR_F_ALL, ref);
	assert_int_equal(n, N);
	struct ar_meta m;
	assert_int_equal(ar_get_meta(A, ref[5], &m), 0);
	struct ar_meta *r;
	size_t k;
	assert_int_equal(page(AR_SORT_TITLE, AR_F_ALL, &m, 1, 1, 3, &r, &k), 0);
	assert_int_equal(k, 3);
	assert_int_equal(r[0].id, ref[5]);
	assert_int_equal(r[2].id, ref[7]);
	ar_metas_free(r, k);
	assert_int_equal(page(AR_SORT_TITLE, AR_F_ALL, &m, 1, -1, 3, &r, &k), 0);
	assert_int_equal(k, 3);
	assert_int_equal(r[0].id, ref[3]);
	assert_int_equal(r[2].id, ref[5]);
	ar_metas_free(r, k);
	ar_meta_free(&m);
}

static void test_counts_and_filters(void **state)
{
	struct ar_counts c;
	assert_int_equal(ar_counts(A, &c), 0);
	assert_int_equal(c.total, N);
	int64_t want_sum = 0;
	for (int i = 0; i < N; i++)
		want_sum += i % 3 != 0;
	assert_int_equal(c.summarized, want_sum);
	assert_int_equal(c.unsummarized, N - want_sum);
	assert_int_equal(c.unreviewed, want_sum);   /* summarized, none reviewed */
	/* flag one and approve another with summaries (only summarized ones
	 * are in the queue) */
	int64_t sum[N];
	size_t ns = all_ids(AR_SORT_DATE, AR_F_SUMMARIZED, sum);
	assert_true(ns >= 2);
	assert_int_equal(review(sum[0], AR_FLAGGED, "invented 44% figure"), 0);
	assert_int_equal(review(sum[1], AR_APPROVED, NULL), 0);
	assert_int_equal(ar_counts(A, &c), 0);
	assert_int_equal(c.flagged, 1);
	assert_int_equal(c.approved, 1);
	assert_int_equal(c.unreviewed, want_sum - 2);
	for (int f = 0; f < AR_F_COUNT; f++) {
		int64_t v[N];
		assert_int_equal((int64_t)all_ids(AR_SORT_DATE, (enum ar_filter)f, v),
		                 ar_counts_of(&c, (enum ar_filter)f));
	}
	struct ar_meta m;
	assert_int_equal(ar_get_meta(A, sum[0], &m), 0);
	assert_int_equal(m.review, AR_FLAGGED);
	assert_string_equal(m.review_reason, "invented 44% figure");
	assert_string_equal(m.reviewer, "test");
	ar_meta_free(&m);
	/* approving again: no reason; an empty reason is none */
	assert_int_equal(review(sum[0], AR_APPROVED, "ignored"), 0);
	assert_int_equal(ar_get_meta(A, sum[0], &m), 0);
	assert_null(m.review_reason);
	ar_meta_free(&m);
	assert_int_equal(review(sum[0], AR_FLAGGED, ""), 0);
	assert_int_equal(ar_get_meta(A, sum[0], &m), 0);
	assert_null(m.review_reason);
	ar_meta_free(&m);
	assert_int_equal(review(sum[0], AR_UNREVIEWED, NULL), 0);
	assert_int_equal(review(sum[1], AR_UNREVIEWED, NULL), 0);
	/* a flagged transcript without a summary: flagged, and unsummarized */
	int64_t un[N];
	size_t nun = all_ids(AR_SORT_DATE, AR_F_UNSUMMARIZED, un);
	assert_int_equal(review(un[0], AR_FLAGGED, "bad audio"), 0);
	assert_int_equal(ar_counts(A, &c), 0);
	assert_int_equal(c.unsummarized, (int64_t)nun);
	for (int f = 0; f < AR_F_COUNT; f++) {
		int64_t v[N];
		assert_int_equal((int64_t)all_ids(AR_SORT_DATE, (enum ar_filter)f, v),
		                 ar_counts_of(&c, (enum ar_filter)f));
	}
	assert_int_equal(review(un[0], AR_UNREVIEWED, NULL), 0);
	assert_string_equal(ar_filter_name(AR_F_UNREVIEWED), "unreviewed");
}

static void test_current_origin(void **state)
{
	int64_t ids[N];
	all_ids(AR_SORT_IMPORTED, AR_F_ALL, ids);
	struct ar_meta m;
	for (int i = 0; i < N; i++) {
		assert_int_equal(ar_get_meta(A, ids[i], &m), 0);
		if (m.current_summary_id)
			assert_int_equal(m.current_origin, AR_ORIGIN_IMPORTED);
		else
			assert_int_equal(m.current_origin, -1);
		ar_meta_free(&m);
	}
	struct ar_summary_new s = { .body = "# edited", .origin = AR_ORIGIN_EDITED };
	assert_int_equal(ar_add_summary(A, ids[0], &s, NULL), 0);
	assert_int_equal(ar_get_meta(A, ids[0], &m), 0);
	assert_int_equal(m.current_origin, AR_ORIGIN_EDITED);
	ar_meta_free(&m);
	/* the trigger-kept counts follow a new summary on an unsummarized one */
	int64_t un[N];
	size_t nun = all_ids(AR_SORT_DATE, AR_F_UNSUMMARIZED, un);
	assert_true(nun > 0);
	assert_int_equal(ar_add_summary(A, un[0], &s, NULL), 0);
	struct ar_counts c;
	assert_int_equal(ar_counts(A, &c), 0);
	for (int f = 0; f < AR_F_COUNT; f++) {
		int64_t v[N];
		assert_int_equal((int64_t)all_ids(AR_SORT_DATE, (enum ar_filter)f, v),
		                 ar_counts_of(&c, (enum ar_filter)f));
	}
	assert_int_equal(c.unsummarized, (int64_t)nun - 1);
}

/* Rows whose stored unsupported count (migration 7) differs from their
 * current summary's evidence of this method, as the evidence table says. */
static int64_t stale_rows(void)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(SQ(A)->db,
		"SELECT count(*) FROM transcripts t WHERE t.unsupported IS NOT"
		" (SELECT e.unsupported FROM evidence e WHERE e.summary_id = t.current_summary_id"
		"  AND e.method = " EV_METHOD_STR ")", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The evidence sort's stored count follows the evidence: computed, a new
 * current summary (unknown again), a changed text (evidence dropped), the
 * missing count from its partial index; the list's order uses the index. */
static void test_unsupported_kept(void **state)
{
	int64_t missing, done;
	assert_int_equal(ar_evidence_missing(A, &missing), 0);
	assert_int_equal(ar_evidence_fill(A, &done), 0);
	assert_int_equal(done, missing);
	assert_int_equal(ar_evidence_missing(A, &missing), 0);
	assert_int_equal(missing, 0);
	assert_int_equal(stale_rows(), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(SQ(A)->db, "SELECT count(*) FROM transcripts WHERE unsupported IS NOT NULL",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int64(st, 0) > 0);
	sqlite3_finalize(st);
	int64_t ids[N];
	size_t n = all_ids(AR_SORT_UNSUPPORTED, AR_F_SUMMARIZED, ids);
	assert_true(n > 2);
	/* a new version through the API: its evidence comes with it */
	struct ar_summary_new s = { .body = "# again\n- a line nobody said", .origin = AR_ORIGIN_EDITED };
	assert_int_equal(ar_add_summary(A, ids[0], &s, NULL), 0);
	assert_int_equal(stale_rows(), 0);
	/* a version written by anything else: not known until computed */
	char q[256];
	snprintf(q, sizeof q, "INSERT INTO summaries(transcript_id, version, body, origin, created_at)"
	         " VALUES(%lld, 99, '# other', 'edited', 'x')", (long long)ids[0]);
	assert_int_equal(sqlite3_exec(SQ(A)->db, q, NULL, NULL, NULL), SQLITE_OK);
	struct ar_meta m;
	assert_int_equal(ar_get_meta(A, ids[0], &m), 0);
	assert_int_equal(m.unsupported, -1);
	ar_meta_free(&m);
	assert_int_equal(ar_evidence_missing(A, &missing), 0);
	assert_int_equal(missing, 1);
	assert_int_equal(stale_rows(), 0);
	assert_int_equal(ar_evidence_fill(A, &done), 0);
	assert_int_equal(done, 1);
	assert_int_equal(stale_rows(), 0);
	/* the text changes: its evidence is dropped, the count unknown */
	snprintf(q, sizeof q, "UPDATE texts SET text = text || ' more' WHERE transcript_id = %lld", (long long)ids[1]);
	assert_int_equal(sqlite3_exec(SQ(A)->db, q, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(ar_get_meta(A, ids[1], &m), 0);
	assert_int_equal(m.unsupported, -1);
	ar_meta_free(&m);
	assert_int_equal(stale_rows(), 0);
	assert_int_equal(ar_evidence_missing(A, &missing), 0);
	assert_int_equal(missing, 1);
	/* the order and the missing count read indexes, not every row */
	const char *plans[] = {
		"EXPLAIN QUERY PLAN SELECT id FROM transcripts t ORDER BY coalesce(t.unsupported, -1) DESC, t.id DESC LIMIT 20",
		"EXPLAIN QUERY PLAN SELECT count(*) FROM transcripts t WHERE t.unsupported IS NULL AND t.current_summary_id IS NOT NULL",
	};
	const char *want[] = { "transcripts_list_unsupported", "transcripts_evidence_missing" };
	for (int k = 0; k < 2; k++) {
		assert_int_equal(sqlite3_prepare_v2(SQ(A)->db, plans[k], -1, &st, NULL), SQLITE_OK);
		int found = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			found |= strstr((const char *)sqlite3_column_text(st, 3), want[k]) != NULL;
		sqlite3_finalize(st);
		if (!found)
			fail_msg("plan %d does not use %s", k, want[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders_sorted),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_inclusive),
		cmocka_unit_test(test_counts_and_filters),
		cmocka_unit_test(test_current_origin),
		cmocka_unit_test(test_unsupported_kept),
	};
	return cmocka_run_group_tests_name("browse", tests, setup, teardown);
}
