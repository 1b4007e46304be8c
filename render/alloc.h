/* alloc.h — the one family of fail-fast allocation wrappers.
 *
 * Every module of precis (db/, render/, net/, tui/) allocates through
 * these: on failure they print one line "precis: out of memory (…)" and
 * end the process with exit status 1 (never a bare abort), so no caller
 * tests for NULL. Sizes of 0 allocate one byte (never NULL), and
 * element counts are checked for overflow. A leaf: needs only libc.
 */
#ifndef PRECIS_RENDER_ALLOC_H
#define PRECIS_RENDER_ALLOC_H

#include <stddef.h>

/* Prints "precis: out of memory (…n…)" and exits with status 1: for a
 * library that returned NULL (n: the bytes it wanted, SIZE_MAX unknown). */
_Noreturn void xoom(size_t n);

/* fn (may be NULL) runs once before that message: the full-screen app
 * gives the terminal back there (endwin), so the line is readable. */
void xoom_hook(void (*fn)(void));

/* malloc(n); never NULL. */
void *xmalloc(size_t n);

/* calloc(n, size): zeroed memory for n elements; never NULL. */
void *xcalloc(size_t n, size_t size);

/* realloc(p, n); never NULL. */
void *xrealloc(void *p, size_t n);

/* realloc(p, n * size) with the product checked for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);

/* A malloc'd copy of the NUL-terminated s. */
char *xstrdup(const char *s);

/* A malloc'd NUL-terminated copy of s[0..n) (s may be NULL when n == 0). */
char *xstrndup(const char *s, size_t n);

/* Grows the array *pp (elements of el bytes, *cap of them) so that it
 * holds at least need elements, doubling from 8. */
void xgrow(void *pp, size_t *cap, size_t need, size_t el);

#endif
