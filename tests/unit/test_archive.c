/* test_archive.c — schema, transcripts, summary versions, review state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "db/archive.h"
#include "db/evidence.h"

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static int setup_dir(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/precis-ut-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown_dir(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct archive *open_new(const char *name)
{
	char p[512], err[256];
	struct archive *a = NULL;
	path_in_tmp(p, sizeof p, name);
	unlink(p);
	if (ar_open(p, AR_CREATE, &a, err, sizeof err) != 0)
		fail_msg("open: %s", err);
	return a;
}

/* A hand-made doc (no parser involved). */
static struct doc mkdoc(const char *title, const char *text, const char *summary,
                        const char *mermaid)
{
	struct doc d = { 0 };
	d.format = DOC_RECORD;
	d.title = (char *)title;
	d.url = "https://youtube.com/watch?v=abc";
	d.video_id = "abc";
	d.recorded_at = "2025-07-11T11:59:49";
	d.language = "zh";
	d.duration_s = 3364;
	d.text = (char *)text;
	d.text_len = strlen(text);
	d.summary = (char *)summary;
	d.mermaid = (char *)mermaid;
	return d;
}

static int64_t add(struct archive *a, const struct doc *d, const char *hash)
{
	struct ar_import_info info = { "/src/x.txt", hash, hash };
	int64_t id = 0;
	assert_int_equal(ar_begin(a), 0);
	if (ar_insert_doc(a, d, &info, &id) != 0)
		fail_msg("insert: %s", ar_error(a));
	assert_int_equal(ar_commit(a), 0);
	return id;
}

static void test_open_and_schema(void **state)
{
	struct archive *a = open_new("schema.db");
	int64_t n = -1;
	assert_int_equal(ar_count(a, AR_ST_ANY, &n), 0);
	assert_int_equal(n, 0);
	ar_close(a);

	/* Reopen: no migration runs twice. */
	char p[512], err[256];
	path_in_tmp(p, sizeof p, "schema.db");
	assert_int_equal(ar_open(p, 0, &a, err, sizeof err), 0);
	ar_close(a);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 1);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_open_errors(void **state)
{
	char p[512], err[256];
	struct archive *a = NULL;
	path_in_tmp(p, sizeof p, "missing.db");
	assert_int_equal(ar_open(p, 0, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "no archive"));
	assert_int_equal(ar_open(p, AR_READONLY, &a, err, sizeof err), -1);

	path_in_tmp(p, sizeof p, "junk.db");
	FILE *f = fopen(p, "w");
	fputs("this is not a database, just text that is long enough to matter\n", f);
	fclose(f);
	assert_int_equal(ar_open(p, 0, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a precis archive"));

	/* Another program's SQLite file is not touched. */
	path_in_tmp(p, sizeof p, "other.db");
	sqlite3 *db;
	sqlite3_open(p, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(ar_open(p, AR_CREATE, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a precis archive"));

	assert_int_equal(ar_open(tmpdir, AR_CREATE, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "directory"));
}

static void test_insert_and_meta(void **state)
{
	struct archive *a = open_new("meta.db");
	struct doc d = mkdoc("深度解读Grok4", "正文内容 text body", "# 总结\n要点", "graph TD\nA-->B");
	struct doc_para paras[2] = { { 0, 0.5 }, { 13, 61.25 } };
	d.paras = paras;
	d.npara = 2;
	int64_t id = add(a, &d, "h1");
	assert_true(id > 0);

	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, id, &m), 0);
	assert_string_equal(m.title, "深度解读Grok4");
	assert_string_equal(m.url, "https://youtube.com/watch?v=abc");
	assert_string_equal(m.video_id, "abc");
	assert_null(m.channel);
	assert_string_equal(m.recorded_at, "2025-07-11T11:59:49");
	assert_int_equal(m.duration_s, 3364);
	assert_string_equal(m.format, "record");
	assert_string_equal(m.language, "zh");
	assert_int_equal(m.summary_versions, 1);
	assert_int_equal(m.state, AR_ST_SUMMARIZED);
	assert_int_equal(m.review, AR_UNREVIEWED);
	assert_int_equal(m.npara, 2);
	assert_int_equal(m.text_bytes, (int64_t)strlen(d.text));
	ar_meta_free(&m);
	assert_int_equal(ar_get_meta(a, id + 100, &m), 1);

	char *text;
	size_t len;
	assert_int_equal(ar_get_text(a, id, &text, &len), 0);
	assert_string_equal(text, d.text);
	assert_int_equal(len, strlen(d.text));
	free(text);
	assert_int_equal(ar_get_text(a, id + 100, &text, &len), 1);

	struct doc_para *p;
	size_t np;
	assert_int_equal(ar_get_paras(a, id, &p, &np), 0);
	assert_int_equal(np, 2);
	assert_int_equal(p[1].offset, 13);
	assert_true(p[1].start_s > 61.2 && p[1].start_s < 61.3);
	free(p);

	char *mm;
	assert_int_equal(ar_current_mermaid(a, id, &mm), 0);
	assert_string_equal(mm, "graph TD\nA-->B");
	free(mm);
	assert_int_equal(ar_current_mermaid(a, id + 100, &mm), 1);
	ar_close(a);
}

static void test_summary_versions(void **state)
{
	struct archive *a = open_new("versions.db");
	struct doc d = mkdoc("t", "text", "first body", NULL);
	int64_t id = add(a, &d, "h1");
	struct doc e = mkdoc("no summary", "other text", NULL, NULL);
	int64_t id2 = add(a, &e, "h2");

	struct ar_summary s;
	assert_int_equal(ar_current_summary(a, id2, &s), 1);
	assert_int_equal(ar_current_summary(a, id, &s), 0);
	assert_string_equal(s.body, "first body");
	assert_int_equal(s.version, 1);
	assert_int_equal(s.origin, AR_ORIGIN_IMPORTED);
	assert_null(s.mermaid);
	int64_t first = s.id;
	ar_summary_free(&s);

	struct ar_summary_new nw = { .body = "second body", .mermaid = "graph LR\nX-->Y",
	                             .origin = AR_ORIGIN_LLM, .model = "grok-4",
	                             .prompt_name = "default" };
	int64_t sid = 0;
	assert_int_equal(ar_add_summary(a, id, &nw, &sid), 0);
	assert_true(sid > first);
	assert_int_equal(ar_add_summary(a, id + 100, &nw, &sid), 1);

	assert_int_equal(ar_current_summary(a, id, &s), 0);
	assert_string_equal(s.body, "second body");
	assert_string_equal(s.model, "grok-4");
	assert_string_equal(s.prompt_name, "default");
	assert_int_equal(s.origin, AR_ORIGIN_LLM);
	assert_int_equal(s.version, 2);
	assert_true(s.is_current);
	ar_summary_free(&s);

	struct ar_summary *v;
	size_t n;
	assert_int_equal(ar_summary_versions(a, id, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].version, 1);
	assert_false(v[0].is_current);
	assert_true(v[1].is_current);
	assert_int_equal(v[0].body_len, strlen("first body"));
	assert_true(v[1].has_mermaid);
	ar_summaries_free(v, n);
	assert_int_equal(ar_summary_versions(a, id2, &v, &n), 0);
	assert_int_equal(n, 0);
	ar_summaries_free(v, n);
	assert_int_equal(ar_summary_versions(a, 9999, &v, &n), 1);

	/* Old version still readable, and can be made current again. */
	assert_int_equal(ar_get_summary(a, first, &s), 0);
	assert_string_equal(s.body, "first body");
	ar_summary_free(&s);
	assert_int_equal(ar_set_current_summary(a, id, first), 0);
	assert_int_equal(ar_current_summary(a, id, &s), 0);
	assert_int_equal(s.version, 1);
	ar_summary_free(&s);
	/* every current summary has its evidence stored: added versions and
	 * one made current again alike (db/evidence.h) */
	int64_t missing = -1;
	assert_int_equal(ar_evidence_missing(a, &missing), 0);
	assert_int_equal(missing, 0);
	/* A version of another transcript cannot become current. */
	assert_int_equal(ar_set_current_summary(a, id2, first), 1);

	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, id, &m), 0);
	assert_int_equal(m.summary_versions, 2);
	ar_meta_free(&m);
	ar_close(a);

	/* The schema itself refuses to change or delete a version. */
	char p[512];
	path_in_tmp(p, sizeof p, "versions.db");
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE summaries SET body = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM summaries", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE transcripts SET current_summary_id = NULL"
	                                      " WHERE current_summary_id IS NOT NULL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM summaries WHERE body IN ('first body','second body')", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_review_and_list(void **state)
{
	struct archive *a = open_new("list.db");
	struct doc d1 = mkdoc("Bravo", "one", "sum", NULL);
	d1.recorded_at = "2021-01-01";
	d1.duration_s = 100;
	struct doc d2 = mkdoc("alpha", "two", NULL, NULL);
	d2.recorded_at = "2024-05-05";
	d2.duration_s = 5000;
	struct doc d3 = mkdoc("Charlie", "three", "sum3", NULL);
	d3.recorded_at = NULL;
	d3.duration_s = -1;
	int64_t i1 = add(a, &d1, "a1"), i2 = add(a, &d2, "a2"), i3 = add(a, &d3, "a3");

	struct ar_review_new flag = { .verdict = AR_FLAGGED, .expect_summary_id = AR_REVIEW_ANY };
	assert_int_equal(ar_review_add(a, i3, &flag, NULL), 0);
	assert_int_equal(ar_review_add(a, 12345, &flag, NULL), 1);

	struct ar_meta *rows;
	size_t n;
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, i2);   /* newest recording first */
	assert_int_equal(rows[1].id, i1);
	assert_int_equal(rows[2].id, i3);   /* unknown date last */
	assert_int_equal(rows[2].state, AR_ST_FLAGGED);
	assert_non_null(rows[2].reviewed_at);
	ar_metas_free(rows, n);

	q.sort = AR_SORT_TITLE;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_string_equal(rows[0].title, "alpha");
	assert_string_equal(rows[1].title, "Bravo");
	ar_metas_free(rows, n);

	q.sort = AR_SORT_DURATION;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(rows[0].id, i2);
	assert_int_equal(rows[2].duration_s, -1);
	ar_metas_free(rows, n);

	q.sort = AR_SORT_TITLE;
	q.limit = 1;
	q.offset = 1;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].title, "Bravo");
	ar_metas_free(rows, n);

	q.limit = 0;
	q.offset = 0;
	q.state = AR_ST_UNSUMMARIZED;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, i2);
	ar_metas_free(rows, n);
	/* has a summary, whatever its review (the flagged i3 too) */
	q.state = AR_ST_SUMMARIZED;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, i1);
	assert_int_equal(rows[1].id, i3);
	ar_metas_free(rows, n);
	/* the queue: summarized and not reviewed */
	q.state = AR_ST_UNREVIEWED;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, i1);
	ar_metas_free(rows, n);
	q.state = AR_ST_FLAGGED;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	ar_metas_free(rows, n);
	struct ar_review_new ok = { .verdict = AR_APPROVED, .expect_summary_id = AR_REVIEW_ANY };
	assert_int_equal(ar_review_add(a, i1, &ok, NULL), 0);
	assert_int_equal(ar_review_add(a, i2, &ok, NULL), AR_REVIEW_NO_SUMMARY);
	int64_t c;
	assert_int_equal(ar_count(a, AR_ST_APPROVED, &c), 0);
	assert_int_equal(c, 1);

	enum ar_state s;
	assert_int_equal(ar_state_parse("summarized", &s), 0);
	assert_int_equal(s, AR_ST_SUMMARIZED);
	assert_int_equal(ar_state_parse("bogus", &s), -1);
	assert_int_equal(ar_state_parse("unreviewed", &s), 0);
	assert_int_equal(s, AR_ST_UNREVIEWED);
	assert_int_equal(ar_state_parse("changed", &s), 0);
	assert_int_equal(s, AR_ST_CHANGED);
	enum ar_sort so;
	assert_int_equal(ar_sort_parse("imported", &so), 0);
	assert_int_equal(so, AR_SORT_IMPORTED);
	assert_int_equal(ar_sort_parse("size", &so), -1);
	ar_close(a);
}

/* ar_second_text_stream sink: appends to a growing string. */
static int collect(void *ctx, const char *p, size_t n)
{
	char **s = ctx;
	size_t have = *s ? strlen(*s) : 0;
	*s = realloc(*s, have + n + 1);
	memcpy(*s + have, p, n);
	(*s)[have + n] = 0;
	return 0;
}

/* The second language of a two-language source is stored beside the text
 * (not searched), replaced when the file changes, removed when it goes;
 * a single-language transcript has none. */
static void test_second_language(void **state)
{
	struct archive *a = open_new("second.db");
	struct doc d = mkdoc("Tea", "Hello everyone", NULL, NULL);
	d.second_text = "大家好";
	d.second_len = strlen(d.second_text);
	int64_t id = add(a, &d, "s1");
	struct doc one = mkdoc("Plain", "one language", NULL, NULL);
	int64_t id1 = add(a, &one, "s2");

	char *got = NULL;
	size_t len = 0;
	int64_t bytes = 0;
	assert_int_equal(ar_second_text_stream(a, id, &len, collect, &got), 0);
	assert_string_equal(got, "大家好");
	assert_int_equal(len, strlen("大家好"));
	assert_int_equal(ar_second_text_bytes(a, id, &bytes), 0);
	assert_int_equal(bytes, (int64_t)strlen("大家好"));
	free(got);
	got = NULL;
	assert_int_equal(ar_second_text_stream(a, id1, NULL, collect, &got), 1);
	assert_null(got);
	assert_int_equal(ar_second_text_bytes(a, id1, &bytes), 1);
	assert_int_equal(ar_second_text_bytes(a, 999, &bytes), 1);

	/* not in the index: the transcript is searched, not its translation */
	struct ar_search_result r;
	assert_int_equal(ar_search(a, "大家好", 10, 0, &r), 0);
	assert_int_equal(r.n, 0);
	ar_search_free(&r);

	/* the file changed: same text, new second language */
	struct doc d2 = mkdoc("Tea", "Hello everyone", NULL, NULL);
	d2.second_text = "大家好！";
	d2.second_len = strlen(d2.second_text);
	struct ar_import_info info = { "/src/x.txt", "s3", "s1" };
	int added;
	assert_int_equal(ar_begin(a), 0);
	assert_int_equal(ar_update_doc(a, id, &d2, &info, &added), 0);
	assert_int_equal(ar_commit(a), 0);
	assert_int_equal(ar_second_text_stream(a, id, NULL, collect, &got), 0);
	assert_string_equal(got, "大家好！");
	free(got);
	got = NULL;
	/* … and without one */
	struct doc d3 = mkdoc("Tea", "Hello everyone", NULL, NULL);
	struct ar_import_info info3 = { "/src/x.txt", "s4", "s1" };
	assert_int_equal(ar_begin(a), 0);
	assert_int_equal(ar_update_doc(a, id, &d3, &info3, &added), 0);
	assert_int_equal(ar_commit(a), 0);
	assert_int_equal(ar_second_text_stream(a, id, NULL, collect, &got), 1);
	assert_null(got);
	ar_close(a);
}

static void test_update_doc(void **state)
{
	struct archive *a = open_new("update.db");
	struct doc d = mkdoc("Old title", "same text", "summary one", NULL);
	int64_t id = add(a, &d, "c1");

	int64_t found = 0;
	assert_int_equal(ar_find_by_hash(a, "c1", &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(ar_find_by_hash(a, "nope", &found), 1);
	assert_int_equal(ar_find_same(a, "/src/x.txt", "zz", &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(ar_find_same(a, "/elsewhere", "c1", &found), 0);
	assert_int_equal(ar_find_same(a, "/elsewhere", "zz", &found), 1);

	/* Changed metadata + same summary: no new version. */
	struct doc d2 = mkdoc("New title", "same text", "summary one", NULL);
	struct ar_import_info info = { "/src/x.txt", "c2", "c1" };
	int added = -1;
	assert_int_equal(ar_begin(a), 0);
	assert_int_equal(ar_update_doc(a, id, &d2, &info, &added), 0);
	assert_int_equal(ar_commit(a), 0);
	assert_int_equal(added, 0);
	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, id, &m), 0);
	assert_string_equal(m.title, "New title");
	assert_int_equal(m.summary_versions, 1);
	ar_meta_free(&m);

	/* Changed summary and text: new version, old kept, text replaced. */
	struct doc d3 = mkdoc("New title", "changed text", "summary two", NULL);
	struct ar_import_info info3 = { "/src/x.txt", "c3", "t3" };
	assert_int_equal(ar_begin(a), 0);
	assert_int_equal(ar_update_doc(a, id, &d3, &info3, &added), 0);
	assert_int_equal(ar_commit(a), 0);
	assert_int_equal(added, 1);
	assert_int_equal(ar_get_meta(a, id, &m), 0);
	assert_int_equal(m.summary_versions, 2);
	ar_meta_free(&m);
	char *text;
	size_t len;
	assert_int_equal(ar_get_text(a, id, &text, &len), 0);
	assert_string_equal(text, "changed text");
	free(text);

	/* Search follows the current text and summary. */
	struct ar_search_result r;
	assert_int_equal(ar_search(a, "changed", 10, 0, &r), 0);
	assert_int_equal(r.total, 1);
	ar_search_free(&r);
	assert_int_equal(ar_search(a, "same", 10, 0, &r), 0);
	assert_int_equal(r.total, 0);
	ar_search_free(&r);
	assert_int_equal(ar_search(a, "two", 10, 0, &r), 0);
	assert_int_equal(r.total, 1);
	ar_search_free(&r);
	assert_int_equal(ar_search(a, "one", 10, 0, &r), 0);
	assert_int_equal(r.total, 0);
	ar_search_free(&r);
	ar_close(a);
}

static void test_readonly(void **state)
{
	struct archive *a = open_new("ro.db");
	struct doc d = mkdoc("t", "text", NULL, NULL);
	int64_t id = add(a, &d, "r1");
	ar_close(a);

	char p[512], err[256];
	path_in_tmp(p, sizeof p, "ro.db");
	assert_int_equal(ar_open(p, AR_READONLY, &a, err, sizeof err), 0);
	assert_true(ar_readonly(a));
	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, id, &m), 0);
	ar_meta_free(&m);
	struct ar_review_new ok = { .verdict = AR_APPROVED, .expect_summary_id = AR_REVIEW_ANY };
	assert_int_equal(ar_review_add(a, id, &ok, NULL), -1);
	assert_int_equal(ar_begin(a), -1);
	assert_non_null(strstr(ar_error(a), "read-only"));
	ar_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_schema),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_insert_and_meta),
		cmocka_unit_test(test_summary_versions),
		cmocka_unit_test(test_review_and_list),
		cmocka_unit_test(test_update_doc),
		cmocka_unit_test(test_second_language),
		cmocka_unit_test(test_readonly),
	};
	return cmocka_run_group_tests_name("archive", tests, setup_dir, teardown_dir);
}
