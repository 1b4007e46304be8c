/* test_mermaid_outline.c — the outline form of a Mermaid map
 * (render/mermaid/outline.h): order, indentation, what each line points
 * at, arrows, duplicate labels, hostile text, deep nesting. Hand-written
 * inputs only (no corpus needed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/outline.h"

static void parse(const char *src, struct mm_graph *g)
{
	struct mm_error err;
	assert_int_equal(mm_parse(src, strlen(src), g, &err), 0);
}

/* The outline of src as text (malloc'd). */
static char *outline_text(const char *src, bool ascii)
{
	struct mm_graph g;
	struct mm_outline ol;
	parse(src, &g);
	mm_outline_build(&g, ascii, &ol);
	char *t = mm_outline_text(&ol, NULL);
	mm_outline_free(&ol);
	mm_graph_free(&g);
	return t;
}

static void test_order_and_indent(void **state)
{
	const char *src =
		"graph TD\n"
		"  A[Start] --> B\n"
		"  subgraph S [Outer box]\n"
		"    C(Inner one)\n"
		"    subgraph T\n"
		"      D\n"
		"    end\n"
		"  end\n"
		"  B -- yes --> C\n"
		"  C --> D\n"
		"  S --> A\n"
		"  E\n";
	char *t = outline_text(src, false);
	assert_string_equal(t,
		"Start\n"
		"  \xE2\x86\x92 B\n"
		"B\n"
		"  \xE2\x86\x92 Inner one (yes)\n"
		"Outer box:\n"
		"  \xE2\x86\x92 Start\n"
		"  Inner one\n"
		"    \xE2\x86\x92 D\n"
		"  T:\n"
		"    D\n"
		"E\n");
	free(t);
}

static void test_lines_point_at_the_graph(void **state)
{
	struct mm_graph g;
	struct mm_outline ol;
	parse("graph LR\nsubgraph S\nA --> B\nend\nA --> S\n", &g);
	mm_outline_build(&g, false, &ol);
	/* S:, A, → B, → S, B */
	assert_int_equal(ol.nlines, 5);
	assert_int_equal(ol.lines[0].kind, MM_OUTLINE_SUBGRAPH);
	assert_string_equal(g.subgraphs[ol.lines[0].index].id, "S");
	assert_int_equal(ol.lines[1].kind, MM_OUTLINE_NODE);
	assert_string_equal(g.nodes[ol.lines[1].index].id, "A");
	assert_int_equal(ol.lines[1].depth, 1);
	assert_int_equal(ol.lines[2].kind, MM_OUTLINE_EDGE);
	assert_int_equal(ol.lines[2].depth, 2);
	assert_false(ol.lines[2].target.is_subgraph);
	assert_string_equal(g.nodes[ol.lines[2].target.index].id, "B");
	assert_int_equal(ol.lines[3].kind, MM_OUTLINE_EDGE);
	assert_true(ol.lines[3].target.is_subgraph);
	assert_string_equal(ol.lines[3].text, "\xE2\x86\x92 S");
	assert_int_equal(ol.lines[3].width, 3);
	/* every node, edge and subgraph appears exactly once */
	int seen[3] = { 0 };
	for (size_t i = 0; i < ol.nlines; i++) seen[ol.lines[i].kind]++;
	assert_int_equal(seen[MM_OUTLINE_NODE], (int)g.nnodes);
	assert_int_equal(seen[MM_OUTLINE_EDGE], (int)g.nedges);
	assert_int_equal(seen[MM_OUTLINE_SUBGRAPH], (int)g.nsubgraphs);
	mm_outline_free(&ol);
	mm_graph_free(&g);
}

static void test_arrows(void **state)
{
	const char *src = "graph TD\nA --> B\nA --- C\nA <--> D\nA --o E\nA -.-> F\n";
	char *t = outline_text(src, false);
	assert_string_equal(t,
		"A\n"
		"  \xE2\x86\x92 B\n"
		"  \xE2\x80\x94 C\n"
		"  \xE2\x86\x94 D\n"
		"  \xE2\x86\x92 E\n"
		"  \xE2\x86\x92 F\n"
		"B\nC\nD\nE\nF\n");
	free(t);
	t = outline_text(src, true);
	assert_string_equal(t, "A\n  -> B\n  -- C\n  <-> D\n  -> E\n  -> F\nB\nC\nD\nE\nF\n");
	free(t);
}

static void test_duplicate_labels_and_line_breaks(void **state)
{
	char *t = outline_text("graph TD\na[Same] --> b[Same]\nc[\"two<br/>lines\"]\n", true);
	assert_string_equal(t, "Same [a]\n  -> Same [b]\nSame [b]\ntwo lines\n");
	free(t);
}

static void test_hostile_text(void **state)
{
	/* ESC, C1, bidi override and DEL in labels, ids and titles never
	 * reach the text */
	const char *src =
		"graph TD\n"
		"A[\"x\x1b[2Jy\"] -- \"\xE2\x80\xAEl\x7f\" --> B[\"\xC2\x9b" "31m\"]\n"
		"subgraph S [\"t\x1b]52;c;AAAA\x07u\"]\nC\nend\n";
	struct mm_graph g;
	struct mm_outline ol;
	parse(src, &g);
	mm_outline_build(&g, false, &ol);
	char *t = mm_outline_text(&ol, NULL);
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		assert_true(*p >= 0x20 || *p == '\n');
		assert_true(*p != 0x7f);
		if (*p == 0xC2) assert_false(p[1] >= 0x80 && p[1] < 0xA0);
		if (p[0] == 0xE2 && p[1] == 0x80) assert_false(p[2] >= 0xAA && p[2] <= 0xAE);
		if (p[0] == 0xE2 && p[1] == 0x81) assert_false(p[2] >= 0xA6 && p[2] <= 0xA9);
	}
	free(t);
	mm_outline_free(&ol);
	mm_graph_free(&g);
}

static void test_deep_nesting(void **state)
{
	/* 5,000 levels: no recursion, indentation capped, one line a level */
	enum { D = 5000 };
	size_t cap = (size_t)D * 24 + 64, n = 0;
	char *src = malloc(cap);
	assert_non_null(src);
	n += (size_t)snprintf(src + n, cap - n, "graph TD\n");
	for (int i = 0; i < D; i++) n += (size_t)snprintf(src + n, cap - n, "subgraph S%d\n", i);
	n += (size_t)snprintf(src + n, cap - n, "X --> Y\n");
	for (int i = 0; i < D; i++) n += (size_t)snprintf(src + n, cap - n, "end\n");
	struct mm_graph g;
	struct mm_outline ol;
	parse(src, &g);
	mm_outline_build(&g, false, &ol);
	assert_int_equal(ol.nlines, D + 3);
	assert_int_equal(ol.lines[D - 1].depth, D - 1);
	assert_int_equal(ol.lines[D].kind, MM_OUTLINE_NODE);
	assert_int_equal(ol.lines[D].depth, D);
	size_t len;
	char *t = mm_outline_text(&ol, &len);
	/* at most MM_OUTLINE_MAX_INDENT levels of spaces per line */
	size_t maxlen = 0, cur = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\n') { if (cur > maxlen) maxlen = cur; cur = 0; }
		else cur++;
	}
	assert_true(maxlen < 2 * MM_OUTLINE_MAX_INDENT + 32);
	assert_non_null(strstr(t, "[depth 5000] X\n"));
	free(t);
	mm_outline_free(&ol);
	mm_graph_free(&g);
	free(src);
}

static void test_json(void **state)
{
	struct mm_graph g;
	struct mm_outline ol;
	parse("graph TD\nA --> B\n", &g);
	mm_outline_build(&g, false, &ol);
	char *j = mm_outline_json(&g, &ol, "too large");
	assert_string_equal(j,
		"{\"outline\":[{\"depth\":0,\"kind\":\"node\",\"id\":\"A\",\"text\":\"A\"},"
		"{\"depth\":1,\"kind\":\"edge\",\"from\":\"A\",\"to\":\"B\",\"text\":\"\xE2\x86\x92 B\"},"
		"{\"depth\":0,\"kind\":\"node\",\"id\":\"B\",\"text\":\"B\"}],"
		"\"reason\":\"too large\",\"warnings\":[]}");
	free(j);
	mm_outline_free(&ol);
	mm_graph_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_indent),
		cmocka_unit_test(test_lines_point_at_the_graph),
		cmocka_unit_test(test_arrows),
		cmocka_unit_test(test_duplicate_labels_and_line_breaks),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests_name("mermaid_outline", tests, NULL, NULL);
}
