/* test_prompt.c — prompt templates (net/prompt.h) and the checks of an
 * answer (net/answer.h). */
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

#include "net/answer.h"
#include "net/prompt.h"
#include "tests/unit/support.h"

static void test_builtin_default(void **state)
{
	struct prompt p;
	char err[300];
	assert_int_equal(prompt_load(NULL, "default", &p, err, sizeof err), 0);
	assert_string_equal(p.name, "default");
	assert_string_equal(p.source, "built-in");
	for (int i = 0; i < PP_N; i++)
		assert_true(p.part[i][0] != 0);
	assert_int_equal(p.check.nsections, 3);
	assert_string_equal(p.check.sections[1], "Core Point");
	assert_int_equal(p.check.mermaid, 2);
	assert_int_equal(p.check.title, 1);
	/* the format asks for the archive's structure */
	assert_non_null(strstr(p.part[PP_FORMAT], "(Structured Outline)"));
	assert_non_null(strstr(p.part[PP_FORMAT], "(Overarching Framework)"));
	assert_non_null(strstr(p.part[PP_FORMAT], "<Mermaid_Diagram>"));
	assert_non_null(strstr(p.part[PP_FORMAT], "Title:"));
	struct prompt_vars v = { .transcript = "我们 {{chunk}} 算力", .title_hint = " titled \"X\"" };
	char *s = prompt_render(&p, PP_SUMMARY, &v);
	/* the format is inlined, the transcript inserted once and verbatim */
	assert_non_null(strstr(s, "(Core Point)"));
	assert_non_null(strstr(s, "<transcript>\n我们 {{chunk}} 算力\n</transcript>"));
	assert_non_null(strstr(s, "below titled \"X\""));
	assert_null(strstr(s, "{{transcript}}"));
	free(s);
	struct prompt_vars nv = { .chunk = "块", .part = 3, .parts = 12 };
	s = prompt_render(&p, PP_NOTES, &nv);
	assert_non_null(strstr(s, "part 3 of 12"));
	free(s);
	prompt_free(&p);
	assert_int_equal(prompt_load(NULL, "nope", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "no prompt named 'nope'"));
	assert_int_equal(prompt_load(NULL, "../etc/passwd", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a prompt name"));
}

static void test_file_overrides_and_errors(void **state)
{
	char dir[] = "/tmp/precis-prompt-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/brief.prompt", dir);
	FILE *f = fopen(path, "w");
	fputs("# my prompt\n\n[summary]\nBriefly: {{transcript}}\n\n[check]\nsections = Core Point\n"
	      "mermaid = optional\ntitle = no\n", f);
	fclose(f);
	struct prompt p;
	char err[300];
	assert_int_equal(prompt_load(dir, "brief", &p, err, sizeof err), 0);
	assert_string_equal(p.part[PP_SUMMARY], "Briefly: {{transcript}}");
	/* the rest comes from the default */
	assert_non_null(strstr(p.part[PP_NOTES], "{{chunk}}"));
	assert_int_equal(p.check.nsections, 1);
	assert_int_equal(p.check.mermaid, 1);
	assert_int_equal(p.check.title, 0);
	char fp[17];
	snprintf(fp, sizeof fp, "%s", p.fingerprint);
	prompt_free(&p);
	/* a typo in a section name or placeholder is an error with its line */
	f = fopen(path, "w");
	fputs("[sumary]\n{{transcript}}\n", f);
	fclose(f);
	assert_int_equal(prompt_load(dir, "brief", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "brief.prompt:1: unknown section [sumary]"));
	f = fopen(path, "w");
	fputs("[system]\nhi\n[summary]\n{{transcrpt}}\n", f);
	fclose(f);
	assert_int_equal(prompt_load(dir, "brief", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown placeholder {{transcrpt}} in [summary]"));
	f = fopen(path, "w");
	fputs("[notes]\nno chunk here\n", f);
	fclose(f);
	assert_int_equal(prompt_load(dir, "brief", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "[notes] never uses {{chunk}}"));
	f = fopen(path, "w");
	fputs("stray text\n[summary]\n{{transcript}}\n", f);
	fclose(f);
	assert_int_equal(prompt_load(dir, "brief", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, ":1: text before the first [section]"));
	/* default.prompt in the directory replaces the built-in one */
	snprintf(path, sizeof path, "%s/default.prompt", dir);
	f = fopen(path, "w");
	fputs("[summary]\nMine: {{transcript}}\n", f);
	fclose(f);
	assert_int_equal(prompt_load(dir, "default", &p, err, sizeof err), 0);
	assert_string_equal(p.part[PP_SUMMARY], "Mine: {{transcript}}");
	assert_string_not_equal(p.fingerprint, fp);
	prompt_free(&p);
	unlink(path);
	snprintf(path, sizeof path, "%s/brief.prompt", dir);
	unlink(path);
	rmdir(dir);
}

static const char GOOD[] =
	"Title: 《算力与野心》\n\n"
	"**核心观点总结 (Structured Outline)**\n\n1. **一:**\n    * 点\n\n"
	"**核心主旨 (Core Point)**\n\n要点。\n\n"
	"**总体框架 (Overarching Framework)**\n\n框架。\n\n"
	"**Mermaid 概念图 (Mermaid Conceptual Map)**\n\n"
	"<Mermaid_Diagram>\ngraph TD\n    A[\"算力\"] --> B[\"模型\"]\n</Mermaid_Diagram>\n";

static struct prompt_check default_check(void)
{
	struct prompt p;
	char err[200];
	assert_int_equal(prompt_load(NULL, "default", &p, err, sizeof err), 0);
	struct prompt_check c = p.check;
	prompt_free(&p);
	return c;
}

static void test_good_answer(void **state)
{
	struct prompt_check c = default_check();
	struct answer a;
	answer_check(GOOD, &c, &a);
	assert_int_equal(a.nproblems, 0);
	assert_false(a.fatal);
	assert_string_equal(a.title, "算力与野心");
	assert_true(t_starts_with(a.body, "**核心观点总结"));
	assert_string_equal(a.mermaid, "graph TD\n    A[\"算力\"] --> B[\"模型\"]\n");
	assert_string_equal(a.warning, "");
	answer_free(&a);
	/* "**Title:** x" and a fullwidth colon work too */
	char buf[2048];
	snprintf(buf, sizeof buf, "**标题：** 一个题目\n%s", strchr(GOOD, '\n') + 1);
	answer_check(buf, &c, &a);
	assert_string_equal(a.title, "一个题目");
	answer_free(&a);
}

static void test_bad_answers(void **state)
{
	struct prompt_check c = default_check();
	struct answer a;
	answer_check("  \n\n ", &c, &a);
	assert_true(a.fatal);
	assert_string_equal(a.reason, "the model returned an empty answer");
	answer_free(&a);
	answer_check("Title: only a title\n", &c, &a);
	assert_true(a.fatal);
	answer_free(&a);
	/* no map */
	char buf[2048];
	snprintf(buf, sizeof buf, "%.*s", (int)(strstr(GOOD, "<Mermaid") - GOOD), GOOD);
	answer_check(buf, &c, &a);
	assert_true(a.fatal);
	assert_true(t_starts_with(a.reason, "no Mermaid map"));
	answer_free(&a);
	/* a section missing */
	answer_check("Title: t\n(Structured Outline) (Overarching Framework)\n<Mermaid_Diagram>\ngraph TD\nA-->B\n</Mermaid_Diagram>", &c, &a);
	assert_true(a.fatal);
	assert_string_equal(a.reason, "sections missing: Core Point");
	answer_free(&a);
	/* a map with a bad line: a problem for repair, not fatal */
	const char *bad = "Title: t\n(Structured Outline) (Core Point) (Overarching Framework)\n"
	                  "<Mermaid_Diagram>\ngraph TD\nA --> B\nthis is not mermaid ((( \n</Mermaid_Diagram>\n";
	answer_check(bad, &c, &a);
	assert_false(a.fatal);
	assert_true(a.nproblems >= 1);
	assert_true(t_starts_with(a.warning, "the map has 4 problems (line 3: "));
	assert_non_null(strstr(buf_str(&a.problems), "in the Mermaid map, line 3"));
	answer_free(&a);
	/* a line only mermaid-js rejects (a linkStyle it refuses) is a note,
	 * not a problem: no repair request for it, no warning stored */
	bad = "Title: t\n(Structured Outline) (Core Point) (Overarching Framework)\n"
	      "<Mermaid_Diagram>\ngraph TD\nA --> B\nlinkStyle 7 stroke:#f00\n</Mermaid_Diagram>\n";
	answer_check(bad, &c, &a);
	assert_false(a.fatal);
	assert_int_equal(a.nproblems, 0);
	assert_string_equal(a.warning, "");
	answer_free(&a);
	/* nothing drawable at all */
	bad = "Title: t\n(Structured Outline) (Core Point) (Overarching Framework)\n"
	      "<Mermaid_Diagram>\n%% nothing\n</Mermaid_Diagram>\n";
	answer_check(bad, &c, &a);
	assert_false(a.fatal);
	assert_true(t_starts_with(a.warning, "the map does not parse"));
	answer_free(&a);
	/* no title line: a problem, the body is kept whole */
	answer_check(strchr(GOOD, '\n') + 2, &c, &a);
	assert_null(a.title);
	assert_int_equal(a.nproblems, 1);
	assert_false(a.fatal);
	answer_free(&a);
}

/* Where the summary starts, also in an answer still streaming in. */
static void test_body_start(void **state)
{
	(void)state;
	const char *t;
	size_t tl;
	const char *a = "Title: 假模型的标题\n\n**核心观点**\n正文";
	size_t off = answer_body_start(a, strlen(a), &t, &tl);
	assert_string_equal(a + off, "**核心观点**\n正文");
	assert_non_null(t);
	assert_int_equal(tl, strlen("假模型的标题"));
	assert_memory_equal(t, "假模型的标题", tl);
	const char *b = "\n  **Title:** Bold one\n  indented text";
	off = answer_body_start(b, strlen(b), &t, &tl);
	assert_string_equal(b + off, "  indented text");   /* indentation kept */
	assert_memory_equal(t, "Bold one", tl);
	const char *c = "标题：中文标题\n正文";
	off = answer_body_start(c, strlen(c), &t, &tl);
	assert_string_equal(c + off, "正文");
	const char *d = "No title here\nbody";
	assert_int_equal(answer_body_start(d, strlen(d), &t, &tl), 0);
	assert_null(t);
	/* still streaming: the title line complete or not, nothing after it */
	const char *e = "Title: half";
	assert_int_equal(answer_body_start(e, strlen(e), &t, &tl), strlen(e));
	assert_non_null(t);
	assert_int_equal(answer_body_start("", 0, NULL, NULL), 0);
	/* the check takes the same title and body */
	struct prompt_check none = { 0 };
	struct answer ans;
	answer_check(a, &none, &ans);
	assert_string_equal(ans.title, "假模型的标题");
	assert_string_equal(ans.body, "**核心观点**\n正文");
	answer_free(&ans);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_default),
		cmocka_unit_test(test_file_overrides_and_errors),
		cmocka_unit_test(test_good_answer),
		cmocka_unit_test(test_bad_answers),
		cmocka_unit_test(test_body_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
