/* archive_int.h — internals of the SQLite engine, shared by the files of
 * db/sqlite/. Nothing outside db/sqlite/ includes this: the public
 * contract is db/archive.h, the engine contract db/engine.h (whose
 * ops table, ar_sqlite_ops in db/sqlite/ops.c, lists what this engine
 * does). */
#ifndef PRECIS_ARCHIVE_INT_H
#define PRECIS_ARCHIVE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sqlite3.h>

#include "db/archive.h"
#include "db/engine.h"
#include "render/alloc.h"   /* fail-fast xmalloc, xrealloc, xstrdup */
#include "db/evidence.h"   /* EV_METHOD_STR for META_COLS */

/* Waiting for the write lock (db/archive.c, busy_wait): how long, and
 * whether the archive changed meanwhile (another writer at work). */
struct ar_wait {
	char *db_file, *wal_file;       /* stat()ed to see progress */
	struct timespec start;          /* this wait began */
	struct timespec progress;       /* the archive last changed */
	struct timespec last_commit;    /* our last commit (ar_begin yields) */
	unsigned long long stamp;       /* sizes and times of db and -wal */
	unsigned seed;                  /* jitter */
	int contended;                  /* we have had to wait: others write too */
	int gave_up;                    /* the last wait ran out of patience */
};

/* An SQLite archive: the engine-neutral part first (db/engine.h). */
struct sq_archive {
	struct archive base;
	sqlite3 *db;
	int search_ready;   /* auxiliary search functions registered */
	int match_ready;    /* the list pattern's precis_match registered */
	/* The ranking pass of the current search (db/sqlite/fts.c), NULL
	 * between searches. */
	struct sr_ranker *rank_pass;
	/* statements of every search result, kept (db/sqlite/fts.c) */
	sqlite3_stmt *hit_st, *texts_st;
	/* statements of every review, kept (db/sqlite/review.c): a batch of
	 * 1,000 prepares them once (their triggers make a prepare cost more
	 * than the review) */
	sqlite3_stmt *rv_cur_st, *rv_ins_st;
	struct ar_wait wait;
};
/* The SQLite archive a is (every struct archive this engine hands out). */
#define SQ(a) ((struct sq_archive *)(a))

/* Latest schema version (PRAGMA user_version after all migrations). */
#define AR_SCHEMA_VERSION 11

/* Brings the schema of db up to AR_SCHEMA_VERSION, each migration in its
 * own transaction. Returns 0, or -1 with a reason in err. */
int schema_migrate(sqlite3 *db, char *err, size_t errlen);
/* The same, stopping at schema version target (tests of a migration build
 * the archive an older precis made). */
int schema_migrate_to(sqlite3 *db, int target, char *err, size_t errlen);

/* Registers the "precis" FTS5 tokenizer (db/tokenizer.c's tok_scan) on
 * db. Returns an SQLite code. */
int tok_register(sqlite3 *db);

/* The FTS5 API of db (for tokenizers and auxiliary functions), or NULL. */
fts5_api *ar_fts5_api(sqlite3 *db);

/* Sets a->err from the SQLite error of a->db (prefixed by what) and
 * returns -1; a busy/locked database gets a clear message. */
int ar_fail_sql(struct archive *a, const char *what);

/* The unsupported count of the current summary's evidence (NULL when
 * unknown): stored on the row, kept by triggers (migration 7). */
#define UNSUPPORTED_SQL "t.unsupported"

/* The columns ar_meta_from_row() reads (table alias t, from META_FROM:
 * rv is the review shown, migration 9). */
#define META_COLS \
	"t.id, t.title, t.url, t.video_id, t.channel, t.recorded_at, t.duration_s," \
	" t.language, t.format, t.source_path, t.content_hash, t.imported_at," \
	" t.updated_at, t.text_bytes, t.review_state, rv.created_at," \
	" t.current_summary_id," \
	" (SELECT count(*) FROM summaries s WHERE s.transcript_id = t.id)," \
	" (SELECT count(*) FROM paragraphs p WHERE p.transcript_id = t.id)," \
	" " UNSUPPORTED_SQL "," \
	" t.title_source, coalesce(t.import_title, t.title), t.llm_title," \
	" rv.reason," \
	" (SELECT s.origin FROM summaries s WHERE s.id = t.current_summary_id)," \
	" t.encoding," \
	" t.review_changed, rv.id, rv.verdict, rv.reviewer," \
	" (SELECT s.version FROM summaries s WHERE s.id = rv.summary_id)," \
	" (SELECT s.version FROM summaries s WHERE s.id = t.current_summary_id)"
/* What META_COLS are selected from. */
#define META_FROM \
	"transcripts t LEFT JOIN reviews rv ON rv.id = t.review_id AND rv.verdict <> 'cleared'"

/* The WHERE condition of filter f (table alias t; docs/review.md). */
const char *ar_filter_sql(enum ar_filter f);

/* Fills *m from a row selected with META_COLS. */
void ar_meta_from_row(sqlite3_stmt *st, struct ar_meta *m);

/* Statement helpers of archive.c for the other files of db/. */
/* Prepares sql; the statement, or NULL with a->err set. */
sqlite3_stmt *ar_prep(struct archive *a, const char *sql);
/* Binds s at i, or NULL when s is NULL (the text is not copied). */
void ar_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A malloc'd copy of text column i, or NULL. */
char *ar_col_str(sqlite3_stmt *st, int i);
/* Steps a statement that returns no rows and finalizes it; 0 or -1. */
int ar_exec_done(struct archive *a, sqlite3_stmt *st, const char *what);
/* Opens a transaction unless one is open (*opened says which); 0 or -1. */
int ar_tx_open(struct archive *a, int *opened);
/* Ends what ar_tx_open opened: commit when r >= 0, else roll back;
 * returns r, or -1 when the commit failed. */
int ar_tx_close(struct archive *a, int opened, int r);
/* 1 when transcript id exists, 0 when not, -1 with a->err set. */
int ar_exists(struct archive *a, int64_t id);

/* The engine's entries of its ops table (db/engine.h; each does what the
 * ar_* function of the same name in db/archive.h documents). The files
 * of this engine call these, never the ar_* forms. */
int sq_open(const char *path, int flags, struct archive **out, char *err, size_t errlen);
void sq_close(struct archive *a);
void sq_interrupt(struct archive *a);
int sq_list(struct archive *a, const struct ar_list_query *q, struct ar_meta **rows, size_t *n);
int sq_count(struct archive *a, enum ar_state st, int64_t *n);
int sq_get_meta(struct archive *a, int64_t id, struct ar_meta *m);
int sq_get_text(struct archive *a, int64_t id, char **text, size_t *len);
int sq_text_stream(struct archive *a, int64_t id, size_t *len,
                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
int sq_second_text_stream(struct archive *a, int64_t id, size_t *len,
                          int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
int sq_second_text_bytes(struct archive *a, int64_t id, int64_t *len);
int sq_get_paras(struct archive *a, int64_t id, struct doc_para **p, size_t *n);
int sq_current_summary(struct archive *a, int64_t transcript_id, struct ar_summary *out);
int sq_get_summary(struct archive *a, int64_t summary_id, struct ar_summary *out);
int sq_summary_versions(struct archive *a, int64_t transcript_id,
                        struct ar_summary **v, size_t *n);
int sq_current_mermaid(struct archive *a, int64_t transcript_id, char **src);
int sq_counts(struct archive *a, struct ar_counts *c);
int sq_list_page(struct archive *a, const struct ar_page_query *q,
                 const struct ar_meta *from, int inclusive, int dir, int limit,
                 struct ar_meta **rows, size_t *n);
int sq_list_refs(struct archive *a, const struct ar_page_query *q,
                 struct ar_row_ref **v, size_t *n);
int sq_add_summary(struct archive *a, int64_t transcript_id,
                   const struct ar_summary_new *s, int64_t *summary_id);
int sq_set_current_summary(struct archive *a, int64_t transcript_id, int64_t summary_id);
int sq_review_add(struct archive *a, int64_t transcript_id, const struct ar_review_new *r,
                  int64_t *review_id);
int sq_reviews(struct archive *a, int64_t transcript_id, struct ar_review_rec **v, size_t *n);
int sq_data_changed(struct archive *a, uint64_t *stamp);
int sq_begin(struct archive *a);
int sq_commit(struct archive *a);
void sq_rollback(struct archive *a);
int sq_in_transaction(const struct archive *a);
int sq_savepoint(struct archive *a);
int sq_savepoint_release(struct archive *a);
void sq_savepoint_undo(struct archive *a);
int sq_find_by_hash(struct archive *a, const char *content_hash, int64_t *id);
int sq_find_same(struct archive *a, const char *source_path, const char *text_hash, int64_t *id);
int sq_insert_doc(struct archive *a, const struct doc *d,
                  const struct ar_import_info *info, int64_t *id);
int sq_update_doc(struct archive *a, int64_t id, const struct doc *d,
                  const struct ar_import_info *info, int *new_summary);
int sq_batch_open(struct archive *a, const char *key, int64_t *batch_id, int *resumed);
int sq_batch_finish(struct archive *a, int64_t batch_id);
int sq_job_add(struct archive *a, int64_t transcript_id, int64_t batch_id,
               const char *model, const char *prompt_name, int64_t *job_id);
int sq_job_get(struct archive *a, int64_t job_id, struct ar_job *out);
int sq_batch_job(struct archive *a, int64_t batch_id, int64_t transcript_id, struct ar_job *out);
int sq_job_claim(struct archive *a, int64_t job_id);
int sq_job_busy_elsewhere(struct archive *a, int64_t job_id);
int sq_job_progress(struct archive *a, int64_t job_id, const struct ar_job_progress *p);
int sq_job_heartbeat(struct archive *a, int64_t job_id);
int sq_job_finish(struct archive *a, int64_t job_id, enum ar_job_state st,
                  const char *error, int64_t summary_id);
int sq_job_release(struct archive *a, int64_t job_id, const char *why);
int sq_jobs_list(struct archive *a, const struct ar_job_query *q, struct ar_job **v, size_t *n);
int sq_job_note_get(struct archive *a, int64_t job_id, const char *key, char **text,
                    long *tokens_in, long *tokens_out);
int sq_job_note_put(struct archive *a, int64_t job_id, const char *key, const char *text,
                    long tokens_in, long tokens_out);
int sq_claim_take(struct archive *a, int64_t transcript_id, int64_t job_id,
                  struct ar_claim *holder);
int sq_claim_renew(struct archive *a, int64_t transcript_id);
int sq_claim_release(struct archive *a, int64_t transcript_id);
int sq_evidence(struct archive *a, int64_t summary_id, struct ev_result *out);
int sq_evidence_refresh(struct archive *a, int64_t transcript_id);
int sq_evidence_missing(struct archive *a, int64_t *n);
int sq_evidence_fill_some(struct archive *a, int limit, int64_t *done);
int sq_search_span(struct archive *a, struct sr_span *sp);
int sq_search_sample(struct archive *a, const char *tok, int len, int max, struct sr_sample *out);
int64_t sq_search_prefix_cost(struct archive *a, const char *tok, int len);
int sq_search_rank(struct archive *a, const struct sr_query *q, struct sr_ranker *r);
int sq_search_newest(struct archive *a, const struct sr_query *q, int64_t *ids, int want);
int sq_search_recent(struct archive *a, int64_t before, int64_t *ids, int want);
int sq_search_hit_meta(struct archive *a, int64_t id, struct ar_hit *h);
int sq_search_texts(struct archive *a, int64_t id, sr_texts_fn fn, void *ctx);

#endif
