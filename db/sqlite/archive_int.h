/* archive_int.h — internals shared by db/archive.c, db/archive_write.c,
 * db/archive_evidence.c, db/schema.c, db/search.c, db/tokenizer.c,
 * db/browse.c, db/jobs.c and db/import.c. Nothing outside db/
 * includes this; the public contract is db/archive.h. */
#ifndef PRECIS_ARCHIVE_INT_H
#define PRECIS_ARCHIVE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sqlite3.h>

#include "db/archive.h"
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

struct archive {
	sqlite3 *db;
	int readonly;
	int search_ready;   /* auxiliary search functions registered */
	/* The ranking pass of the current search (db/search.c), NULL
	 * between searches. */
	struct rank_pass *rank_pass;
	int64_t search_budget;   /* 0: AR_SEARCH_BUDGET */
	struct ar_wait wait;
	char err[512];
};

/* Latest schema version (PRAGMA user_version after all migrations). */
#define AR_SCHEMA_VERSION 7

/* Brings the schema of db up to AR_SCHEMA_VERSION, each migration in its
 * own transaction. Returns 0, or -1 with a reason in err. */
int schema_migrate(sqlite3 *db, char *err, size_t errlen);
/* The same, stopping at schema version target (tests of a migration build
 * the archive an older precis made). */
int schema_migrate_to(sqlite3 *db, int target, char *err, size_t errlen);

/* Registers the "precis" FTS5 tokenizer on db. Returns an SQLite code. */
int tok_register(sqlite3 *db);

/* The FTS5 API of db (for tokenizers and auxiliary functions), or NULL. */
fts5_api *ar_fts5_api(sqlite3 *db);

/* Token callback: colocated != 0 means the token shares the position of
 * the previous one. Return non-zero to stop. */
typedef int (*tok_emit_fn)(void *ctx, int colocated, const char *tok,
                           int len, int start, int end);

/* Splits s[0..n) into search tokens: Latin/Cyrillic/… words casefolded
 * (accents removed) as whole tokens; CJK runs as overlapping bigrams, in
 * document mode with a unigram for every character (colocated with the
 * bigram that starts there), in query mode unigrams only for a run of one
 * character. Returns the first non-zero emit result, else 0. */
int tok_scan(const char *s, int n, int query_mode, tok_emit_fn emit, void *ctx);

/* Sets a->err from fmt and returns -1. */
int ar_fail(struct archive *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets a->err from the SQLite error of a->db (prefixed by what) and
 * returns -1; a busy/locked database gets a clear message. */
int ar_fail_sql(struct archive *a, const char *what);

/* The unsupported count of the current summary's evidence (NULL when
 * unknown): stored on the row, kept by triggers (migration 7). */
#define UNSUPPORTED_SQL "t.unsupported"

/* The columns ar_meta_from_row() reads (table alias t), and the SQL
 * expression of a state (matching ar_state_name). */
#define META_COLS \
	"t.id, t.title, t.url, t.video_id, t.channel, t.recorded_at, t.duration_s," \
	" t.language, t.format, t.source_path, t.content_hash, t.imported_at," \
	" t.updated_at, t.text_bytes, t.review_state, t.reviewed_at," \
	" t.current_summary_id," \
	" (SELECT count(*) FROM summaries s WHERE s.transcript_id = t.id)," \
	" (SELECT count(*) FROM paragraphs p WHERE p.transcript_id = t.id)," \
	" " UNSUPPORTED_SQL "," \
	" t.title_source, coalesce(t.import_title, t.title), t.llm_title," \
	" (SELECT r.reason FROM review_reasons r WHERE r.transcript_id = t.id)," \
	" (SELECT s.origin FROM summaries s WHERE s.id = t.current_summary_id)"
#define STATE_SQL \
	"CASE WHEN t.review_state = 'flagged' THEN 4 WHEN t.review_state = 'approved' THEN 3" \
	" WHEN t.current_summary_id IS NOT NULL THEN 2 ELSE 1 END"

/* Fills *m from a row selected with META_COLS. */
void ar_meta_from_row(sqlite3_stmt *st, struct ar_meta *m);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (≥ 21 bytes). */
void ar_now(char *buf, size_t n);

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

#endif
