/* engine.h — the contract between db/archive.h and the engines that keep
 * an archive (db/sqlite/: one SQLite file; db/pg/: a PostgreSQL
 * database). Nothing outside db/ includes this: above db/ an archive is
 * the opaque struct archive of db/archive.h, whatever holds it.
 *
 * db/engine.c picks the engine from the archive's location and forwards
 * every ar_* call of db/archive.h (and the ar_evidence* calls of
 * db/evidence.h) to the matching entry of the archive's ops table; what
 * needs no engine (names of states and sorts, freeing results, the
 * search's query parser, ranking and snippets: db/common.c, db/search.c)
 * is written once. Each entry behaves exactly as the ar_* function of
 * the same name documents; the engines keep no behaviour of their own
 * above that contract. An engine never calls the ar_* functions that
 * are entries of this table (they would go round through db/engine.c):
 * it calls its own.
 *
 * Neither header of a database library is included here or in anything
 * engine-neutral: only db/sqlite/ includes sqlite3.h, only db/pg/
 * includes libpq-fe.h (make check-layers proves it).
 */
#ifndef PRECIS_ENGINE_H
#define PRECIS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "db/archive.h"
#include "db/evidence.h"
#include "render/alloc.h"   /* fail-fast xmalloc, xrealloc, xstrdup */

struct ar_engine_ops;
struct sr_query;
struct sr_ranker;

/* What every archive has, whatever its engine: the engine's own state
 * follows it in the same allocation (the engine's struct begins with a
 * struct archive). */
struct archive {
	const struct ar_engine_ops *ops;
	int readonly;
	int64_t search_budget;   /* 0: AR_SEARCH_BUDGET */
	int stop;                /* ar_interrupt() since ar_interrupt_reset()
	                            (__atomic: set from another thread) */
	char err[512];
};

/* A token's newest matches (the search's cost estimate, db/search.c):
 * how many of the `max` asked for were found, the ids of the first
 * (newest) and last of them, and their phrase instances in all. */
struct sr_sample {
	int n;
	int64_t first, last;
	double inst;
};

/* The archive's transcript ids: lowest, highest and how many rows. */
struct sr_span {
	int64_t lo, hi, rows;
};

/* The three columns a search looks in, of one transcript: text, current
 * summary (NULL when none) and title, with their lengths in bytes. */
typedef int (*sr_texts_fn)(void *ctx, const char *const col[3], const size_t len[3]);

struct ar_engine_ops {
	const char *name;   /* "sqlite", "postgresql" */

	/* open and close; open sets everything of *out but ops */
	int (*open)(const char *where, int flags, struct archive **out, char *err, size_t errlen);
	void (*close)(struct archive *a);
	void (*interrupt)(struct archive *a);

	/* listing and reading */
	int (*list)(struct archive *a, const struct ar_list_query *q, struct ar_meta **rows, size_t *n);
	int (*count)(struct archive *a, enum ar_state st, int64_t *n);
	int (*get_meta)(struct archive *a, int64_t id, struct ar_meta *m);
	int (*get_text)(struct archive *a, int64_t id, char **text, size_t *len);
	int (*text_stream)(struct archive *a, int64_t id, size_t *len,
	                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
	int (*second_text_stream)(struct archive *a, int64_t id, size_t *len,
	                          int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
	int (*second_text_bytes)(struct archive *a, int64_t id, int64_t *len);
	int (*get_paras)(struct archive *a, int64_t id, struct doc_para **p, size_t *n);
	int (*current_summary)(struct archive *a, int64_t transcript_id, struct ar_summary *out);
	int (*get_summary)(struct archive *a, int64_t summary_id, struct ar_summary *out);
	int (*summary_versions)(struct archive *a, int64_t transcript_id,
	                        struct ar_summary **v, size_t *n);
	int (*current_mermaid)(struct archive *a, int64_t transcript_id, char **src);
	int (*counts)(struct archive *a, struct ar_counts *c);
	int (*list_page)(struct archive *a, const struct ar_page_query *q,
	                 const struct ar_meta *from, int inclusive, int dir, int limit,
	                 struct ar_meta **rows, size_t *n);
	int (*list_refs)(struct archive *a, const struct ar_page_query *q,
	                 struct ar_row_ref **v, size_t *n);

	/* writing */
	int (*add_summary)(struct archive *a, int64_t transcript_id,
	                   const struct ar_summary_new *s, int64_t *summary_id);
	int (*set_current_summary)(struct archive *a, int64_t transcript_id, int64_t summary_id);

	/* reviews (docs/review.md): the engine derives the transcript's
	 * review state from its reviews whenever one is added or the
	 * current version changes, and checks expect_summary_id in the
	 * transaction that adds the review */
	int (*review_add)(struct archive *a, int64_t transcript_id, const struct ar_review_new *r,
	                  int64_t *review_id);
	int (*reviews)(struct archive *a, int64_t transcript_id, struct ar_review_rec **v, size_t *n);
	/* whether another connection committed since *stamp (cheap: asked
	 * every second by the app) */
	int (*data_changed)(struct archive *a, uint64_t *stamp);

	/* transactions and import */
	int (*begin)(struct archive *a);
	int (*commit)(struct archive *a);
	void (*rollback)(struct archive *a);
	int (*in_transaction)(const struct archive *a);
	int (*savepoint)(struct archive *a);
	int (*savepoint_release)(struct archive *a);
	void (*savepoint_undo)(struct archive *a);
	int (*find_by_hash)(struct archive *a, const char *content_hash, int64_t *id);
	int (*find_same)(struct archive *a, const char *source_path, const char *text_hash,
	                 int64_t *id);
	int (*insert_doc)(struct archive *a, const struct doc *d,
	                  const struct ar_import_info *info, int64_t *id);
	int (*update_doc)(struct archive *a, int64_t id, const struct doc *d,
	                  const struct ar_import_info *info, int *new_summary);

	/* LLM jobs */
	int (*batch_open)(struct archive *a, const char *key, int64_t *batch_id, int *resumed);
	int (*batch_finish)(struct archive *a, int64_t batch_id);
	int (*job_add)(struct archive *a, int64_t transcript_id, int64_t batch_id,
	               const char *model, const char *prompt_name, int64_t *job_id);
	int (*job_get)(struct archive *a, int64_t job_id, struct ar_job *out);
	int (*batch_job)(struct archive *a, int64_t batch_id, int64_t transcript_id,
	                 struct ar_job *out);
	int (*job_claim)(struct archive *a, int64_t job_id);
	int (*job_busy_elsewhere)(struct archive *a, int64_t job_id);
	int (*job_progress)(struct archive *a, int64_t job_id, const struct ar_job_progress *p);
	int (*job_heartbeat)(struct archive *a, int64_t job_id);
	int (*job_finish)(struct archive *a, int64_t job_id, enum ar_job_state st,
	                  const char *error, int64_t summary_id);
	int (*job_release)(struct archive *a, int64_t job_id, const char *why);
	int (*jobs_list)(struct archive *a, const struct ar_job_query *q,
	                 struct ar_job **v, size_t *n);
	int (*job_note_get)(struct archive *a, int64_t job_id, const char *key, char **text,
	                    long *tokens_in, long *tokens_out);
	int (*job_note_put)(struct archive *a, int64_t job_id, const char *key, const char *text,
	                    long tokens_in, long tokens_out);

	/* claims (one summary of a transcript at a time) */
	int (*claim_take)(struct archive *a, int64_t transcript_id, int64_t job_id,
	                  struct ar_claim *holder);
	int (*claim_renew)(struct archive *a, int64_t transcript_id);
	int (*claim_release)(struct archive *a, int64_t transcript_id);

	/* evidence (db/evidence.h) */
	int (*evidence)(struct archive *a, int64_t summary_id, struct ev_result *out);
	int (*evidence_refresh)(struct archive *a, int64_t transcript_id);
	int (*evidence_missing)(struct archive *a, int64_t *n);
	int (*evidence_fill_some)(struct archive *a, int limit, int64_t *done);

	/* search: what db/search.c asks of the index; it parses the query,
	 * estimates the work, ranks and cuts snippets itself, so both
	 * engines give the same results */
	/* ids and row count of the archive's transcripts */
	int (*search_span)(struct archive *a, struct sr_span *sp);
	/* the newest `max` matches of one token (as a query: one phrase) */
	int (*search_sample)(struct archive *a, const char *tok, int len, int max,
	                     struct sr_sample *out);
	/* the work (db/search.c's units) of finding the matches of a prefix
	 * token, or -1 when the engine cannot tell */
	int64_t (*search_prefix_cost)(struct archive *a, const char *tok, int len);
	/* every match of q, in ascending id order, handed to the ranker
	 * (sr_rank_begin once, then sr_rank_row per row). 0, 1 when the
	 * ranker stopped the pass (over its work limit), -1 */
	int (*search_rank)(struct archive *a, const struct sr_query *q, struct sr_ranker *r);
	/* the ids of the newest `want` matches of q, newest first: how many
	 * (≤ want), or -1 */
	int (*search_newest)(struct archive *a, const struct sr_query *q, int64_t *ids, int want);
	/* the ids of the newest `want` transcripts below id `before` (0:
	 * from the newest), newest first: how many, or -1 */
	int (*search_recent)(struct archive *a, int64_t before, int64_t *ids, int want);
	/* a result's title, recorded_at, duration and state. 0, 1 when the
	 * transcript is gone, -1 */
	int (*search_hit_meta)(struct archive *a, int64_t id, struct ar_hit *h);
	/* calls fn with the three columns of transcript id: fn's value, 1
	 * when there is no such transcript (fn not called), -1 */
	int (*search_texts)(struct archive *a, int64_t id, sr_texts_fn fn, void *ctx);
};

/* The engines. */
extern const struct ar_engine_ops ar_sqlite_ops;

/* ---- engine-neutral helpers (db/common.c) --------------------------- */

/* Sets a->err from fmt and returns -1. */
int ar_fail(struct archive *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (≥ 21 bytes). */
void ar_now(char *buf, size_t n);
/* Names as stored, back to values (unknown: unreviewed, imported,
 * failed). */
enum ar_review ar_review_from(const char *s);
enum ar_origin ar_origin_from(const char *s);
enum ar_job_state ar_job_state_from(const char *s);
/* The listing state of a transcript from its review and current summary. */
enum ar_state ar_state_of(enum ar_review r, int64_t current_summary_id);

#endif
