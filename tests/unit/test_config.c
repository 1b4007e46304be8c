/* test_config.c — the INI configuration file (tui/config.h). */
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

#include "tests/unit/support.h"
#include "tui/config.h"

static int has_msg(const struct cfg *c, const char *needle)
{
	const char *const *m;
	size_t n = cfg_messages(c, &m);
	for (size_t i = 0; i < n; i++)
		if (strstr(m[i], needle))
			return 1;
	return 0;
}

static void test_values_and_types(void **state)
{
	struct cfg *c = cfg_load_string(
		"; a comment\n"
		"# another\n"
		"[ui]\n"
		"stack_below = 100\n"
		"mouse = yes\n"
		"ratio = 0.5\n"
		"layout = stacked\n"
		"[LLM]\n"
		"model = deepseek-chat ; inline comment\n"
		"base_url: http://127.0.0.1:8080/v1\n", "cfg");
	assert_int_equal(cfg_get_int(c, "ui", "stack_below", 80, 20, 1000), 100);
	assert_int_equal(cfg_get_bool(c, "UI", "Mouse", 0), 1);
	assert_true(cfg_get_double(c, "ui", "ratio", 0.3, 0, 1) == 0.5);
	static const char *const layouts[] = { "auto", "side", "stacked", NULL };
	assert_int_equal(cfg_get_enum(c, "ui", "layout", layouts, 0), 2);
	assert_string_equal(cfg_get(c, "llm", "model"), "deepseek-chat");
	assert_string_equal(cfg_get(c, "llm", "base_url"), "http://127.0.0.1:8080/v1");
	assert_null(cfg_get(c, "llm", "api_key"));
	const char *const *m;
	assert_int_equal(cfg_messages(c, &m), 0);
	cfg_free(c);
}

static void test_bad_values_keep_defaults_with_line_numbers(void **state)
{
	struct cfg *c = cfg_load_string(
		"[ui]\n"
		"stack_below = wide\n"
		"mouse = perhaps\n"
		"this line has no equals sign\n"
		"[keys\n"
		"layout = diagonal\n"
		"typo_key = 1\n", "my.conf");
	assert_int_equal(cfg_get_int(c, "ui", "stack_below", 100, 20, 1000), 100);
	assert_int_equal(cfg_get_bool(c, "ui", "mouse", 0), 0);
	static const char *const layouts[] = { "auto", "side", "stacked", NULL };
	assert_int_equal(cfg_get_enum(c, "ui", "layout", layouts, 0), 0);
	cfg_check_unused(c, NULL);
	assert_true(has_msg(c, "my.conf:2: ui.stack_below wants a whole number"));
	assert_true(has_msg(c, "my.conf:3: ui.mouse wants yes or no"));
	assert_true(has_msg(c, "my.conf:4: not 'key = value'"));
	assert_true(has_msg(c, "my.conf:5: section name without ']'"));
	assert_true(has_msg(c, "my.conf:6: ui.layout is one of auto, side, stacked"));
	assert_true(has_msg(c, "my.conf:7: unknown key 'typo_key' in [ui]"));
	cfg_free(c);
}

static void test_unused_only_for_named_sections(void **state)
{
	struct cfg *c = cfg_load_string("[ui]\nx = 1\n[llm]\ny = 2\n", "c");
	static const char *const mine[] = { "ui", NULL };
	cfg_check_unused(c, mine);
	assert_true(has_msg(c, "unknown key 'x' in [ui]"));
	assert_false(has_msg(c, "'y'"));
	cfg_free(c);
}

static void test_section_lists_entries_in_order(void **state)
{
	struct cfg *c = cfg_load_string("[keys]\nlist.quit = Q\nreader.next = J\n[ui]\n", "c");
	const struct cfg_entry **e;
	size_t n = cfg_section(c, "keys", &e);
	assert_int_equal(n, 2);
	assert_string_equal(e[0]->key, "list.quit");
	assert_string_equal(e[1]->value, "J");
	assert_int_equal(e[1]->line, 3);
	cfg_free(c);
}

static void test_hostile_text_in_messages_is_clean(void **state)
{
	struct cfg *c = cfg_load_string("[ui]\nmouse = \x1b]52;c;aGk=\x07\n", "c");
	assert_int_equal(cfg_get_bool(c, "ui", "mouse", 0), 0);
	const char *const *m;
	size_t n = cfg_messages(c, &m);
	assert_int_equal(n, 1);
	assert_null(strchr(m[0], '\x1b'));
	assert_null(strchr(m[0], '\x07'));
	cfg_free(c);
}

static void test_missing_file_is_empty(void **state)
{
	struct cfg *c = cfg_load("/nonexistent-dir-precis/config");
	const char *const *m;
	assert_int_equal(cfg_messages(c, &m), 0);
	assert_int_equal(cfg_mode(c), 0);
	assert_null(cfg_get(c, "ui", "x"));
	cfg_free(c);
}

static void test_store_keeps_comments_and_replaces_in_place(void **state)
{
	char dir[] = "/tmp/precis-cfg-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/sub/config", dir);

	/* New file, new directory, mode 0600. */
	assert_int_equal(cfg_store(path, "ui", "layout", "stacked", err, sizeof err), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	size_t len;
	char *t = t_slurp(path, &len);
	assert_string_equal(t, "[ui]\nlayout = stacked\n");
	free(t);

	FILE *f = fopen(path, "w");
	fputs("; mine\n[ui]\n# split\nlayout = side ; old\nmouse = no\n\n[llm]\nmodel = x\n", f);
	fclose(f);
	assert_int_equal(cfg_store(path, "ui", "layout", "auto", err, sizeof err), 0);
	assert_int_equal(cfg_store(path, "ui", "split", "40", err, sizeof err), 0);
	assert_int_equal(cfg_store(path, "colors", "theme", "dark", err, sizeof err), 0);
	t = t_slurp(path, &len);
	assert_string_equal(t, "; mine\n[ui]\n# split\nlayout = auto\nmouse = no\nsplit = 40\n\n"
	                       "[llm]\nmodel = x\n\n[colors]\ntheme = dark\n");
	free(t);
	struct cfg *c = cfg_load(path);
	assert_string_equal(cfg_get(c, "ui", "split"), "40");
	assert_string_equal(cfg_get(c, "colors", "theme"), "dark");
	cfg_free(c);

	/* A value with a newline would forge a line: refused. */
	assert_int_equal(cfg_store(path, "ui", "layout", "a\n[llm]", err, sizeof err), -1);

	unlink(path);
	snprintf(path, sizeof path, "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_types),
		cmocka_unit_test(test_bad_values_keep_defaults_with_line_numbers),
		cmocka_unit_test(test_unused_only_for_named_sections),
		cmocka_unit_test(test_section_lists_entries_in_order),
		cmocka_unit_test(test_hostile_text_in_messages_is_clean),
		cmocka_unit_test(test_missing_file_is_empty),
		cmocka_unit_test(test_store_keeps_comments_and_replaces_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
