/* render.c — the Mermaid pipeline in order: parse (parse.c) → ranks,
 * order and placement (layout.c) → ports, tracks and geometry (route.c) →
 * canvas (draw.c). The entry points of render/mermaid/layout.h that run
 * more than one stage live here, so no stage calls back into another.
 */
#include "render/mermaid/layout.h"
#include "render/mermaid/layout_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mm_layout_build(const struct mm_graph *g, const struct mm_layout_opts *o,
                    struct mm_layout *lay, struct mm_error *err)
{
	memset(lay, 0, sizeof *lay);
	if (!g || g->nnodes == 0) {
		if (err) {
			err->line = err->column = 0;
			snprintf(err->message, sizeof err->message, "nothing to draw: the diagram has no nodes");
		}
		return -1;
	}
	lay->dir = o && o->direction >= 0 ? (enum mm_dir)o->direction : g->dir;
	lay->nnodes = g->nnodes;
	lay->nedges = g->nedges;
	lay->nsubgraphs = g->nsubgraphs;
	lay->nodes = ml_alloc(g->nnodes, sizeof *lay->nodes);
	lay->edges = ml_alloc(g->nedges + 1, sizeof *lay->edges);
	lay->subgraphs = ml_alloc(g->nsubgraphs + 1, sizeof *lay->subgraphs);
	struct lctx L;
	memset(&L, 0, sizeof L);
	ml_prepare(&L, g, o, lay);
	ml_route(&L);
	ml_emit(&L);
	ml_free(&L);
	mm_layout_draw(g, lay, o && o->ascii);
	return 0;
}

void mm_layout_free(struct mm_layout *lay)
{
	if (!lay) return;
	for (size_t i = 0; i < lay->nnodes; i++) free(lay->nodes[i].text);
	for (size_t i = 0; i < lay->nedges; i++) { free(lay->edges[i].cells); free(lay->edges[i].text); }
	free(lay->nodes);
	free(lay->edges);
	free(lay->subgraphs);
	free(lay->canvas.cells);
	free(lay->canvas.pool);
	memset(lay, 0, sizeof *lay);
}

int mm_render(const char *src, size_t len, const struct mm_layout_opts *o,
              struct mm_graph *g, struct mm_layout *lay, struct mm_error *err)
{
	if (mm_parse(src, len, g, err) != 0)
		return -1;
	if (mm_layout_build(g, o, lay, err) != 0) {
		mm_graph_free(g);
		return -1;
	}
	return 0;
}
