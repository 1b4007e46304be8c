/* test_worddiff.c — word-level, CJK-aware comparison of two versions
 * (render/worddiff.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/buf.h"
#include "render/worddiff.h"

/* The merged text with [-deleted-] and {+inserted+} marks. */
static char *show(const char *a, const char *b)
{
	struct wd_result r;
	wd_diff(a, strlen(a), b, strlen(b), &r);
	struct buf o = { 0 };
	for (size_t i = 0; i < r.n; i++) {
		const struct wd_span *s = &r.spans[i];
		const char *src = s->op == WD_INS ? b : a;
		if (s->op == WD_DEL) buf_puts(&o, "[-");
		if (s->op == WD_INS) buf_puts(&o, "{+");
		buf_put(&o, src + s->off, s->len);
		if (s->op == WD_DEL) buf_puts(&o, "-]");
		if (s->op == WD_INS) buf_puts(&o, "+}");
	}
	wd_free(&r);
	return buf_take(&o);
}

/* The old text is the kept and deleted spans; the new one the kept and
 * inserted: a diff that loses nothing. */
static void check_rebuild(const char *a, const char *b)
{
	struct wd_result r;
	wd_diff(a, strlen(a), b, strlen(b), &r);
	struct buf x = { 0 }, y = { 0 };
	for (size_t i = 0; i < r.n; i++) {
		const struct wd_span *s = &r.spans[i];
		if (s->op != WD_INS)
			buf_put(&x, a + s->off, s->len);
		if (s->op != WD_DEL)
			buf_put(&y, (s->op == WD_INS ? b : a) + s->off, s->len);
	}
	assert_string_equal(x.p ? x.p : "", a);
	assert_string_equal(y.p ? y.p : "", b);
	buf_free(&x);
	buf_free(&y);
	wd_free(&r);
}

static void test_words(void **state)
{
	char *s = show("the quick brown fox", "the slow brown fox");
	assert_string_equal(s, "the [-quick-]{+slow+} brown fox");
	free(s);
	s = show("same\n", "same\n");
	assert_string_equal(s, "same\n");
	free(s);
	check_rebuild("the quick brown fox", "the slow brown fox jumps");
}

static void test_cjk_characters_are_words(void **state)
{
	char *s = show("算力决定了模型的上限。", "算力决定了应用的上限。");
	assert_string_equal(s, "算力决定了[-模型-]{+应用+}的上限。");
	free(s);
	check_rebuild("马斯克的 XAI 战略", "马斯克的 xAI 大战略！");
}

static void test_lines_then_words(void **state)
{
	const char *a = "**核心主旨 (Core Point)**\n\n旧的要点。\n\n**总体框架**\n\n不变的框架。\n";
	const char *b = "**核心主旨 (Core Point)**\n\n新的要点。\n\n**总体框架**\n\n不变的框架。\n";
	char *s = show(a, b);
	assert_string_equal(s, "**核心主旨 (Core Point)**\n\n[-旧-]{+新+}的要点。\n\n**总体框架**\n\n不变的框架。\n");
	free(s);
	check_rebuild(a, b);
	check_rebuild("", "new text");
	check_rebuild("old text", "");
	check_rebuild("a\nb\nc\n", "c\nb\na\n");
}

static void test_large_inputs_stay_bounded(void **state)
{
	/* two unrelated 60 KB texts: no quadratic blow-up, still exact */
	size_t n = 60000;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		a[i] = "abcdefg "[i % 8];
		b[i] = "hijklmn\n"[i % 8];
	}
	a[n] = b[n] = 0;
	check_rebuild(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_cjk_characters_are_words),
		cmocka_unit_test(test_lines_then_words),
		cmocka_unit_test(test_large_inputs_stay_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
