/* test_jobs.c — the archive's side of LLM summaries (db/archive.h, "LLM
 * jobs", and what ar_add_summary does with a model's title): where titles
 * come from, failed versions never current, jobs claimed by one process,
 * taken over when their process is gone, batches, stored notes, and the
 * migration's guess for archives made before title_source existed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"
#include "db/import.h"
#include "tests/unit/support.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/precis-jobs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a.db", dir);
	struct archive *a;
	char err[300];
	assert_int_equal(ar_open(path, AR_CREATE, &a, err, sizeof err), 0);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	ar_close(*state);
	char p[160];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

/* Imports text under name; returns its id. */
static int64_t add(struct archive *a, const char *name, const char *text)
{
	struct import_opts o = { .warnings = 0 };
	struct import_stats st = { 0 };
	char src[128];
	snprintf(src, sizeof src, "/x/%s", name);
	assert_int_equal(import_buffer(a, name, src, text, strlen(text), &o, &st), 0);
	assert_int_equal(st.failed, 0);
	assert_true(st.imported + st.updated >= 1);
	struct ar_meta *rows;
	size_t n;
	struct ar_list_query q = { .sort = AR_SORT_IMPORTED, .limit = 1 };
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	int64_t id = rows[0].id;
	ar_metas_free(rows, n);
	return id;
}

static void meta(struct archive *a, int64_t id, struct ar_meta *m)
{
	assert_int_equal(ar_get_meta(a, id, m), 0);
}

static void test_title_sources(void **state)
{
	struct archive *a = *state;
	struct ar_meta m;
	int64_t bare = add(a, "0123456789abcdef.txt", "就没打开啊，开了。好的，开油管有一个同步啊。");
	meta(a, bare, &m);
	assert_string_equal(m.title_source, "guessed");
	assert_string_equal(m.title, "就没打开啊，开了");
	ar_meta_free(&m);
	int64_t hdr = add(a, "h.txt", "Title: 一个真正的标题\n\n正文在这里。");
	meta(a, hdr, &m);
	assert_string_equal(m.title_source, "header");
	ar_meta_free(&m);
	int64_t fn = add(a, "Interview with the Founder.txt", "just some words spoken here");
	meta(a, fn, &m);
	assert_string_equal(m.title_source, "file_name");
	assert_string_equal(m.title, "Interview with the Founder");
	ar_meta_free(&m);
	/* a yt-dlp .info.json beside the transcript */
	char *paths[] = { "tests/fixtures/parse/Talk [dQw4w9WgXcQ].en.vtt" };
	struct import_opts o = { .warnings = 0 };
	struct import_stats st = { 0 };
	assert_int_equal(import_paths(a, paths, 1, &o, &st), 0);
	struct ar_meta *rows;
	size_t n;
	struct ar_list_query q = { .sort = AR_SORT_IMPORTED, .limit = 1 };
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_string_equal(rows[0].title_source, "info_json");
	ar_metas_free(rows, n);
}

static void test_model_title_replaces_only_a_guess(void **state)
{
	struct archive *a = *state;
	int64_t bare = add(a, "0123456789abcdef.txt", "就没打开啊，开了。好的，开油管有一个同步啊。");
	int64_t hdr = add(a, "h.txt", "Title: 一个真正的标题\n\n正文在这里。");
	struct ar_summary_new s = { .body = "**Core Point** x", .origin = AR_ORIGIN_LLM,
	                            .model = "m", .prompt_name = "default", .title = "模型的标题",
	                            .tokens_in = 100, .tokens_out = 20, .duration_ms = 1500 };
	assert_int_equal(ar_add_summary(a, bare, &s, NULL), 0);
	assert_int_equal(ar_add_summary(a, hdr, &s, NULL), 0);
	struct ar_meta m;
	meta(a, bare, &m);
	assert_string_equal(m.title, "模型的标题");
	assert_string_equal(m.original_title, "就没打开啊，开了");
	assert_string_equal(m.llm_title, "模型的标题");
	ar_meta_free(&m);
	meta(a, hdr, &m);
	assert_string_equal(m.title, "一个真正的标题");
	assert_string_equal(m.original_title, "一个真正的标题");
	assert_string_equal(m.llm_title, "模型的标题");
	ar_meta_free(&m);
	/* the display title is searchable */
	struct ar_search_result r;
	assert_int_equal(ar_search(a, "模型的标题", 10, 0, &r), 0);
	assert_true(r.total >= 1);
	ar_search_free(&r);
	/* re-importing the changed file keeps the model's title in front */
	int64_t count;
	assert_int_equal(ar_count(a, AR_ST_ANY, &count), 0);
	add(a, "0123456789abcdef.txt", "就没打开啊，开了。好的，开油管有一个同步啊。还有一句。");
	int64_t count2;
	assert_int_equal(ar_count(a, AR_ST_ANY, &count2), 0);
	assert_int_equal(count2, count);   /* the same record, updated */
	meta(a, bare, &m);
	assert_int_equal(m.text_bytes, (int64_t)strlen("就没打开啊，开了。好的，开油管有一个同步啊。还有一句。"));
	assert_string_equal(m.title, "模型的标题");
	assert_string_equal(m.original_title, "就没打开啊，开了");
	ar_meta_free(&m);
	struct ar_summary cur;
	assert_int_equal(ar_current_summary(a, bare, &cur), 0);
	assert_int_equal(cur.tokens_in, 100);
	assert_int_equal(cur.duration_ms, 1500);
	assert_string_equal(cur.title, "模型的标题");
	ar_summary_free(&cur);
}

static void test_failed_version_never_current(void **state)
{
	struct archive *a = *state;
	int64_t id = add(a, "t.txt", "Title: T\n\n正文。");
	struct ar_summary_new ok = { .body = "good", .origin = AR_ORIGIN_LLM };
	int64_t good, bad;
	assert_int_equal(ar_add_summary(a, id, &ok, &good), 0);
	struct ar_summary_new f = { .body = "half an answ", .origin = AR_ORIGIN_LLM, .failed = 1,
	                            .warning = "the stream broke", .title = "不该用的标题" };
	assert_int_equal(ar_add_summary(a, id, &f, &bad), 0);
	struct ar_summary cur;
	assert_int_equal(ar_current_summary(a, id, &cur), 0);
	assert_int_equal(cur.id, good);
	ar_summary_free(&cur);
	/* not even on purpose */
	assert_int_equal(ar_set_current_summary(a, id, bad), -1);
	struct ar_meta m;
	meta(a, id, &m);
	assert_string_equal(m.title, "T");
	assert_null(m.llm_title);
	assert_int_equal(m.summary_versions, 2);
	ar_meta_free(&m);
	struct ar_summary *v;
	size_t n;
	assert_int_equal(ar_summary_versions(a, id, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_false(v[0].failed);
	assert_true(v[1].failed);
	assert_string_equal(v[1].warning, "the stream broke");
	ar_summaries_free(v, n);
	/* a transcript with only a failed version has no summary */
	int64_t other = add(a, "u.txt", "Title: U\n\n正文二。");
	assert_int_equal(ar_add_summary(a, other, &f, NULL), 0);
	meta(a, other, &m);
	assert_int_equal(m.state, AR_ST_UNSUMMARIZED);
	ar_meta_free(&m);
}

/* A pid that certainly belongs to no process (a child that exited). */
static pid_t dead_pid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void test_job_lifecycle(void **state)
{
	struct archive *a = *state;
	int64_t id = add(a, "t.txt", "Title: T\n\n正文。");
	int64_t job;
	assert_int_equal(ar_job_add(a, id, 0, "m", "default", &job), 0);
	assert_int_equal(ar_job_add(a, 9999, 0, "m", "default", &job), 1);
	assert_int_equal(ar_job_add(a, id, 0, "m", "default", &job), 0);
	struct ar_job j;
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_int_equal(j.state, AR_JOB_QUEUED);
	assert_false(j.orphaned);   /* this process queued it and lives */
	ar_job_free(&j);
	assert_int_equal(ar_job_claim(a, job), 0);
	struct ar_job_progress p = { .stage = "notes 2/5", .chunks_done = 2, .chunks_total = 5,
	                             .tokens_in = 1000, .tokens_out = 100 };
	assert_int_equal(ar_job_progress(a, job, &p), 0);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_int_equal(j.state, AR_JOB_RUNNING);
	assert_string_equal(j.stage, "notes 2/5");
	assert_int_equal(j.chunks_done, 2);
	assert_int_equal(j.attempts, 1);
	assert_false(j.orphaned);
	ar_job_free(&j);
	/* notes of finished chunks, written once */
	assert_int_equal(ar_job_note_put(a, job, "notes:1", "- 要点", 500, 50), 0);
	assert_int_equal(ar_job_note_put(a, job, "notes:1", "- other", 1, 1), 0);
	char *t;
	long ti, to;
	assert_int_equal(ar_job_note_get(a, job, "notes:1", &t, &ti, &to), 0);
	assert_string_equal(t, "- 要点");
	assert_int_equal(ti, 500);
	free(t);
	assert_int_equal(ar_job_note_get(a, job, "notes:2", &t, &ti, &to), 1);
	/* its process dies: the job is orphaned and can be taken over */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(SQ(a)->db, "UPDATE jobs SET owner_pid = ?1 WHERE id = ?2", -1,
	                                    &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, dead_pid());
	sqlite3_bind_int64(st, 2, job);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_true(j.orphaned);
	ar_job_free(&j);
	assert_false(ar_job_busy_elsewhere(a, job));
	assert_int_equal(ar_job_claim(a, job), 0);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_int_equal(j.attempts, 2);
	assert_false(j.orphaned);
	ar_job_free(&j);
	/* a live owner elsewhere (the parent of this test, say) keeps it */
	assert_int_equal(sqlite3_prepare_v2(SQ(a)->db, "UPDATE jobs SET owner_pid = ?1 WHERE id = ?2", -1,
	                                    &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, getppid());
	sqlite3_bind_int64(st, 2, job);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_true(ar_job_busy_elsewhere(a, job));
	assert_int_equal(ar_job_claim(a, job), 1);
	/* … unless its heartbeat stopped long ago (a pid reused) */
	assert_int_equal(sqlite3_exec(SQ(a)->db, "UPDATE jobs SET heartbeat_at = heartbeat_at - 3600",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(ar_job_claim(a, job), 0);
	/* failed jobs are retried, finished ones not */
	assert_int_equal(ar_job_finish(a, job, AR_JOB_FAILED, "503 Service Unavailable", 0), 0);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_int_equal(j.state, AR_JOB_FAILED);
	assert_string_equal(j.error, "503 Service Unavailable");
	assert_null(j.stage);
	ar_job_free(&j);
	assert_int_equal(ar_job_claim(a, job), 0);
	assert_int_equal(ar_job_release(a, job, "interrupted"), 0);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_int_equal(j.state, AR_JOB_QUEUED);
	assert_true(j.orphaned);   /* nobody holds it: resumable */
	ar_job_free(&j);
	assert_int_equal(ar_job_claim(a, job), 0);
	assert_int_equal(ar_job_finish(a, job, AR_JOB_DONE, "ignored", 0), 0);
	assert_int_equal(ar_job_claim(a, job), 1);
	assert_int_equal(ar_job_get(a, job, &j), 0);
	assert_null(j.error);
	ar_job_free(&j);
	struct ar_job *v;
	size_t n;
	struct ar_job_query q = { .active_only = 1 };
	assert_int_equal(ar_jobs_list(a, &q, &v, &n), 0);
	assert_int_equal(n, 1);   /* the other one, still queued */
	ar_jobs_free(v, n);
	q.active_only = 0;
	assert_int_equal(ar_jobs_list(a, &q, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_true(v[0].id > v[1].id);   /* newest first */
	assert_string_equal(v[0].title, "T");
	ar_jobs_free(v, n);
}

/* Runs sql with the int64 values bound to ?1, ?2, ?3 (0: unbound). */
static void exec3(struct archive *a, const char *sql, int64_t v1, int64_t v2, int64_t v3)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL), SQLITE_OK);
	int64_t v[3] = { v1, v2, v3 };
	for (int i = 0; i < 3; i++)
		if (sqlite3_bind_parameter_count(st) > i)
			sqlite3_bind_int64(st, i + 1, v[i]);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* One summary of a transcript at a time: a claim with an owner and a
 * lease. Another job of this process, or another live process, holds it;
 * a dead process's claim is taken over at once, another host's after its
 * lease; the owner renews it, gives it up, or finds it taken over. */
static void test_claims(void **state)
{
	struct archive *a = *state;
	int64_t tid = add(a, "c.txt", "Title: C\n\n正文。");
	int64_t other = add(a, "d.txt", "Title: D\n\n另一篇。");
	struct ar_claim h;
	assert_int_equal(ar_claim_take(a, tid, 7, &h), 0);
	assert_int_equal(ar_claim_take(a, tid, 7, &h), 0);   /* the same job: renewed */
	assert_int_equal(ar_claim_take(a, tid, 8, &h), 1);   /* another job of this process */
	assert_int_equal(h.job_id, 7);
	assert_non_null(strstr(h.owner, ":"));
	assert_true(h.lease_left_s > AR_CLAIM_LEASE_S - 5 && h.lease_left_s <= AR_CLAIM_LEASE_S);
	ar_claim_free(&h);
	assert_int_equal(ar_claim_take(a, other, 8, NULL), 0);   /* one per transcript */
	assert_int_equal(ar_claim_renew(a, tid), 0);
	assert_int_equal(ar_claim_release(a, tid), 0);
	assert_int_equal(ar_claim_take(a, tid, 8, NULL), 0);     /* free again */
	assert_int_equal(ar_claim_release(a, tid), 0);
	assert_int_equal(ar_claim_release(a, tid), 0);           /* none: nothing happens */

	/* another process claims it and lives: held; it is killed: taken
	 * over at once (its pid is gone on this host) */
	int go[2], ready[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct archive *b;
		char err[300];
		int r = ar_open(path, 0, &b, err, sizeof err) == 0 && ar_claim_take(b, tid, 99, NULL) == 0;
		char c = r ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);   /* never releases it */
	}
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_int_equal(ar_claim_take(a, tid, 8, &h), 1);
	assert_int_equal(h.job_id, 99);
	char want[64];
	snprintf(want, sizeof want, ":%ld", (long)child);
	assert_non_null(strstr(h.owner, want));
	ar_claim_free(&h);
	assert_int_equal(ar_claim_renew(a, tid), 1);   /* not ours to renew */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(go[0]); close(go[1]); close(ready[0]); close(ready[1]);
	assert_int_equal(ar_claim_take(a, tid, 8, NULL), 0);
	assert_int_equal(ar_claim_renew(a, tid), 0);

	/* another host's claim holds until its lease runs out */
	exec3(a, "UPDATE claims SET owner_host = 'elsewhere.example', owner_pid = ?2,"
	         " lease_until = strftime('%s', 'now') + 30 WHERE transcript_id = ?1", tid, getpid(), 0);
	assert_int_equal(ar_claim_take(a, tid, 8, NULL), 1);
	assert_int_equal(ar_claim_renew(a, tid), 1);   /* taken from us: lost */
	exec3(a, "UPDATE claims SET lease_until = strftime('%s', 'now') - 1 WHERE transcript_id = ?1",
	      tid, 0, 0);
	assert_int_equal(ar_claim_take(a, tid, 8, NULL), 0);
	/* a claim of this pid left by an earlier process (pid reused) with
	 * another job: held while its lease lasts, taken when it has run out */
	exec3(a, "UPDATE claims SET job_id = 5, lease_until = strftime('%s', 'now') - 1"
	         " WHERE transcript_id = ?1", tid, 0, 0);
	assert_int_equal(ar_claim_take(a, tid, 8, NULL), 0);
	assert_int_equal(ar_claim_release(a, tid), 0);
	assert_int_equal(ar_claim_release(a, other), 0);
}

static void test_batches(void **state)
{
	struct archive *a = *state;
	int64_t b1, b2, b3;
	int resumed;
	assert_int_equal(ar_batch_open(a, "k", &b1, &resumed), 0);
	assert_false(resumed);
	assert_int_equal(ar_batch_open(a, "k", &b2, &resumed), 0);
	assert_true(resumed);
	assert_int_equal(b1, b2);
	assert_int_equal(ar_batch_open(a, "other", &b3, &resumed), 0);
	assert_true(b3 != b1);
	int64_t id = add(a, "t.txt", "Title: T\n\n正文。"), j1, j2;
	assert_int_equal(ar_job_add(a, id, b1, "m", "p", &j1), 0);
	assert_int_equal(ar_job_add(a, id, b1, "m", "p", &j2), 0);
	struct ar_job j;
	assert_int_equal(ar_batch_job(a, b1, id, &j), 0);
	assert_int_equal(j.id, j2);
	assert_int_equal(j.batch_id, b1);
	ar_job_free(&j);
	assert_int_equal(ar_batch_job(a, b3, id, &j), 1);
	assert_int_equal(ar_batch_finish(a, b1), 0);
	assert_int_equal(ar_batch_open(a, "k", &b2, &resumed), 0);
	assert_false(resumed);
	assert_true(b2 != b1);
}

static void test_migration_guesses_old_titles(void **state)
{
	(void)state;
	char p2[160];
	snprintf(p2, sizeof p2, "%s/old.db", dir);
	/* an archive as precis made it before migration 3 */
	sqlite3 *db;
	char err[300];
	assert_int_equal(sqlite3_open(p2, &db), SQLITE_OK);
	assert_int_equal(tok_register(db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA application_id=1886545251", NULL, NULL, NULL);
	assert_int_equal(schema_migrate_to(db, 2, err, sizeof err), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO transcripts(id, title, format, content_hash, text_hash, imported_at, updated_at)"
		" VALUES(1, '就没打开啊，开了', 'text', 'h1', 't1', 'x', 'x'),"
		"       (2, 'A Real Title', 'record', 'h2', 't2', 'x', 'x');"
		"INSERT INTO texts VALUES(1, '  就没打开啊，开了。好的。'), (2, 'Words words.');",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct archive *a;
	assert_int_equal(ar_open(p2, 0, &a, err, sizeof err), 0);
	struct ar_meta m;
	assert_int_equal(ar_get_meta(a, 1, &m), 0);
	assert_string_equal(m.title_source, "guessed");
	ar_meta_free(&m);
	assert_int_equal(ar_get_meta(a, 2, &m), 0);
	assert_null(m.title_source);
	ar_meta_free(&m);
	ar_close(a);
	char q[200];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof q, "%s%s", p2, sfx[i]);
		unlink(q);
	}
}

/* An archive of the precis before claims (schema 10) gets its claims
 * table when opened: migration 11 runs, and a transcript can be
 * claimed. */
static void test_claims_migration(void **state)
{
	(void)state;
	char p2[160];
	snprintf(p2, sizeof p2, "%s/ten.db", dir);
	sqlite3 *db;
	char err[300];
	assert_int_equal(sqlite3_open(p2, &db), SQLITE_OK);
	assert_int_equal(tok_register(db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA application_id=1886545251", NULL, NULL, NULL);
	assert_int_equal(schema_migrate_to(db, 10, err, sizeof err), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO transcripts(id, title, format, content_hash, text_hash, imported_at, updated_at)"
		" VALUES(1, 'Old', 'text', 'h1', 't1', 'x', 'x');"
		"INSERT INTO texts VALUES(1, 'Words.');",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct archive *a;
	assert_int_equal(ar_open(p2, 0, &a, err, sizeof err), 0);
	assert_int_equal(ar_claim_take(a, 1, 3, NULL), 0);
	assert_int_equal(ar_claim_take(a, 1, 4, NULL), 1);   /* held by job 3 */
	assert_int_equal(ar_claim_release(a, 1), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(SQ(a)->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 11);
	sqlite3_finalize(st);
	ar_close(a);
	char q[200];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof q, "%s%s", p2, sfx[i]);
		unlink(q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_title_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_model_title_replaces_only_a_guess, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_version_never_current, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_guesses_old_titles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
