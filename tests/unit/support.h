/* support.h — helpers shared by the unit tests (linked into every one).
 * Include after <cmocka.h>. */
#ifndef PRECIS_TESTS_SUPPORT_H
#define PRECIS_TESTS_SUPPORT_H

#include <stddef.h>

/* The malloc'd, NUL-terminated bytes of a file and their count in *len;
 * NULL when it cannot be opened. */
char *t_read(const char *path, size_t *len);

/* Like t_read, but a missing file fails the running test. */
char *t_slurp(const char *path, size_t *len);

/* 1 when s (may be NULL) begins with prefix. */
int t_starts_with(const char *s, const char *prefix);

#endif
