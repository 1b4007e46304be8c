/* bench_text.c — issue 3's numbers: laying out text for the terminal.
 *
 * Medians of repeated runs (release build) for: the 88 KB unpunctuated
 * seed (data/samples/002_*.txt) wrapped at 80 and 37 columns — cold
 * (analysis + wrap: what opening a document costs) and re-wrap only (what a
 * resize costs, analysis cached) — the seed summary (Markdown, 000_*.txt
 * Description:) rendered and laid out, the cells of one 50-row screen, the
 * find index, and side by side a naive loop: mbrtowc + wcwidth per code
 * point with a greedy break at the width (no graphemes, no UAX #14, no
 * sanitising). Usage: bench_text [RUNS] (from the repo root). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "render/find.h"
#include "render/layout.h"
#include "render/markdown.h"

/* Thread CPU time: the machine is shared (2 cores), and CPU time leaves
 * out the time other processes held the core. Wall time is reported too. */
static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static volatile size_t sink;

/* The naive baseline: decode, wcwidth, break when the next one overflows. */
static size_t naive_wrap(const char *s, size_t len, int width)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t lines = 1, i = 0;
	int col = 0;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n = 1;
			wc = 0xFFFD;
		} else if (n == 0) {
			n = 1;
		}
		int w = wc == '\n' ? -2 : wcwidth(wc);
		if (w == -2) {
			lines++;
			col = 0;
		} else {
			if (w < 0)
				w = 1;
			if (col + w > width) {
				lines++;
				col = 0;
			}
			col += w;
		}
		i += n;
	}
	return lines;
}

#define MAXRUNS 1001
static double t[MAXRUNS];
static double wall_t0;
static int wall_runs;

/* One table row: CPU median and p90, and the wall-clock mean per run
 * since the previous row. */
static void row(const char *name, double *v, int runs, const char *note)
{
	double wall = (wall_us() - wall_t0) / (wall_runs ? wall_runs : runs);
	qsort(v, (size_t)runs, sizeof *v, cmp);
	printf("| %-46s | %9.1f | %9.1f | %9.1f | %s\n", name, v[runs / 2], v[runs * 9 / 10],
	       wall, note);
	wall_t0 = wall_us();
	wall_runs = 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 101;
	if (runs < 3) runs = 3;
	if (runs > MAXRUNS) runs = MAXRUNS;
	setlocale(LC_CTYPE, "C.UTF-8");
	size_t len, rlen;
	char *big = slurp("data/samples/002_72c3af4b86c673dc.txt", &len);
	char *rec = slurp("data/samples/000_bc66265cf390ae6e.txt", &rlen);
	char *a = strstr(rec, "Description:\n"), *b = strstr(rec, "\nContent:");
	if (!a || !b)
		return 1;
	a += strlen("Description:\n");
	size_t slen = (size_t)(b - a);

	printf("input: 002 seed %zu bytes (one line), summary %zu bytes; %d runs\n\n", len, slen, runs);
	printf("| %-46s | %9s | %9s | %9s | %s\n", "operation", "median µs", "p90 µs", "wall µs", "result");
	printf("|%s|%s|%s|%s|---\n", "------------------------------------------------",
	       "-----------", "-----------", "-----------");
	printf("(CPU time of this thread; wall = mean wall clock per run incl. set-up)\n");
	wall_t0 = wall_us();
	char note[128];
	for (int w = 80; w >= 37; w -= 43) {
		size_t lines = 0, clusters = 0;
		for (int r = 0; r < runs; r++) {
			double t0 = now_us();
			struct rl_doc *d = rl_new(big, len, NULL, 0, NULL, 0);
			lines = rl_wrap(d, w);
			t[r] = now_us() - t0;
			clusters = rl_cluster_count(d);
			rl_free(d);
		}
		snprintf(note, sizeof note, "%zu lines, %zu clusters", lines, clusters);
		char name[64];
		snprintf(name, sizeof name, "88 KB seed, open + wrap at %d (cold)", w);
		row(name, t, runs, note);
		struct rl_doc *d = rl_new(big, len, NULL, 0, NULL, 0);
		for (int r = 0; r < runs; r++) {
			rl_wrap(d, w + 1);
			double t0 = now_us();
			lines = rl_wrap(d, w);
			t[r] = now_us() - t0;
		}
		snprintf(note, sizeof note, "%zu lines", lines);
		snprintf(name, sizeof name, "88 KB seed, re-wrap at %d (resize)", w);
		row(name, t, runs, note);
		for (int r = 0; r < runs; r++) {
			double t0 = now_us();
			lines = naive_wrap(big, len, w);
			t[r] = now_us() - t0;
		}
		snprintf(note, sizeof note, "%zu lines (no graphemes/UAX14/sanitising)", lines);
		snprintf(name, sizeof name, "naive mbrtowc+wcwidth loop at %d", w);
		row(name, t, runs, note);
		if (w == 80) {
			struct rc_cell cells[81];
			for (int r = 0; r < runs; r++) {
				double t0 = now_us();
				size_t nc = 0;
				for (size_t k = 100; k < 150; k++)
					nc += rl_cells(d, k, cells, 81, NULL, 0);
				t[r] = now_us() - t0;
				sink = nc;
			}
			row("cells of one 50-row screen at 80", t, runs, "safe glyphs + attributes");
		}
		rl_free(d);
	}
	size_t lines = 0;
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();
		struct rm_doc md;
		rm_render(a, slen, &md);
		lines = rl_wrap(md.layout, 80);
		t[r] = now_us() - t0;
		rm_free(&md);
	}
	snprintf(note, sizeof note, "%zu lines (md4c + Mermaid node count + wrap)", lines);
	row("seed summary: render Markdown + lay out at 80", t, runs, note);
	struct rm_doc md;
	rm_render(a, slen, &md);
	for (int r = 0; r < runs; r++) {
		rl_wrap(md.layout, 81);
		double t0 = now_us();
		lines = rl_wrap(md.layout, 80);
		t[r] = now_us() - t0;
	}
	rm_free(&md);
	snprintf(note, sizeof note, "%zu lines", lines);
	row("seed summary: re-wrap at 80", t, runs, note);
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();
		struct rf_index *ix = rf_index_new(big, len);
		struct rl_range *h;
		size_t n = rf_find(ix, "油管", strlen("油管"), &h);
		t[r] = now_us() - t0;
		snprintf(note, sizeof note, "%zu hits", n);
		free(h);
		rf_index_free(ix);
	}
	row("88 KB seed: fold + find \"油管\"", t, runs, note);
	free(big);
	free(rec);
	return 0;
}
