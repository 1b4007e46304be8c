/* test_evidence.c — the evidence engine (db/evidence.h): the scanner's
 * normalisation of what speech recognition writes differently, which
 * summary lines are claims, passages, verdicts, highlighting, and the
 * sample record end to end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/evidence.h"
#include "db/evidence_int.h"
#include "tests/unit/support.h"

struct atoms {
	char buf[2048];
	size_t len;
};

static void collect(void *ctx, const struct ev_atom *a)
{
	struct atoms *k = ctx;
	char one[256];
	switch (a->kind) {
	case EA_CJK: {
		char u[5] = { 0 };
		uint32_t c = a->cp;
		if (c < 0x10000) {
			u[0] = (char)(0xE0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
		}
		snprintf(one, sizeof one, "%s%s", a->joined ? "" : "|", u);
		break;
	}
	case EA_WORD:
		snprintf(one, sizeof one, " w:%.*s%s", a->n, a->s, a->joined ? "+" : "");
		break;
	case EA_NUM:
		snprintf(one, sizeof one, " n:%.*s%s", a->n, a->s, a->unit);
		break;
	}
	int n = snprintf(k->buf + k->len, sizeof k->buf - k->len, "%s", one);
	if (n > 0)
		k->len += (size_t)n;
	if (k->len >= sizeof k->buf)
		k->len = sizeof k->buf - 1;
}

static const char *atoms(const char *s)
{
	static struct atoms k;
	k.len = 0;
	k.buf[0] = 0;
	ev_scan(s, strlen(s), collect, &k);
	return k.buf;
}

static void test_scan_numbers(void **state)
{
	assert_string_equal(atoms("44%"), " n:44%");
	assert_string_equal(atoms("44 %"), " n:44%");
	assert_string_equal(atoms("４４％"), " n:44%");
	assert_string_equal(atoms("256K"), " n:256k w:k");
	assert_string_equal(atoms("256 k"), " n:256k w:k");
	assert_string_equal(atoms("2,500 个"), " n:2500|个");
	assert_string_equal(atoms("Gemini 2.5 Pro"), " w:gemini n:2.5 w:pro");
	assert_string_equal(atoms("100亿"), " n:100亿|亿");
	assert_string_equal(atoms("100 亿"), " n:100亿|亿");
	assert_string_equal(atoms("3.0"), " n:3");
	assert_string_equal(atoms("44 percent"), " n:44% w:percent");
	assert_string_equal(atoms("10個百分點"), " n:10%|个百分点");
}

static void test_scan_chinese_numerals(void **state)
{
	/* 一百亿 is 100 with unit 亿 like "100亿" */
	assert_string_equal(atoms("一百亿"), "|一百 n:100亿亿");
	assert_string_equal(atoms("百分之四十四"), "|百分之四十四 n:44%");
	assert_string_equal(atoms("四十四"), "|四十四 n:44");
	assert_string_equal(atoms("两千五百个"), "|两千五百 n:2500个");
	/* 一 alone is "a", 十分 is "very" */
	assert_string_equal(atoms("一个"), "|一个");
	assert_string_equal(atoms("十分重要"), "|十分重要");
	assert_string_equal(atoms("二〇二五年"), "|二〇二五 n:2025年");
}

static void test_scan_words(void **state)
{
	/* casefold, accents, full width, joined words for "h l e" / "x AI" */
	assert_string_equal(atoms("Café ＨＬＥ"), " w:cafe w:hle+");
	assert_string_equal(atoms("h l e"), " w:h w:l+ w:e+");
	assert_string_equal(atoms("x AI, z"), " w:x w:ai+ w:z");
	assert_string_equal(atoms("Grok4"), " w:grok n:4");
	/* traditional characters become simplified */
	assert_string_equal(atoms("發表會"), "|发表会");
}

static struct ev_claim *claims(const char *md, size_t *n)
{
	struct ev_claim *c;
	assert_int_equal(ev_claims(md, strlen(md), &c, n), 0);
	return c;
}

static void test_claims_markdown(void **state)
{
	const char *md =
		"好的，以下是总结：\n"                         /* 1 lead-in */
		"\n"
		"**核心观点 (Outline)**\n"                     /* 3 bold title */
		"\n"
		"1.  **发布会回顾:**\n"                         /* 5 item title */
		"    *   发布会延迟，被形容为“寂寞”。\n"        /* 6 */
		"    *   亮点：HLE 评测 **44%**。\n"            /* 7 */
		"\n"
		"# Heading\n"                                  /* 9 */
		"\n"
		"First sentence is long enough. Second one is also long. x.\n"   /* 11 */
		"\n"
		"<Mermaid_Diagram>\n"                          /* 13 */
		"graph TD\n"
		"    A[\"马斯克<br/>(驱动者)\"] --> B;\n"      /* 15 */
		"    B --> C[\"融资\"];\n"                      /* 16 */
		"</Mermaid_Diagram>\n";
	size_t n;
	struct ev_claim *c = claims(md, &n);
	assert_int_equal(n, 6);
	assert_int_equal(c[0].line, 6);
	assert_string_equal(c[0].text, "发布会延迟，被形容为“寂寞”。");
	assert_int_equal(c[1].line, 7);
	assert_string_equal(c[1].text, "亮点：HLE 评测 44%。");
	assert_int_equal(c[2].line, 11);
	assert_string_equal(c[2].text, "First sentence is long enough.");
	assert_int_equal(c[3].line, 11);
	assert_string_equal(c[3].text, "Second one is also long. x.");
	assert_int_equal(c[4].kind, EV_NODE);
	assert_int_equal(c[4].line, 15);
	assert_string_equal(c[4].node_id, "A");
	assert_string_equal(c[4].text, "马斯克 (驱动者)");
	assert_int_equal(c[5].line, 16);
	assert_string_equal(c[5].text, "融资");
	/* offsets point at the claim in the body */
	assert_memory_equal(md + c[0].off, "发布会", strlen("发布会"));
	ev_claims_free(c, n);

	c = claims("```mermaid\ngraph LR\n  X[\"label one\"] --> Y\n```\n\nplain text here\n", &n);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].line, 3);
	assert_string_equal(c[0].text, "label one");
	assert_int_equal(c[1].line, 6);
	ev_claims_free(c, n);

	c = claims("", &n);
	assert_int_equal(n, 0);
	assert_null(c);
}

static const char *speech =
	"我并不觉得 他是真正拿 Grok4 来做商业化的 我更觉得他是拿 Grok4 来做发动机的 "
	"今天开了一个 有点开了个寂寞的发布会对吧 按照惯例 还是要请老修先给我们介绍一下 "
	"尤其是在 humanity last exam 就是 h l e 这样子的一个评测里面 他跑到了 44%的一个分数 "
	"那同期的啊 Gemini 2.5 Pro 还有 open AI 的 O3 大概只有 百分之二十五 左右 "
	"然后最终他能拿到 一百亿美金 这里面有 50%是债 有 50%是这个股权融资 "
	"马斯克 马斯克 马斯克 大家都在聊马斯克 马斯克的发布会 "
	"上下文窗口从 32K 现在做到了 256 k 差不多是 Gemini 的四分之一 "
	"我觉得马斯克的想法 很多时候是在做一个帝国 马斯克就是这样的人 "
	"这个发布会整体来讲 我觉得还是 马斯克的风格 马斯克嘛";

static struct ev_index *IX;

static enum ev_verdict verdict(const char *claim, struct ev_line *l)
{
	memset(l, 0, sizeof *l);
	ev_match(IX, claim, strlen(claim), l);
	return l->verdict;
}

static void test_match_normalised(void **state)
{
	struct ev_line l;
	IX = ev_index_new(speech, strlen(speech), NULL, 0);
	assert_true(ev_index_passages(IX) >= 3);
	/* spaced letters, percent, Chinese numerals, 256K */
	assert_int_equal(verdict("Grok4 在 HLE 评测中取得 44% 的分数", &l), EV_SUPPORTED);
	assert_true(l.npass >= 1);
	size_t at = (size_t)(strstr(speech, "44%") - speech);
	assert_true(l.pass[0].off <= at && at < l.pass[0].off + l.pass[0].len);
	assert_true(l.pass[0].start_s < 0);
	assert_int_equal(verdict("融资 100 亿美元，50% 为债", &l), EV_SUPPORTED);
	assert_int_equal(verdict("上下文窗口提升至 256K", &l), EV_SUPPORTED);
	assert_int_equal(verdict("同期 Gemini 2.5 Pro 只有 25% 左右", &l), EV_SUPPORTED);
	ev_index_free(IX);
}

static void test_match_invented(void **state)
{
	struct ev_line l;
	IX = ev_index_new(speech, strlen(speech), NULL, 0);
	/* the speaker's name everywhere, the facts nowhere */
	assert_int_equal(verdict("马斯克宣布 XAI 将于 2026 年在纳斯达克上市", &l), EV_NONE);
	assert_int_equal(verdict("马斯克计划融资 300 亿美元建设火星基地", &l), EV_NONE);
	assert_int_equal(verdict("", &l), EV_NONE);
	assert_int_equal(l.npass, 0);
	assert_int_equal(verdict("\xff\xfe garbage \x01", &l), EV_NONE);
	ev_index_free(IX);
}

static void test_passages_times(void **state)
{
	/* ASR without punctuation or spaces: fixed windows */
	char *t = malloc(30001);
	for (int i = 0; i < 10000; i++)
		memcpy(t + i * 3, "\xE5\x95\x8A", 3);   /* 啊 */
	t[30000] = 0;
	struct doc_para p[2] = { { 0, 0.0 }, { 15000, 754.0 } };
	IX = ev_index_new(t, 30000, p, 2);
	size_t np = ev_index_passages(IX);
	assert_true(np > 50 && np < 300);
	size_t prev_end = 0;
	for (size_t i = 0; i < np; i++) {
		size_t off, len;
		ev_index_passage(IX, i, &off, &len);
		assert_true(len >= 3 * 60 && len <= 3 * 220);
		assert_int_equal(off % 3, 0);           /* whole characters */
		assert_true(off <= prev_end || i == 0);  /* overlapping, no gaps */
		prev_end = off + len;
	}
	assert_int_equal(prev_end, 30000);
	struct ev_line l;
	memset(&l, 0, sizeof l);
	ev_match(IX, "啊啊", 6, &l);
	assert_true(l.npass >= 1);
	ev_index_free(IX);

	/* a time per passage from the paragraph it starts in */
	const char *sub = "first cue text here. second sentence about batteries.\n"
	                  "third cue mentions lithium and recycling plants in nevada.\n";
	struct doc_para q[2] = { { 0, 1.5 }, { 54, 62.0 } };
	IX = ev_index_new(sub, strlen(sub), q, 2);
	memset(&l, 0, sizeof l);
	ev_match(IX, "Lithium recycling plants in Nevada", 34, &l);
	assert_int_equal(l.verdict, EV_SUPPORTED);
	assert_true(l.npass >= 1);
	assert_true(l.pass[0].start_s == 1.5 || l.pass[0].start_s == 62.0);
	/* highlighting: the matching words, inside the passage */
	struct ev_range r[8];
	size_t nr = ev_terms(IX, "Lithium recycling plants in Nevada", 34, 0, strlen(sub), r, 8);
	assert_int_equal(nr, 4);
	assert_memory_equal(sub + r[0].off, "lithium", 7);
	assert_memory_equal(sub + r[3].off, "nevada", 6);
	ev_index_free(IX);
	free(t);
}

/* The sample record: every claim gets a verdict; the HLE line finds the
 * passage with 44%; the run is deterministic. */
static void test_sample_record(void **state)
{
	size_t n;
	char *rec = t_read("data/samples/000_bc66265cf390ae6e.txt", &n);
	if (!rec)
		skip();
	char *d = strstr(rec, "Description:\n"), *c = strstr(rec, "\nContent:\n");
	assert_non_null(d);
	assert_non_null(c);
	const char *body = d + 13, *text = c + 10;
	size_t blen = (size_t)(c - body), tlen = n - (size_t)(text - rec);
	struct ev_result r, r2;
	assert_int_equal(ev_compute(body, blen, text, tlen, NULL, 0, &r), 0);
	assert_true(r.n >= 40);
	assert_int_equal((size_t)(r.supported + r.weak + r.unsupported), r.n);
	int found = 0;
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.lines[i].line >= 1);
		assert_true(r.lines[i].score >= 0 && r.lines[i].score <= 1.0001);
		if (strstr(r.lines[i].text, "HLE")) {
			found = 1;
			assert_int_not_equal(r.lines[i].verdict, EV_NONE);
			const char *p = text + r.lines[i].pass[0].off;
			assert_non_null(memmem(p, r.lines[i].pass[0].len, "44%", 3));
		}
	}
	assert_true(found);
	assert_int_equal(ev_compute(body, blen, text, tlen, NULL, 0, &r2), 0);
	assert_int_equal(r2.n, r.n);
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.lines[i].verdict, r2.lines[i].verdict);
		assert_int_equal(r.lines[i].npass, r2.lines[i].npass);
	}
	ev_result_free(&r);
	ev_result_free(&r2);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_numbers),
		cmocka_unit_test(test_scan_chinese_numerals),
		cmocka_unit_test(test_scan_words),
		cmocka_unit_test(test_claims_markdown),
		cmocka_unit_test(test_match_normalised),
		cmocka_unit_test(test_match_invented),
		cmocka_unit_test(test_passages_times),
		cmocka_unit_test(test_sample_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
