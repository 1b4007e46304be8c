/* test_evidence_set.c — regression guard for the evidence method: on the
 * labelled set (tests/fixtures/evidence/, tests/unit/evidence_eval.h) the
 * first passage must overlap the cited range for ≥ 80 % of the real lines,
 * ≥ 80 % of the invented lines must be marked none, and ≤ 10 % of the
 * real lines. Run on the tuned part and the held-out part separately (the
 * held-out transcripts live in the corpus, ../shared or $SHARED; without
 * it that part is skipped and counted). Timing is measured in `make bench`,
 * never here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/evidence_eval.h"
#include "tests/unit/support.h"

static void check_part(int held_out)
{
	if (held_out)
		t_corpus("transcripts");   /* skips (counted) without the corpus */
	struct eval_counts c = { 0 };
	int sets = 0;
	for (size_t i = 0; i < sizeof eval_files / sizeof eval_files[0]; i++) {
		struct eval_set s;
		assert_int_equal(eval_set_run(".", eval_files[i], &s, 0), 0);
		if (s.held_out != held_out)
			continue;
		if (!s.loaded)
			fail_msg("%s: transcript %s missing", s.name, s.transcript);
		eval_add(&c, &s.c);
		sets++;
	}
	assert_true(sets > 0);
	print_message("# %s: precision %.2f (%d real), real none %.2f, invented none %.2f (%d)\n",
	              held_out ? "held out" : "tune", eval_ratio(c.real_hit, c.real), c.real,
	              eval_ratio(c.real_none, c.real), eval_ratio(c.invented_none, c.invented),
	              c.invented);
	assert_true(c.real >= 10 && c.invented >= 5);
	assert_true(eval_ratio(c.real_hit, c.real) >= 0.8);
	assert_true(eval_ratio(c.invented_none, c.invented) >= 0.8);
	assert_true(eval_ratio(c.real_none, c.real) <= 0.1);
}

static void test_tuned_part(void **state)
{
	check_part(0);
}

static void test_held_out_part(void **state)
{
	check_part(1);
}

/* The set itself: at least 40 real and 15 invented lines, ranges inside
 * their transcripts. */
static void test_set_size(void **state)
{
	struct eval_counts c = { 0 };
	for (size_t i = 0; i < sizeof eval_files / sizeof eval_files[0]; i++) {
		struct eval_set s;
		assert_int_equal(eval_set_run(".", eval_files[i], &s, 0), 0);
		if (!s.loaded) {
			t_corpus("transcripts");   /* a held-out transcript: skip without the corpus */
			fail_msg("%s: transcript %s missing", s.name, s.transcript);
		}
		eval_add(&c, &s.c);
	}
	assert_true(c.real >= 40);
	assert_true(c.invented >= 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_size),
		cmocka_unit_test(test_tuned_part),
		cmocka_unit_test(test_held_out_part),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
