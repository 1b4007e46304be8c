/* support.c — helpers shared by the unit tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/support.h"

char *t_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(n > 0 ? (size_t)n + 1 : 1);
	assert_non_null(b);
	size_t got = n > 0 ? fread(b, 1, (size_t)n, f) : 0;
	assert_int_equal(got, n > 0 ? (size_t)n : 0);
	fclose(f);
	b[got] = '\0';
	*len = got;
	return b;
}

char *t_slurp(const char *path, size_t *len)
{
	char *b = t_read(path, len);
	if (!b)
		fail_msg("cannot open %s", path);
	return b;
}

int t_starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}
