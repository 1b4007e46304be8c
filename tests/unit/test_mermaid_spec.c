/* test_mermaid_spec.c — precis reads mermaid-js's own flowchart parser
 * test cases as mermaid-js does.
 *
 * tests/fixtures/mermaid-spec/cases.json holds the 900 flowchart sources
 * that mermaid-js's parser specs expect to parse, each with what the
 * official parser (npm mermaid, pinned in tests/mermaid-js/package.json)
 * read from it (see that folder's README.md for where they come from).
 * A case matches when precis parses it and reads the same node ids,
 * subgraph ids, edges (ends, count, heads and stroke) and labels (node,
 * edge, subgraph title); a source from which both read nothing (a class
 * definition alone: precis says "nothing to draw") matches too. The figure is printed ("# mermaid-js spec
 * conformance: …") and must stay at or above 98 %. MM_SPEC_VERBOSE=1
 * prints every mismatch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/mermaid/mermaid.h"
#include "tests/unit/mm_truth.h"

#define CASES "tests/fixtures/mermaid-spec/cases.json"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *dupf(const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return strdup(tmp);
}

static const char *ref_id(const struct mm_graph *g, struct mm_ref r)
{
	return r.is_subgraph ? g->subgraphs[r.index].id : g->nodes[r.index].id;
}

/* Two lists equal as multisets? Frees both. On a difference, the first
 * missing and extra items go to *why. */
static bool same_list(char **want, size_t nw, char **got, size_t ng, const char *what, char *why, size_t whylen)
{
	qsort(want, nw, sizeof *want, cmp_str);
	qsort(got, ng, sizeof *got, cmp_str);
	size_t i = 0, j = 0;
	bool same = true;
	while (i < nw || j < ng) {
		int c = i >= nw ? 1 : j >= ng ? -1 : strcmp(want[i], got[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (same)
			snprintf(why, whylen, "%s: %s %.200s", what, c < 0 ? "missing" : "extra",
				 c < 0 ? want[i] : got[j]);
		same = false;
		if (c < 0)
			i++;
		else
			j++;
	}
	for (size_t k = 0; k < nw; k++)
		free(want[k]);
	for (size_t k = 0; k < ng; k++)
		free(got[k]);
	free(want);
	free(got);
	return same;
}

static const char *jstr(json_t *a, size_t i)
{
	const char *s = json_string_value(json_array_get(a, i));
	return s ? s : "";
}

static bool is_truth_subgraph(json_t *tsg, const char *id)
{
	for (size_t s = 0; s < json_array_size(tsg); s++)
		if (strcmp(jstr(json_array_get(tsg, s), 0), id) == 0)
			return true;
	return false;
}

enum { WHY_ERROR, WHY_NODES, WHY_EDGES, WHY_SUBGRAPHS, WHY_N };
static const char *const WHY_NAME[WHY_N] = {"parse error", "nodes or labels", "edges", "subgraphs"};

/* Does precis read case c as the official parser did? */
static bool check_case(json_t *c, int *why_kind, char *why, size_t whylen)
{
	const char *src = json_string_value(json_object_get(c, "src"));
	struct mm_graph g;
	struct mm_error e;
	json_t *tn = json_object_get(c, "nodes"), *te = json_object_get(c, "edges");
	json_t *tsg = json_object_get(c, "subgraphs");
	if (mm_parse(src, strlen(src), &g, &e) != 0) {
		/* both read nothing: a class definition or a click alone */
		if (!json_array_size(tn) && !json_array_size(te) && !json_array_size(tsg) &&
		    strstr(e.message, "nothing to draw"))
			return true;
		*why_kind = WHY_ERROR;
		snprintf(why, whylen, "error %d:%d %s", e.line, e.column, e.message);
		return false;
	}
	bool ok = true;

	/* nodes: id and label (ids the official parser also lists as vertices
	 * because an edge names a subgraph are subgraph references in precis) */
	char **want = calloc(json_array_size(tn) + 1, sizeof *want);
	char **got = calloc(g.nnodes + 1, sizeof *got);
	size_t nw = 0;
	for (size_t i = 0; i < json_array_size(tn); i++) {
		json_t *n = json_array_get(tn, i);
		const char *id = jstr(n, 0);
		if (is_truth_subgraph(tsg, id))
			continue;
		const char *lab = json_is_string(json_array_get(n, 1)) ? jstr(n, 1) : id;
		char *l = mmt_norm_label(lab);
		want[nw++] = dupf("%s [%s]", id, l);
		free(l);
	}
	for (size_t k = 0; k < g.nnodes; k++) {
		char *l = mmt_norm_label(g.nodes[k].label);
		got[k] = dupf("%s [%s]", g.nodes[k].id, l);
		free(l);
	}
	if (!same_list(want, nw, got, g.nnodes, "node", why, whylen)) {
		*why_kind = WHY_NODES;
		ok = false;
	}

	/* edges: ends, label, heads, stroke (a multiset) */
	if (ok) {
		size_t ne = json_array_size(te);
		want = calloc(ne + 1, sizeof *want);
		got = calloc(g.nedges + 1, sizeof *got);
		for (size_t i = 0; i < ne; i++) {
			json_t *x = json_array_get(te, i);
			enum mm_head hf, ht;
			mmt_heads(jstr(x, 3), &hf, &ht);
			char *l = mmt_norm_label(jstr(x, 2));
			want[i] = dupf("%s -> %s [%s] %d/%d %d", jstr(x, 0), jstr(x, 1), l, hf, ht,
				       mmt_stroke(jstr(x, 4)));
			free(l);
		}
		for (size_t k = 0; k < g.nedges; k++) {
			struct mm_edge *x = &g.edges[k];
			char *l = mmt_norm_label(x->label ? x->label : "");
			got[k] = dupf("%s -> %s [%s] %d/%d %d", ref_id(&g, x->from), ref_id(&g, x->to), l,
				      x->head_from, x->head_to, x->stroke);
			free(l);
		}
		if (!same_list(want, ne, got, g.nedges, "edge", why, whylen)) {
			*why_kind = WHY_EDGES;
			ok = false;
		}
	}

	/* subgraphs: id and title */
	if (ok) {
		size_t ns = json_array_size(tsg);
		want = calloc(ns + 1, sizeof *want);
		got = calloc(g.nsubgraphs + 1, sizeof *got);
		for (size_t s = 0; s < ns; s++) {
			json_t *x = json_array_get(tsg, s);
			char *l = mmt_norm_label(jstr(x, 1));
			want[s] = dupf("%s [%s]", jstr(x, 0), l);
			free(l);
		}
		for (size_t s = 0; s < g.nsubgraphs; s++) {
			char *l = mmt_norm_label(g.subgraphs[s].title);
			got[s] = dupf("%s [%s]", g.subgraphs[s].id, l);
			free(l);
		}
		if (!same_list(want, ns, got, g.nsubgraphs, "subgraph", why, whylen)) {
			*why_kind = WHY_SUBGRAPHS;
			ok = false;
		}
	}
	mm_graph_free(&g);
	return ok;
}

static void test_spec_conformance(void **state)
{
	json_error_t jerr;
	json_t *cases = json_load_file(CASES, 0, &jerr);
	if (!cases)
		print_message("%s: %s (line %d)\n", CASES, jerr.text, jerr.line);
	assert_non_null(cases);
	size_t n = json_array_size(cases), match = 0;
	int kinds[WHY_N] = {0};
	bool verbose = getenv("MM_SPEC_VERBOSE") != NULL;
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(cases, i);
		char why[512] = "";
		int kind = WHY_ERROR;
		if (check_case(c, &kind, why, sizeof why)) {
			match++;
			continue;
		}
		kinds[kind]++;
		if (verbose || shown < 10) {
			shown++;
			print_message("# mismatch %zu (%s: %s): %s\n#   src: %.300s\n", i,
				      json_string_value(json_object_get(c, "spec")),
				      json_string_value(json_object_get(c, "test")), why,
				      json_string_value(json_object_get(c, "src")));
		}
	}
	print_message("# mermaid-js spec conformance: %zu of %zu cases read as mermaid-js reads them (%.1f %%)\n",
		      match, n, n ? 100.0 * (double)match / (double)n : 0.0);
	for (int k = 0; k < WHY_N; k++)
		if (kinds[k])
			print_message("#   %d differ in %s\n", kinds[k], WHY_NAME[k]);
	json_decref(cases);
	assert_true(n >= 900);
	/* ≥ 98 % */
	assert_true(match * 100 >= n * 98);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
