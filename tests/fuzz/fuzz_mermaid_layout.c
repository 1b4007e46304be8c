/* fuzz_mermaid_layout.c — libFuzzer target for the whole Mermaid pipeline
 * (render/mermaid/): parse, layout within the default budgets, drawing,
 * text, JSON, and the outline that stands in when a map is too large.
 *
 * The input is Mermaid source as it is (so any .mmd file is a seed); the
 * direction is taken from its length. Checks: the layout returns 0, -1
 * (nothing to draw) or MM_TOO_LARGE with a reason; a drawing stays within
 * the cell budget, draws every node and edge and every text row is the
 * canvas width; the outline has a line per node, edge and subgraph; no
 * output holds a C0 control (but newline), DEL or C1 control.
 *
 *   make fuzz     # builds, then tests/fuzz/run_mermaid.sh: every shape of
 *                 # issue 12 once, then a bounded fuzzing run, -timeout=1
 *
 * -timeout=1 is the point: no input may take a second. The budgets are a
 * quarter of mm_default_limits in cells and items: this build (ASan,
 * UBSan, coverage, -O1) runs 10-20 times slower than -O2, and a drawing
 * at the full budget takes ~0.2 s there; the full budgets are exercised by
 * tests/unit/test_mermaid_limits.c and timed by `make bench`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(ok) check_at((ok), __LINE__)

static void check_at(int ok, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz_mermaid_layout: invariant at line %d broken\n", line);
		abort();
	}
}

/* No C0 control but newline, no DEL, no C1 control (as UTF-8). */
static void check_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		check(c >= 0x20 || c == '\n');
		check(c != 0x7f);
		if (c == 0xC2 && i + 1 < n) check(!((unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] < 0xA0));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_graph g;
	struct mm_error err;
	if (mm_parse((const char *)data, size, &g, &err) != 0)
		return 0;
	struct mm_limits lim = mm_default_limits;
	lim.cells /= 4;
	lim.items /= 4;
	struct mm_layout_opts o = { .direction = (int)(size % 5) - 1, .ascii = size % 2, .limits = &lim };
	struct mm_layout lay;
	int r = mm_layout_build(&g, &o, &lay, &err);
	check(r == 0 || r == -1 || r == MM_TOO_LARGE);
	if (r == 0) {
		check((long)lay.width * lay.height <= lim.cells);
		check(lay.nodes_drawn == g.nnodes && lay.edges_drawn <= g.nedges);
		size_t n;
		char *t = mm_canvas_text(&lay.canvas, &n);
		check_clean(t, n);
		int rows = 0;
		for (size_t i = 0; i < n; i++) rows += t[i] == '\n';
		check(rows == lay.height);
		free(t);
		char *j = mm_layout_json(&g, &lay);
		check_clean(j, strlen(j));
		free(j);
		mm_layout_free(&lay);
	} else {
		check(err.message[0] != '\0');
		check(lay.nodes == NULL && lay.canvas.cells == NULL);
	}
	struct mm_outline ol;
	mm_outline_build(&g, o.ascii, &ol);
	check(ol.nlines == g.nnodes + g.nedges + g.nsubgraphs);
	size_t n;
	char *t = mm_outline_text(&ol, &n);
	check_clean(t, n);
	free(t);
	mm_outline_free(&ol);
	mm_graph_free(&g);
	return 0;
}
