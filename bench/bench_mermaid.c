/* bench_mermaid.c — render time of Mermaid diagrams (parse + layout + draw
 * to text, or the outline when a diagram is past the layout budgets: what
 * `precis mermaid` does), for bench/mermaid.sh.
 *
 * usage: bench_mermaid [-x N] FILE.mmd...
 *   -x N   budgets (struct mm_limits) N times the defaults
 * One TSV line per file: name, median_us, p95_us, canvas_width,
 * canvas_height, crossings, edges_in, edges_drawn, nodes_in, nodes_drawn,
 * peak_kb (the process's peak resident memory so far: run one file per
 * process to get a file's own), outline (1 when drawn as the outline),
 * work (mm_layout.work). Each file runs for at least 25 iterations and
 * about half a second (at least 3 iterations when one takes longer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/layout.h"
#include "render/mermaid/outline.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Reads a whole file; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (n == cap) b = realloc(b, cap *= 2);
		if (!b) { fclose(f); return NULL; }
		size_t r = fread(b + n, 1, cap - n, f);
		if (!r) break;
		n += r;
	}
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	int first = 1;
	long scale = 1;
	if (argc > 2 && !strcmp(argv[1], "-x")) {
		scale = atol(argv[2]);
		first = 3;
	}
	if (argc <= first || scale < 1) {
		fprintf(stderr, "usage: bench_mermaid [-x N] FILE.mmd...\n");
		return 2;
	}
	struct mm_limits lim = mm_default_limits;
	lim.nodes *= (int)scale; lim.edges *= (int)scale; lim.depth *= (int)scale;
	lim.items *= scale; lim.cells *= scale;
	int status = 0;
	for (int i = first; i < argc; i++) {
		size_t len;
		char *src = slurp(argv[i], &len);
		const char *name = strrchr(argv[i], '/');
		name = name ? name + 1 : argv[i];
		if (!src) {
			fprintf(stderr, "bench_mermaid: cannot read %s\n", argv[i]);
			status = 1;
			continue;
		}
		size_t cap = 4096, n = 0;
		double *t = malloc(cap * sizeof *t);
		struct mm_layout_opts o = { .direction = -1, .limits = &lim };
		struct mm_graph g;
		struct mm_layout lay;
		struct mm_error err;
		int w = 0, h = 0, cr = 0, outline = 0;
		size_t ein = 0, edr = 0, nin = 0, ndr = 0, work = 0;
		double start = now_us();
		while (n < 25 || (now_us() - start < 500000 && n < cap)) {
			if (n >= 3 && now_us() - start > 5e6) break;
			double t0 = now_us();
			if (mm_parse(src, len, &g, &err) != 0) {
				fprintf(stderr, "bench_mermaid: %s: %s\n", name, err.message);
				status = 1;
				break;
			}
			int r = mm_layout_build(&g, &o, &lay, &err);
			size_t tl;
			char *text = NULL;
			if (r == MM_TOO_LARGE) {
				struct mm_outline ol;
				mm_outline_build(&g, false, &ol);
				text = mm_outline_text(&ol, &tl);
				mm_outline_free(&ol);
			} else if (r == 0)
				text = mm_canvas_text(&lay.canvas, &tl);
			double t1 = now_us();
			if (r != 0 && r != MM_TOO_LARGE) {
				fprintf(stderr, "bench_mermaid: %s: %s\n", name, err.message);
				status = 1;
				mm_graph_free(&g);
				break;
			}
			t[n++] = t1 - t0;
			outline = r == MM_TOO_LARGE;
			w = lay.width; h = lay.height; cr = lay.crossings; work = lay.work;
			ein = g.nedges; edr = lay.edges_drawn; nin = g.nnodes; ndr = lay.nodes_drawn;
			free(text);
			if (r == 0) mm_layout_free(&lay);
			mm_graph_free(&g);
		}
		if (n) {
			struct rusage ru;
			getrusage(RUSAGE_SELF, &ru);
			qsort(t, n, sizeof *t, dcmp);
			printf("%s\t%.1f\t%.1f\t%d\t%d\t%d\t%zu\t%zu\t%zu\t%zu\t%ld\t%d\t%zu\n", name, t[n / 2],
			       t[(size_t)(n * 0.95) < n ? (size_t)(n * 0.95) : n - 1], w, h, cr, ein, edr, nin, ndr,
			       ru.ru_maxrss, outline, work);
		}
		free(t);
		free(src);
	}
	return status;
}
