/* archive_write.c — the writes that add or change what a summary's
 * evidence is computed from: a transcript imported or updated (its text,
 * paragraphs and the summary it came with), a summary version added, an
 * older version made current. Each stores the evidence of the current
 * version before its transaction ends (db/sqlite/archive_evidence.c).
 *
 * Kept apart from archive.c so calls go one way: this file calls the
 * evidence store and archive.c's helpers, the evidence store calls
 * archive.c's reads and transactions, and archive.c calls neither. */
#include <stdint.h>
#include <string.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"
#include "db/evidence.h"
#include "db/formats/doc.h"

/* Inserts a version (the schema makes it current); call in a
 * transaction. 0 or -1. */
static int insert_summary(struct archive *a, int64_t tid, const struct ar_summary_new *s,
                          int64_t *sid)
{
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_stmt *st = ar_prep(a, "INSERT INTO summaries(transcript_id, version, body, mermaid,"
	                           " origin, model, prompt_name, created_at, status, title,"
	                           " tokens_in, tokens_out, duration_ms, warning, job_id) VALUES(?1,"
	                           " (SELECT coalesce(max(version), 0) + 1 FROM summaries"
	                           "  WHERE transcript_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	                           " ?10, ?11, ?12, ?13, ?14)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	ar_bind_text(st, 2, s->body ? s->body : "");
	ar_bind_text(st, 3, s->mermaid);
	ar_bind_text(st, 4, ar_origin_name(s->origin));
	ar_bind_text(st, 5, s->model);
	ar_bind_text(st, 6, s->prompt_name);
	ar_bind_text(st, 7, now);
	ar_bind_text(st, 8, s->failed ? "failed" : "ok");
	ar_bind_text(st, 9, s->title && *s->title ? s->title : NULL);
	const long nums[] = { s->tokens_in, s->tokens_out, s->duration_ms };
	for (int i = 0; i < 3; i++)
		if (nums[i] > 0)
			sqlite3_bind_int64(st, 10 + i, nums[i]);
		else
			sqlite3_bind_null(st, 10 + i);
	ar_bind_text(st, 13, s->warning && *s->warning ? s->warning : NULL);
	if (s->job_id > 0)
		sqlite3_bind_int64(st, 14, s->job_id);
	else
		sqlite3_bind_null(st, 14);
	if (ar_exec_done(a, st, "adding summary") != 0)
		return -1;
	if (sid)
		*sid = sqlite3_last_insert_rowid(SQ(a)->db);
	return 0;
}

int sq_add_summary(struct archive *a, int64_t transcript_id,
                   const struct ar_summary_new *s, int64_t *summary_id)
{
	int opened;
	if (!s->body)
		return ar_fail(a, "a summary needs a body");
	if (ar_tx_open(a, &opened) != 0)
		return -1;
	int r = ar_exists(a, transcript_id);
	if (r == 1) {
		r = insert_summary(a, transcript_id, s, summary_id);
		/* a failed version never becomes current: nothing to refresh */
		if (r == 0 && !s->failed)
			r = sq_evidence_refresh(a, transcript_id);
	} else if (r == 0) {
		r = 1;
	}
	if (r == 0 && !s->failed && s->title && *s->title) {
		/* The model's title: kept, and shown instead of a guessed one
		 * (the import's title stays in import_title). */
		sqlite3_stmt *st = ar_prep(a, "UPDATE transcripts SET llm_title = ?2,"
		                           " import_title = CASE WHEN title_source = 'guessed'"
		                           "   THEN coalesce(import_title, title) ELSE import_title END,"
		                           " title = CASE WHEN title_source = 'guessed' THEN ?2 ELSE title END"
		                           " WHERE id = ?1");
		if (!st)
			r = -1;
		else {
			sqlite3_bind_int64(st, 1, transcript_id);
			ar_bind_text(st, 2, s->title);
			r = ar_exec_done(a, st, "storing the model's title");
		}
	}
	return ar_tx_close(a, opened, r);
}

int sq_set_current_summary(struct archive *a, int64_t transcript_id, int64_t summary_id)
{
	int opened;
	if (ar_tx_open(a, &opened) != 0)
		return -1;
	int r = 1;
	sqlite3_stmt *st = ar_prep(a, "SELECT 1 FROM summaries WHERE id = ?1 AND transcript_id = ?2");
	if (!st)
		return ar_tx_close(a, opened, -1);
	sqlite3_bind_int64(st, 1, summary_id);
	sqlite3_bind_int64(st, 2, transcript_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		st = ar_prep(a, "UPDATE transcripts SET current_summary_id = ?1 WHERE id = ?2");
		if (!st)
			return ar_tx_close(a, opened, -1);
		sqlite3_bind_int64(st, 1, summary_id);
		sqlite3_bind_int64(st, 2, transcript_id);
		r = ar_exec_done(a, st, "setting current summary");
		if (r == 0)
			r = sq_evidence_refresh(a, transcript_id);
	} else if (rc != SQLITE_DONE) {
		r = ar_fail_sql(a, "summary lookup");
	}
	return ar_tx_close(a, opened, r);
}

/* ---- import support ------------------------------------------------- */

/* Steps a prepared lookup of one id and finalizes it: 0 with *id set,
 * 1 when no row matched, -1 on an SQL error. */
static int step_id(struct archive *a, sqlite3_stmt *st, int64_t *id)
{
	int rc = sqlite3_step(st);
	int r = 1;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc != SQLITE_DONE) {
		r = ar_fail_sql(a, "lookup");
	}
	sqlite3_finalize(st);
	return r;
}

int sq_find_by_hash(struct archive *a, const char *content_hash, int64_t *id)
{
	sqlite3_stmt *st = ar_prep(a, "SELECT id FROM transcripts WHERE content_hash = ?1");
	if (!st)
		return -1;
	ar_bind_text(st, 1, content_hash);
	return step_id(a, st, id);
}

int sq_find_same(struct archive *a, const char *source_path,
                 const char *text_hash, int64_t *id)
{
	sqlite3_stmt *st = ar_prep(a, "SELECT id FROM transcripts WHERE source_path = ?1"
	                           " UNION ALL SELECT id FROM transcripts WHERE text_hash = ?2"
	                           " LIMIT 1");
	if (!st)
		return -1;
	ar_bind_text(st, 1, source_path);
	ar_bind_text(st, 2, text_hash);
	return step_id(a, st, id);
}

static int insert_paras(struct archive *a, int64_t id, const struct doc *d)
{
	if (!d->npara)
		return 0;
	sqlite3_stmt *st = ar_prep(a, "INSERT INTO paragraphs(transcript_id, seq, offset, start_s)"
	                           " VALUES(?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	for (size_t i = 0; i < d->npara; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_int64(st, 3, (int64_t)d->paras[i].offset);
		sqlite3_bind_double(st, 4, d->paras[i].start_s);
		if (sqlite3_step(st) != SQLITE_DONE) {
			ar_fail_sql(a, "paragraphs");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static int insert_text(struct archive *a, int64_t id, const struct doc *d)
{
	sqlite3_stmt *st = ar_prep(a, "INSERT INTO texts(transcript_id, text) VALUES(?1, ?2)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text64(st, 2, d->text ? d->text : "", d->text ? d->text_len : 0,
	                    SQLITE_STATIC, SQLITE_UTF8);
	return ar_exec_done(a, st, "storing text");
}

/* Stores d's second language (the one that did not go into the text), or
 * removes a stored one when d has none. 0 or -1. */
static int put_second_text(struct archive *a, int64_t id, const struct doc *d)
{
	int has = d->second_text && d->second_len > 0;
	sqlite3_stmt *st = ar_prep(a, has ? "INSERT OR REPLACE INTO second_texts(transcript_id, text) VALUES(?1, ?2)"
	                                  : "DELETE FROM second_texts WHERE transcript_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (has)
		sqlite3_bind_text64(st, 2, d->second_text, d->second_len, SQLITE_STATIC, SQLITE_UTF8);
	return ar_exec_done(a, st, "storing the second language");
}

/* Binds the metadata columns of d at ?1..?13, the title's source at ?15
 * and the encoding at ?16 (shared by insert/update). */
static void bind_doc(sqlite3_stmt *st, const struct doc *d,
                     const struct ar_import_info *info, const char *now)
{
	ar_bind_text(st, 1, d->title && *d->title ? d->title : "(untitled)");
	ar_bind_text(st, 2, d->url);
	ar_bind_text(st, 3, d->video_id);
	ar_bind_text(st, 4, d->channel);
	ar_bind_text(st, 5, d->recorded_at);
	if (d->duration_s >= 0)
		sqlite3_bind_int64(st, 6, d->duration_s);
	else
		sqlite3_bind_null(st, 6);
	ar_bind_text(st, 7, d->language);
	ar_bind_text(st, 8, doc_format_name(d->format));
	ar_bind_text(st, 9, info->source_path);
	ar_bind_text(st, 10, info->content_hash);
	ar_bind_text(st, 11, info->text_hash);
	sqlite3_bind_int64(st, 12, (int64_t)d->text_len);
	ar_bind_text(st, 13, now);
	ar_bind_text(st, 15, doc_title_source_name(d->title_source));
	ar_bind_text(st, 16, d->charset ? d->charset : "UTF-8");
}

int sq_insert_doc(struct archive *a, const struct doc *d,
                  const struct ar_import_info *info, int64_t *id)
{
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_stmt *st = ar_prep(a, "INSERT INTO transcripts(title, url, video_id, channel,"
	                           " recorded_at, duration_s, language, format, source_path,"
	                           " content_hash, text_hash, text_bytes, imported_at, updated_at,"
	                           " title_source, encoding)"
	                           " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?15,?16)");
	if (!st)
		return -1;
	bind_doc(st, d, info, now);
	if (ar_exec_done(a, st, "storing transcript") != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(SQ(a)->db);
	/* Summary before text, so the full-text index is built once. */
	if (d->summary && *d->summary) {
		struct ar_summary_new s = { .body = d->summary, .mermaid = d->mermaid,
		                            .origin = AR_ORIGIN_IMPORTED };
		if (insert_summary(a, *id, &s, NULL) != 0)
			return -1;
	}
	if (insert_text(a, *id, d) != 0 || insert_paras(a, *id, d) != 0 ||
	    (d->second_text && d->second_len && put_second_text(a, *id, d) != 0))
		return -1;
	if (d->summary && *d->summary && sq_evidence_refresh(a, *id) != 0)
		return -1;
	return 0;
}

int sq_update_doc(struct archive *a, int64_t id, const struct doc *d,
                  const struct ar_import_info *info, int *new_summary)
{
	char now[32];
	*new_summary = 0;
	ar_now(now, sizeof now);

	/* Was the text different? */
	sqlite3_stmt *st = ar_prep(a, "SELECT text_hash FROM transcripts WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int text_changed = rc == SQLITE_ROW &&
		strcmp((const char *)sqlite3_column_text(st, 0), info->text_hash) != 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? ar_fail(a, "transcript %lld vanished", (long long)id)
		                         : ar_fail_sql(a, "lookup");

	/* A guessed title that a model's title replaced stays replaced. */
	st = ar_prep(a, "UPDATE transcripts SET"
	             " title = CASE WHEN ?15 = 'guessed' AND llm_title IS NOT NULL THEN llm_title ELSE ?1 END,"
	             " import_title = CASE WHEN ?15 = 'guessed' AND llm_title IS NOT NULL THEN ?1 END,"
	             " title_source = ?15,"
	             " url = ?2, video_id = ?3, channel = ?4,"
	             " recorded_at = ?5, duration_s = ?6, language = ?7, format = ?8,"
	             " source_path = ?9, content_hash = ?10, text_hash = ?11, text_bytes = ?12,"
	             " updated_at = ?13, encoding = ?16 WHERE id = ?14");
	if (!st)
		return -1;
	bind_doc(st, d, info, now);
	sqlite3_bind_int64(st, 14, id);
	if (ar_exec_done(a, st, "updating transcript") != 0)
		return -1;

	if (text_changed) {
		st = ar_prep(a, "UPDATE texts SET text = ?2 WHERE transcript_id = ?1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text64(st, 2, d->text ? d->text : "", d->text ? d->text_len : 0,
		                    SQLITE_STATIC, SQLITE_UTF8);
		if (ar_exec_done(a, st, "updating text") != 0)
			return -1;
		st = ar_prep(a, "DELETE FROM paragraphs WHERE transcript_id = ?1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		if (ar_exec_done(a, st, "updating paragraphs") != 0 || insert_paras(a, id, d) != 0)
			return -1;
	}

	if (put_second_text(a, id, d) != 0)
		return -1;

	if (d->summary && *d->summary) {
		st = ar_prep(a, "SELECT 1 FROM summaries WHERE transcript_id = ?1 AND body = ?2");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		ar_bind_text(st, 2, d->summary);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE) {
			struct ar_summary_new s = { .body = d->summary, .mermaid = d->mermaid,
		                            .origin = AR_ORIGIN_IMPORTED };
			if (insert_summary(a, id, &s, NULL) != 0)
				return -1;
			*new_summary = 1;
		} else if (rc != SQLITE_ROW) {
			return ar_fail_sql(a, "summary lookup");
		}
	}
	/* a new version, or the old ones' evidence dropped with the text */
	if ((*new_summary || text_changed) && sq_evidence_refresh(a, id) != 0)
		return -1;
	return 0;
}
