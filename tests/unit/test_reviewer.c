/* test_reviewer.c — who reviews (tui/reviewer.h): --reviewer, else
 * [review] name, else the login name; always one clean line of at most 64
 * bytes, never cut inside a character. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/support.h"
#include "tui/config.h"
#include "tui/reviewer.h"

static void test_order(void **state)
{
	(void)state;
	char buf[128];
	struct cfg *c = cfg_load_string("[review]\nname = Ada Reviewer\n", "cfg");
	assert_string_equal(reviewer_name("Bob", c, buf, sizeof buf), "Bob");
	assert_string_equal(reviewer_name(NULL, c, buf, sizeof buf), "Ada Reviewer");
	assert_string_equal(reviewer_name("   ", c, buf, sizeof buf), "Ada Reviewer");
	cfg_free(c);
	/* no config: the login name */
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		assert_string_equal(reviewer_name(NULL, NULL, buf, sizeof buf), pw->pw_name);
	else
		assert_true(strlen(reviewer_name(NULL, NULL, buf, sizeof buf)) < sizeof buf);
}

static void test_clean(void **state)
{
	(void)state;
	char buf[128];
	/* control characters dropped, ends trimmed */
	assert_string_equal(reviewer_name("  eve\033[2J\t\x7f ", NULL, buf, sizeof buf), "eve[2J");
	/* at most 64 bytes, cut at a character: 30 two-byte letters are 60
	 * bytes, the 33rd would end at 66 */
	char longname[200] = "";
	for (int i = 0; i < 40; i++)
		strcat(longname, "é");
	reviewer_name(longname, NULL, buf, sizeof buf);
	assert_true(strlen(buf) <= 64);
	assert_int_equal(strlen(buf) % 2, 0);
	assert_int_equal(t_unsafe_at(buf, strlen(buf), ""), -1);
	/* a small buffer */
	char small[8];
	reviewer_name("abcdefghijk", NULL, small, sizeof small);
	assert_string_equal(small, "abcdefg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_clean),
	};
	return cmocka_run_group_tests_name("reviewer", tests, NULL, NULL);
}
