/* alloc.c — fail-fast allocation (render/alloc.h). */
#include "render/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reports the failure on one line and ends the process with status 1:
 * there is no sane way on, and a core dump (abort) tells the user
 * nothing. _exit, not exit: nothing more is allocated on the way out,
 * and what stdout holds is flushed first. n: the bytes asked for
 * (SIZE_MAX: more than can be). */
static void (*oom_hook)(void);

void xoom_hook(void (*fn)(void))
{
	oom_hook = fn;
}

_Noreturn void xoom(size_t n)
{
	char msg[96];
	void (*hook)(void) = oom_hook;
	oom_hook = NULL;              /* once, even if the hook allocates */
	if (hook)
		hook();
	if (n == SIZE_MAX)
		snprintf(msg, sizeof msg, "precis: out of memory (a size beyond what fits in memory)\n");
	else if (n >= (size_t)1 << 20)
		snprintf(msg, sizeof msg, "precis: out of memory (asked for %zu MB more)\n", n >> 20);
	else
		snprintf(msg, sizeof msg, "precis: out of memory (asked for %zu bytes more)\n", n);
	fflush(stdout);
	fputs(msg, stderr);
	fflush(stderr);
	_exit(1);
}

#define oom() xoom(SIZE_MAX)
#define oom_n(n) xoom(n)

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom_n(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom_n(size && n > SIZE_MAX / size ? SIZE_MAX : n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom_n(n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	if (n == SIZE_MAX)
		oom();
	char *p = xmalloc(n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void xgrow(void *pp, size_t *cap, size_t need, size_t el)
{
	void **p = pp;
	if (need <= *cap)
		return;
	size_t nc = *cap ? *cap : 8;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			oom();
		nc *= 2;
	}
	*p = xreallocarray(*p, nc, el);
	*cap = nc;
}
