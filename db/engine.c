/* engine.c — the archive's front door: ar_open picks the engine from the
 * archive's location, and every other ar_* call of db/archive.h (and the
 * ar_evidence* calls of db/evidence.h) goes to the archive's engine
 * through its ops table (db/engine.h). Nothing here knows SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/engine.h"

/* The engine that keeps the archive at `where`. */
static const struct ar_engine_ops *engine_for(const char *where)
{
	(void)where;
	return &ar_sqlite_ops;
}

int ar_open(const char *path, int flags, struct archive **out, char *err, size_t errlen)
{
	const struct ar_engine_ops *ops = engine_for(path);
	*out = NULL;
	int r = ops->open(path, flags, out, err, errlen);
	if (r == 0)
		(*out)->ops = ops;
	return r;
}

void ar_close(struct archive *a)
{
	if (a)
		a->ops->close(a);
}

void ar_interrupt(struct archive *a)
{
	if (!a)
		return;
	/* the engine stops its statement; db/search.c's own loops (snippets,
	 * hit counts, the broad-prefix scan) look at the flag */
	__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
	a->ops->interrupt(a);
}

void ar_interrupt_reset(struct archive *a)
{
	if (a)
		__atomic_store_n(&a->stop, 0, __ATOMIC_RELAXED);
}

int ar_evidence_fill(struct archive *a, int64_t *done)
{
	return a->ops->evidence_fill_some(a, 0, done);
}

/* ---- everything else: the engine's entry of the same name ------------ */

int ar_list(struct archive *a, const struct ar_list_query *q, struct ar_meta **rows, size_t *n)
{
	return a->ops->list(a, q, rows, n);
}

int ar_count(struct archive *a, enum ar_state st, int64_t *n)
{
	return a->ops->count(a, st, n);
}

int ar_get_meta(struct archive *a, int64_t id, struct ar_meta *m)
{
	return a->ops->get_meta(a, id, m);
}

int ar_get_text(struct archive *a, int64_t id, char **text, size_t *len)
{
	return a->ops->get_text(a, id, text, len);
}

int ar_text_stream(struct archive *a, int64_t id, size_t *len,
                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	return a->ops->text_stream(a, id, len, fn, ctx);
}

int ar_second_text_stream(struct archive *a, int64_t id, size_t *len,
                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	return a->ops->second_text_stream(a, id, len, fn, ctx);
}

int ar_second_text_bytes(struct archive *a, int64_t id, int64_t *len)
{
	return a->ops->second_text_bytes(a, id, len);
}

int ar_get_paras(struct archive *a, int64_t id, struct doc_para **p, size_t *n)
{
	return a->ops->get_paras(a, id, p, n);
}

int ar_current_summary(struct archive *a, int64_t transcript_id, struct ar_summary *out)
{
	return a->ops->current_summary(a, transcript_id, out);
}

int ar_get_summary(struct archive *a, int64_t summary_id, struct ar_summary *out)
{
	return a->ops->get_summary(a, summary_id, out);
}

int ar_summary_versions(struct archive *a, int64_t transcript_id, struct ar_summary **v, size_t *n)
{
	return a->ops->summary_versions(a, transcript_id, v, n);
}

int ar_current_mermaid(struct archive *a, int64_t transcript_id, char **src)
{
	return a->ops->current_mermaid(a, transcript_id, src);
}

int ar_counts(struct archive *a, struct ar_counts *c)
{
	return a->ops->counts(a, c);
}

int ar_list_page(struct archive *a, const struct ar_page_query *q, const struct ar_meta *from, int inclusive, int dir, int limit, struct ar_meta **rows, size_t *n)
{
	return a->ops->list_page(a, q, from, inclusive, dir, limit, rows, n);
}

int ar_list_refs(struct archive *a, const struct ar_page_query *q, struct ar_row_ref **v, size_t *n)
{
	return a->ops->list_refs(a, q, v, n);
}

int ar_add_summary(struct archive *a, int64_t transcript_id, const struct ar_summary_new *s, int64_t *summary_id)
{
	return a->ops->add_summary(a, transcript_id, s, summary_id);
}

int ar_set_current_summary(struct archive *a, int64_t transcript_id, int64_t summary_id)
{
	return a->ops->set_current_summary(a, transcript_id, summary_id);
}

int ar_review_add(struct archive *a, int64_t transcript_id, const struct ar_review_new *r, int64_t *review_id)
{
	return a->ops->review_add(a, transcript_id, r, review_id);
}

int ar_reviews(struct archive *a, int64_t transcript_id, struct ar_review_rec **v, size_t *n)
{
	return a->ops->reviews(a, transcript_id, v, n);
}

int ar_data_changed(struct archive *a, uint64_t *stamp)
{
	return a->ops->data_changed(a, stamp);
}

int ar_begin(struct archive *a)
{
	return a->ops->begin(a);
}

int ar_commit(struct archive *a)
{
	return a->ops->commit(a);
}

void ar_rollback(struct archive *a)
{
	a->ops->rollback(a);
}

int ar_in_transaction(const struct archive *a)
{
	return a->ops->in_transaction(a);
}

int ar_savepoint(struct archive *a)
{
	return a->ops->savepoint(a);
}

int ar_savepoint_release(struct archive *a)
{
	return a->ops->savepoint_release(a);
}

void ar_savepoint_undo(struct archive *a)
{
	a->ops->savepoint_undo(a);
}

int ar_find_by_hash(struct archive *a, const char *content_hash, int64_t *id)
{
	return a->ops->find_by_hash(a, content_hash, id);
}

int ar_find_same(struct archive *a, const char *source_path, const char *text_hash, int64_t *id)
{
	return a->ops->find_same(a, source_path, text_hash, id);
}

int ar_insert_doc(struct archive *a, const struct doc *d, const struct ar_import_info *info, int64_t *id)
{
	return a->ops->insert_doc(a, d, info, id);
}

int ar_update_doc(struct archive *a, int64_t id, const struct doc *d, const struct ar_import_info *info, int *new_summary)
{
	return a->ops->update_doc(a, id, d, info, new_summary);
}

int ar_batch_open(struct archive *a, const char *key, int64_t *batch_id, int *resumed)
{
	return a->ops->batch_open(a, key, batch_id, resumed);
}

int ar_batch_finish(struct archive *a, int64_t batch_id)
{
	return a->ops->batch_finish(a, batch_id);
}

int ar_job_add(struct archive *a, int64_t transcript_id, int64_t batch_id, const char *model, const char *prompt_name, int64_t *job_id)
{
	return a->ops->job_add(a, transcript_id, batch_id, model, prompt_name, job_id);
}

int ar_job_get(struct archive *a, int64_t job_id, struct ar_job *out)
{
	return a->ops->job_get(a, job_id, out);
}

int ar_batch_job(struct archive *a, int64_t batch_id, int64_t transcript_id, struct ar_job *out)
{
	return a->ops->batch_job(a, batch_id, transcript_id, out);
}

int ar_job_claim(struct archive *a, int64_t job_id)
{
	return a->ops->job_claim(a, job_id);
}

int ar_job_busy_elsewhere(struct archive *a, int64_t job_id)
{
	return a->ops->job_busy_elsewhere(a, job_id);
}

int ar_job_progress(struct archive *a, int64_t job_id, const struct ar_job_progress *p)
{
	return a->ops->job_progress(a, job_id, p);
}

int ar_job_heartbeat(struct archive *a, int64_t job_id)
{
	return a->ops->job_heartbeat(a, job_id);
}

int ar_job_finish(struct archive *a, int64_t job_id, enum ar_job_state st, const char *error, int64_t summary_id)
{
	return a->ops->job_finish(a, job_id, st, error, summary_id);
}

int ar_job_release(struct archive *a, int64_t job_id, const char *why)
{
	return a->ops->job_release(a, job_id, why);
}

int ar_claim_take(struct archive *a, int64_t transcript_id, int64_t job_id,
                  struct ar_claim *holder)
{
	if (holder)
		memset(holder, 0, sizeof *holder);
	return a->ops->claim_take(a, transcript_id, job_id, holder);
}

int ar_claim_renew(struct archive *a, int64_t transcript_id)
{
	return a->ops->claim_renew(a, transcript_id);
}

int ar_claim_release(struct archive *a, int64_t transcript_id)
{
	return a->ops->claim_release(a, transcript_id);
}

void ar_claim_free(struct ar_claim *c)
{
	if (!c)
		return;
	free(c->owner);
	memset(c, 0, sizeof *c);
}

int ar_jobs_list(struct archive *a, const struct ar_job_query *q, struct ar_job **v, size_t *n)
{
	return a->ops->jobs_list(a, q, v, n);
}

int ar_job_note_get(struct archive *a, int64_t job_id, const char *key, char **text, long *tokens_in, long *tokens_out)
{
	return a->ops->job_note_get(a, job_id, key, text, tokens_in, tokens_out);
}

int ar_job_note_put(struct archive *a, int64_t job_id, const char *key, const char *text, long tokens_in, long tokens_out)
{
	return a->ops->job_note_put(a, job_id, key, text, tokens_in, tokens_out);
}

int ar_evidence(struct archive *a, int64_t summary_id, struct ev_result *out)
{
	return a->ops->evidence(a, summary_id, out);
}

int ar_evidence_refresh(struct archive *a, int64_t transcript_id)
{
	return a->ops->evidence_refresh(a, transcript_id);
}

int ar_evidence_missing(struct archive *a, int64_t *n)
{
	return a->ops->evidence_missing(a, n);
}

int ar_evidence_fill_some(struct archive *a, int limit, int64_t *done)
{
	return a->ops->evidence_fill_some(a, limit, done);
}
