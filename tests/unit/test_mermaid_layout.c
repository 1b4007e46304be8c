/* test_mermaid_layout.c — layered layout, routing and canvas
 * (render/mermaid/layout.h) on small graphs and a generated 500-node one. */
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
#include "render/width.h"

static bool in_box(struct mm_box b, int x, int y)
{
	return x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h;
}

static bool adjacent(struct mm_box b, struct mm_xy p)
{
	return !in_box(b, p.x, p.y) &&
	       (in_box(b, p.x + 1, p.y) || in_box(b, p.x - 1, p.y) ||
	        in_box(b, p.x, p.y + 1) || in_box(b, p.x, p.y - 1));
}

static bool overlap(struct mm_box a, struct mm_box b)
{
	return !(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y);
}

static struct mm_box end_box(const struct mm_graph *g, const struct mm_layout *l,
                             const struct mm_ref *r, int attach)
{
	if (attach >= 0) return l->nodes[attach].box;
	return r->is_subgraph ? l->subgraphs[r->index].box : l->nodes[r->index].box;
}

static bool node_under(const struct mm_graph *g, int n, int s)
{
	for (int t = g->nodes[n].subgraph; t >= 0; t = g->subgraphs[t].parent)
		if (t == s) return true;
	return false;
}

/* The geometry invariants every layout must hold. */
static void check_layout(const struct mm_graph *g, const struct mm_layout *l)
{
	assert_int_equal(l->nodes_drawn, g->nnodes);
	assert_int_equal(l->edges_drawn, g->nedges);
	for (size_t i = 0; i < g->nnodes; i++) {
		struct mm_box a = l->nodes[i].box;
		assert_true(a.x >= 0 && a.y >= 0 && a.x + a.w <= l->width && a.y + a.h <= l->height);
		for (size_t j = i + 1; j < g->nnodes; j++)
			assert_false(overlap(a, l->nodes[j].box));
	}
	for (size_t e = 0; e < g->nedges; e++) {
		const struct mm_edge_layout *el = &l->edges[e];
		assert_true(el->drawn);
		assert_true(el->ncells > 0);
		for (size_t k = 0; k < el->ncells; k++) {
			struct mm_xy p = el->cells[k];
			assert_true(p.x >= 0 && p.y >= 0 && p.x < l->width && p.y < l->height);
			if (k) assert_int_equal(abs(p.x - el->cells[k - 1].x) + abs(p.y - el->cells[k - 1].y), 1);
			for (size_t n = 0; n < g->nnodes; n++)
				assert_false(in_box(l->nodes[n].box, p.x, p.y));
		}
		struct mm_box fb = end_box(g, l, &g->edges[e].from, el->attach_from);
		struct mm_box tb = end_box(g, l, &g->edges[e].to, el->attach_to);
		assert_true(adjacent(fb, el->cells[0]));
		assert_true(adjacent(tb, el->cells[el->ncells - 1]));
		if (g->edges[e].head_to == MM_HEAD_ARROW) {
			struct mm_xy p = el->cells[el->ncells - 1];
			const struct mm_cell *c = mm_canvas_at(&l->canvas, p.x, p.y);
			assert_int_equal(c->kind, MM_CELL_ARROW);
		}
		if (el->has_label) {
			for (size_t n = 0; n < g->nnodes; n++)
				assert_false(overlap(el->label, l->nodes[n].box));
			for (size_t f = 0; f < g->nedges; f++) {
				if (f == e) continue;
				if (l->edges[f].has_label) assert_false(overlap(el->label, l->edges[f].label));
				for (size_t k = 0; k < l->edges[f].ncells; k++)
					assert_false(in_box(el->label, l->edges[f].cells[k].x, l->edges[f].cells[k].y));
			}
		}
	}
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!l->subgraphs[s].drawn) continue;
		struct mm_box sb = l->subgraphs[s].box;
		for (size_t n = 0; n < g->nnodes; n++) {
			struct mm_box nb = l->nodes[n].box;
			if (node_under(g, (int)n, (int)s))
				assert_true(nb.x > sb.x && nb.y > sb.y && nb.x + nb.w < sb.x + sb.w && nb.y + nb.h < sb.y + sb.h);
			else
				assert_false(overlap(nb, sb));
		}
	}
	/* every text row is exactly the canvas width */
	size_t len;
	char *t = mm_canvas_text(&l->canvas, &len);
	int rows = 0;
	for (char *s = t; *s;) {
		char *nl = strchr(s, '\n');
		assert_non_null(nl);
		assert_int_equal(rw_width(s, (size_t)(nl - s)), l->width);
		rows++;
		s = nl + 1;
	}
	assert_int_equal(rows, l->height);
	free(t);
}

static void render(const char *src, int dir, struct mm_graph *g, struct mm_layout *l)
{
	struct mm_layout_opts o = { .direction = dir };
	struct mm_error err;
	memset(g, 0, sizeof *g);
	assert_int_equal(mm_render(src, strlen(src), &o, g, l, &err), 0);
	check_layout(g, l);
}

static void roundtrip(const char *src)
{
	static const int dirs[] = { -1, MM_LR, MM_BT, MM_RL };
	for (int d = 0; d < 4; d++) {
		struct mm_graph g;
		struct mm_layout l;
		render(src, dirs[d], &g, &l);
		mm_layout_free(&l);
		mm_graph_free(&g);
	}
}

static void test_chain_and_cycle(void **state)
{
	roundtrip("graph TD\nA-->B\nB-->C\nC-->A\n");
	struct mm_graph g;
	struct mm_layout l;
	render("graph TD\nA-->B\nB-->C\nC-->A\n", -1, &g, &l);
	/* A above B above C: the back edge C→A goes up, its arrow at A */
	assert_true(l.nodes[0].box.y < l.nodes[1].box.y);
	assert_true(l.nodes[1].box.y < l.nodes[2].box.y);
	struct mm_xy last = l.edges[2].cells[l.edges[2].ncells - 1];
	assert_true(last.y < l.nodes[1].box.y);
	const struct mm_cell *c = mm_canvas_at(&l.canvas, last.x, last.y);
	assert_int_equal(c->cp, 0x25B2);   /* ▲ */
	mm_layout_free(&l);
	mm_graph_free(&g);
}

static void test_self_loops(void **state)
{
	roundtrip("graph TD\nA-->A\nA-->B\n");
	roundtrip("graph TD\nA-->|again|A\nA-- twice -->A\nA-->B\n");
	roundtrip("graph LR\nA-->|again|A\nA-->B\n");
}

static void test_multi_edges_and_two_way(void **state)
{
	roundtrip("graph TD\nA-->B\nA-->B\nA-->|x|B\nA-.->B\n");
	struct mm_graph g;
	struct mm_layout l;
	render("graph TD\nE-- gives -->F\nF-- returns -->E\nE-->F\nF-->E\n", -1, &g, &l);
	/* four visible, distinct paths */
	for (size_t a = 0; a < 4; a++)
		for (size_t b = a + 1; b < 4; b++) {
			size_t shared = 0;
			for (size_t i = 0; i < l.edges[a].ncells; i++)
				for (size_t j = 0; j < l.edges[b].ncells; j++)
					if (l.edges[a].cells[i].x == l.edges[b].cells[j].x &&
					    l.edges[a].cells[i].y == l.edges[b].cells[j].y) shared++;
			assert_true(shared < l.edges[a].ncells);
			assert_true(shared <= 1);
		}
	mm_layout_free(&l);
	mm_graph_free(&g);
}

static void test_edges_to_subgraphs(void **state)
{
	roundtrip("flowchart TB\nc1-->a2\nsubgraph one\na1-->a2\nend\nsubgraph two\nb1-->b2\nend\n"
	          "subgraph three\nc1-->c2\nend\none --> two\nthree --> two\ntwo --> c2\n");
	roundtrip("graph TD\nX-->S\nS-->Y\nsubgraph S\nA-->B\nend\n");
}

static void test_nested_subgraphs(void **state)
{
	roundtrip("graph TD\nsubgraph outer [Outer title]\nsubgraph inner\nA-->B\nend\nC\nend\n"
	          "D-->A\nB-->E\nC-->E\nsubgraph side\nE\nend\nsubgraph empty\nend\n");
}

static void test_cjk_cells(void **state)
{
	struct mm_graph g;
	struct mm_layout l;
	render("graph LR\nA[\"算力中心<br/>（百万GPU）\"]-- 提供 数据 -->B[特斯拉]\n", -1, &g, &l);
	int wide = 0;
	for (int y = 0; y < l.canvas.height; y++)
		for (int x = 0; x < l.canvas.width; x++) {
			const struct mm_cell *c = mm_canvas_at(&l.canvas, x, y);
			if (c->flags & MM_CELL_WIDE) {
				wide++;
				const struct mm_cell *n = mm_canvas_at(&l.canvas, x + 1, y);
				assert_non_null(n);
				assert_true(n->flags & MM_CELL_CONT);
				assert_int_equal(n->owner, c->owner);
			}
		}
	assert_true(wide >= 14);
	assert_true(l.edges[0].has_label);
	assert_int_equal(l.edges[0].label.w, 9);
	mm_layout_free(&l);
	mm_graph_free(&g);
}

static void test_ascii(void **state)
{
	struct mm_graph g;
	struct mm_layout l;
	struct mm_layout_opts o = { .direction = -1, .ascii = true };
	struct mm_error err;
	const char *src = "graph TD\nA-->B\nA==>C\nA-.->D\nB-->D\nC-->D\nsubgraph s\nB\nend\n";
	assert_int_equal(mm_render(src, strlen(src), &o, &g, &l, &err), 0);
	check_layout(&g, &l);
	for (size_t i = 0; i < (size_t)l.canvas.width * (size_t)l.canvas.height; i++)
		assert_true(l.canvas.cells[i].cp < 0x80);
	mm_layout_draw(&g, &l, false);
	bool box = false;
	for (size_t i = 0; i < (size_t)l.canvas.width * (size_t)l.canvas.height; i++)
		if (l.canvas.cells[i].cp == 0x2502) box = true;
	assert_true(box);
	mm_layout_free(&l);
	mm_graph_free(&g);
}

static void test_nothing_to_draw(void **state)
{
	struct mm_graph g;
	struct mm_layout l;
	struct mm_error err;
	memset(&g, 0, sizeof g);
	assert_int_equal(mm_layout_build(&g, NULL, &l, &err), -1);
	assert_true(err.message[0] != 0);
}

/* A hand-built 500-node graph: layered chains, cross links, back edges,
 * labels and a few subgraphs, independent of the parser. */
static void test_generated_500(void **state)
{
	struct mm_graph g;
	memset(&g, 0, sizeof g);
	g.dir = MM_TD;
	g.nnodes = 500;
	g.nodes = calloc(g.nnodes, sizeof *g.nodes);
	g.nsubgraphs = 5;
	g.subgraphs = calloc(g.nsubgraphs, sizeof *g.subgraphs);
	for (size_t s = 0; s < g.nsubgraphs; s++) {
		char buf[32];
		snprintf(buf, sizeof buf, "S%zu", s);
		g.subgraphs[s].id = strdup(buf);
		g.subgraphs[s].title = strdup(buf);
		g.subgraphs[s].parent = -1;
		g.subgraphs[s].nodes = calloc(10, sizeof(int));
	}
	unsigned seed = 12345;
	for (size_t i = 0; i < g.nnodes; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "n%zu", i);
		g.nodes[i].id = strdup(buf);
		snprintf(buf, sizeof buf, i % 7 ? "节点 %zu" : "node %zu", i);
		g.nodes[i].label = strdup(buf);
		g.nodes[i].subgraph = -1;
		if (i % 50 == 3) {
			int s = (int)(i / 100);
			g.nodes[i].subgraph = s;
			g.subgraphs[s].nodes[g.subgraphs[s].nnodes++] = (int)i;
		}
	}
	g.nedges = 700;
	g.edges = calloc(g.nedges, sizeof *g.edges);
	for (size_t e = 0; e < g.nedges; e++) {
		seed = seed * 1103515245u + 12345u;
		int a, b;
		if (e < 499) { a = (int)((seed >> 8) % (e + 1)); b = (int)e + 1; }
		else { a = (int)((seed >> 8) % 500); b = (int)((seed >> 20) % 500); }
		g.edges[e].from.index = a;
		g.edges[e].to.index = b;
		g.edges[e].head_to = MM_HEAD_ARROW;
		g.edges[e].length = 1;
		if (e % 37 == 0) g.edges[e].label = strdup("label");
	}
	struct mm_layout l;
	struct mm_error err;
	assert_int_equal(mm_layout_build(&g, NULL, &l, &err), 0);
	check_layout(&g, &l);
	mm_layout_free(&l);
	for (size_t i = 0; i < g.nedges; i++) free(g.edges[i].label);
	for (size_t i = 0; i < g.nnodes; i++) { free(g.nodes[i].id); free(g.nodes[i].label); }
	for (size_t s = 0; s < g.nsubgraphs; s++) {
		free(g.subgraphs[s].id); free(g.subgraphs[s].title); free(g.subgraphs[s].nodes);
	}
	free(g.nodes); free(g.edges); free(g.subgraphs);
}

static void test_sample_map(void **state)
{
	FILE *f = fopen("tests/fixtures/mermaid/seed_grok4.mmd", "rb");   /* the sample's map */
	assert_non_null(f);
	char *buf = calloc(1, 1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	roundtrip(buf);
	struct mm_graph g;
	struct mm_layout l;
	render(buf, -1, &g, &l);
	assert_int_equal(g.nedges, 27);
	assert_int_equal(l.edges_drawn, 27);
	(void)n;
	mm_layout_free(&l);
	mm_graph_free(&g);
	free(buf);
}

static struct mm_box nbox(const struct mm_graph *g, const struct mm_layout *l, const char *id)
{
	int k = mm_find_node(g, id);
	assert_true(k >= 0);
	return l->nodes[k].box;
}

static bool box_in(struct mm_box in, struct mm_box out)
{
	return in.x > out.x && in.y > out.y && in.x + in.w < out.x + out.w && in.y + in.h < out.y + out.h;
}

/* A subgraph's own "direction" is honoured when its nodes link nowhere
 * outside it (mermaid-js's rule), nested ones too; otherwise it follows
 * its parent. */
static void test_subgraph_direction(void **state)
{
	struct mm_graph g;
	struct mm_layout l;
	const char *src = "flowchart TD\nX --> S\nsubgraph S [Left to right]\ndirection LR\na --> b --> c\nend\n"
			  "S --> Y\nsubgraph T [linked out]\ndirection LR\np --> q\nend\nq --> Y\n";
	render(src, -1, &g, &l);
	struct mm_box a = nbox(&g, &l, "a"), b = nbox(&g, &l, "b"), c = nbox(&g, &l, "c");
	assert_int_equal(a.y, b.y);
	assert_int_equal(b.y, c.y);
	assert_true(a.x + a.w < b.x && b.x + b.w < c.x);
	struct mm_box sb = l.subgraphs[0].box;
	assert_true(box_in(a, sb) && box_in(c, sb));
	/* T links out (q --> Y): laid out top-down like the diagram */
	struct mm_box p = nbox(&g, &l, "p"), q = nbox(&g, &l, "q");
	assert_true(p.y + p.h <= q.y);
	/* X is above S and Y below it: the outside is still top-down */
	assert_true(nbox(&g, &l, "X").y + 3 <= sb.y);
	assert_true(sb.y + sb.h <= nbox(&g, &l, "Y").y);
	/* redrawn from the geometry (the app's ASCII toggle): the same boxes */
	mm_layout_draw(&g, &l, true);
	size_t n;
	char *t = mm_canvas_text(&l.canvas, &n);
	assert_non_null(strstr(t, "| a +>| b +>| c |"));
	free(t);
	mm_layout_free(&l);
	mm_graph_free(&g);

	/* an LR diagram with a top-down subgraph holding an LR one */
	src = "flowchart LR\nA --> S\nsubgraph S [top down]\ndirection TB\na --> b\nsubgraph N [inner]\n"
	      "direction LR\nx --> y\nend\nb --> N\nend\n";
	render(src, -1, &g, &l);
	a = nbox(&g, &l, "a");
	b = nbox(&g, &l, "b");
	assert_int_equal(a.x, b.x);
	assert_true(a.y + a.h <= b.y);
	struct mm_box x = nbox(&g, &l, "x"), y = nbox(&g, &l, "y");
	assert_int_equal(x.y, y.y);
	assert_true(x.x + x.w < y.x);
	assert_true(b.y + b.h <= x.y);
	mm_layout_free(&l);
	mm_graph_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_and_cycle),
		cmocka_unit_test(test_self_loops),
		cmocka_unit_test(test_multi_edges_and_two_way),
		cmocka_unit_test(test_edges_to_subgraphs),
		cmocka_unit_test(test_nested_subgraphs),
		cmocka_unit_test(test_cjk_cells),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_nothing_to_draw),
		cmocka_unit_test(test_generated_500),
		cmocka_unit_test(test_sample_map),
		cmocka_unit_test(test_subgraph_direction),
	};
	return cmocka_run_group_tests_name("mermaid_layout", tests, NULL, NULL);
}
