/* test_mermaid_limits.c — hostile and huge maps (issue 12): each budget of
 * struct mm_limits turns a drawing into MM_TOO_LARGE with its reason, the
 * outline still works, and the work a layout does (mm_layout.work) grows
 * about linearly for the shapes that used to take seconds to minutes:
 * a 50 x 50 fan-out, dense random maps, deep nesting, long edges. Work
 * counters, not wall time: speed is measured in `make bench`. The shapes
 * are generated here (no corpus needed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"

/* A growing source text. */
struct src { char *s; size_t n, cap; };

static void add(struct src *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		size_t left = b->cap - b->n;
		int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? left : 0, fmt, ap);
		va_end(ap);
		if (b->s && (size_t)k < left) { b->n += (size_t)k; return; }
		b->cap = b->cap * 2 + (size_t)k + 64;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
}

/* A1 & … & Ak --> B1 & … & Bk: k × k edges from one line. */
static char *fan(int k)
{
	struct src b = { 0 };
	add(&b, "graph TD\n");
	for (int i = 1; i <= k; i++) add(&b, "%sA%d", i > 1 ? " & " : "", i);
	add(&b, " -->");
	for (int i = 1; i <= k; i++) add(&b, "%sB%d", i > 1 ? " & " : " ", i);
	add(&b, "\n");
	return b.s;
}

/* d subgraphs inside each other around one edge. */
static char *nest(int d)
{
	struct src b = { 0 };
	add(&b, "graph TD\n");
	for (int i = 0; i < d; i++) add(&b, "subgraph S%d\n", i);
	add(&b, "X --> Y\n");
	for (int i = 0; i < d; i++) add(&b, "end\n");
	return b.s;
}

/* e edges between random pairs of n nodes (a fixed generator). */
static char *dense(int n, int e, unsigned seed)
{
	struct src b = { 0 };
	add(&b, "graph TD\n");
	for (int i = 0; i < e; i++) {
		seed = seed * 1103515245u + 12345u;
		int a = (int)((seed >> 8) % (unsigned)n);
		seed = seed * 1103515245u + 12345u;
		int c = (int)((seed >> 8) % (unsigned)n);
		add(&b, "n%d --> n%d\n", a, c);
	}
	return b.s;
}

/* A chain of n nodes and e edges from its first tenth to its last. */
static char *long_edges(int n, int e)
{
	struct src b = { 0 };
	add(&b, "graph TD\n");
	for (int i = 0; i + 1 < n; i++) add(&b, "c%d --> c%d\n", i, i + 1);
	for (int i = 0; i < e; i++) add(&b, "c%d --> c%d\n", i % (n / 10), n - 1 - i % (n / 10));
	return b.s;
}

struct run { int status; size_t work; long cells; char why[256]; size_t outline_lines; };

/* Parses and lays out src with the limits scaled by scale (0: defaults),
 * then builds the outline; returns what happened. */
static struct run run(const char *src, long scale)
{
	struct run r = { 0 };
	struct mm_graph g;
	struct mm_layout lay;
	struct mm_error err;
	assert_int_equal(mm_parse(src, strlen(src), &g, &err), 0);
	struct mm_limits lim = mm_default_limits;
	if (scale) {
		lim.nodes *= (int)scale; lim.edges *= (int)scale; lim.depth *= (int)scale;
		lim.items *= scale; lim.cells *= scale;
	}
	struct mm_layout_opts o = { .direction = -1, .limits = &lim };
	r.status = mm_layout_build(&g, &o, &lay, &err);
	r.work = lay.work;
	if (r.status == 0) {
		r.cells = (long)lay.width * lay.height;
		assert_int_equal(lay.edges_drawn, g.nedges);
		mm_layout_free(&lay);
	} else {
		snprintf(r.why, sizeof r.why, "%s", err.message);
		assert_null(lay.nodes);
		assert_null(lay.canvas.cells);
	}
	struct mm_outline ol;
	mm_outline_build(&g, false, &ol);
	r.outline_lines = ol.nlines;
	assert_int_equal(ol.nlines, g.nnodes + g.nedges + g.nsubgraphs);
	mm_outline_free(&ol);
	mm_graph_free(&g);
	if (getenv("MM_LIMITS_DEBUG"))
		fprintf(stderr, "status %d work %zu cells %ld (%s)\n", r.status, r.work, r.cells, r.why);
	return r;
}

/* The shapes of issue 12 with the default budgets: each is refused with
 * its reason, after little work (they took 8 s to over 500 s). */
static void test_issue_shapes_refused(void **state)
{
	struct { char *src; const char *why; } c[] = {
		{ fan(50), "cells" },            /* 591 bytes: 10.5 s, 19 MB of output */
		{ fan(300), "90000 edges" },      /* over a minute */
		{ dense(1000, 2000, 1), "points" },/* 38 s, 2.5 GB */
		{ dense(10000, 20000, 2), "nodes" },/* did not finish in 500 s */
		{ nest(1000), "nested" },          /* 8 s */
		{ nest(5000), "nested" },          /* over 500 s, 4 GB */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t len = strlen(c[i].src);
		struct run r = run(c[i].src, 0);
		assert_int_equal(r.status, MM_TOO_LARGE);
		assert_true(strncmp(r.why, "too large to draw: ", 19) == 0);
		assert_non_null(strstr(r.why, c[i].why));
		/* linear: a few hundred steps per byte at most (the cubic
		 * routing took ~10^10 on the fan-out) */
		assert_true(r.work <= 8000 * len + 100000);
		free(c[i].src);
	}
}

/* With the budgets lifted, the algorithms themselves stay near-linear in
 * what they draw: the work is a small multiple of the canvas and the
 * edges' cells, never the runs cubed (fan-out) or the boxes' areas summed
 * (nesting). */
static void test_work_follows_the_drawing(void **state)
{
	char *f = fan(30);                /* 900 edges in one channel */
	struct run r = run(f, 100);
	assert_int_equal(r.status, 0);
	assert_true(r.cells > 0);
	assert_true(r.work <= 4 * (size_t)r.cells + 2000000);
	free(f);
	char *n = nest(200);
	r = run(n, 100);
	assert_int_equal(r.status, 0);
	assert_true(r.work <= 4 * (size_t)r.cells + 200000);
	free(n);
	char *l = long_edges(100, 60);    /* ~5,000 dummy points */
	r = run(l, 0);
	assert_int_equal(r.status, 0);
	assert_true(r.work <= 4 * (size_t)r.cells + 1000000);
	free(l);
}

/* Each budget, reached with a small map and small limits. */
static void test_each_budget(void **state)
{
	struct mm_graph g;
	struct mm_layout lay;
	struct mm_error err;
	const char *src = "graph TD\nsubgraph A\nsubgraph B\nx --> y\nx --> z\nend\nend\ny --> z\n";
	assert_int_equal(mm_parse(src, strlen(src), &g, &err), 0);
	struct { struct mm_limits lim; const char *why; } c[] = {
		{ { 2, 100, 20, 1000, 100000 }, "3 nodes, more than 2" },
		{ { 100, 2, 20, 1000, 100000 }, "3 edges, more than 2" },
		{ { 100, 100, 1, 1000, 100000 }, "nested more than 1 deep" },
		{ { 100, 100, 20, 5, 100000 }, "points" },
		{ { 100, 100, 20, 1000, 50 }, "cells" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct mm_layout_opts o = { .direction = -1, .limits = &c[i].lim };
		assert_int_equal(mm_layout_build(&g, &o, &lay, &err), MM_TOO_LARGE);
		assert_non_null(strstr(err.message, c[i].why));
		assert_null(lay.nodes);
		assert_int_equal(mm_check_limits(&g, &c[i].lim, &err), i < 3 ? MM_TOO_LARGE : 0);
	}
	/* the defaults draw it */
	assert_int_equal(mm_check_limits(&g, NULL, &err), 0);
	struct mm_layout_opts o = { .direction = -1 };
	assert_int_equal(mm_layout_build(&g, &o, &lay, &err), 0);
	assert_true(lay.work > 0);
	mm_layout_free(&lay);
	/* mm_render frees the graph when the map is too large */
	struct mm_limits tiny = { 1, 1, 1, 1, 1 };
	o.limits = &tiny;
	struct mm_graph g2;
	assert_int_equal(mm_render(src, strlen(src), &o, &g2, &lay, &err), MM_TOO_LARGE);
	mm_graph_free(&g);
}

/* Just inside the budgets the map is drawn, whole. */
static void test_inside_budgets_drawn(void **state)
{
	char *f = fan(12);   /* 144 edges: the fast track filling, drawn */
	struct run r = run(f, 0);
	assert_int_equal(r.status, 0);
	free(f);
	char *n = nest(20);
	r = run(n, 0);
	assert_int_equal(r.status, 0);
	free(n);
	n = nest(21);
	r = run(n, 0);
	assert_int_equal(r.status, MM_TOO_LARGE);
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_shapes_refused),
		cmocka_unit_test(test_work_follows_the_drawing),
		cmocka_unit_test(test_each_budget),
		cmocka_unit_test(test_inside_budgets_drawn),
	};
	return cmocka_run_group_tests_name("mermaid_limits", tests, NULL, NULL);
}
