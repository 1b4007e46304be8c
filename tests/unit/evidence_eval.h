/* evidence_eval.h — scores the evidence engine on the labelled set in
 * tests/fixtures/evidence/ (one .tsv per transcript); shared by the regression test
 * (tests/unit/test_evidence_set.c) and `make bench` (bench/bench_evidence.c).
 *
 * A set file names its transcript (a path relative to the repository; the
 * record and subtitle files are read with the archive's own format
 * readers, so byte offsets are those of `show ID --content --json`) and its
 * split ("tune": used while the method was developed; "held-out": labelled
 * before the engine ever ran on it and not tuned on). Each line is
 *   real <TAB> START <TAB> END <TAB> claim      — the bytes a careful reader cites
 *   invented <TAB> - <TAB> - <TAB> claim        — plausible, never said
 * Header-only (static functions): the test and the bench link different
 * objects. */
#ifndef PRECIS_TESTS_EVIDENCE_EVAL_H
#define PRECIS_TESTS_EVIDENCE_EVAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/evidence.h"
#include "db/formats/doc.h"

struct eval_counts {
	int real, real_hit, real_none, real_supported;
	int invented, invented_none, invented_supported;
};

struct eval_set {
	char name[64];
	char transcript[512];
	int held_out;
	int loaded;            /* 0 when the transcript file is missing */
	struct eval_counts c;
};

/* Reads a whole file (malloc'd, NUL-terminated) or returns NULL. */
static char *eval_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	size_t k;
	while (b && (k = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n - 1 == 0) {
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
			}
			b = nb;
		}
	}
	fclose(f);
	if (!b)
		return NULL;
	b[n] = '\0';
	*len = n;
	return b;
}

/* The transcript of a set as the archive stores it (doc_parse). 0 or -1.
 * A path in the corpus ("../shared/…") follows $SHARED when it is set. */
static int eval_load(const char *root, const char *rel, struct doc *d)
{
	char path[1024];
	const char *sh = getenv("SHARED");
	if (sh && *sh && strncmp(rel, "../shared/", 10) == 0)
		snprintf(path, sizeof path, "%s/%s", sh, rel + 10);
	else
		snprintf(path, sizeof path, "%s/%s", root, rel);
	size_t n;
	char *buf = eval_read(path, &n);
	if (!buf)
		return -1;
	char err[256];
	int r = doc_parse(buf, n, path, d, err, sizeof err);
	free(buf);
	return r;
}

/* 1 when [a, b) overlaps [p, p + len). */
static int eval_overlap(size_t a, size_t b, size_t p, size_t len)
{
	return a < p + len && p < b;
}

/* Scores one set file; verbose != 0 prints every miss. Returns 0, or -1
 * when the set file cannot be read (a missing transcript only leaves
 * s->loaded 0). */
static int eval_set_run(const char *root, const char *file, struct eval_set *s, int verbose)
{
	char path[1024];
	memset(s, 0, sizeof *s);
	const char *base = strrchr(file, '/');
	snprintf(s->name, sizeof s->name, "%s", base ? base + 1 : file);
	snprintf(path, sizeof path, "%s/%s", root, file);
	size_t n;
	char *tsv = eval_read(path, &n);
	if (!tsv)
		return -1;
	struct doc d;
	struct ev_index *ix = NULL;
	char *save = NULL;
	for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# transcript: ", 14) == 0) {
			snprintf(s->transcript, sizeof s->transcript, "%s", line + 14);
			if (eval_load(root, s->transcript, &d) == 0) {
				s->loaded = 1;
				ix = ev_index_new(d.text, d.text_len, d.paras, d.npara);
			}
			continue;
		}
		if (strncmp(line, "# split: ", 9) == 0) {
			s->held_out = strcmp(line + 9, "held-out") == 0;
			continue;
		}
		if (line[0] == '#' || !ix)
			continue;
		char *f[4] = { 0 };
		char *p = line;
		for (int i = 0; i < 4 && p; i++) {
			f[i] = p;
			p = i < 3 ? strchr(p, '\t') : NULL;
			if (p)
				*p++ = '\0';
		}
		if (!f[3])
			continue;
		struct ev_line l;
		memset(&l, 0, sizeof l);
		ev_match(ix, f[3], strlen(f[3]), &l);
		if (strcmp(f[0], "real") == 0) {
			size_t a = strtoul(f[1], NULL, 10), b = strtoul(f[2], NULL, 10);
			int hit = l.npass > 0 && eval_overlap(a, b, l.pass[0].off, l.pass[0].len);
			s->c.real++;
			s->c.real_hit += hit;
			s->c.real_none += l.verdict == EV_NONE;
			s->c.real_supported += l.verdict == EV_SUPPORTED;
			if ((verbose && (!hit || l.verdict == EV_NONE)) || verbose > 1) {
				printf("  %s real %-9s %.2f/%.2f %s\n", s->name, ev_verdict_name(l.verdict), l.score, l.found, f[3]);
				printf("      cited  [%zu,%zu) %.*s\n", a, b, (int)(b - a), d.text + a);
				if (l.npass)
					printf("      first  [%zu,%zu) %.*s\n", l.pass[0].off, l.pass[0].off + l.pass[0].len,
					       (int)l.pass[0].len, d.text + l.pass[0].off);
			}
		} else {
			s->c.invented++;
			s->c.invented_none += l.verdict == EV_NONE;
			s->c.invented_supported += l.verdict == EV_SUPPORTED;
			if ((verbose && l.verdict != EV_NONE) || verbose > 1)
				printf("  %s invented %-9s %.2f/%.2f %s\n", s->name, ev_verdict_name(l.verdict), l.score, l.found, f[3]);
		}
	}
	if (ix) {
		ev_index_free(ix);
		doc_free(&d);
	}
	free(tsv);
	return 0;
}

static void eval_add(struct eval_counts *a, const struct eval_counts *b)
{
	a->real += b->real;
	a->real_hit += b->real_hit;
	a->real_none += b->real_none;
	a->real_supported += b->real_supported;
	a->invented += b->invented;
	a->invented_none += b->invented_none;
	a->invented_supported += b->invented_supported;
}

static double eval_ratio(int a, int b)
{
	return b ? (double)a / b : 0.0;
}

/* The sets of the labelled corpus, relative to the repository. */
static const char *const eval_files[] = {
	"tests/fixtures/evidence/grok4.tsv",
	"tests/fixtures/evidence/chat2025.tsv",
	"tests/fixtures/evidence/podcast.tsv",
	"tests/fixtures/evidence/bitcoin.tsv",
};

#endif
