/* test_mermaid_canonical.c — `precis mermaid --canonical` gives Mermaid
 * source that mermaid-js itself accepts and reads as the graph precis read.
 *
 * For every diagram — the fixtures of tests/fixtures/mermaid and
 * tests/fixtures/mermaid-canonical always, mermaid-js's 900 spec cases
 * (tests/fixtures/mermaid-spec), the corpus's ../shared/mermaid when it is
 * there — precis parses the source and writes it canonically
 * (render/mermaid/canonical.h); the official parser (npm mermaid under
 * Node, tests/mermaid-js/parse.mjs, installed by tests/mermaid-js/setup.sh)
 * parses that output in one run, and it must accept every one and read
 * the same direction, nodes (through the written ids) with their labels,
 * edges with their labels, heads and stroke, and subgraphs with their
 * titles and members.
 *
 * Without node or the npm package the tests are skipped (and counted as
 * skipped) — except when CI is set, where that is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "render/mermaid/mermaid.h"
#include "render/mermaid/canonical.h"
#include "tests/unit/mm_truth.h"

#define PARSE_MJS "tests/mermaid-js/parse.mjs"
#define NPM_MERMAID "tests/mermaid-js/node_modules/mermaid/package.json"

/* Is the official parser there? Skips the running test when not (fails on
 * CI, where the test set-up must have installed it). */
static void need_official_parser(void)
{
	bool have = access(NPM_MERMAID, R_OK) == 0 && system("node --version >/dev/null 2>&1") == 0;
	if (have)
		return;
	if (getenv("CI") && *getenv("CI")) {
		print_message("the official Mermaid parser is not installed (sh tests/mermaid-js/setup.sh)\n");
		fail();
	}
	print_message("# official Mermaid parser not installed (sh tests/mermaid-js/setup.sh): skipped\n");
	skip();
}

struct item {
	char *name;
	struct mm_graph g;
	char **nid, **sid;
	char *canon;
};

struct set {
	struct item *v;
	size_t n, cap;
	size_t unparsed;     /* sources precis itself reads nothing from */
};

static void add_source(struct set *s, const char *name, const char *src, size_t len)
{
	struct mm_error e;
	struct item it = {0};
	if (mm_parse(src, len, &it.g, &e) != 0) {
		s->unparsed++;
		return;
	}
	it.name = strdup(name);
	it.canon = mm_canonical_names(&it.g, NULL, &it.nid, &it.sid);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n++] = it;
}

static void add_dir(struct set *s, const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".mmd") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		size_t len;
		char *src = t_read(path, &len);
		assert_non_null(src);
		add_source(s, de->d_name, src, len);
		free(src);
	}
	closedir(d);
}

static void free_set(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct item *it = &s->v[i];
		for (size_t k = 0; k < it->g.nnodes; k++)
			free(it->nid[k]);
		for (size_t k = 0; k < it->g.nsubgraphs; k++)
			free(it->sid[k]);
		free(it->nid);
		free(it->sid);
		free(it->canon);
		free(it->name);
		mm_graph_free(&it->g);
	}
	free(s->v);
}

/* The official parser's reading of every canonical source, in one run. */
static json_t *official(const struct set *s)
{
	char tmp[] = "/tmp/precis-canon-XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	json_t *arr = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(arr, json_string(s->v[i].canon));
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(json_dumpf(arr, f, 0), 0);
	fclose(f);
	json_decref(arr);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "node %s < %s", PARSE_MJS, tmp);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	json_error_t jerr;
	json_t *out = json_loadf(p, 0, &jerr);
	int st = pclose(p);
	unlink(tmp);
	if (!out)
		print_message("parse.mjs output: %s (status %d)\n", jerr.text, st);
	assert_non_null(out);
	assert_int_equal(json_array_size(out), s->n);
	return out;
}

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

struct list {
	char **v;
	size_t n, cap;
};

static void push(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		assert_non_null(l->v);
	}
	l->v[l->n++] = s;
}

/* Same multiset? Frees both; the first difference goes to why. */
static bool same(struct list *a, struct list *b, const char *what, char *why, size_t wl)
{
	if (a->n)
		qsort(a->v, a->n, sizeof *a->v, cmp_str);
	if (b->n)
		qsort(b->v, b->n, sizeof *b->v, cmp_str);
	bool eq = a->n == b->n;
	for (size_t i = 0; eq && i < a->n; i++)
		eq = strcmp(a->v[i], b->v[i]) == 0;
	if (!eq) {
		size_t i = 0;
		while (i < a->n && i < b->n && strcmp(a->v[i], b->v[i]) == 0)
			i++;
		snprintf(why, wl, "%s: precis %.200s / mermaid-js %.200s", what, i < a->n ? a->v[i] : "(none)",
			 i < b->n ? b->v[i] : "(none)");
	}
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i]);
	free(a->v);
	free(b->v);
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	return eq;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *ref_name(const struct item *it, struct mm_ref r)
{
	return r.is_subgraph ? it->sid[r.index] : it->nid[r.index];
}

/* Does mermaid-js read item it's canonical source as precis read the
 * original? */
static bool check_item(const struct item *it, json_t *o, char *why, size_t wl)
{
	const struct mm_graph *g = &it->g;
	if (!json_is_true(json_object_get(o, "ok"))) {
		snprintf(why, wl, "rejected: %.300s", js(o, "error"));
		return false;
	}
	const char *dir = js(o, "direction");
	const char *want = g->dir == MM_TD ? "TB" : mm_dir_name(g->dir);
	if (strcmp(dir, want) != 0) {
		snprintf(why, wl, "direction %s, want %s", dir, want);
		return false;
	}
	json_t *tsg = json_object_get(o, "subgraphs");
	struct list a = {0}, b = {0};
	for (size_t k = 0; k < g->nnodes; k++) {
		char *l = mmt_norm_label(g->nodes[k].label);
		push(&a, dupf("%s [%s]", it->nid[k], l));
		free(l);
	}
	json_t *tn = json_object_get(o, "nodes");
	for (size_t i = 0; i < json_array_size(tn); i++) {
		json_t *n = json_array_get(tn, i);
		bool is_sg = false;
		for (size_t s = 0; s < json_array_size(tsg); s++)
			is_sg |= strcmp(js(json_array_get(tsg, s), "id"), js(n, "id")) == 0;
		if (is_sg)
			continue;
		char *l = mmt_norm_label(js(n, "label"));
		push(&b, dupf("%s [%s]", js(n, "id"), l));
		free(l);
	}
	if (!same(&a, &b, "node", why, wl))
		return false;
	for (size_t e = 0; e < g->nedges; e++) {
		const struct mm_edge *x = &g->edges[e];
		enum mm_head hf = x->head_from, ht = x->head_to;
		/* mixed heads, which the grammar has no form for, are written
		 * with the target's head at both ends */
		if (hf != MM_HEAD_NONE && ht == MM_HEAD_NONE)
			ht = hf;
		if (hf != MM_HEAD_NONE)
			hf = ht;
		char *l = mmt_norm_label(x->label ? x->label : "");
		push(&a, dupf("%s -> %s [%s] %d/%d %d", ref_name(it, x->from), ref_name(it, x->to), l, hf, ht,
			      x->stroke));
		free(l);
	}
	json_t *te = json_object_get(o, "edges");
	for (size_t i = 0; i < json_array_size(te); i++) {
		json_t *x = json_array_get(te, i);
		enum mm_head hf, ht;
		mmt_heads(js(x, "type"), &hf, &ht);
		char *l = mmt_norm_label(js(x, "label"));
		push(&b, dupf("%s -> %s [%s] %d/%d %d", js(x, "from"), js(x, "to"), l, hf, ht, mmt_stroke(js(x, "stroke"))));
		free(l);
	}
	if (!same(&a, &b, "edge", why, wl))
		return false;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		const struct mm_subgraph *x = &g->subgraphs[s];
		struct list m = {0};
		for (size_t i = 0; i < x->nnodes; i++)
			push(&m, strdup(it->nid[x->nodes[i]]));
		for (size_t i = 0; i < x->nchildren; i++)
			push(&m, strdup(it->sid[x->children[i]]));
		if (m.n)
			qsort(m.v, m.n, sizeof *m.v, cmp_str);
		char *l = mmt_norm_label(x->title && *x->title ? x->title : x->id);
		char buf[8192];
		int w = snprintf(buf, sizeof buf, "%s [%s]:", it->sid[s], l);
		for (size_t i = 0; i < m.n && w > 0 && (size_t)w < sizeof buf; i++)
			w += snprintf(buf + w, sizeof buf - (size_t)w, " %s", m.v[i]);
		push(&a, strdup(buf));
		free(l);
		for (size_t i = 0; i < m.n; i++)
			free(m.v[i]);
		free(m.v);
	}
	for (size_t s = 0; s < json_array_size(tsg); s++) {
		json_t *x = json_array_get(tsg, s);
		json_t *mem = json_object_get(x, "members");
		struct list m = {0};
		for (size_t i = 0; i < json_array_size(mem); i++)
			push(&m, strdup(json_string_value(json_array_get(mem, i))));
		if (m.n)
			qsort(m.v, m.n, sizeof *m.v, cmp_str);
		char *l = mmt_norm_label(js(x, "title"));
		char buf[8192];
		int w = snprintf(buf, sizeof buf, "%s [%s]:", js(x, "id"), l);
		for (size_t i = 0; i < m.n && w > 0 && (size_t)w < sizeof buf; i++)
			w += snprintf(buf + w, sizeof buf - (size_t)w, " %s", m.v[i]);
		push(&b, strdup(buf));
		free(l);
		for (size_t i = 0; i < m.n; i++)
			free(m.v[i]);
		free(m.v);
	}
	return same(&a, &b, "subgraph", why, wl);
}

/* Checks a whole set; returns how many differ (printed). */
static size_t check_set(struct set *s, const char *what)
{
	json_t *out = official(s);
	size_t bad = 0;
	for (size_t i = 0; i < s->n; i++) {
		char why[1024] = "";
		if (!check_item(&s->v[i], json_array_get(out, i), why, sizeof why)) {
			if (bad++ < 10)
				print_message("# %s: %s\n#   canonical: %.400s\n", s->v[i].name, why, s->v[i].canon);
		}
	}
	print_message("# %s: mermaid-js accepts and reads as precis does %zu of %zu canonical sources\n", what,
		      s->n - bad, s->n);
	json_decref(out);
	return bad;
}

static void test_fixtures(void **state)
{
	need_official_parser();
	struct set s = {0};
	add_dir(&s, "tests/fixtures/mermaid");
	add_dir(&s, "tests/fixtures/mermaid-canonical");
	assert_true(s.n >= 10);
	assert_int_equal(check_set(&s, "fixtures"), 0);
	free_set(&s);
}

static void test_spec_cases(void **state)
{
	need_official_parser();
	json_error_t jerr;
	json_t *cases = json_load_file("tests/fixtures/mermaid-spec/cases.json", 0, &jerr);
	assert_non_null(cases);
	struct set s = {0};
	for (size_t i = 0; i < json_array_size(cases); i++) {
		json_t *c = json_array_get(cases, i);
		const char *src = json_string_value(json_object_get(c, "src"));
		char name[64];
		snprintf(name, sizeof name, "spec case %zu", i);
		add_source(&s, name, src, strlen(src));
	}
	json_decref(cases);
	/* all but the few from which precis (and mermaid-js) read nothing */
	assert_true(s.n >= 890);
	assert_int_equal(check_set(&s, "mermaid-js spec cases"), 0);
	free_set(&s);
}

static void test_corpus(void **state)
{
	const char *dir = t_corpus("mermaid");
	need_official_parser();
	struct set s = {0};
	add_dir(&s, dir);
	assert_true(s.n >= 20);
	assert_int_equal(check_set(&s, "corpus"), 0);
	free_set(&s);
}

/* The form itself: quoted labels with entities, renamed ids, links. */
static void test_form(void **state)
{
	const char *src = "graph LR\nend --> #node[\"say \"hi\" <b>#1</b>\"]\n"
			  "subgraph S [Box]\ndirection TB\nA e1@==> B((round))\nend\n"
			  "A -.->|x| S\nB <--> C\nC ---- D\n";
	struct mm_graph g;
	struct mm_error e;
	assert_int_equal(mm_parse(src, strlen(src), &g, &e), 0);
	char *c = mm_canonical(&g, NULL);
	print_message("%s", c);
	assert_non_null(strstr(c, "flowchart LR\n"));
	assert_non_null(strstr(c, "subgraph S[\"Box\"]\n        direction TB\n"));
	assert_non_null(strstr(c, "B((\"round\"))"));
	assert_non_null(strstr(c, "A e1@==> B\n"));
	assert_non_null(strstr(c, "A -.->|\"x\"| S\n"));
	assert_non_null(strstr(c, "B <--> C\n"));
	assert_non_null(strstr(c, "C ---- D\n"));
	/* "end" and "#node" are renamed; their text stays as the label */
	assert_non_null(strstr(c, "n1[\"end\"]"));
	assert_non_null(strstr(c, "#quot;hi#quot;"));
	assert_null(strstr(c, "<b>"));
	free(c);
	mm_graph_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_spec_cases),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
