/* bench_evidence.c — issue 11's numbers: the evidence engine on the
 * labelled set (tests/fixtures/evidence/), split into what the method was
 * tuned on and what was held out, and the time to compute the evidence of
 * a whole summary. Prints Markdown tables (bench/evidence.sh saves them).
 *
 * Usage: bench_evidence [RUNS] [-v]   (-v lists every miss)
 * Targets: first-passage precision >= 0.8, invented lines marked none
 * >= 0.8, real lines marked none <= 0.1, <= 20 ms for a summary against
 * an 88 KB transcript. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/evidence.h"
#include "db/formats/doc.h"
#include "tests/unit/evidence_eval.h"

static double now_ms(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median wall and CPU milliseconds of ev_compute(body, text) over runs. */
static void time_compute(const char *label, const struct doc *sum, const struct doc *txt, int runs)
{
	double *w = malloc(runs * sizeof *w), *c = malloc(runs * sizeof *c);
	size_t claims = 0;
	for (int i = 0; i < runs; i++) {
		struct ev_result r;
		double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
		ev_compute(sum->summary, strlen(sum->summary), txt->text, txt->text_len,
		           txt->paras, txt->npara, &r);
		w[i] = now_ms(CLOCK_MONOTONIC) - w0;
		c[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		claims = r.n;
		ev_result_free(&r);
	}
	qsort(w, runs, sizeof *w, cmp_d);
	qsort(c, runs, sizeof *c, cmp_d);
	printf("| %s | %zu | %zu KB | %.2f | %.2f | %.2f |\n", label, claims,
	       txt->text_len / 1024, w[runs / 2], w[runs * 95 / 100], c[runs / 2]);
	free(w);
	free(c);
}

static void row(const char *name, const struct eval_counts *c)
{
	printf("| %s | %d | %.2f | %.2f | %.2f | %d | %.2f |\n", name, c->real,
	       eval_ratio(c->real_hit, c->real), eval_ratio(c->real_supported, c->real),
	       eval_ratio(c->real_none, c->real), c->invented,
	       eval_ratio(c->invented_none, c->invented));
}

int main(int argc, char **argv)
{
	int runs = 51, verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-vv") == 0)
			verbose = 2;
		else if (atoi(argv[i]) > 0)
			runs = atoi(argv[i]);
	}
	struct eval_counts tune = { 0 }, held = { 0 }, all = { 0 };
	struct eval_set s[sizeof eval_files / sizeof eval_files[0]];
	size_t nsets = sizeof eval_files / sizeof eval_files[0];
	if (verbose)
		printf("misses (first passage not on the cited range, or a real line marked none;\n"
		       "invented lines not marked none):\n");
	for (size_t i = 0; i < nsets; i++) {
		if (eval_set_run(".", eval_files[i], &s[i], verbose) != 0) {
			fprintf(stderr, "bench_evidence: cannot read %s\n", eval_files[i]);
			return 1;
		}
		if (!s[i].loaded) {
			fprintf(stderr, "bench_evidence: %s: transcript %s missing (skipped)\n",
			        s[i].name, s[i].transcript);
			continue;
		}
		eval_add(s[i].held_out ? &held : &tune, &s[i].c);
		eval_add(&all, &s[i].c);
	}
	printf("\n### Evidence: labelled set (method %d)\n\n", EV_METHOD);
	printf("| set | real lines | first-passage precision | real: supported | real: none | invented lines | invented: none |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < nsets; i++)
		if (s[i].loaded) {
			char name[sizeof s[i].name + 16];
			snprintf(name, sizeof name, "%.60s (%s)", s[i].name, s[i].held_out ? "held out" : "tune");
			row(name, &s[i].c);
		}
	row("**tune**", &tune);
	row("**held out**", &held);
	row("**all**", &all);
	printf("\nTargets: precision >= 0.8, invented: none >= 0.8, real: none <= 0.1.\n");

	/* timing: the record's own summary and transcript, and the same
	 * summary against the 88 KB seed */
	size_t n;
	char *rec = eval_read("data/samples/000_bc66265cf390ae6e.txt", &n);
	char *big = NULL;
	size_t bn = 0;
	big = eval_read("data/samples/002_72c3af4b86c673dc.txt", &bn);
	if (!rec || !big) {
		fprintf(stderr, "bench_evidence: data/samples missing\n");
		return 1;
	}
	struct doc d0, d2;
	char err[256];
	if (doc_parse(rec, n, "000.txt", &d0, err, sizeof err) != 0 ||
	    doc_parse(big, bn, "002.txt", &d2, err, sizeof err) != 0) {
		fprintf(stderr, "bench_evidence: %s\n", err);
		return 1;
	}
	printf("\n### Evidence: time to compute a whole summary (%d runs)\n\n", runs);
	printf("| input | claims | transcript | wall p50 ms | wall p95 ms | CPU p50 ms |\n");
	printf("|---|---:|---:|---:|---:|---:|\n");
	time_compute("full record (its summary and transcript)", &d0, &d0, runs);
	time_compute("the record's summary against the 88 KB seed", &d0, &d2, runs);
	printf("\nTarget: <= 20 ms for a summary against an 88 KB transcript.\n");
	doc_free(&d0);
	doc_free(&d2);
	free(rec);
	free(big);
	return 0;
}
