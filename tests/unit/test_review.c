/* test_review.c — the review model (docs/review.md): a review belongs to
 * the version it was made on; a new current version (a run, an edit, an
 * import of a changed file, an older version made current) puts the
 * transcript back in the queue as changed, the old review kept; the
 * version check refuses a stale review and writes nothing; no approval
 * without a summary; reviews are never changed or deleted; a batch is one
 * transaction; other connections' reviews are seen (ar_data_changed);
 * existing archives' reviews survive migration 9; the list's pattern. */
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

static char dir[256], path[300];
static struct archive *A;

/* Adds a transcript (with a summary when summary is not NULL). */
static int64_t add(const char *title, const char *summary, const char *channel)
{
	static int k;
	struct doc d = { 0 };
	char hash[65], text[64];
	d.format = DOC_RECORD;
	snprintf(hash, sizeof hash, "%064d", ++k);
	snprintf(text, sizeof text, "text of transcript %d", k);
	d.title = (char *)title;
	d.channel = (char *)channel;
	d.text = text;
	d.text_len = strlen(text);
	d.summary = (char *)summary;
	d.duration_s = -1;
	struct ar_import_info info = { "/x", hash, hash };
	int64_t id;
	assert_int_equal(ar_begin(A), 0);
	assert_int_equal(ar_insert_doc(A, &d, &info, &id), 0);
	assert_int_equal(ar_commit(A), 0);
	return id;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/precis-rv-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	char err[256];
	assert_int_equal(ar_open(path, AR_CREATE, &A, err, sizeof err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ar_close(A);
	A = NULL;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int review(struct archive *a, int64_t id, enum ar_review v, const char *reason,
                  const char *who, int64_t expect)
{
	struct ar_review_new r = { .verdict = v, .reason = reason, .reviewer = who,
	                           .expect_summary_id = expect };
	return ar_review_add(a, id, &r, NULL);
}

static struct ar_meta meta(int64_t id)
{
	struct ar_meta m;
	assert_int_equal(ar_get_meta(A, id, &m), 0);
	return m;
}

static int64_t add_version(int64_t id, const char *body, enum ar_origin o)
{
	struct ar_summary_new s = { .body = body, .origin = o };
	int64_t sid;
	assert_int_equal(ar_add_summary(A, id, &s, &sid), 0);
	return sid;
}

static size_t nreviews(int64_t id)
{
	struct ar_review_rec *v;
	size_t n;
	assert_int_equal(ar_reviews(A, id, &v, &n), 0);
	ar_review_recs_free(v, n);
	return n;
}

/* Whether id is listed under filter f. */
static int listed(int64_t id, enum ar_filter f)
{
	struct ar_page_query q = { .filter = f };
	struct ar_row_ref *v;
	size_t n;
	assert_int_equal(ar_list_refs(A, &q, &v, &n), 0);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= v[i].id == id;
	free(v);
	return found;
}

/* The header's counts agree with the filters. */
static void counts_agree(void)
{
	struct ar_counts c;
	assert_int_equal(ar_counts(A, &c), 0);
	for (int f = 0; f < AR_F_COUNT; f++) {
		struct ar_page_query q = { .filter = (enum ar_filter)f };
		struct ar_row_ref *v;
		size_t n;
		assert_int_equal(ar_list_refs(A, &q, &v, &n), 0);
		free(v);
		if ((int64_t)n != ar_counts_of(&c, (enum ar_filter)f))
			fail_msg("filter %s: %zu listed, %lld counted", ar_filter_name((enum ar_filter)f), n,
			         (long long)ar_counts_of(&c, (enum ar_filter)f));
		int64_t k;
		assert_int_equal(ar_count(A, (enum ar_state)(f == AR_F_ALL ? AR_ST_ANY
		                              : f == AR_F_UNSUMMARIZED ? AR_ST_UNSUMMARIZED
		                              : f == AR_F_SUMMARIZED ? AR_ST_SUMMARIZED
		                              : f == AR_F_UNREVIEWED ? AR_ST_UNREVIEWED
		                              : f == AR_F_CHANGED ? AR_ST_CHANGED
		                              : f == AR_F_APPROVED ? AR_ST_APPROVED : AR_ST_FLAGGED), &k), 0);
		assert_int_equal(k, (int64_t)n);
	}
}

static void test_new_version_changes_review(void **state)
{
	(void)state;
	int64_t id = add("one", "# v1\nfirst", NULL);
	struct ar_meta m = meta(id);
	int64_t v1 = m.current_summary_id;
	assert_int_equal(m.review, AR_UNREVIEWED);
	assert_int_equal(m.state, AR_ST_SUMMARIZED);
	assert_true(listed(id, AR_F_UNREVIEWED));
	ar_meta_free(&m);
	assert_int_equal(review(A, id, AR_APPROVED, NULL, "alice", v1), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_APPROVED);
	assert_int_equal(m.review_version, 1);
	assert_string_equal(m.reviewer, "alice");
	assert_non_null(m.reviewed_at);
	ar_meta_free(&m);
	assert_false(listed(id, AR_F_UNREVIEWED));
	counts_agree();

	/* an LLM run: v2 current, back in the queue as changed */
	int64_t v2 = add_version(id, "# v2\nsecond", AR_ORIGIN_LLM);
	m = meta(id);
	assert_int_equal(m.review, AR_CHANGED);
	assert_int_equal(m.state, AR_ST_CHANGED);
	assert_int_equal(m.review_verdict, AR_APPROVED);
	assert_int_equal(m.review_version, 1);
	assert_int_equal(m.current_version, 2);
	assert_string_equal(m.reviewer, "alice");
	ar_meta_free(&m);
	assert_true(listed(id, AR_F_UNREVIEWED));
	assert_true(listed(id, AR_F_CHANGED));
	assert_false(listed(id, AR_F_APPROVED));
	counts_agree();
	/* the approval of v1 is kept */
	struct ar_review_rec *h;
	size_t n;
	assert_int_equal(ar_reviews(A, id, &h, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].version, 1);
	assert_int_equal(h[0].verdict, AR_APPROVED);
	assert_false(h[0].of_current);
	ar_review_recs_free(h, n);

	/* v1 made current again: its own approval stands */
	assert_int_equal(ar_set_current_summary(A, id, v1), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_APPROVED);
	ar_meta_free(&m);
	counts_agree();
	/* v2 again: changed; flag it; an edit (v3): changed since flagged */
	assert_int_equal(ar_set_current_summary(A, id, v2), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_CHANGED);
	ar_meta_free(&m);
	assert_int_equal(review(A, id, AR_FLAGGED, "invented a number", "bob", v2), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_FLAGGED);
	assert_string_equal(m.review_reason, "invented a number");
	assert_int_equal(m.review_version, 2);
	ar_meta_free(&m);
	int64_t v3 = add_version(id, "# v3\nedited", AR_ORIGIN_EDITED);
	m = meta(id);
	assert_int_equal(m.review, AR_CHANGED);
	assert_int_equal(m.review_verdict, AR_FLAGGED);
	assert_int_equal(m.review_version, 2);
	ar_meta_free(&m);
	counts_agree();
	/* clearing the review of v3: unreviewed, not changed */
	assert_int_equal(review(A, id, AR_UNREVIEWED, NULL, "bob", v3), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_UNREVIEWED);
	assert_int_equal(m.review_id, 0);
	assert_null(m.reviewed_at);
	ar_meta_free(&m);
	assert_false(listed(id, AR_F_CHANGED));
	assert_true(listed(id, AR_F_UNREVIEWED));
	counts_agree();
	assert_int_equal(nreviews(id), 3);
	/* a failed run is never current: nothing changes */
	assert_int_equal(review(A, id, AR_APPROVED, NULL, "bob", v3), 0);
	struct ar_summary_new f = { .body = "partial", .origin = AR_ORIGIN_LLM, .failed = 1 };
	assert_int_equal(ar_add_summary(A, id, &f, NULL), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_APPROVED);
	ar_meta_free(&m);
}

static void test_import_of_changed_file(void **state)
{
	(void)state;
	int64_t id = add("imp", "# imported\nv1", NULL);
	assert_int_equal(review(A, id, AR_APPROVED, NULL, "alice", AR_REVIEW_ANY), 0);
	struct doc d = { 0 };
	d.format = DOC_RECORD;
	d.title = "imp";
	d.text = "text changed";
	d.text_len = strlen(d.text);
	d.summary = "# imported\nv2 from the changed file";
	d.duration_s = -1;
	struct ar_import_info info = { "/x", "ffff", "eeee" };
	int added;
	assert_int_equal(ar_begin(A), 0);
	assert_int_equal(ar_update_doc(A, id, &d, &info, &added), 0);
	assert_int_equal(ar_commit(A), 0);
	assert_true(added);
	struct ar_meta m = meta(id);
	assert_int_equal(m.review, AR_CHANGED);
	ar_meta_free(&m);
	counts_agree();
}

static void test_stale_and_no_summary(void **state)
{
	(void)state;
	int64_t id = add("stale", "# v1", NULL);
	struct ar_meta m = meta(id);
	int64_t v1 = m.current_summary_id;
	ar_meta_free(&m);
	int64_t v2 = add_version(id, "# v2 by someone else", AR_ORIGIN_LLM);
	/* the reviewer saw v1; v2 became current meanwhile */
	assert_int_equal(review(A, id, AR_APPROVED, NULL, "alice", v1), AR_REVIEW_STALE);
	assert_non_null(strstr(ar_error(A), "v2"));
	assert_non_null(strstr(ar_error(A), "not v1"));
	assert_int_equal(nreviews(id), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_UNREVIEWED);
	ar_meta_free(&m);
	assert_int_equal(review(A, id, AR_FLAGGED, "x", "alice", v1), AR_REVIEW_STALE);
	assert_int_equal(nreviews(id), 0);
	assert_int_equal(review(A, id, AR_APPROVED, NULL, "alice", v2), 0);
	assert_int_equal(review(A, 999999, AR_APPROVED, NULL, "alice", AR_REVIEW_ANY), 1);

	/* no approval without a summary; a flag is allowed */
	int64_t bare = add("bare", NULL, NULL);
	assert_int_equal(review(A, bare, AR_APPROVED, NULL, "alice", 0), AR_REVIEW_NO_SUMMARY);
	assert_non_null(strstr(ar_error(A), "no summary"));
	assert_int_equal(review(A, bare, AR_APPROVED, NULL, "alice", AR_REVIEW_ANY), AR_REVIEW_NO_SUMMARY);
	assert_int_equal(nreviews(bare), 0);
	/* the schema refuses it too */
	char q[200];
	snprintf(q, sizeof q, "INSERT INTO reviews(transcript_id, verdict, created_at) VALUES(%lld, 'approved', 'x')",
	         (long long)bare);
	assert_int_not_equal(sqlite3_exec(SQ(A)->db, q, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(review(A, bare, AR_FLAGGED, "unusable audio", "alice", 0), 0);
	m = meta(bare);
	assert_int_equal(m.review, AR_FLAGGED);
	assert_int_equal(m.state, AR_ST_FLAGGED);
	assert_int_equal(m.review_version, 0);
	ar_meta_free(&m);
	assert_true(listed(bare, AR_F_UNSUMMARIZED));
	assert_true(listed(bare, AR_F_FLAGGED));
	assert_false(listed(bare, AR_F_UNREVIEWED));
	counts_agree();
	/* a summary arrives: changed (the flag was of no summary) */
	add_version(bare, "# now one", AR_ORIGIN_LLM);
	m = meta(bare);
	assert_int_equal(m.review, AR_CHANGED);
	ar_meta_free(&m);
	assert_true(listed(bare, AR_F_UNREVIEWED));
	counts_agree();
}

/* A review of an older version written by other means than
 * ar_review_add (a script's SQL): the state is still derived from all
 * reviews — the latest of the current version decides. */
static void test_review_of_another_version(void **state)
{
	(void)state;
	int64_t id = add("other", "# v1", NULL);
	struct ar_meta m = meta(id);
	int64_t v1 = m.current_summary_id;
	ar_meta_free(&m);
	int64_t v2 = add_version(id, "# v2", AR_ORIGIN_LLM);
	assert_int_equal(review(A, id, AR_FLAGGED, "v2 is wrong", "alice", v2), 0);
	char q[300];
	snprintf(q, sizeof q, "INSERT INTO reviews(transcript_id, summary_id, verdict, reviewer, created_at)"
	         " VALUES(%lld, %lld, 'approved', 'script', 'x')", (long long)id, (long long)v1);
	assert_int_equal(sqlite3_exec(SQ(A)->db, q, NULL, NULL, NULL), SQLITE_OK);
	m = meta(id);
	assert_int_equal(m.review, AR_FLAGGED);          /* v2's own review decides */
	ar_meta_free(&m);
	assert_int_equal(ar_set_current_summary(A, id, v1), 0);
	m = meta(id);
	assert_int_equal(m.review, AR_APPROVED);         /* v1's, written by the script */
	assert_string_equal(m.reviewer, "script");
	ar_meta_free(&m);
	counts_agree();
}

static void test_never_changed_or_deleted(void **state)
{
	(void)state;
	int64_t id = add("keep", "# v1", NULL);
	assert_int_equal(review(A, id, AR_FLAGGED, "why", "alice", AR_REVIEW_ANY), 0);
	assert_int_not_equal(sqlite3_exec(SQ(A)->db, "UPDATE reviews SET verdict = 'approved'", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(SQ(A)->db, "DELETE FROM reviews", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(nreviews(id), 1);
}

/* A second connection sees the first's reviews, and notices that it
 * committed; a batch is one transaction. */
static void test_other_connection_and_batch(void **state)
{
	(void)state;
	int64_t ids[50];
	for (int i = 0; i < 50; i++)
		ids[i] = add("batch", "# s", "chan");
	struct archive *b;
	char err[256];
	assert_int_equal(ar_open(path, 0, &b, err, sizeof err), 0);
	uint64_t stamp = 0;
	assert_int_equal(ar_data_changed(b, &stamp), 0);
	assert_int_equal(ar_data_changed(b, &stamp), 0);
	/* its own commit is not another's */
	assert_int_equal(review(b, ids[0], AR_APPROVED, NULL, "bob", AR_REVIEW_ANY), 0);
	assert_int_equal(ar_data_changed(b, &stamp), 0);
	assert_int_equal(ar_begin(A), 0);
	for (int i = 1; i < 50; i++) {
		struct ar_meta m = meta(ids[i]);
		assert_int_equal(review(A, ids[i], AR_APPROVED, NULL, "alice", m.current_summary_id), 0);
		ar_meta_free(&m);
	}
	/* not visible before the commit */
	struct ar_meta m;
	assert_int_equal(ar_get_meta(b, ids[1], &m), 0);
	assert_int_equal(m.review, AR_UNREVIEWED);
	ar_meta_free(&m);
	assert_int_equal(ar_commit(A), 0);
	assert_int_equal(ar_data_changed(b, &stamp), 1);
	assert_int_equal(ar_data_changed(b, &stamp), 0);
	assert_int_equal(ar_get_meta(b, ids[49], &m), 0);
	assert_int_equal(m.review, AR_APPROVED);
	assert_string_equal(m.reviewer, "alice");
	ar_meta_free(&m);
	/* a stale review inside a batch refuses that one only */
	m = meta(ids[2]);
	int64_t old = m.current_summary_id;
	ar_meta_free(&m);
	add_version(ids[2], "# newer", AR_ORIGIN_LLM);
	assert_int_equal(ar_begin(A), 0);
	assert_int_equal(review(A, ids[2], AR_FLAGGED, "x", "alice", old), AR_REVIEW_STALE);
	m = meta(ids[3]);
	assert_int_equal(review(A, ids[3], AR_FLAGGED, "x", "alice", m.current_summary_id), 0);
	ar_meta_free(&m);
	assert_int_equal(ar_commit(A), 0);
	m = meta(ids[3]);
	assert_int_equal(m.review, AR_FLAGGED);
	ar_meta_free(&m);
	m = meta(ids[2]);
	assert_int_equal(m.review, AR_CHANGED);
	ar_meta_free(&m);
	ar_close(b);
	counts_agree();
}

/* The list's pattern: every word, in title, channel or URL, folded. */
static void test_pattern(void **state)
{
	(void)state;
	int64_t a = add("Café Über 台積電 talk", "# s", "Lex Fridman");
	int64_t b = add("Another talk", NULL, "Other");
	struct { const char *pat; int a, b; } cases[] = {
		{ "cafe", 1, 0 }, { "ÜBER", 1, 0 }, { "台积电", 1, 0 }, { "台積電", 1, 0 },
		{ "talk", 1, 1 }, { "lex talk", 1, 0 }, { "fridman", 1, 0 }, { "talk other", 0, 1 },
		{ "zzz", 0, 0 }, { "  ", 1, 1 }, { "%", 0, 0 }, { "_", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ar_page_query q = { .pattern = cases[i].pat };
		struct ar_row_ref *v;
		size_t n;
		assert_int_equal(ar_list_refs(A, &q, &v, &n), 0);
		int fa = 0, fb = 0;
		for (size_t k = 0; k < n; k++) {
			fa |= v[k].id == a;
			fb |= v[k].id == b;
		}
		free(v);
		if (fa != cases[i].a || fb != cases[i].b)
			fail_msg("pattern '%s': %d %d", cases[i].pat, fa, fb);
		struct ar_meta *r;
		assert_int_equal(ar_list_page(A, &q, NULL, 0, 1, 10, &r, &n), 0);
		assert_int_equal(n, (size_t)(cases[i].a + cases[i].b));
		ar_metas_free(r, n);
	}
}

/* An archive as precis made it before migration 9 (schema 7): its
 * reviews become reviews of the version current at the upgrade, with
 * their time and reason, by an unknown reviewer. */
static void test_migration(void **state)
{
	(void)state;
	char p2[400], err[300];
	snprintf(p2, sizeof p2, "%s/old.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p2, &db), SQLITE_OK);
	assert_int_equal(tok_register(db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA application_id=1886545251", NULL, NULL, NULL);
	assert_int_equal(schema_migrate_to(db, 7, err, sizeof err), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO transcripts(id, title, format, content_hash, text_hash, imported_at, updated_at)"
		" VALUES(1, 'a', 'text', 'h1', 't1', 'x', 'x'), (2, 'b', 'text', 'h2', 't2', 'x', 'x'),"
		"       (3, 'c', 'text', 'h3', 't3', 'x', 'x'), (4, 'd', 'text', 'h4', 't4', 'x', 'y');"
		"INSERT INTO texts VALUES(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');"
		"INSERT INTO summaries(transcript_id, version, body, origin, created_at)"
		"  VALUES(1, 1, 's1', 'imported', 'x'), (1, 2, 's2', 'llm', 'x'), (2, 1, 's', 'imported', 'x');"
		"UPDATE transcripts SET review_state = 'approved', reviewed_at = '2024-05-01T10:00:00Z' WHERE id = 1;"
		"UPDATE transcripts SET review_state = 'flagged', reviewed_at = '2024-05-02T10:00:00Z' WHERE id = 2;"
		"INSERT INTO review_reasons VALUES(2, 'made up');"
		"UPDATE transcripts SET review_state = 'flagged' WHERE id = 4;",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct archive *a;
	assert_int_equal(ar_open(p2, 0, &a, err, sizeof err), 0);
	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, 1, &m), 0);
	assert_int_equal(m.review, AR_APPROVED);
	assert_int_equal(m.review_version, 2);      /* the version current then */
	assert_null(m.reviewer);
	assert_string_equal(m.reviewed_at, "2024-05-01T10:00:00Z");
	ar_meta_free(&m);
	assert_int_equal(ar_get_meta(a, 2, &m), 0);
	assert_int_equal(m.review, AR_FLAGGED);
	assert_string_equal(m.review_reason, "made up");
	ar_meta_free(&m);
	assert_int_equal(ar_get_meta(a, 3, &m), 0);
	assert_int_equal(m.review, AR_UNREVIEWED);
	assert_int_equal(m.state, AR_ST_UNSUMMARIZED);
	ar_meta_free(&m);
	assert_int_equal(ar_get_meta(a, 4, &m), 0);
	assert_int_equal(m.review, AR_FLAGGED);        /* flagged without a summary */
	assert_int_equal(m.review_version, 0);
	assert_string_equal(m.reviewed_at, "y");       /* no time kept: the update's */
	ar_meta_free(&m);
	struct ar_counts c;
	assert_int_equal(ar_counts(a, &c), 0);
	assert_int_equal(c.approved, 1);
	assert_int_equal(c.flagged, 2);
	assert_int_equal(c.unsummarized, 2);
	assert_int_equal(c.unreviewed, 0);
	/* a new version of the approved one: changed */
	struct ar_summary_new s = { .body = "s3", .origin = AR_ORIGIN_EDITED };
	assert_int_equal(ar_add_summary(a, 1, &s, NULL), 0);
	assert_int_equal(ar_get_meta(a, 1, &m), 0);
	assert_int_equal(m.review, AR_CHANGED);
	ar_meta_free(&m);
	ar_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_version_changes_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_of_changed_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_and_no_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_of_another_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_changed_or_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_connection_and_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
	};
	return cmocka_run_group_tests_name("review", tests, NULL, NULL);
}
