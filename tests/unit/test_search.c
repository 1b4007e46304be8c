/* test_search.c — tokenizer, query syntax, CJK and English search,
 * ranking, snippets, hit counts and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/archive.h"
#include "db/search_int.h"
#include "db/sqlite/archive_int.h"
#include "render/width.h"

static char dbpath[256];
static struct archive *A;
static int64_t id_grok, id_chat, id_eng, id_title;

struct toks {
	char buf[2048];
	size_t len;
};

static int collect(void *ctx, int colocated, const char *t, int len, int s, int e)
{
	struct toks *k = ctx;
	int n = snprintf(k->buf + k->len, sizeof k->buf - k->len, "%s%.*s",
	                 k->len ? (colocated ? "=" : " ") : "", len, t);
	if (n > 0)
		k->len += (size_t)n;
	if (k->len >= sizeof k->buf)
		k->len = sizeof k->buf - 1;
	return 0;
}

static int count_cb(void *ctx, int colocated, const char *t, int len, int s, int e)
{
	(*(int *)ctx)++;
	return 0;
}

static const char *toks(const char *s, int query)
{
	static struct toks k;
	k.len = 0;
	k.buf[0] = 0;
	tok_scan(s, (int)strlen(s), query, collect, &k);
	return k.buf;
}

static void test_tokenizer(void **state)
{
	assert_string_equal(toks("Hello, WORLD!", 0), "hello world");
	assert_string_equal(toks("Café Ｇrok4", 0), "cafe grok4");
	/* document: bigram, colocated unigram, and the last character */
	assert_string_equal(toks("深度解读", 0), "深度=深 度解=度 解读=解 读");
	assert_string_equal(toks("深度解读", 1), "深度 度解 解读");
	/* a query run followed by more of the phrase owes the unigram the
	 * document has after the run's last bigram */
	assert_string_equal(toks("觉得 他是", 1), "觉得 得 他是");
	assert_string_equal(toks("真正拿 Grok4", 1), "真正 正拿 拿 grok4");
	assert_string_equal(toks("Grok4 能撑起", 1), "grok4 能撑 撑起");
	assert_string_equal(toks("马 他是", 1), "马 他是");
	assert_string_equal(toks("台積電 產能", 1), "台积 积电 电 产能");   /* folded too */
	assert_string_equal(toks("马", 1), "马");
	assert_string_equal(toks("马", 0), "马");
	assert_string_equal(toks("Grok4能撑起", 0), "grok4 能撑=能 撑起=撑 起");
	assert_string_equal(toks("“算力”", 1), "算力");
	assert_string_equal(toks("", 0), "");
	assert_string_equal(toks("!!! ... ()", 0), "");
	/* invalid UTF-8 never crashes and separates words */
	assert_string_equal(toks("ab\xff" "cd", 0), "ab cd");
	/* a very long CJK run is chunked without losing a bigram */
	char big[3 * 600 + 1];
	for (int i = 0; i < 600; i++)
		memcpy(big + 3 * i, i % 2 ? "马" : "斯", 3);
	big[3 * 600] = 0;
	int nq = 0, nd = 0;
	tok_scan(big, (int)strlen(big), 1, count_cb, &nq);
	tok_scan(big, (int)strlen(big), 0, count_cb, &nd);
	assert_int_equal(nq, 599);            /* every adjacent pair */
	assert_int_equal(nd, 599 + 600);      /* plus one unigram per character */
	/* traditional characters fold to simplified, in documents and
	 * queries alike; the offsets stay those of the text */
	assert_string_equal(toks("台積電", 1), "台积 积电");
	assert_string_equal(toks("台积电", 1), "台积 积电");
	assert_string_equal(toks("台積電", 0), toks("台积电", 0));
	assert_string_equal(toks("這個說話", 0), "这个=这 个说=个 说话=说 话");
	assert_string_equal(toks("國", 1), "国");
}

/* An FTS5 tokenizer standing in for the one before the folding: each
 * CJK character as it is written, one token each. */
static int old_create(void *u, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int dummy;
	*out = (Fts5Tokenizer *)&dummy;
	return SQLITE_OK;
}
static void old_delete(Fts5Tokenizer *t) {}
static int old_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *s, int n,
                        int (*x_token)(void *, int, const char *, int, int, int))
{
	for (int i = 0; i < n;) {
		int k = ((unsigned char)s[i] >= 0xf0) ? 4 : ((unsigned char)s[i] >= 0xe0) ? 3 :
		        ((unsigned char)s[i] >= 0xc0) ? 2 : 1;
		if (i + k > n)
			break;
		if (k >= 3) {
			int rc = x_token(ctx, 0, s + i, k, i, i + k);
			if (rc)
				return rc;
		}
		i += k;
	}
	return SQLITE_OK;
}

/* An archive indexed before the folding (its version 9) is re-indexed
 * when it is opened (migration 10): then 台积电 finds its 台積電, and so
 * does 台積電 itself. */
static void test_t2s_migration(void **state)
{
	char p[300];
	snprintf(p, sizeof p, "%s-old", dbpath);
	unlink(p);
	sqlite3 *db;
	char err[300];
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	static fts5_tokenizer old = { old_create, old_delete, old_tokenize };
	fts5_api *api = ar_fts5_api(db);
	assert_non_null(api);
	assert_int_equal(api->xCreateTokenizer(api, "precis", NULL, &old, NULL), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA application_id=1886545251", NULL, NULL, NULL);
	assert_int_equal(schema_migrate_to(db, 9, err, sizeof err), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO transcripts(id, title, format, content_hash, text_hash, imported_at, updated_at)"
		" VALUES(1, '半導體', 'text', 'h1', 't1', 'x', 'x'),"
		"       (2, '简体', 'text', 'h2', 't2', 'x', 'x');"
		"INSERT INTO texts VALUES(1, '台積電的晶片產能'), (2, '台积电的芯片');",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct archive *b;
	assert_int_equal(ar_open(p, 0, &b, err, sizeof err), 0);
	struct ar_search_result r;
	const char *qs[] = { "台积电", "台積電" };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ar_search(b, qs[i], 10, 0, &r), 0);
		assert_int_equal(r.total, 2);   /* the traditional text and the simplified one */
		ar_search_free(&r);
	}
	assert_int_equal(ar_search(b, "半导体", 10, 0, &r), 0);   /* the title too */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].id, 1);
	ar_search_free(&r);
	/* the snippet shows the text as written */
	assert_int_equal(ar_search(b, "产能", 10, 0, &r), 0);
	assert_int_equal(r.total, 1);
	assert_non_null(strstr(r.hits[0].snippet, "產能"));
	ar_search_free(&r);
	ar_close(b);
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char q[320];
		snprintf(q, sizeof q, "%s%s", p, sfx[i]);
		unlink(q);
	}
}

static void test_query_compile(void **state)
{
	char *e;
	assert_int_equal(ar_query_compile("马斯克 算力", &e), 0);
	assert_string_equal(e, "(\"马斯克\") AND (\"算力\")");
	free(e);
	assert_int_equal(ar_query_compile("\"machine learning\" -crypto", &e), 0);
	assert_string_equal(e, "((\"machine learning\")) NOT \"crypto\"");
	free(e);
	assert_int_equal(ar_query_compile("grok OR gemini model*", &e), 0);
	assert_string_equal(e, "(\"grok\" OR \"gemini\") AND (\"model\" *)");
	free(e);
	assert_int_equal(ar_query_compile("say \"hi", &e), 0);
	assert_string_equal(e, "(\"say\") AND (\"hi\")");
	free(e);
	assert_int_equal(ar_query_compile("a\"\"b", &e), 0);
	free(e);
	assert_int_equal(ar_query_compile("", &e), 1);
	assert_null(e);
	assert_int_equal(ar_query_compile("   ", &e), 1);
	assert_int_equal(ar_query_compile("-only", &e), 1);
	assert_int_equal(ar_query_compile("OR AND", &e), 1);
	assert_int_equal(ar_query_compile("((( *** ---", &e), 1);
	assert_int_equal(ar_query_compile(NULL, &e), 1);
}

static int64_t add_doc(const char *title, const char *text, const char *summary, const char *hash)
{
	struct doc d = { 0 };
	d.format = DOC_PLAIN;
	d.title = (char *)title;
	d.duration_s = -1;
	d.text = (char *)text;
	d.text_len = strlen(text);
	d.summary = (char *)summary;
	struct ar_import_info info = { hash, hash, hash };
	int64_t id = 0;
	assert_int_equal(ar_begin(A), 0);
	if (ar_insert_doc(A, &d, &info, &id) != 0)
		fail_msg("%s", ar_error(A));
	assert_int_equal(ar_commit(A), 0);
	return id;
}

static int setup(void **state)
{
	snprintf(dbpath, sizeof dbpath, "%s/precis-search-%d.db",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	char err[256];
	unlink(dbpath);
	if (ar_open(dbpath, AR_CREATE, &A, err, sizeof err) != 0)
		return -1;
	id_grok = add_doc("深度解读Grok4 发布会 | Grok4 能撑起马斯克的野心吗？",
		"发布会延迟且内容未达预期。技术路径上没有看到特殊之处，仍符合苦涩的教训——"
		"依靠超大规模算力、数据和普适算法。马斯克的帝国。",
		"XAI 是整个马斯克帝国的发动机", "g");
	id_chat = add_doc("聊天",
		"我觉得25年对我来说是一个时间感变得特别弱的一年。deepseek居然是1月份的事情。\n"
		"后来又谈到算力\x01和\x1b[31m模型。一匹马。",
		NULL, "c");
	id_eng = add_doc("A lecture",
		"Bitcoin is a cryptocurrency. Machine learning models need data; "
		"the model was trained. Learning machine is not the phrase.",
		NULL, "e");
	id_title = add_doc("Machine learning for everyone", "unrelated words only here", NULL, "t");
	return 0;
}

static int teardown(void **state)
{
	ar_close(A);
	unlink(dbpath);
	char p[300];
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	return 0;
}

/* Returns 1 when id is among the results. */
static int has(const struct ar_search_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->hits[i].id == id)
			return 1;
	return 0;
}

static void search(const char *q, struct ar_search_result *r)
{
	if (ar_search(A, q, 50, 0, r) != 0)
		fail_msg("search '%s': %s", q, ar_error(A));
}

static void test_cjk(void **state)
{
	struct ar_search_result r;
	search("马", &r);   /* single character, found in both */
	assert_int_equal(r.total, 2);
	assert_true(has(&r, id_grok) && has(&r, id_chat));
	ar_search_free(&r);

	search("算力", &r);
	assert_int_equal(r.total, 2);
	ar_search_free(&r);

	search("苦涩的教训", &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].id, id_grok);
	ar_search_free(&r);

	search("深度解读", &r);   /* four-character phrase in the title */
	assert_int_equal(r.total, 1);
	ar_search_free(&r);

	search("解深", &r);   /* characters present, but not adjacent */
	assert_int_equal(r.total, 0);
	ar_search_free(&r);

	search("发动机", &r);   /* only in the current summary */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].id, id_grok);
	assert_non_null(strstr(r.hits[0].snippet, "发动机"));
	ar_search_free(&r);

	search("年", &r);   /* single char at the end of a run */
	assert_int_equal(r.total, 1);
	ar_search_free(&r);
}

static void test_english(void **state)
{
	struct ar_search_result r;
	search("BITCOIN", &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].id, id_eng);
	ar_search_free(&r);

	search("\"machine learning\"", &r);   /* phrase: title match ranks first */
	assert_int_equal(r.total, 2);
	assert_int_equal(r.hits[0].id, id_title);
	assert_int_equal(r.hits[1].id, id_eng);
	ar_search_free(&r);

	search("learning machine", &r);   /* AND, any order */
	assert_int_equal(r.total, 2);
	ar_search_free(&r);

	search("machine -bitcoin", &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].id, id_title);
	ar_search_free(&r);

	search("bitcoin OR deepseek", &r);
	assert_int_equal(r.total, 2);
	ar_search_free(&r);

	search("mod*", &r);
	assert_int_equal(r.total, 1);
	ar_search_free(&r);

	search("model", &r);   /* whole words: "models" is another word */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].hits, 1);
	ar_search_free(&r);

	search("grok4", &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].hits, 2);   /* twice in the title */
	ar_search_free(&r);
}

static void test_snippet_and_counts(void **state)
{
	struct ar_search_result r;
	search("算力", &r);
	assert_int_equal(r.n, 2);   /* the loop below checks something */
	for (size_t i = 0; i < r.n; i++) {
		const char *s = r.hits[i].snippet;
		assert_non_null(strstr(s, "算力"));
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7f);
		assert_true(r.hits[i].hits >= 1);
		assert_true(r.hits[i].hl_len > 0);
		assert_memory_equal(s + r.hits[i].hl_start, "算力", 6);
		assert_true(r.hits[i].rank < 0);
	}
	ar_search_free(&r);

	/* A phrase is highlighted whole, in the text's own case. */
	search("\"machine learning\"", &r);
	int seen = 0;
	for (size_t i = 0; i < r.n; i++)
		if (r.hits[i].id == id_eng) {
			assert_int_equal(r.hits[i].hl_len, 16);
			assert_memory_equal(r.hits[i].snippet + r.hits[i].hl_start, "Machine learning", 16);
			seen++;
		}
	assert_int_equal(seen, 1);
	ar_search_free(&r);
	/* A CJK phrase gets a highlighted hit too. */
	search("\"后来又\"", &r);
	assert_int_equal(r.n, 1);
	assert_true(r.hits[0].hl_len > 0);
	ar_search_free(&r);

	/* paging: total stays, page shrinks */
	assert_int_equal(ar_search(A, "马", 1, 0, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.total, 2);
	int64_t first = r.hits[0].id;
	ar_search_free(&r);
	assert_int_equal(ar_search(A, "马", 1, 1, &r), 0);
	assert_int_equal(r.n, 1);
	assert_true(r.hits[0].id != first);
	ar_search_free(&r);
}

static void test_hostile(void **state)
{
	static const char *const q[] = {
		"\"", "\"\"", "\"\"\"", "(", ")", "((a", "a)", "*", "**", "-", "--", "- -",
		"OR", "AND", "NOT", "a OR", "OR a", "NEAR(a b)", "a NOT b", "title:x",
		"{title}: x", "^a", "a + b", "'; DROP TABLE transcripts; --",
		"\" OR 1=1 --", "x\" AND \"y", "\\", "%", "_", "马*", "*马", "-马",
		"\xff\xfe", "a\x01" "b", "\x1b[31m", "：）", "　", "NEAR", "\"a\" *",
		"col:马", "-\"\"", "- \"x", "rowid = 1",
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		struct ar_search_result r;
		if (ar_search(A, q[i], 10, 0, &r) != 0)
			fail_msg("query '%s' failed: %s", q[i], ar_error(A));
		ar_search_free(&r);
	}
	/* Long queries are safe too. */
	char lng[4096];
	for (size_t i = 0; i < sizeof lng - 1; i++)
		lng[i] = "a \"(-*OR马"[i % 10];
	lng[sizeof lng - 1] = 0;
	struct ar_search_result r;
	assert_int_equal(ar_search(A, lng, 10, 0, &r), 0);
	ar_search_free(&r);
	/* The archive is intact afterwards. */
	int64_t n;
	assert_int_equal(ar_count(A, AR_ST_ANY, &n), 0);
	assert_int_equal(n, 4);
	/* Literal punctuation is not an operator: "a-b" is a phrase. */
	search("cryptocurrency.", &r);
	assert_int_equal(r.total, 1);
	ar_search_free(&r);
}

/* Snippets are cut by the cluster widths render/ draws: about 100 cells
 * of family emoji (2 cells each, 8 by their code points) and accented
 * letters (1 cell each, 2 by their code points). Runs last: adds records. */
static void test_snippet_width(void **state)
{
	const char *fam = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
	char text[8192] = "needle ";
	for (int i = 0; i < 200; i++)
		strcat(text, fam);
	add_doc("emoji", text, NULL, "emoji");
	char acc[4096] = "pin ";
	for (int i = 0; i < 300; i++)
		strcat(acc, "e\xCC\x81");
	add_doc("accents", acc, NULL, "accents");
	const char *q[] = { "needle", "pin" };
	for (int k = 0; k < 2; k++) {
		struct ar_search_result r;
		search(q[k], &r);
		assert_int_equal(r.n, 1);
		int w = rw_swidth(r.hits[0].snippet);
		if (w < 99 || w > 103)
			fail_msg("snippet for %s is %d cells, not about 100", q[k], w);
		ar_search_free(&r);
	}
}


/* Ranking is affordable or not by its estimated work, not by how many
 * transcripts match. With a budget of 4,000 units here: 的 (300
 * transcripts, 2 positions each: ~5,400) and the phrase "common word"
 * (~10,000) are broad — the newest matches first, hits counted in their
 * text, an estimated total — while ledger (225 transcripts, ~3,800) is
 * ranked although it matches more than the 200 that used to make a
 * query broad: its best match,
 * one of the oldest transcripts, comes first, and the total is exact. An
 * AND of a frequent and a rare word is ranked (it walks the rare one's
 * rows). */
static void test_broad(void **state)
{
	enum { N = 300 };
	int64_t first = 0, last = 0, best = 0;
	char text[512], hash[32];
	for (int i = 0; i < N; i++) {
		snprintf(text, sizeof text, "的确，这是第 %d 篇的文字。the common word%s%s", i,
		         i % 50 == 0 ? " and a rare zebra, zebra" : "",
		         i == 7 ? " ledger ledger ledger ledger ledger ledger" : i % 4 ? " one ledger" : "");
		snprintf(hash, sizeof hash, "broad-%d", i);
		int64_t id = add_doc(i == 7 ? "the ledger" : "broad", text, NULL, hash);
		if (!first)
			first = id;
		if (i == 7)
			best = id;
		last = id;
	}
	ar_search_set_budget(A, 4000);
	struct ar_search_result r;
	assert_int_equal(ar_search(A, "的", 5, 0, &r), 0);
	assert_true(r.broad);
	assert_true(r.cost > 4000);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.hits[0].id, last);        /* newest first */
	assert_int_equal(r.hits[4].id, last - 4);
	assert_int_equal(r.hits[0].hits, 2);         /* 的确 … 篇的: counted in the text */
	assert_memory_equal(r.hits[0].snippet + r.hits[0].hl_start, "的", 3);
	/* every transcript here has 的 except a few of setup's: estimate
	 * within 10 % of the truth */
	int64_t truth = (last - first + 1) + 1;   /* + the one setup doc with 的 */
	assert_true(r.total >= truth * 9 / 10 && r.total <= truth * 11 / 10);
	ar_search_free(&r);
	/* paging walks on through the newest matches */
	assert_int_equal(ar_search(A, "的", 5, 5, &r), 0);
	assert_int_equal(r.hits[0].id, last - 5);
	ar_search_free(&r);
	/* a broad phrase too */
	assert_int_equal(ar_search(A, "\"common word\"", 3, 0, &r), 0);
	assert_true(r.broad);
	assert_int_equal(r.hits[0].hits, 1);
	ar_search_free(&r);
	/* a moderately frequent word: ranked, the best match first (not the
	 * newest), the total exact */
	assert_int_equal(ar_search(A, "ledger", 5, 0, &r), 0);
	assert_false(r.broad);
	assert_true(r.cost > 0 && r.cost <= 4000);
	assert_int_equal(r.total, N / 4 * 3);   /* more than the old 200 */
	assert_int_equal(r.hits[0].id, best);
	assert_true(r.hits[0].rank < r.hits[1].rank);
	assert_int_equal(r.hits[0].hits, 7);
	ar_search_free(&r);
	/* AND of a frequent and a rare word: ranked, exact */
	assert_int_equal(ar_search(A, "common zebra", 50, 0, &r), 0);
	assert_false(r.broad);
	assert_int_equal(r.total, (N + 49) / 50);
	assert_int_equal(r.hits[0].hits, 3);
	assert_true(r.hits[0].rank < 0);
	ar_search_free(&r);
	/* the default budget ranks them all in an archive this small */
	ar_search_set_budget(A, 0);
	assert_int_equal(ar_search(A, "的", 5, 0, &r), 0);
	assert_false(r.broad);
	assert_true(r.hits[0].rank < 0);
	ar_search_free(&r);
}

/* With no budget at all everything is broad: a prefix then is not handed
 * to FTS5 (which would merge every list of the prefix first) but found
 * in the newest transcripts' text; an excluded word is honoured. */
static void test_broad_prefix(void **state)
{
	ar_search_set_budget(A, 1);
	struct ar_search_result r;
	assert_int_equal(ar_search(A, "led*", 3, 0, &r), 0);
	assert_true(r.broad);
	assert_int_equal(r.n, 3);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.hits[i].id < r.hits[i - 1].id);   /* newest first */
	assert_true(r.total > 3);
	assert_memory_equal(r.hits[0].snippet + r.hits[0].hl_start, "led", 3);
	int64_t newest = r.hits[0].id;
	ar_search_free(&r);
	assert_int_equal(ar_search(A, "led* -one", 3, 0, &r), 0);
	assert_true(r.broad);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.hits[i].id != newest);   /* it holds "one ledger" */
	ar_search_free(&r);
	assert_int_equal(ar_search(A, "zzzqx*", 3, 0, &r), 0);
	assert_int_equal(r.total, 0);
	ar_search_free(&r);
	ar_search_set_budget(A, 0);
}

/* The same query gives the same answer every time, on this connection
 * and on a new one: which path, the cost, the total and the order. */
static void test_budget_deterministic(void **state)
{
	const char *q[] = { "的", "ledger", "\"common word\"", "common zebra", "led*", "the OR ledger" };
	for (int budget = 0; budget < 2; budget++)
		for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
			struct ar_search_result r1, r2;
			struct archive *b;
			char err[256];
			ar_search_set_budget(A, budget ? 4000 : 0);
			assert_int_equal(ar_search(A, q[k], 20, 0, &r1), 0);
			assert_int_equal(ar_open(dbpath, AR_READONLY, &b, err, sizeof err), 0);
			ar_search_set_budget(b, budget ? 4000 : 0);
			assert_int_equal(ar_search(b, q[k], 20, 0, &r2), 0);
			assert_int_equal(r1.broad, r2.broad);
			assert_int_equal(r1.cost, r2.cost);
			assert_int_equal(r1.total, r2.total);
			assert_int_equal(r1.n, r2.n);
			for (size_t i = 0; i < r1.n; i++)
				assert_int_equal(r1.hits[i].id, r2.hits[i].id);
			ar_search_free(&r1);
			ar_search_free(&r2);
			ar_close(b);
		}
	ar_search_set_budget(A, 0);
}

/* The work estimate is calibrated per kind of work (issue 19): a
 * phrase's positions cost three times a word's (checked against the next
 * token's), a query of several phrases four and a half times (each
 * phrase's rows counted in a pass of its own, every instance listed), so
 * that what is ranked under the budget takes the same time whatever its
 * kind. */
static void test_cost_per_kind(void **state)
{
	struct ar_search_result r;
	int64_t c[5];
	const char *q[5] = { "common", "word", "\"common word\"", "common OR word", "common word" };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ar_search(A, q[i], 1, 0, &r), 0);
		c[i] = r.cost;
		ar_search_free(&r);
	}
	assert_true(c[0] > 0 && c[1] > 0);
	int64_t words = c[0] + c[1];
	assert_true(llabs(c[2] - 3 * words) <= 2);            /* a phrase */
	assert_true(llabs(c[3] * 2 - 9 * words) <= 4);        /* an OR: 4.5 × */
	assert_true(c[4] >= c[3]);                            /* an AND: no less */
}

/* A lower-case transcript (speech recognition often writes no capital
 * letter): every hit of "the" is counted — the search for the capital
 * form of its first letter no longer starts again at each hit, which made
 * this quadratic — and a count that would read more than a result's
 * share of text is given as a lower bound. */
static void test_lower_case_counts(void **state)
{
	enum { REPS = 100000 };
	static const char unit[] = "the cat and the dog theme bathe them ";   /* 2 "the" */
	size_t ul = sizeof unit - 1;
	char *big = malloc(ul * REPS + 64);
	assert_non_null(big);
	size_t n = 0;
	for (int i = 0; i < REPS; i++) {
		memcpy(big + n, unit, ul);
		n += ul;
	}
	memcpy(big + n, "The end THE", 12);   /* 2 more, in other cases */
	int64_t id = add_doc("lower case talk", big, NULL, "lower");
	ar_search_set_budget(A, 1);   /* unranked: hits counted in the text */
	struct ar_search_result r;
	assert_int_equal(ar_search(A, "the", 5, 0, &r), 0);
	assert_true(r.broad);
	assert_int_equal(r.hits[0].id, id);
	assert_int_equal(r.hits[0].hits, 2 * REPS + 2);
	assert_int_equal(r.hits[0].hits_partial, 0);
	ar_search_free(&r);
	/* five needles over 3.7 MB: more than one result's 16 MB of counting
	 * (6 hits in each repeat, counted in 16 / 5 MB of it) */
	assert_int_equal(ar_search(A, "the OR cat OR and OR dog OR them", 5, 0, &r), 0);
	assert_int_equal(r.hits[0].id, id);
	assert_int_equal(r.hits[0].hits_partial, 1);
	assert_true(r.hits[0].hits > 5 * REPS);
	assert_true(r.hits[0].hits < 6 * REPS);   /* counted in part */
	ar_search_free(&r);
	ar_search_set_budget(A, 0);
	free(big);
}

/* ar_interrupt stops a search, also one that has not begun yet, until
 * ar_interrupt_reset (the app's worker: Esc or a new key stops the query
 * at once). */
static void test_interrupt(void **state)
{
	struct ar_search_result r;
	ar_interrupt(A);
	assert_int_equal(ar_search(A, "马斯克", 5, 0, &r), -1);
	assert_non_null(strstr(ar_error(A), "interrupted"));
	assert_int_equal(ar_search(A, "the", 5, 0, &r), -1);   /* until reset */
	ar_interrupt_reset(A);
	assert_int_equal(ar_search(A, "马斯克", 5, 0, &r), 0);
	assert_true(r.n >= 1);
	ar_search_free(&r);
}

/* Quoted phrases across the tokenizer's boundaries between runs of
 * characters and scripts (a space, CJK then Latin): the unquoted form
 * always found them, the quoted one never did. Last: its document would
 * change other tests' counts. */
static void test_cjk_phrases(void **state)
{
	struct ar_search_result r;
	int64_t sp = add_doc("短语测试", "我并不觉得 他是真正拿 Grok4 来做商业化。再写一遍：觉得他是连着。",
	                     NULL, "phrase-cjk");
	static const struct { const char *q; int total; } ph[] = {
		{ "\"觉得 他是\"", 1 }, { "\"真正拿 Grok4\"", 1 }, { "\"不觉得 他是真正\"", 1 },
		{ "\"觉得 他\"", 1 }, { "\"拿 Grok4 来做\"", 1 }, { "\"觉得他是连着\"", 1 },
		{ "\"觉得 是\"", 0 }, { "\"真正 Grok4\"", 0 }, { "\"他是 真正\"", 1 },
	};
	for (size_t i = 0; i < sizeof ph / sizeof ph[0]; i++) {
		search(ph[i].q, &r);
		if (r.total != ph[i].total)
			fail_msg("%s: %lld matches, want %d", ph[i].q, (long long)r.total, ph[i].total);
		if (ph[i].total)
			assert_int_equal(r.hits[0].id, sp);
		ar_search_free(&r);
	}
	/* a run ending in a traditional character: the unigram it owes is
	 * folded as the index has it (电, not 電), either way round */
	int64_t tw = add_doc("繁体短语", "据说台積電 產能很高。", NULL, "phrase-t2s");
	const char *tq[] = { "\"台積電 產能\"", "\"台积电 产能\"", "\"台積電 产能很\"" };
	for (size_t i = 0; i < sizeof tq / sizeof tq[0]; i++) {
		search(tq[i], &r);
		if (r.total != 1)
			fail_msg("%s: %lld matches, want 1", tq[i], (long long)r.total);
		assert_int_equal(r.hits[0].id, tw);
		ar_search_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenizer),
		cmocka_unit_test(test_query_compile),
		cmocka_unit_test(test_cjk),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_snippet_and_counts),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_snippet_width),
		cmocka_unit_test(test_broad),
		cmocka_unit_test(test_broad_prefix),
		cmocka_unit_test(test_budget_deterministic),
		cmocka_unit_test(test_t2s_migration),
		cmocka_unit_test(test_cost_per_kind),
		cmocka_unit_test(test_lower_case_counts),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_cjk_phrases),
	};
	return cmocka_run_group_tests_name("search", tests, setup, teardown);
}
