/* test_import.c — sha256, directory walks, dedup, updates, .info.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/archive.h"
#include "db/import.h"

static char dir[256];
static char msgbuf[8192];

static void put(const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	char *slash = strrchr(p, '/');
	*slash = 0;
	mkdir(p, 0755);
	*slash = '/';
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "%s/precis-imp-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct archive *open_db(const char *name)
{
	char p[512], err[256];
	struct archive *a;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (ar_open(p, AR_CREATE, &a, err, sizeof err) != 0)
		fail_msg("%s", err);
	return a;
}

/* Events of the last run, checked against its stats. */
static struct {
	int begin, end, files, done[4], warnings;
	size_t files_total;
} ev_seen;

/* import_event_fn: "PATH: reason" lines into the FILE in ctx. */
static void on_event(void *ctx, const struct import_event *ev)
{
	switch (ev->kind) {
	case IMPORT_EV_BEGIN:
		ev_seen.begin++;
		ev_seen.files_total = ev->files_total;
		break;
	case IMPORT_EV_FILE:
		assert_non_null(ev->path);
		ev_seen.files++;
		break;
	case IMPORT_EV_DONE:
		ev_seen.done[ev->outcome]++;
		if (ev->outcome == IMPORT_FAILED) {
			assert_non_null(ev->message);
			fprintf(ctx, "%s: %s\n", ev->path, ev->message);
		}
		break;
	case IMPORT_EV_WARNING:
		ev_seen.warnings++;
		fprintf(ctx, "%s: warning: %s\n", ev->path, ev->message);
		break;
	case IMPORT_EV_END:
		ev_seen.end++;
		assert_true(ev->files_done <= ev->files_total);
		break;
	}
}

/* Runs import_paths on one path, capturing messages in msgbuf. */
static int run(struct archive *a, const char *rel, struct import_stats *st)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	char *paths[] = { p };
	FILE *m = fmemopen(msgbuf, sizeof msgbuf, "w");
	struct import_opts o = { .on_event = on_event, .ctx = m, .warnings = 1 };
	memset(st, 0, sizeof *st);
	memset(&ev_seen, 0, sizeof ev_seen);
	int r = import_paths(a, paths, 1, &o, st);
	fclose(m);
	/* Every counted file was reported once, in one BEGIN … END. */
	assert_int_equal(ev_seen.begin, 1);
	assert_int_equal(ev_seen.end, 1);
	assert_int_equal(ev_seen.done[IMPORT_NEW] + ev_seen.done[IMPORT_UPDATED], st->imported);
	assert_int_equal(ev_seen.done[IMPORT_UPDATED], st->updated);
	assert_int_equal(ev_seen.done[IMPORT_SKIPPED], st->skipped);
	assert_int_equal(ev_seen.done[IMPORT_FAILED], st->failed);
	return r;
}

static void test_sha256(void **state)
{
	char h[65];
	assert_int_equal(import_sha256_hex("", 0, h), 0);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(import_sha256_hex("abc", 3, h), 0);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_int_equal(import_sha256_hex(two, strlen(two), h), 0);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *mil = malloc(1000000);
	memset(mil, 'a', 1000000);
	assert_int_equal(import_sha256_hex(mil, 1000000, h), 0);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(mil);
}

static void test_walk_and_dedup(void **state)
{
	struct archive *a = open_db("walk.db");
	put("w/a.txt", "Title: First\n\nContent:\nalpha words here\n");
	put("w/sub/b.txt", "just a bare transcript with some beta words in it\n");
	put("w/sub/empty.txt", "");
	put("w/.hidden/c.txt", "hidden gamma\n");
	put("w/clip.mp4", "not a video");
	struct import_stats st;
	assert_int_equal(run(a, "w", &st), 0);
	assert_int_equal(st.imported, 2);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.skipped, 0);
	assert_non_null(strstr(msgbuf, "sub/empty.txt: "));
	assert_null(strstr(msgbuf, "hidden"));
	assert_null(strstr(msgbuf, "clip.mp4"));

	assert_int_equal(run(a, "w", &st), 0);
	assert_int_equal(st.imported, 0);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.failed, 1);

	/* Changed file: updated in place, not a new record. */
	put("w/a.txt", "Title: First, renamed\n\nContent:\nalpha words here\n");
	assert_int_equal(run(a, "w/a.txt", &st), 0);
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.updated, 1);
	int64_t n;
	assert_int_equal(ar_count(a, AR_ST_ANY, &n), 0);
	assert_int_equal(n, 2);

	assert_int_equal(run(a, "missing.txt", &st), 0);
	assert_int_equal(st.failed, 1);
	assert_non_null(strstr(msgbuf, "missing.txt: No such file"));
	ar_close(a);
}

static void test_info_json(void **state)
{
	struct archive *a = open_db("info.db");
	put("y/Talk [abc123def45].en.srt",
	    "1\n00:00:01,000 --> 00:00:02,000\nhello from the talk\n\n"
	    "2\n00:00:03,000 --> 00:00:04,000\nsecond line\n");
	put("y/Talk [abc123def45].info.json",
	    "{\"id\": \"abc123def45\", \"title\": \"The Real Title\","
	    " \"webpage_url\": \"https://www.youtube.com/watch?v=abc123def45\","
	    " \"channel\": \"Chan\", \"upload_date\": \"20210720\", \"duration\": 582}");
	put("y/lonely.info.json", "{\"id\": \"zzz\", \"title\": \"alone\"}");
	struct import_stats st;
	assert_int_equal(run(a, "y", &st), 0);
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.failed, 1);   /* the lonely .info.json */
	assert_non_null(strstr(msgbuf, "lonely.info.json: "));
	assert_null(strstr(msgbuf, "Talk [abc123def45].info.json"));

	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	struct ar_meta *rows;
	size_t n;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].title, "The Real Title");
	assert_string_equal(rows[0].channel, "Chan");
	assert_int_equal(rows[0].duration_s, 582);
	assert_non_null(rows[0].recorded_at);
	assert_int_equal(strncmp(rows[0].recorded_at, "2021-07-20", 10), 0);
	assert_true(rows[0].npara >= 1);
	ar_metas_free(rows, n);
	ar_close(a);
}

static void test_buffer(void **state)
{
	struct archive *a = open_db("buf.db");
	const char rec[] = "Title: From memory\nDuration: 1:00\n\nDescription:\nA summary.\n\n"
	                   "Content:\nthe spoken words\n";
	struct import_opts o = { .warnings = 0 };
	struct import_stats st = { 0 };
	assert_int_equal(import_buffer(a, "mem.txt", "sample:mem.txt", rec, sizeof rec - 1, &o, &st), 0);
	assert_int_equal(st.imported, 1);
	assert_int_equal(import_buffer(a, "mem.txt", "sample:mem.txt", rec, sizeof rec - 1, &o, &st), 0);
	assert_int_equal(st.skipped, 1);
	struct ar_summary s;
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	struct ar_meta *rows;
	size_t n;
	assert_int_equal(ar_list(a, &q, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ar_current_summary(a, rows[0].id, &s), 0);
	assert_non_null(strstr(s.body, "A summary."));
	assert_int_equal(s.origin, AR_ORIGIN_IMPORTED);
	assert_string_equal(rows[0].source_path, "sample:mem.txt");
	ar_summary_free(&s);
	ar_metas_free(rows, n);
	ar_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_walk_and_dedup),
		cmocka_unit_test(test_info_json),
		cmocka_unit_test(test_buffer),
	};
	return cmocka_run_group_tests_name("import", tests, setup, teardown);
}
