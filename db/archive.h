/* archive.h — the transcript archive: transcripts, every summary version
 * ever made, review state, and a full-text index, kept by an engine
 * (db/engine.h: one SQLite file, db/sqlite/) that nothing above db/ needs
 * to know.
 *
 * Contract for everything above db/ (the command line, the app, net/).
 * Every function that can fail returns -1 and leaves a one-line reason in
 * ar_error(a); "not found" is a separate return value where it can happen.
 * Strings returned in structs are malloc'd and freed by the matching
 * *_free function. Nothing here prints.
 *
 * Concurrency (SQLite): WAL mode and a lock wait, so several processes
 * may read while one writes; a writer that waits too long gets "archive
 * is locked by another process".
 */
#ifndef PRECIS_ARCHIVE_H
#define PRECIS_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "db/formats/doc.h"

struct archive;

enum ar_open_flags {
	AR_READONLY = 1,   /* never write; works on read-only files/dirs */
	AR_CREATE = 2,     /* create the file (not its directory) if missing */
};

/* Opens (and migrates, unless read-only) the archive at path. Returns 0
 * and sets *out, or -1 with a reason in err (missing file, not an archive,
 * made by a newer precis, locked, permission denied, …). */
int ar_open(const char *path, int flags, struct archive **out, char *err, size_t errlen);
void ar_close(struct archive *a);
/* The last error of a, one line. */
const char *ar_error(const struct archive *a);
int ar_readonly(const struct archive *a);

/* The review state of a transcript: of its current summary version
 * (docs/review.md). AR_CHANGED: the current version has no review of its
 * own, but an earlier one was approved or flagged — back in the queue. */
enum ar_review { AR_UNREVIEWED = 0, AR_APPROVED, AR_FLAGGED, AR_CHANGED };

/* As a label (the one-word state of listings and --json's "state"): the
 * review when there is one (flagged, approved, changed), else whether
 * there is a summary. As a filter (--state, ar_list): the question of
 * the same name in docs/review.md — unsummarized and summarized ask only
 * whether there is a summary, unreviewed (a summary nobody reviewed:
 * unreviewed or changed) and changed only about summarized ones,
 * approved and flagged only about the review. */
enum ar_state { AR_ST_ANY = 0, AR_ST_UNSUMMARIZED, AR_ST_SUMMARIZED,
                AR_ST_APPROVED, AR_ST_FLAGGED, AR_ST_UNREVIEWED, AR_ST_CHANGED };
const char *ar_state_name(enum ar_state s);     /* "summarized", … */
const char *ar_review_name(enum ar_review r);   /* "unreviewed", "approved", "flagged", "changed" */
/* Parses a state name; returns 0 or -1 when unknown. */
int ar_state_parse(const char *name, enum ar_state *out);

/* Metadata of one transcript (no text, no summary body). */
struct ar_meta {
	int64_t id;
	char *title;
	char *url, *video_id, *channel;   /* NULL when unknown */
	char *recorded_at;                /* ISO 8601 or NULL */
	long duration_s;                  /* -1 when unknown */
	char *language;                   /* NULL when unknown */
	char *format;                     /* "record", "vtt", … */
	char *source_path;
	char *content_hash;               /* sha256 of the imported bytes */
	char *imported_at, *updated_at;   /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t text_bytes;
	int64_t npara;                    /* paragraphs with a start time */
	enum ar_review review;            /* of the current version */
	/* The review shown (docs/review.md): the one in force (approved or
	 * flagged), or for AR_CHANGED the last review of an earlier version.
	 * All 0/NULL when unreviewed. */
	int64_t review_id;
	enum ar_review review_verdict;    /* AR_APPROVED or AR_FLAGGED */
	int review_version;               /* the version it was made on; 0: none
	                                     (a flag of a transcript without one) */
	char *reviewed_at;                /* its time (UTC) */
	char *reviewer;                   /* who; NULL when unknown */
	char *review_reason;              /* why it was flagged, or NULL */
	enum ar_state state;              /* the one-word label (ar_state) */
	int summary_versions;
	int64_t current_summary_id;       /* 0 when none */
	int current_version;              /* its version number; 0 when none */
	int unsupported;                  /* lines of the current summary nothing
	                                     supports (db/evidence.h); -1 when
	                                     there is no summary or not yet known */
	char *title_source;               /* "header", "info_json", "file_name",
	                                     "guessed"; NULL when unknown (imported
	                                     before precis recorded it) */
	char *original_title;             /* the title the import gave; differs
	                                     from title when a model's title
	                                     replaced a guessed one */
	char *llm_title;                  /* the latest model's title, or NULL */
	int current_origin;               /* enum ar_origin of the current
	                                     summary, -1 when none */
	char *encoding;                   /* what the imported bytes were read
	                                     as: "UTF-8", "WINDOWS-1252", "UTF-16",
	                                     …; NULL when imported before precis
	                                     recorded it */
};
void ar_meta_free(struct ar_meta *m);
void ar_metas_free(struct ar_meta *v, size_t n);

enum ar_sort { AR_SORT_DATE = 0, AR_SORT_TITLE, AR_SORT_DURATION, AR_SORT_IMPORTED,
               AR_SORT_UNSUPPORTED };
/* Parses "date", "title", "duration", "imported", "unsupported"; 0 or -1. */
int ar_sort_parse(const char *name, enum ar_sort *out);

struct ar_list_query {
	enum ar_sort sort;     /* date: newest recording first; title: A–Z;
	                          duration: longest first; imported: newest;
	                          unsupported: most unsupported lines first,
	                          unknown counts last */
	enum ar_state state;   /* AR_ST_ANY for all */
	int limit;             /* ≤ 0: no limit */
	int offset;
};
/* One page of the listing (metadata only, never bodies). Returns 0 and
 * sets *rows (free with ar_metas_free) and *n, or -1. */
int ar_list(struct archive *a, const struct ar_list_query *q,
            struct ar_meta **rows, size_t *n);
/* Number of transcripts in a state (AR_ST_ANY: all). Returns 0 or -1. */
int ar_count(struct archive *a, enum ar_state st, int64_t *n);

/* Returns 0 and fills *m, 1 when there is no such id, -1 on error. */
int ar_get_meta(struct archive *a, int64_t id, struct ar_meta *m);
/* The full transcript text (malloc'd, NUL-terminated). 0, 1, -1. */
int ar_get_text(struct archive *a, int64_t id, char **text, size_t *len);
/* The transcript text in pieces, never held whole: fn gets up to 1 MB at
 * a time (a piece may end inside a character), *len (may be NULL) gets
 * the size first. Returns 0, 1 when there is no such text, -1 on a
 * database error, or the first non-zero value fn returned (fn's pieces
 * stop there). */
int ar_text_stream(struct archive *a, int64_t id, size_t *len,
                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
/* The second language of a two-language source (SRT/SBV '#' lines in
 * cues, timed JSON with a translation; docs/formats.md), the one that did
 * not go into the text: streamed like ar_text_stream. Returns 0, 1 when
 * the transcript has none (or does not exist), -1, or fn's value. */
int ar_second_text_stream(struct archive *a, int64_t id, size_t *len,
                          int (*fn)(void *ctx, const char *p, size_t n), void *ctx);
/* Its size in bytes: 0 and *len, 1 when there is none, -1. */
int ar_second_text_bytes(struct archive *a, int64_t id, int64_t *len);
/* Paragraph start times (malloc'd, sorted by offset). 0, 1, -1. */
int ar_get_paras(struct archive *a, int64_t id, struct doc_para **p, size_t *n);

enum ar_origin { AR_ORIGIN_IMPORTED = 0, AR_ORIGIN_LLM, AR_ORIGIN_EDITED };
const char *ar_origin_name(enum ar_origin o);

struct ar_summary {
	int64_t id;              /* unique over the archive */
	int64_t transcript_id;
	int version;             /* 1, 2, … per transcript */
	char *body;              /* Markdown; NULL in ar_summary_versions */
	size_t body_len;
	char *mermaid;           /* NULL when none (or in ar_summary_versions) */
	int has_mermaid;
	enum ar_origin origin;
	char *model, *prompt_name;   /* NULL when unknown */
	char *created_at;
	int is_current;
	int failed;              /* a failed or cut-off run's partial text:
	                            never current */
	char *title;             /* the model's title for it, or NULL */
	long tokens_in, tokens_out;   /* usage reported (or estimated); -1 unknown */
	long duration_ms;        /* how long the run took; -1 unknown */
	char *warning;           /* e.g. the map's parse problems; NULL when none */
	int64_t job_id;          /* the job that made it; 0 when none */
};
void ar_summary_free(struct ar_summary *s);
void ar_summaries_free(struct ar_summary *v, size_t n);

/* The current summary of a transcript. 0, 1 when it has none (or no such
 * transcript), -1. */
int ar_current_summary(struct archive *a, int64_t transcript_id, struct ar_summary *out);
/* One version by its summary id. 0, 1, -1. */
int ar_get_summary(struct archive *a, int64_t summary_id, struct ar_summary *out);
/* All versions, oldest first, without bodies. 0 (possibly n = 0), 1 when
 * there is no such transcript, -1. */
int ar_summary_versions(struct archive *a, int64_t transcript_id,
                        struct ar_summary **v, size_t *n);
/* The Mermaid source of the current summary (malloc'd), for `mermaid
 * --id`. 0, 1 when the transcript or its summary or diagram is missing, -1. */
int ar_current_mermaid(struct archive *a, int64_t transcript_id, char **src);

struct ar_summary_new {
	const char *body;          /* Markdown, required */
	const char *mermaid;       /* extracted diagram or NULL */
	enum ar_origin origin;
	const char *model;         /* NULL when unknown */
	const char *prompt_name;   /* NULL when unknown */
	/* LLM runs (all optional: zero means unknown/none) */
	int failed;                /* partial text of a failed run: stored,
	                              never current */
	const char *title;         /* the model's title for the transcript */
	long tokens_in, tokens_out;
	long duration_ms;
	const char *warning;
	int64_t job_id;
};
/* Adds a new version that becomes current (unless failed); older versions
 * are kept untouched (the schema refuses any UPDATE or DELETE of a
 * version). A title with a finished version becomes the transcript's
 * llm_title and, when its title was guessed from the opening words, its
 * display title (the import's stays as original_title). Returns 0 and
 * sets *summary_id (may be NULL), 1 when there is no such transcript, -1. */
int ar_add_summary(struct archive *a, int64_t transcript_id,
                   const struct ar_summary_new *s, int64_t *summary_id);
/* Makes an existing version current again (undo to an older version
 * without copying it). 0, 1 when it is not a version of that transcript, -1. */
int ar_set_current_summary(struct archive *a, int64_t transcript_id, int64_t summary_id);

/* ---- reviews (docs/review.md) ---------------------------------------- */

/* expect_summary_id that checks nothing. */
#define AR_REVIEW_ANY ((int64_t)-1)

struct ar_review_new {
	enum ar_review verdict;     /* AR_APPROVED, AR_FLAGGED, or AR_UNREVIEWED
	                               to clear the review */
	const char *reason;         /* one line, or NULL / "" for none */
	const char *reviewer;       /* who; NULL when unknown */
	int64_t expect_summary_id;  /* the version the reviewer saw (0: no
	                               summary); AR_REVIEW_ANY: not checked */
};

/* ar_review_add's refusals (besides 1: no such transcript). */
enum { AR_REVIEW_STALE = 2,       /* the current version is not the one
	                             expected: someone made another current */
       AR_REVIEW_NO_SUMMARY = 3   /* approving a transcript without one */ };

/* Reviews the current summary version of a transcript: a new review row
 * (never an update), in one transaction that first checks, under the
 * write lock, that the current version is still expect_summary_id.
 * Returns 0 (and *review_id, may be NULL), 1 when there is no such
 * transcript, AR_REVIEW_STALE or AR_REVIEW_NO_SUMMARY with the facts in
 * ar_error() (which version is current now), -1. Inside ar_begin /
 * ar_commit it joins that transaction (a batch is one commit). */
int ar_review_add(struct archive *a, int64_t transcript_id, const struct ar_review_new *r,
                  int64_t *review_id);

/* One review of a transcript. */
struct ar_review_rec {
	int64_t id, transcript_id;
	int64_t summary_id;         /* the version it was made on; 0: none */
	int version;                /* that version's number; 0: none */
	enum ar_review verdict;     /* AR_APPROVED, AR_FLAGGED, AR_UNREVIEWED (cleared) */
	char *reason, *reviewer;    /* NULL when none / unknown */
	char *created_at;           /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
	int in_force;               /* the review the transcript's state comes
	                               from (ar_meta.review_id) */
	int of_current;             /* made on the version current now */
};
void ar_review_recs_free(struct ar_review_rec *v, size_t n);
/* Every review of a transcript, of every version, oldest first. 0
 * (possibly n = 0), 1 when there is no such transcript, -1. */
int ar_reviews(struct archive *a, int64_t transcript_id, struct ar_review_rec **v, size_t *n);

/* Whether another connection (another process, or a thread's own
 * connection) has committed to the archive since *stamp was taken: 1
 * and *stamp updated, 0 when not (a first call with *stamp = 0 takes
 * it and returns 0), -1. Cheap enough to ask every second (SQLite:
 * PRAGMA data_version, a read of shared memory). */
int ar_data_changed(struct archive *a, uint64_t *stamp);

/* ---- browsing (db/sqlite/browse.c): what the full-screen app needs ---------- */

/* The app's list filters: the questions of the same names in ar_state
 * (docs/review.md). */
enum ar_filter { AR_F_ALL = 0, AR_F_UNSUMMARIZED, AR_F_SUMMARIZED, AR_F_UNREVIEWED,
                 AR_F_CHANGED, AR_F_APPROVED, AR_F_FLAGGED, AR_F_COUNT };
const char *ar_filter_name(enum ar_filter f);   /* "all", "unsummarized", … */
/* The filter asking what --state s asks. */
enum ar_filter ar_state_filter(enum ar_state s);

/* Counts for a header, from a table of a few rows kept by triggers.
 * unreviewed and changed count summarized transcripts only (the queue). */
struct ar_counts {
	int64_t total, unsummarized, summarized, unreviewed, changed, approved, flagged;
};
int ar_counts(struct archive *a, struct ar_counts *c);
/* Rows matching filter f according to c. */
int64_t ar_counts_of(const struct ar_counts *c, enum ar_filter f);

/* What the app's list shows: an order, its direction, a filter and a
 * pattern. */
struct ar_page_query {
	enum ar_sort sort;     /* the app's orders: date newest first, title
	                          A–Z, duration longest first, imported newest
	                          first, unsupported most first; ties by id */
	int reverse;           /* the opposite order */
	enum ar_filter filter;
	const char *pattern;   /* NULL or "": none; else every word of it must
	                          occur in the title, the channel or the URL,
	                          case, accents and traditional/simplified
	                          Chinese ignored */
};

/* Keyset paging: up to limit rows of q's listing, starting after the row
 * `from` (dir > 0) or before it (dir < 0, rows still returned in display
 * order), or from the first (dir > 0) / last (dir < 0) row when from is
 * NULL. inclusive: `from` itself may be returned. Only the order columns
 * of `from` are read (id, recorded_at, imported_at, title, duration_s,
 * unsupported). Without a pattern the cost is proportional to the rows
 * returned (the indexes of migrations 4 and 7), whatever the archive's
 * size; a pattern reads rows until enough match. Returns 0 (*rows freed
 * with ar_metas_free), or -1. */
int ar_list_page(struct archive *a, const struct ar_page_query *q,
                 const struct ar_meta *from, int inclusive, int dir, int limit,
                 struct ar_meta **rows, size_t *n);

/* A row of a listing as the app tags it: the transcript and its current
 * summary version when read (0: none). */
struct ar_row_ref {
	int64_t id, summary_id;
};
/* Every row of q's listing (in its order), for tagging all and counting
 * a pattern's matches. Returns 0 (*v malloc'd, may be NULL when n = 0),
 * or -1. */
int ar_list_refs(struct archive *a, const struct ar_page_query *q,
                 struct ar_row_ref **v, size_t *n);

/* Stops a query running on a in another thread (the engine's statement,
 * and ar_search's own work on texts: snippets, hit counts, the scan of a
 * broad prefix): it returns an error soon. A search that has not begun
 * yet stops as it begins, until ar_interrupt_reset(). Safe to call from
 * any thread. */
void ar_interrupt(struct archive *a);
/* Forgets an ar_interrupt() (before the next search that is wanted;
 * searches that never get interrupted need not call it). */
void ar_interrupt_reset(struct archive *a);

/* ---- import support (used by db/import.c) ------------------------- */

/* Wrap several writes in one transaction (BEGIN IMMEDIATE). 0 or -1. */
int ar_begin(struct archive *a);
int ar_commit(struct archive *a);
void ar_rollback(struct archive *a);
/* 1 when a transaction is open on a. */
int ar_in_transaction(const struct archive *a);
/* A nested transaction (SAVEPOINT) inside ar_begin/ar_commit: release
 * keeps its changes in the outer transaction, undo discards only them.
 * 0 or -1. */
int ar_savepoint(struct archive *a);
int ar_savepoint_release(struct archive *a);
void ar_savepoint_undo(struct archive *a);

/* Id of the transcript imported from bytes with this content hash: 0
 * and *id, 1 when none, -1. */
int ar_find_by_hash(struct archive *a, const char *content_hash, int64_t *id);
/* Id of the transcript last imported from source_path, else one with the
 * same text hash. 0, 1, -1. */
int ar_find_same(struct archive *a, const char *source_path,
                 const char *text_hash, int64_t *id);

struct ar_import_info {
	const char *source_path;
	const char *content_hash;   /* hex sha256 of the file's bytes */
	const char *text_hash;      /* hex sha256 of d->text */
};
/* Inserts d as a new transcript (with its summary as an `imported`
 * version). Call inside ar_begin/ar_commit. 0 and *id, or -1. */
int ar_insert_doc(struct archive *a, const struct doc *d,
                  const struct ar_import_info *info, int64_t *id);
/* Updates transcript id from a changed file: metadata always, text and
 * paragraphs when the text differs, and d's summary as a new version
 * unless some version already has that exact body. *new_summary is set
 * to 1 when a version was added. 0 or -1. */
int ar_update_doc(struct archive *a, int64_t id, const struct doc *d,
                  const struct ar_import_info *info, int *new_summary);

/* ---- LLM jobs (db/sqlite/jobs.c) ------------------------------------- */

/* A job is one request for a new summary of one transcript by one model
 * and prompt. It lives in the archive, so a crash or kill -9 loses only
 * the request in flight: the process that runs it "owns" it (host, pid,
 * a heartbeat every few seconds), and a job whose owner is gone can be
 * claimed again. Notes of finished chunks are kept per job, so a resumed
 * job redoes none of them. Jobs started by one command are a batch: the
 * same command run again resumes its unfinished batch. */
enum ar_job_state { AR_JOB_QUEUED = 0, AR_JOB_RUNNING, AR_JOB_DONE, AR_JOB_FAILED,
                    AR_JOB_CANCELLED };
const char *ar_job_state_name(enum ar_job_state s);   /* "queued", … */

struct ar_job {
	int64_t id, transcript_id, batch_id;
	int64_t summary_id;            /* the version it made (done), else 0 */
	enum ar_job_state state;
	int orphaned;                  /* queued or running, but its process is gone */
	char *title;                   /* the transcript's title (for listings) */
	char *model, *prompt_name;
	char *error;                   /* why it failed (or why it was retried) */
	char *stage;                   /* what it is doing: "notes 3/12", "summary", … */
	char *owner;                   /* "host:pid" while running, else NULL */
	int attempts;
	int chunks_done, chunks_total;
	long tokens_in, tokens_out;
	char *created_at, *started_at, *finished_at;
};
void ar_job_free(struct ar_job *j);
void ar_jobs_free(struct ar_job *v, size_t n);

/* The open batch of this key (a command's selection, model and prompt):
 * the newest one not finished, else a new one (*resumed 0). Returns 0 and
 * sets *batch_id, or -1. */
int ar_batch_open(struct archive *a, const char *key, int64_t *batch_id, int *resumed);
/* Marks a batch finished: the same command starts a new one next time. */
int ar_batch_finish(struct archive *a, int64_t batch_id);

/* Adds a queued job (batch_id 0: none, e.g. from the app). 0 and *job_id,
 * 1 when there is no such transcript, -1. */
int ar_job_add(struct archive *a, int64_t transcript_id, int64_t batch_id,
               const char *model, const char *prompt_name, int64_t *job_id);
/* One job. 0, 1 when there is no such job, -1. */
int ar_job_get(struct archive *a, int64_t job_id, struct ar_job *out);
/* The newest job of a batch for a transcript. 0, 1 none, -1. */
int ar_batch_job(struct archive *a, int64_t batch_id, int64_t transcript_id, struct ar_job *out);

/* Takes a job for this process (state running, owner this host and pid,
 * attempts + 1): a failed one (a retry), or a queued or running one that
 * this process queued or whose owner is gone. Returns 0 when taken, 1
 * when it is not to be taken (done, cancelled, or owned by a live
 * process), -1. */
int ar_job_claim(struct archive *a, int64_t job_id);
/* 1 when a queued or running job is owned by a live process other than
 * this one. */
int ar_job_busy_elsewhere(struct archive *a, int64_t job_id);

struct ar_job_progress {
	const char *stage;             /* NULL: unchanged */
	int chunks_done, chunks_total;
	long tokens_in, tokens_out;
};
/* Records progress and refreshes the heartbeat. 0 or -1. */
int ar_job_progress(struct archive *a, int64_t job_id, const struct ar_job_progress *p);
/* Refreshes the heartbeat of a running job of this process. 0 or -1. */
int ar_job_heartbeat(struct archive *a, int64_t job_id);
/* Ends a job: done (with the version it made), failed or cancelled (with
 * the reason). 0 or -1. */
int ar_job_finish(struct archive *a, int64_t job_id, enum ar_job_state st,
                  const char *error, int64_t summary_id);
/* Gives a running job back to the queue (an interrupted command): the
 * same command resumes it. 0 or -1. */
int ar_job_release(struct archive *a, int64_t job_id, const char *why);

struct ar_job_query {
	int active_only;               /* queued and running only */
	int64_t transcript_id;         /* 0: all */
	int limit;                     /* ≤ 0: no limit */
};
/* Jobs, newest first. 0 or -1. */
int ar_jobs_list(struct archive *a, const struct ar_job_query *q,
                 struct ar_job **v, size_t *n);

/* Notes of a finished step of a job (a chunk's notes, a collapse round),
 * by key. 0 with *text (malloc'd) and the usage, 1 none, -1. */
int ar_job_note_get(struct archive *a, int64_t job_id, const char *key, char **text,
                    long *tokens_in, long *tokens_out);
/* Stores them (replacing nothing: a key is written once). 0 or -1. */
int ar_job_note_put(struct archive *a, int64_t job_id, const char *key, const char *text,
                    long tokens_in, long tokens_out);

/* ---- claims: one summary of a transcript at a time ------------------
 * Whatever summarizes a transcript — a job of any batch, the app's own —
 * claims it first. A claim is a row of the archive with its owner (host,
 * pid and job) and a lease the owner renews while it works
 * (ar_claim_renew, every few seconds): so two processes never summarize
 * one transcript at once, and the claim of one that was killed is taken
 * over once its lease has run out (at once when its owner was a process
 * of this host that is gone). Every engine keeps claims this way. */

/* Seconds a claim lasts without being renewed. */
#define AR_CLAIM_LEASE_S 60

struct ar_claim {
	int64_t transcript_id, job_id;
	char *owner;                   /* "host:pid" */
	long lease_left_s;             /* seconds before it may be taken over */
};
void ar_claim_free(struct ar_claim *c);

/* Claims transcript_id for job job_id of this process. Returns 0 when
 * taken (also when this job held it already: the lease is renewed), 1
 * when another live owner — another process, or another job of this one
 * — holds it (then *holder, when not NULL, says who: ar_claim_free), -1. */
int ar_claim_take(struct archive *a, int64_t transcript_id, int64_t job_id,
                  struct ar_claim *holder);
/* Renews this process's claim of transcript_id for another lease. 0, 1
 * when it is no longer this process's (taken over after its lease ran
 * out), -1. */
int ar_claim_renew(struct archive *a, int64_t transcript_id);
/* Gives up this process's claim of transcript_id (none: nothing
 * happens). 0 or -1. */
int ar_claim_release(struct archive *a, int64_t transcript_id);

/* ---- search (db/search.c) ------------------------------------------ */

struct ar_hit {
	int64_t id;
	char *title;
	char *recorded_at;     /* NULL when unknown */
	long duration_s;
	enum ar_state state;
	double rank;           /* bm25: lower is better (negative) */
	int hits;              /* matched phrase instances in the transcript */
	int hits_partial;      /* 1: an unranked result counted in part of its
	                          text (the query's scan budget ran out): at
	                          least hits */
	char *snippet;         /* one line around the best hit, control-free */
	int hl_start, hl_len;  /* byte range of the hit inside snippet (len 0: none) */
};

struct ar_search_result {
	struct ar_hit *hits;
	size_t n;
	int64_t total;         /* all matching transcripts, not just this page
	                          (an estimate when broad) */
	int broad;             /* ranking every match was over the work budget
	                          (AR_SEARCH_BUDGET): results are the most
	                          recently imported matches (not ranked) and
	                          total is estimated from where they fall */
	int64_t cost;          /* the estimated work of ranking it (units of
	                          AR_SEARCH_BUDGET); the same on every run */
};

/* Work past which a query is broad: position-list entries read to rank
 * every match, plus 16 per matching row (db/search.c, "cost"). Estimated
 * before searching from the query's newest matches, never from the
 * clock, so whether a query is ranked does not change between runs. */
#define AR_SEARCH_BUDGET 600000

/* Sets the work budget of a's searches (0: AR_SEARCH_BUDGET); tests use
 * a small one to make broad queries in small archives. */
void ar_search_set_budget(struct archive *a, int64_t units);

/* Searches title, transcript and current summary. The query syntax
 * (docs/archive.md): words are AND-ed, "a phrase", -exclude, a OR b,
 * prefix*; anything else is literal text. Any input is safe. Returns 0
 * (an empty result when nothing in the query is searchable), -1 on a
 * database error. */
int ar_search(struct archive *a, const char *query, int limit, int offset,
              struct ar_search_result *out);
void ar_search_free(struct ar_search_result *r);

/* Translates a user query into an FTS5 expression (malloc'd) in *expr.
 * Returns 0, or 1 when nothing in it is searchable (*expr = NULL).
 * Exposed for tests. */
int ar_query_compile(const char *query, char **expr);

#endif
