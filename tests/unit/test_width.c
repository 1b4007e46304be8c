/* test_width.c — display width (render/width.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "render/width.h"

static void test_ascii_and_cjk(void **state)
{
	assert_int_equal(rw_swidth("abc"), 3);
	assert_int_equal(rw_swidth("算力"), 4);
	assert_int_equal(rw_swidth("a算b"), 4);
}

static void test_combining_joins_base(void **state)
{
	assert_int_equal(rw_swidth("e\xcc\x81"), 1);          /* e + U+0301 */
	assert_int_equal(rw_swidth("\xf0\x9f\x91\x8d"), 2);   /* 👍 */
}

static void test_invalid_bytes(void **state)
{
	assert_int_equal(rw_width("\xff", 1), 1);
	int32_t cp;
	assert_int_equal(rw_decode("\xc3", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_and_cjk),
		cmocka_unit_test(test_combining_joins_base),
		cmocka_unit_test(test_invalid_bytes),
	};
	return cmocka_run_group_tests_name("width", tests, NULL, NULL);
}
