/* fuzz_mermaid.c — libFuzzer target for the Mermaid parser (render/mermaid/mermaid.h).
 *
 * Parses any bytes and checks the graph's invariants: indices in range,
 * strings present, member lists consistent, warnings placed; then writes
 * the graph canonically (render/mermaid/canonical.h) and reads that again:
 * the same nodes, edges and subgraphs, no warning, and the same output.
 *
 *   make fuzz        # builds tests/fuzz/bin/fuzz_mermaid (tests/fuzz/Makefile)
 *   mkdir -p /tmp/mmcorpus && cp ../shared/mermaid/[0-9]*.mmd /tmp/mmcorpus/
 *   tests/fuzz/bin/fuzz_mermaid -max_total_time=600 -timeout=5 \
 *       -max_len=16384 /tmp/mmcorpus
 *
 * -timeout catches anything slower than linear: no input may take a second.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/canonical.h"

#include <stdio.h>

#define check(ok) check_at((ok), __LINE__)

static void check_at(int ok, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz_mermaid: invariant at line %d broken\n", line);
		abort();
	}
}

static void check_ref(const struct mm_graph *g, struct mm_ref r)
{
	if (r.is_subgraph)
		check(r.index >= 0 && (size_t)r.index < g->nsubgraphs);
	else
		check(r.index >= 0 && (size_t)r.index < g->nnodes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_graph g;
	struct mm_error err;
	if (mm_parse((const char *)data, size, &g, &err) != 0) {
		check(g.nnodes == 0 && g.nodes == NULL);
		check(memchr(err.message, '\0', sizeof err.message) != NULL);
		check(err.message[0] != '\0');
		return 0;
	}
	check(g.nnodes > 0 || g.nsubgraphs > 0);
	for (size_t k = 0; k < g.nnodes; k++) {
		const struct mm_node *n = &g.nodes[k];
		check(n->id && n->id[0] && n->label);
		check(n->subgraph >= -1 && n->subgraph < (int)g.nsubgraphs);
		check(mm_find_node(&g, n->id) >= 0);
		for (const unsigned char *s = (const unsigned char *)n->label; *s; s++)
			check(*s >= 0x20 || *s == '\n');
		check(n->line >= 1);
	}
	for (size_t e = 0; e < g.nedges; e++) {
		check_ref(&g, g.edges[e].from);
		check_ref(&g, g.edges[e].to);
		check(g.edges[e].length >= 1);
	}
	size_t members = 0;
	for (size_t s = 0; s < g.nsubgraphs; s++) {
		const struct mm_subgraph *sg = &g.subgraphs[s];
		check(sg->id && sg->title);
		check(sg->parent >= -1 && sg->parent < (int)g.nsubgraphs && sg->parent != (int)s);
		for (size_t i = 0; i < sg->nnodes; i++) {
			check(sg->nodes[i] >= 0 && (size_t)sg->nodes[i] < g.nnodes);
			check(g.nodes[sg->nodes[i]].subgraph == (int)s);
		}
		for (size_t i = 0; i < sg->nchildren; i++)
			check(g.subgraphs[sg->children[i]].parent == (int)s);
		members += sg->nnodes;
	}
	size_t in_sg = 0;
	for (size_t k = 0; k < g.nnodes; k++)
		in_sg += g.nodes[k].subgraph >= 0;
	check(in_sg == members);
	for (size_t w = 0; w < g.nwarnings; w++)
		check(g.warnings[w].line >= 1 && g.warnings[w].column >= 1 && g.warnings[w].message);
	/* the canonical source reads back as the same graph, and is stable */
	size_t clen;
	char *canon = mm_canonical(&g, &clen);
	struct mm_graph h;
	if (mm_parse(canon, clen, &h, &err) == 0) {
		check(h.nnodes == g.nnodes && h.nedges == g.nedges && h.nsubgraphs == g.nsubgraphs);
		for (size_t w = 0; w < h.nwarnings; w++)
			check(strstr(h.warnings[w].message, "drawn as a rectangle") != NULL);
		for (size_t e = 0; e < g.nedges; e++)
			check(h.edges[e].stroke == g.edges[e].stroke && h.edges[e].length == g.edges[e].length &&
			      h.edges[e].head_to == (g.edges[e].head_to ? g.edges[e].head_to : g.edges[e].head_from));
		size_t clen2;
		char *again = mm_canonical(&h, &clen2);
		check(clen2 == clen && memcmp(again, canon, clen) == 0);
		free(again);
		mm_graph_free(&h);
	} else {
		/* only a graph with nothing to draw (subgraphs without nodes) */
		check(g.nnodes == 0);
	}
	free(canon);
	mm_graph_free(&g);
	return 0;
}
