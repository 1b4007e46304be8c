/* archive_evidence.c — evidence stored per summary version (table
 * `evidence`, schema migration 2), so listings read the unsupported count
 * without computing anything.
 *
 * A version's evidence is computed when the version is added (import, a
 * new LLM or edited version) and otherwise when first asked for; it is
 * stored when the archive is writable. A row made by another EV_METHOD is
 * stale and recomputed; a trigger drops the rows of a transcript whose
 * text changes. The per-line results are one JSON array (jansson).
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"
#include "db/evidence.h"
#include "render/alloc.h"

static sqlite3_stmt *prep(struct archive *a, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ar_fail_sql(a, "evidence");
		return NULL;
	}
	return st;
}

/* The per-line results as compact JSON (malloc'd). */
static char *lines_json(const struct ev_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct ev_line *l = &r->lines[i];
		json_t *p = json_array();
		for (int k = 0; k < l->npass; k++) {
			const struct ev_passage *q = &l->pass[k];
			json_array_append_new(p, json_pack("[IIff]", (json_int_t)q->off,
			                                   (json_int_t)q->len, q->start_s, q->score));
		}
		json_t *o = json_pack("{sisIsisssisfso}", "l", l->line, "o", (json_int_t)l->off,
		                      "k", (int)l->kind, "t", l->text ? l->text : "",
		                      "v", (int)l->verdict, "s", l->score, "p", p);
		if (l->node_id)
			json_object_set_new(o, "id", json_string(l->node_id));
		json_array_append_new(arr, o);
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* Parses stored lines into *r; 0, or -1 when they do not parse. */
static int lines_parse(const char *s, struct ev_result *r)
{
	memset(r, 0, sizeof *r);
	json_t *arr = json_loads(s, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return -1;
	}
	size_t n = json_array_size(arr);
	r->lines = xmalloc((n ? n : 1) * sizeof *r->lines);
	memset(r->lines, 0, (n ? n : 1) * sizeof *r->lines);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		struct ev_line *l = &r->lines[r->n];
		json_t *t = json_object_get(o, "t"), *id = json_object_get(o, "id"),
		       *p = json_object_get(o, "p");
		if (!json_is_string(t) || !json_is_array(p))
			continue;
		l->line = (int)json_integer_value(json_object_get(o, "l"));
		l->off = (size_t)json_integer_value(json_object_get(o, "o"));
		l->kind = json_integer_value(json_object_get(o, "k")) == EV_NODE ? EV_NODE : EV_TEXT;
		l->text = xstrdup(json_string_value(t));
		l->node_id = json_is_string(id) ? xstrdup(json_string_value(id)) : NULL;
		json_int_t v = json_integer_value(json_object_get(o, "v"));
		l->verdict = v == EV_SUPPORTED ? EV_SUPPORTED : v == EV_WEAK ? EV_WEAK : EV_NONE;
		l->score = json_number_value(json_object_get(o, "s"));
		for (size_t k = 0; k < json_array_size(p) && l->npass < EV_MAX_PASSAGES; k++) {
			json_t *q = json_array_get(p, k);
			struct ev_passage *e = &l->pass[l->npass++];
			e->off = (size_t)json_integer_value(json_array_get(q, 0));
			e->len = (size_t)json_integer_value(json_array_get(q, 1));
			e->start_s = json_number_value(json_array_get(q, 2));
			e->score = json_number_value(json_array_get(q, 3));
		}
		if (l->verdict == EV_SUPPORTED)
			r->supported++;
		else if (l->verdict == EV_WEAK)
			r->weak++;
		else
			r->unsupported++;
		r->n++;
	}
	json_decref(arr);
	return 0;
}

/* Stores r as the evidence of summary_id. 0 or -1. */
static int store(struct archive *a, int64_t summary_id, const struct ev_result *r)
{
	char *js = lines_json(r);
	sqlite3_stmt *st = prep(a, "INSERT OR REPLACE INTO evidence(summary_id, method, claims,"
	                           " supported, weak, unsupported, lines) VALUES(?1,?2,?3,?4,?5,?6,?7)");
	if (!st) {
		free(js);
		return -1;
	}
	sqlite3_bind_int64(st, 1, summary_id);
	sqlite3_bind_int(st, 2, EV_METHOD);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->n);
	sqlite3_bind_int(st, 4, r->supported);
	sqlite3_bind_int(st, 5, r->weak);
	sqlite3_bind_int(st, 6, r->unsupported);
	sqlite3_bind_text(st, 7, js ? js : "[]", -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(js);
	return rc == SQLITE_DONE ? 0 : ar_fail_sql(a, "storing evidence");
}

/* Computes the evidence of summary_id from the archive. 0, 1 when there
 * is no such summary, -1. */
static int compute(struct archive *a, int64_t summary_id, struct ev_result *out)
{
	struct ar_summary s;
	int r = sq_get_summary(a, summary_id, &s);
	if (r != 0)
		return r;
	char *text = NULL;
	size_t tlen = 0;
	struct doc_para *p = NULL;
	size_t np = 0;
	r = sq_get_text(a, s.transcript_id, &text, &tlen);
	if (r == 0 && sq_get_paras(a, s.transcript_id, &p, &np) < 0)
		r = -1;
	if (r == 0)
		ev_compute(s.body, s.body_len, text, tlen, p, np, out);
	free(text);
	free(p);
	ar_summary_free(&s);
	return r;
}

int sq_evidence(struct archive *a, int64_t summary_id, struct ev_result *out)
{
	memset(out, 0, sizeof *out);
	/* rows with more claims than are checked now: computed again */
	sqlite3_stmt *st = prep(a, "SELECT lines FROM evidence WHERE summary_id = ?1 AND method = ?2"
	                           " AND claims <= ?3");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, summary_id);
	sqlite3_bind_int(st, 2, EV_METHOD);
	sqlite3_bind_int(st, 3, EV_MAX_CLAIMS);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int ok = lines_parse((const char *)sqlite3_column_text(st, 0), out) == 0;
		sqlite3_finalize(st);
		if (ok)
			return 0;
		ev_result_free(out);
	} else {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return ar_fail_sql(a, "reading evidence");
	}
	int r = compute(a, summary_id, out);
	if (r == 0 && !a->readonly && store(a, summary_id, out) != 0) {
		/* derived data: a busy archive costs the cache, not the answer */
	}
	return r;
}

int sq_evidence_refresh(struct archive *a, int64_t transcript_id)
{
	sqlite3_stmt *st = prep(a, "SELECT current_summary_id FROM transcripts WHERE id = ?1"
	                           " AND current_summary_id IS NOT NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, transcript_id);
	int rc = sqlite3_step(st);
	int64_t sid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : ar_fail_sql(a, "current summary");
	/* already there (an older version made current again) */
	st = prep(a, "SELECT 1 FROM evidence WHERE summary_id = ?1 AND method = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_int(st, 2, EV_METHOD);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	struct ev_result r = { 0 };
	int x = compute(a, sid, &r);
	if (x == 0)
		x = store(a, sid, &r);
	ev_result_free(&r);
	return x < 0 ? -1 : 0;
}

/* Summaries whose evidence (of EV_METHOD, which migration 7's triggers
 * keep) is missing: the partial index of migration 7 holds exactly them. */
#define MISSING_SQL \
	" FROM transcripts t WHERE t.unsupported IS NULL AND t.current_summary_id IS NOT NULL"

int sq_evidence_missing(struct archive *a, int64_t *n)
{
	sqlite3_stmt *st = prep(a, "SELECT count(*)" MISSING_SQL);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : ar_fail_sql(a, "counting evidence");
}

int sq_evidence_fill_some(struct archive *a, int limit, int64_t *done)
{
	*done = 0;
	if (a->readonly)
		return ar_fail(a, "archive was opened read-only");
	sqlite3_stmt *st = prep(a, "SELECT t.current_summary_id" MISSING_SQL " LIMIT ?1");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return ar_fail_sql(a, "finding summaries without evidence");
	}
	int opened = 0;
	if (n && sqlite3_get_autocommit(SQ(a)->db)) {
		if (sq_begin(a) != 0) {
			free(ids);
			return -1;
		}
		opened = 1;
	}
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct ev_result res = { 0 };
		int x = compute(a, ids[i], &res);
		if (x == 0) {
			r = store(a, ids[i], &res);
			(*done)++;
		} else if (x < 0) {
			r = -1;
		}
		ev_result_free(&res);
	}
	free(ids);
	if (opened) {
		if (r == 0)
			r = sq_commit(a);
		else
			sq_rollback(a);
	}
	return r;
}
