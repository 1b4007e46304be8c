/* search_bench.c — search latency of the archive against ripgrep.
 *
 * usage: search_bench DB FILES_DIR RUNS QUERY...
 * env: PRECIS_BIN (the binary for whole-process runs; none when unset)
 * For each query: RUNS timed ar_search() calls on one warm connection
 * (first 20 results with snippets and hit counts, plus the total, exactly
 * what `precis search` does) after one warm-up; RUNS timed whole
 * processes `precis --db DB search --limit 20 QUERY` (start, open,
 * search, print); and timed `rg -l -F QUERY FILES_DIR` runs over the
 * same text as files (page cache warm). A query may carry its class as
 * "class=query". Prints one markdown table row per query: matches,
 * in-process p50/p95 and CPU p50, whole-process p50/p95, ripgrep p50/p95
 * and the ratio of ripgrep's median to the whole process's.
 * With SB_FORCED=1 in the environment each query is also ranked over
 * every match whatever its work (the budget lifted, 3 runs): two more
 * columns, that pass's CPU p50 and its µs per 1,000 estimated units —
 * how the estimate is calibrated per kind of work (docs/archive.md).
 */
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "db/archive.h"

extern char **environ;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of this thread: on a busy machine wall time measures the
 * neighbours too, so both are reported. */
static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Percentile p (0–100) of v[0..n) (sorted in place). */
static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	int i = (int)(p / 100.0 * (n - 1) + 0.5);
	return v[i];
}

/* Runs argv with stdout into a pipe (counted) and stderr closed;
 * returns the number of output lines, or -1. */
static int run_counted(char **argv, int count)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	char buf[65536];
	ssize_t k;
	int lines = 0;
	while ((k = read(fd[0], buf, sizeof buf)) > 0)
		if (count)
			for (ssize_t i = 0; i < k; i++)
				lines += buf[i] == '\n';
	close(fd[0]);
	int st;
	waitpid(pid, &st, 0);
	return lines;
}

/* rg -l -F q dir: the files holding the bytes. */
static int run_rg(const char *q, const char *dir, int count)
{
	char *argv[] = { "rg", "-l", "-F", "--", (char *)q, (char *)dir, NULL };
	return run_counted(argv, count);
}

/* precis --db db search --limit 20 q, as a user types it. */
static int run_precis(const char *bin, const char *db, const char *q)
{
	char *argv[] = { (char *)bin, "--db", (char *)db, "search", "--limit", "20", "--", (char *)q, NULL };
	return run_counted(argv, 0);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fputs("usage: search_bench DB FILES_DIR RUNS QUERY...\n", stderr);
		return 2;
	}
	int runs = atoi(argv[3]);
	if (runs < 3)
		runs = 3;
	struct archive *a;
	char err[512];
	if (ar_open(argv[1], AR_READONLY, &a, err, sizeof err) != 0) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	double *t = malloc(sizeof *t * (size_t)runs);
	double *r = malloc(sizeof *r * (size_t)runs);
	double *c = malloc(sizeof *c * (size_t)runs);
	double *w = malloc(sizeof *w * (size_t)runs);
	int rg_runs = runs < 7 ? runs : 7;
	const char *bin = getenv("PRECIS_BIN");
	for (int qi = 4; qi < argc; qi++) {
		const char *q = argv[qi], *cls = "";
		char clsbuf[64];
		const char *eq = strchr(q, '=');
		if (eq && eq - q < (int)sizeof clsbuf && eq > q && q[0] != '"') {
			memcpy(clsbuf, q, (size_t)(eq - q));
			clsbuf[eq - q] = 0;
			cls = clsbuf;
			q = eq + 1;
		}
		struct ar_search_result res;
		if (ar_search(a, q, 20, 0, &res) != 0) {   /* warm-up */
			fprintf(stderr, "search_bench: %s\n", ar_error(a));
			return 1;
		}
		long long total = (long long)res.total;
		int res_broad = res.broad;
		long long cost = (long long)res.cost;
		ar_search_free(&res);
		for (int i = 0; i < runs; i++) {
			double t0 = now_ms(), c0 = cpu_ms();
			ar_search(a, q, 20, 0, &res);
			t[i] = now_ms() - t0;
			c[i] = cpu_ms() - c0;
			ar_search_free(&res);
		}
		/* ripgrep gets the literal text: a "quoted phrase" without quotes */
		char lit[1024];
		size_t k = 0;
		for (const char *s = q; *s && k + 1 < sizeof lit; s++)
			if (*s != '"')
				lit[k++] = *s;
		lit[k] = 0;
		int files = run_rg(lit, argv[2], 1);   /* warm-up, and the count */
		for (int i = 0; i < rg_runs; i++) {
			double t0 = now_ms();
			run_rg(lit, argv[2], 0);
			r[i] = now_ms() - t0;
		}
		double w50 = 0, w95 = 0;
		if (bin) {
			run_precis(bin, argv[1], q);   /* warm-up */
			for (int i = 0; i < runs; i++) {
				double t0 = now_ms();
				run_precis(bin, argv[1], q);
				w[i] = now_ms() - t0;
			}
			w50 = pct(w, runs, 50);
			w95 = pct(w, runs, 95);
		}
		double f50 = -1;
		if (getenv("SB_FORCED") && atoi(getenv("SB_FORCED")) > 0) {
			/* every match ranked, whatever the estimate says */
			double fc[3];
			ar_search_set_budget(a, INT64_MAX / 4);
			for (int i = 0; i < 3; i++) {
				double c0 = cpu_ms();
				ar_search(a, q, 20, 0, &res);
				fc[i] = cpu_ms() - c0;
				ar_search_free(&res);
			}
			ar_search_set_budget(a, 0);
			f50 = pct(fc, 3, 50);
		}
		double p50 = pct(t, runs, 50), p95 = pct(t, runs, 95);
		double r50 = pct(r, rg_runs, 50), r95 = pct(r, rg_runs, 95);
		double c50 = pct(c, runs, 50);
		printf("| %s | `%s` | %lld%s | %s | %.2fM | %.2f | %.2f | %.2f | %.1f | %.1f | %d | %.1f | %.1f | %.0f× |",
		       cls, q, total, res_broad ? " (est.)" : "", res_broad ? "newest" : "ranked",
		       (double)cost / 1e6, p50, p95, c50, w50, w95, files, r50, r95,
		       w50 > 0 ? r50 / w50 : 0.0);
		if (f50 >= 0)
			printf(" %.2f | %.1f |", f50, cost > 0 ? f50 * 1e6 / (double)cost : 0.0);
		putchar('\n');
		fflush(stdout);
	}
	free(t);
	free(r);
	free(c);
	free(w);
	ar_close(a);
	return 0;
}
