/* archive.c — open/close, listing, metadata, reading summaries,
 * transactions. The writes that change what evidence is computed from
 * are in archive_write.c (they call the evidence store, which calls back
 * into this file: see there); reviews are in review.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"
#include "db/evidence.h"

/* Waiting for the write lock. SQLite's own busy timeout sleeps ever
 * longer (up to 100 ms a try), so a waiter only gets the lock when it
 * polls within the few milliseconds between another importer's group
 * commit and its next BEGIN: with two importers writing, a third always
 * timed out. Here waiters poll every few milliseconds with jitter, more
 * often the longer they have waited; a writer that has had to wait
 * itself leaves a gap after each commit for the others; and a waiter
 * gives up only after LOCK_PATIENCE seconds in which the archive did not
 * change at all (a writer that holds the lock and writes nothing), so an
 * import queued behind others that keep committing finishes. */
#define LOCK_PATIENCE 10.0
#define MMAP_SIZE "1073741824"   /* reads through a 1 GB memory map (see ar_open) */
#define CACHE_SIZE "-32768"      /* and a 32 MB page cache */
#define YIELD_MS 30
#define APP_ID 0x70726563   /* "prec" in the database header */

/* ---- small helpers ------------------------------------------------- */

/* Returns a clear message for an SQLite result code, or NULL when the
 * library's own message is the best we have. */
static const char *plain_reason(int code)
{
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "archive is locked by another process; try again later";
	case SQLITE_READONLY:
		return "archive is read-only (no write permission on the file or its directory)";
	case SQLITE_FULL:
		return "disk full";
	case SQLITE_NOTADB:
		return "not a precis archive (file is not an SQLite database)";
	case SQLITE_CORRUPT:
		return "archive file is damaged (database disk image is malformed)";
	case SQLITE_IOERR:
		if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC ||
		    code == SQLITE_IOERR_TRUNCATE)
			return "cannot write the archive (disk full, or a file size limit)";
		return NULL;
	default:
		return NULL;
	}
}

int ar_fail_sql(struct archive *a, const char *what)
{
	int code = sqlite3_extended_errcode(SQ(a)->db);
	if ((code & 0xff) == SQLITE_BUSY && SQ(a)->wait.gave_up)
		return ar_fail(a, "archive is locked by another process (it wrote nothing for %.0f s);"
		                  " try again later", LOCK_PATIENCE);
	const char *r = plain_reason(code);
	if (r)
		return ar_fail(a, "%s", r);
	return ar_fail(a, "%s: %s", what, sqlite3_errmsg(SQ(a)->db));
}

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

/* Prepares sql on a; returns the statement or NULL with a->err set. */
static sqlite3_stmt *prep(struct archive *a, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(SQ(a)->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ar_fail_sql(a, "query");
		return NULL;
	}
	return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Runs a statement that returns no rows; 0 or -1. */
static int exec_done(struct archive *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int r = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = ar_fail_sql(a, what);
	sqlite3_finalize(st);
	return r;
}

/* ---- waiting for the write lock (see LOCK_PATIENCE) ------------------ */

static double secs_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Sizes and modification times of the archive and its -wal: any commit
 * (or a big transaction spilling pages) changes one of them. */
static unsigned long long wait_stamp(const struct ar_wait *w)
{
	unsigned long long h = 0;
	struct stat sb;
	if (stat(w->db_file, &sb) == 0)
		h = (unsigned long long)sb.st_size * 31u + (unsigned long long)sb.st_mtim.tv_sec * 1000003u +
		    (unsigned long long)sb.st_mtim.tv_nsec;
	if (stat(w->wal_file, &sb) == 0)
		h = h * 1000033u + (unsigned long long)sb.st_size * 17u +
		    (unsigned long long)sb.st_mtim.tv_sec * 7919u + (unsigned long long)sb.st_mtim.tv_nsec;
	return h;
}

static void wait_init(struct ar_wait *w, const char *name)
{
	size_t n = strlen(name) + 8;
	w->db_file = xstrdup(name);
	w->wal_file = xmalloc(n);
	snprintf(w->wal_file, n, "%s-wal", name);
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	w->seed = (unsigned)t.tv_nsec ^ (unsigned)getpid() * 2654435761u;
}

static void wait_free(struct ar_wait *w)
{
	free(w->db_file);
	free(w->wal_file);
	w->db_file = w->wal_file = NULL;
}

/* SQLite's busy handler: sleeps a little and returns 1 to try again, or
 * 0 to give up (the statement then fails with SQLITE_BUSY). */
static int busy_wait(void *ctx, int count)
{
	struct ar_wait *w = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	unsigned long long st = wait_stamp(w);
	if (count == 0) {
		w->start = w->progress = now;
		w->stamp = st;
		w->gave_up = 0;
	} else if (st != w->stamp) {
		w->stamp = st;
		w->progress = now;          /* someone is writing: keep waiting */
	}
	w->contended = 1;
	if (secs_between(&w->progress, &now) > LOCK_PATIENCE) {
		w->gave_up = 1;
		return 0;
	}
	/* 2–6 ms at first, then ever shorter steps: the longest waiter tends
	 * to poll first when the lock comes free. */
	double waited = secs_between(&w->start, &now);
	long step_us = waited < 0.5 ? 4000 : waited < 2 ? 2000 : waited < 5 ? 1000 : 500;
	w->seed = w->seed * 1103515245u + 12345u;
	long us = step_us / 2 + (long)((w->seed >> 8) % (unsigned)step_us);
	struct timespec d = { 0, us * 1000 };
	nanosleep(&d, NULL);
	return 1;
}

/* ---- open ----------------------------------------------------------- */

/* Returns 1 when db holds any table (it is not a fresh file). */
static int has_tables(sqlite3 *db, int *err)
{
	sqlite3_stmt *st;
	int r = 0;
	*err = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		*err = sqlite3_extended_errcode(db);
		return 0;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = 1;
	else if (rc != SQLITE_DONE)
		*err = sqlite3_extended_errcode(db);
	sqlite3_finalize(st);
	return r;
}

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int open_fail(sqlite3 *db, char *err, size_t errlen, const char *path,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int open_fail(sqlite3 *db, char *err, size_t errlen, const char *path,
                     const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", path, msg);
	sqlite3_close(db);
	return -1;
}

/* Returns a malloc'd "file://PATH?immutable=1" URI for the file at path:
 * the absolute path, every byte but unreserved ones and '/' escaped, so
 * nothing in the name is read as URI syntax. */
static char *immutable_uri(const char *path)
{
	char *abs = realpath(path, NULL);
	const char *p0 = abs ? abs : path;
	size_t n = strlen(p0);
	char *u = xmalloc(3 * n + 32);
	char *p = u;
	p += sprintf(p, "file://");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p0[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	strcpy(p, "?immutable=1");
	free(abs);
	return u;
}

/* Refuses names SQLite would not read as a plain file: "" (a temporary
 * database), ":memory:" and "file:…" URIs (SQLite here is built with
 * URI names on). Whatever was imported there would be gone at exit.
 * Returns 0, or -1 with the reason in err. */
static int check_path(const char *path, char *err, size_t errlen)
{
	if (!path || !*path) {
		snprintf(err, errlen, "the archive path is empty (SQLite would use a temporary"
		         " database, lost at exit): give a file path");
		return -1;
	}
	if (!strcmp(path, ":memory:")) {
		snprintf(err, errlen, "':memory:' is not a file (an in-memory database is lost"
		         " at exit); for a file of that name write ./:memory:");
		return -1;
	}
	if (!strncmp(path, "file:", 5)) {
		snprintf(err, errlen, "%s: SQLite would read this as a URI, not a file path;"
		         " precis opens plain paths (for a file of that name write ./%s)", path, path);
		return -1;
	}
	return 0;
}

/* The name handed to SQLite for path: relative paths get "./" so that no
 * name is ever read as a URI or a special name. malloc'd. */
static char *sqlite_name(const char *path)
{
	size_t n = strlen(path);
	int rel = path[0] != '/';
	char *s = xmalloc(n + 3);
	snprintf(s, n + 3, "%s%s", rel ? "./" : "", path);
	return s;
}

/* Removes an SQLite file of ours and the files beside it. */
static void remove_db_files(const char *name)
{
	size_t n = strlen(name) + 16;
	char *side = xmalloc(n);
	static const char *const ext[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(side, n, "%s%s", name, ext[i]);
		unlink(side);
	}
	free(side);
	unlink(name);
}

static int open_db(struct archive *a, const char *name, const char *path, int flags,
                   char *err, size_t errlen);

/* A new, zeroed SQLite archive (freed with free(SQ(a))). */
static struct archive *sq_alloc(void)
{
	struct sq_archive *s = xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	return &s->base;
}

/* Makes a new archive at path, whole or not at all: it is built under a
 * name of its own beside path (schema, WAL mode), then linked into place,
 * so no other process ever opens a half-made archive and a create that
 * fails half-way (disk full) leaves nothing behind. When another process
 * creates the same archive meanwhile, its archive is kept. Returns 0, or
 * -1 with the reason (what and where) in err. */
static int create_archive(const char *path, char *err, size_t errlen)
{
	size_t n = strlen(path) + 40;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s-new-%ld", path, (long)getpid());
	int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	char *name = sqlite_name(tmp);
	struct archive *a = sq_alloc();
	int r = open_db(a, name, path, AR_CREATE, err, errlen);
	if (r == 0) {
		/* Everything into the main file: the -wal does not follow it. */
		if (sqlite3_exec(SQ(a)->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
			const char *why = plain_reason(sqlite3_extended_errcode(SQ(a)->db));
			snprintf(err, errlen, "%s: %s", path, why ? why : sqlite3_errmsg(SQ(a)->db));
			r = -1;
		}
		sqlite3_close_v2(SQ(a)->db);
	}
	wait_free(&SQ(a)->wait);
	free(SQ(a));
	if (r == 0 && link(tmp, path) != 0 && errno != EEXIST) {
		/* No hard links here (some file systems): move it instead. */
		int e = errno;
		if ((e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS) &&
		    access(path, F_OK) != 0 && rename(tmp, path) == 0) {
			free(name);
			free(tmp);
			return 0;
		}
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(e));
		r = -1;
	}
	remove_db_files(name);
	free(name);
	free(tmp);
	return r;
}

int sq_open(const char *path, int flags, struct archive **out, char *err, size_t errlen)
{
	struct stat sb;
	int ro = (flags & AR_READONLY) != 0;
	*out = NULL;
	if (check_path(path, err, errlen) != 0)
		return -1;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || ro || !(flags & AR_CREATE)) {
			snprintf(err, errlen, "%s: %s", path,
			         errno == ENOENT ? "no archive here (import something first)" : strerror(errno));
			return -1;
		}
		if (create_archive(path, err, errlen) != 0)
			return -1;
	} else if (S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not an archive", path);
		return -1;
	}
	char *name = sqlite_name(path);
	struct archive *a = sq_alloc();
	a->readonly = ro;
	int r = open_db(a, name, path, flags, err, errlen);
	if (r != 0) {
		wait_free(&SQ(a)->wait);
		free(SQ(a));
		a = NULL;
	}
	free(name);
	*out = a;
	return r;
}

/* Opens (creating tables and migrating unless read-only) the archive
 * whose SQLite name is name into a; path is for messages. 0, or -1 with
 * err (SQ(a)->db is then closed). */
static int open_db(struct archive *a, const char *name, const char *path, int flags,
                   char *err, size_t errlen)
{
	int ro = (flags & AR_READONLY) != 0;
	wait_init(&SQ(a)->wait, name);
	sqlite3 *db = NULL;
	int oflags = ro ? SQLITE_OPEN_READONLY
	                : SQLITE_OPEN_READWRITE | ((flags & AR_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(name, &db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		const char *r = plain_reason(rc);
		return open_fail(db, err, errlen, path, "%s",
		                 r ? r : db ? sqlite3_errmsg(db) : "cannot open");
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_handler(db, busy_wait, &SQ(a)->wait);
	if (!ro && sqlite3_db_readonly(db, "main") == 1)
		return open_fail(db, err, errlen, path, "%s", plain_reason(SQLITE_READONLY));
	if (tok_register(db) != SQLITE_OK)
		return open_fail(db, err, errlen, path, "SQLite has no FTS5");

	int terr;
	int tables = has_tables(db, &terr);
	if (terr && ro && ((terr & 0xff) == SQLITE_READONLY || (terr & 0xff) == SQLITE_CANTOPEN)) {
		/* A WAL archive in a directory we cannot write: SQLite cannot
		 * create the -shm file. Nobody can be writing it either (no
		 * -wal), so read it as an immutable file. */
		sqlite3_close(db);
		db = NULL;
		char *uri = immutable_uri(name);
		rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
		                     SQLITE_OPEN_NOMUTEX, NULL);
		free(uri);
		if (rc != SQLITE_OK)
			return open_fail(db, err, errlen, path, "%s", db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_extended_result_codes(db, 1);
		sqlite3_busy_handler(db, busy_wait, &SQ(a)->wait);
		if (tok_register(db) != SQLITE_OK)
			return open_fail(db, err, errlen, path, "SQLite has no FTS5");
		tables = has_tables(db, &terr);
	}
	if (terr) {
		const char *r = plain_reason(terr);
		return open_fail(db, err, errlen, path, "%s", r ? r : sqlite3_errmsg(db));
	}
	int version = pragma_int(db, "PRAGMA user_version");
	int app = pragma_int(db, "PRAGMA application_id");
	if (tables && (version == 0 || app != APP_ID))
		return open_fail(db, err, errlen, path, "not a precis archive (an SQLite database of something else)");
	if (version > AR_SCHEMA_VERSION)
		return open_fail(db, err, errlen, path,
		                 "archive was made by a newer precis (schema %d, this one knows %d)",
		                 version, AR_SCHEMA_VERSION);
	if (ro) {
		if (version < AR_SCHEMA_VERSION)
			return open_fail(db, err, errlen, path, tables
			    ? "archive needs an upgrade: open it once with write access"
			    : "empty file, not an archive yet");
	} else {
		char *msg = NULL;
		/* 8 KB pages for a new archive (before WAL fixes the size): FTS5
		 * writes fewer, fuller pages; import took 20 % less time than
		 * with 4 KB (docs/archive.md). */
		if (!tables)
			sqlite3_exec(db, "PRAGMA page_size=8192", NULL, NULL, NULL);
		if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		                 "PRAGMA foreign_keys=ON;", NULL, NULL, &msg) != SQLITE_OK) {
			const char *r = plain_reason(sqlite3_extended_errcode(db));
			char m[300];
			snprintf(m, sizeof m, "%s", r ? r : msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			return open_fail(db, err, errlen, path, "%s", m);
		}
		if (version < AR_SCHEMA_VERSION) {
			char m[300];
			if (!tables && sqlite3_exec(db, "PRAGMA application_id=1886545251",
			                            NULL, NULL, NULL) != SQLITE_OK) {
				const char *r = plain_reason(sqlite3_extended_errcode(db));
				return open_fail(db, err, errlen, path, "%s", r ? r : sqlite3_errmsg(db));
			}
			if (schema_migrate(db, m, sizeof m) != 0) {
				const char *r = plain_reason(sqlite3_extended_errcode(db));
				return open_fail(db, err, errlen, path, "%s", r ? r : m);
			}
		}
	}
	/* Reads go through a memory map and a 32 MB page cache: searches
	 * touch many index pages, and pread copies dominated their time. */
	sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA cache_size=" CACHE_SIZE ";"
	             " PRAGMA mmap_size=" MMAP_SIZE ";", NULL, NULL, NULL);

	SQ(a)->db = db;
	return 0;
}

void sq_close(struct archive *a)
{
	if (!a)
		return;
	sqlite3_finalize(SQ(a)->hit_st);
	sqlite3_finalize(SQ(a)->texts_st);
	sqlite3_finalize(SQ(a)->rv_cur_st);
	sqlite3_finalize(SQ(a)->rv_ins_st);
	sqlite3_close_v2(SQ(a)->db);
	wait_free(&SQ(a)->wait);
	free(SQ(a));
}

/* ---- filters -------------------------------------------------------- */

const char *ar_filter_sql(enum ar_filter f)
{
	switch (f) {
	case AR_F_UNSUMMARIZED: return "t.current_summary_id IS NULL";
	case AR_F_SUMMARIZED: return "t.current_summary_id IS NOT NULL";
	/* the queue: a summary nobody has reviewed (changed ones too) */
	case AR_F_UNREVIEWED:
		return "t.review_state = 'unreviewed' AND t.current_summary_id IS NOT NULL";
	case AR_F_CHANGED: return "t.review_changed = 1 AND t.current_summary_id IS NOT NULL";
	case AR_F_APPROVED: return "t.review_state = 'approved'";
	case AR_F_FLAGGED: return "t.review_state = 'flagged'";
	default: return "1";
	}
}

/* ---- metadata and listing ------------------------------------------- */

void ar_meta_from_row(sqlite3_stmt *st, struct ar_meta *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->title = ar_col_str(st, 1);
	if (!m->title)
		m->title = xstrdup("");
	m->url = ar_col_str(st, 2);
	m->video_id = ar_col_str(st, 3);
	m->channel = ar_col_str(st, 4);
	m->recorded_at = ar_col_str(st, 5);
	m->duration_s = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 6);
	m->language = ar_col_str(st, 7);
	m->format = ar_col_str(st, 8);
	m->source_path = ar_col_str(st, 9);
	m->content_hash = ar_col_str(st, 10);
	m->imported_at = ar_col_str(st, 11);
	m->updated_at = ar_col_str(st, 12);
	m->text_bytes = sqlite3_column_int64(st, 13);
	m->review = ar_review_from((const char *)sqlite3_column_text(st, 14));
	if (m->review == AR_UNREVIEWED && sqlite3_column_int(st, 26))
		m->review = AR_CHANGED;
	m->reviewed_at = ar_col_str(st, 15);
	m->current_summary_id = sqlite3_column_int64(st, 16);
	m->summary_versions = sqlite3_column_int(st, 17);
	m->npara = sqlite3_column_int64(st, 18);
	m->unsupported = sqlite3_column_type(st, 19) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 19);
	m->title_source = col_str(st, 20);
	m->original_title = col_str(st, 21);
	m->llm_title = col_str(st, 22);
	m->review_reason = ar_col_str(st, 23);
	m->current_origin = sqlite3_column_type(st, 24) == SQLITE_NULL ? -1
	                  : (int)ar_origin_from((const char *)sqlite3_column_text(st, 24));
	m->encoding = col_str(st, 25);
	m->review_id = sqlite3_column_int64(st, 27);
	m->review_verdict = m->review_id ? ar_review_from((const char *)sqlite3_column_text(st, 28))
	                                 : AR_UNREVIEWED;
	m->reviewer = ar_col_str(st, 29);
	m->review_version = sqlite3_column_int(st, 30);
	m->current_version = sqlite3_column_int(st, 31);
	m->state = ar_state_of(m->review, m->current_summary_id);
}

int sq_list(struct archive *a, const struct ar_list_query *q,
            struct ar_meta **rows, size_t *n)
{
	static const char *const order[] = {
		/* each the order of an index (db/sqlite/schema.c; the app's keyset
		 * paging, db/sqlite/browse.c, reads the same ones): unknown dates and
		 * lengths last, ties newest first */
		"coalesce(t.recorded_at, '') DESC, t.imported_at DESC, t.id DESC",
		"t.title COLLATE NOCASE, t.id",
		"coalesce(t.duration_s, -1) DESC, t.id DESC",
		"t.imported_at DESC, t.id DESC",
		"coalesce(" UNSUPPORTED_SQL ", -1) DESC, t.id DESC",   /* the index of migration 7 */
	};
	char sql[2048];
	unsigned so = (unsigned)q->sort < 5 ? (unsigned)q->sort : 0;
	snprintf(sql, sizeof sql,
	         "SELECT " META_COLS " FROM " META_FROM " WHERE %s"
	         " ORDER BY %s LIMIT ?2 OFFSET ?3", ar_filter_sql(ar_state_filter(q->state)), order[so]);
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st = prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 2, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, 3, q->offset > 0 ? q->offset : 0);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = xrealloc(*rows, cap * sizeof **rows);
		}
		ar_meta_from_row(st, &(*rows)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		ar_fail_sql(a, "listing");
		sqlite3_finalize(st);
		ar_metas_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int sq_count(struct archive *a, enum ar_state s, int64_t *n)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM transcripts t WHERE %s",
	         ar_filter_sql(ar_state_filter(s)));
	sqlite3_stmt *st = prep(a, sql);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return ar_fail_sql(a, "count");
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int sq_get_meta(struct archive *a, int64_t id, struct ar_meta *m)
{
	sqlite3_stmt *st = prep(a, "SELECT " META_COLS " FROM " META_FROM " WHERE t.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW)
		ar_meta_from_row(st, m);
	else if (rc == SQLITE_DONE)
		r = 1;
	else
		r = ar_fail_sql(a, "metadata");
	sqlite3_finalize(st);
	return r;
}

int sq_get_text(struct archive *a, int64_t id, char **text, size_t *len)
{
	sqlite3_stmt *st = prep(a, "SELECT text FROM texts WHERE transcript_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int r = 0;
	*text = NULL;
	*len = 0;
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		*text = xmalloc(n + 1);
		if (n)
			memcpy(*text, s, n);
		(*text)[n] = 0;
		*len = n;
	} else if (rc == SQLITE_DONE) {
		r = 1;
	} else {
		r = ar_fail_sql(a, "text");
	}
	sqlite3_finalize(st);
	return r;
}

#define TEXT_PIECE ((size_t)1 << 20)

/* sq_text_stream() over the text column of table (texts, second_texts). */
static int stream_text(struct archive *a, const char *table, int64_t id, size_t *len,
                       int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	/* Is there a row? (The text column itself is not read here.) */
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE transcript_id = ?1", table);
	sqlite3_stmt *st = prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), r;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return ar_fail_sql(a, "text");
	/* Read once, front to back: not through the memory map (a mapped
	 * 100 MB text stays in the process's memory as it is read) and with
	 * a small page cache; both are set back afterwards. */
	sqlite3_exec(SQ(a)->db, "PRAGMA mmap_size=0; PRAGMA cache_size=-2048", NULL, NULL, NULL);
	sqlite3_blob *b;
	if (sqlite3_blob_open(SQ(a)->db, "main", table, "text", id, 0, &b) != SQLITE_OK) {
		r = ar_fail_sql(a, "text");
		sqlite3_exec(SQ(a)->db, "PRAGMA mmap_size=" MMAP_SIZE "; PRAGMA cache_size=" CACHE_SIZE,
		             NULL, NULL, NULL);
		return r;
	}
	size_t n = (size_t)sqlite3_blob_bytes(b);
	if (len)
		*len = n;
	char *buf = xmalloc(n < TEXT_PIECE ? n + 1 : TEXT_PIECE);
	r = 0;
	for (size_t off = 0; off < n && r == 0; ) {
		size_t k = n - off < TEXT_PIECE ? n - off : TEXT_PIECE;
		if (sqlite3_blob_read(b, buf, (int)k, (int)off) != SQLITE_OK) {
			r = ar_fail_sql(a, "text");
			break;
		}
		r = fn(ctx, buf, k);
		off += k;
	}
	free(buf);
	sqlite3_blob_close(b);
	sqlite3_exec(SQ(a)->db, "PRAGMA mmap_size=" MMAP_SIZE "; PRAGMA cache_size=" CACHE_SIZE,
	             NULL, NULL, NULL);
	return r;
}

int sq_text_stream(struct archive *a, int64_t id, size_t *len,
                   int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	return stream_text(a, "texts", id, len, fn, ctx);
}

int sq_second_text_stream(struct archive *a, int64_t id, size_t *len,
                          int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	return stream_text(a, "second_texts", id, len, fn, ctx);
}

int sq_second_text_bytes(struct archive *a, int64_t id, int64_t *len)
{
	sqlite3_stmt *st = prep(a, "SELECT length(CAST(text AS BLOB)) FROM second_texts"
	                           " WHERE transcript_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	*len = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : ar_fail_sql(a, "second language");
}

/* Returns 1 when transcript id exists, 0 when not, -1 on error. */
static int exists(struct archive *a, int64_t id)
{
	sqlite3_stmt *st = prep(a, "SELECT 1 FROM transcripts WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return ar_fail_sql(a, "lookup");
}

int sq_get_paras(struct archive *a, int64_t id, struct doc_para **p, size_t *n)
{
	*p = NULL;
	*n = 0;
	int e = exists(a, id);
	if (e <= 0)
		return e < 0 ? -1 : 1;
	sqlite3_stmt *st = prep(a, "SELECT offset, start_s FROM paragraphs"
	                           " WHERE transcript_id = ?1 ORDER BY seq");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*p = xrealloc(*p, cap * sizeof **p);
		}
		(*p)[*n].offset = (size_t)sqlite3_column_int64(st, 0);
		(*p)[*n].start_s = sqlite3_column_double(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*p);
		*p = NULL;
		*n = 0;
		return ar_fail_sql(a, "paragraphs");
	}
	return 0;
}

/* ---- summaries ------------------------------------------------------ */

#define SUM_COLS \
	"s.id, s.transcript_id, s.version, s.origin, s.model, s.prompt_name," \
	" s.created_at, s.id = t.current_summary_id, length(CAST(s.body AS BLOB))," \
	" s.mermaid IS NOT NULL, s.status = 'failed', s.title, s.tokens_in, s.tokens_out," \
	" s.duration_ms, s.warning, s.job_id"

/* A nullable integer column, -1 when NULL. */
static long col_long(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, i);
}

static void summary_from_row(sqlite3_stmt *st, struct ar_summary *s, int bodies)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->transcript_id = sqlite3_column_int64(st, 1);
	s->version = sqlite3_column_int(st, 2);
	s->origin = ar_origin_from((const char *)sqlite3_column_text(st, 3));
	s->model = ar_col_str(st, 4);
	s->prompt_name = ar_col_str(st, 5);
	s->created_at = ar_col_str(st, 6);
	s->is_current = sqlite3_column_int(st, 7);
	s->body_len = (size_t)sqlite3_column_int64(st, 8);
	s->has_mermaid = sqlite3_column_int(st, 9);
	s->failed = sqlite3_column_int(st, 10);
	s->title = col_str(st, 11);
	s->tokens_in = col_long(st, 12);
	s->tokens_out = col_long(st, 13);
	s->duration_ms = col_long(st, 14);
	s->warning = col_str(st, 15);
	s->job_id = sqlite3_column_int64(st, 16);
	if (bodies) {
		s->body = col_str(st, 17);
		if (!s->body)
			s->body = xstrdup("");
		s->body_len = strlen(s->body);
		s->mermaid = col_str(st, 18);
	}
}

/* Runs a one-row summary query with one id parameter; 0, 1, -1. */
static int one_summary(struct archive *a, const char *sql, int64_t id, struct ar_summary *out)
{
	sqlite3_stmt *st = prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW)
		summary_from_row(st, out, 1);
	else if (rc == SQLITE_DONE)
		r = 1;
	else
		r = ar_fail_sql(a, "summary");
	sqlite3_finalize(st);
	return r;
}

int sq_current_summary(struct archive *a, int64_t transcript_id, struct ar_summary *out)
{
	return one_summary(a, "SELECT " SUM_COLS ", s.body, s.mermaid FROM transcripts t"
	                      " JOIN summaries s ON s.id = t.current_summary_id WHERE t.id = ?1",
	                   transcript_id, out);
}

int sq_get_summary(struct archive *a, int64_t summary_id, struct ar_summary *out)
{
	return one_summary(a, "SELECT " SUM_COLS ", s.body, s.mermaid FROM summaries s"
	                      " JOIN transcripts t ON t.id = s.transcript_id WHERE s.id = ?1",
	                   summary_id, out);
}

int sq_summary_versions(struct archive *a, int64_t transcript_id,
                        struct ar_summary **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	int e = exists(a, transcript_id);
	if (e <= 0)
		return e < 0 ? -1 : 1;
	sqlite3_stmt *st = prep(a, "SELECT " SUM_COLS " FROM summaries s JOIN transcripts t"
	                           " ON t.id = s.transcript_id WHERE s.transcript_id = ?1"
	                           " ORDER BY s.version");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, transcript_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		summary_from_row(st, &(*v)[(*n)++], 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ar_summaries_free(*v, *n);
		*v = NULL;
		*n = 0;
		return ar_fail_sql(a, "versions");
	}
	return 0;
}

int sq_current_mermaid(struct archive *a, int64_t transcript_id, char **src)
{
	*src = NULL;
	sqlite3_stmt *st = prep(a, "SELECT s.mermaid FROM transcripts t JOIN summaries s"
	                           " ON s.id = t.current_summary_id WHERE t.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, transcript_id);
	int rc = sqlite3_step(st);
	int r = 1;
	if (rc == SQLITE_ROW) {
		*src = ar_col_str(st, 0);
		r = *src ? 0 : 1;
	} else if (rc != SQLITE_DONE) {
		r = ar_fail_sql(a, "diagram");
	}
	sqlite3_finalize(st);
	return r;
}

int sq_begin(struct archive *a)
{
	if (a->readonly)
		return ar_fail(a, "archive was opened read-only");
	if (SQ(a)->wait.contended) {
		/* Others wait for the lock too: leave them a turn after our
		 * last commit before taking it again. */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double gap = secs_between(&SQ(a)->wait.last_commit, &now);
		if (gap >= 0 && gap < YIELD_MS / 1000.0) {
			long ns = (long)((YIELD_MS / 1000.0 - gap) * 1e9);
			struct timespec d = { ns / 1000000000L, ns % 1000000000L };
			nanosleep(&d, NULL);
		}
	}
	if (sqlite3_exec(SQ(a)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "begin");
	return 0;
}

int sq_commit(struct archive *a)
{
	if (sqlite3_exec(SQ(a)->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int r = ar_fail_sql(a, "commit");
		sq_rollback(a);
		return r;
	}
	clock_gettime(CLOCK_MONOTONIC, &SQ(a)->wait.last_commit);
	return 0;
}

int sq_in_transaction(const struct archive *a)
{
	return !sqlite3_get_autocommit(SQ(a)->db);
}

int sq_savepoint(struct archive *a)
{
	if (sqlite3_exec(SQ(a)->db, "SAVEPOINT one_file", NULL, NULL, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "savepoint");
	return 0;
}

int sq_savepoint_release(struct archive *a)
{
	if (sqlite3_exec(SQ(a)->db, "RELEASE one_file", NULL, NULL, NULL) != SQLITE_OK)
		return ar_fail_sql(a, "savepoint");
	return 0;
}

void sq_savepoint_undo(struct archive *a)
{
	sqlite3_exec(SQ(a)->db, "ROLLBACK TO one_file; RELEASE one_file", NULL, NULL, NULL);
}

void sq_rollback(struct archive *a)
{
	if (!sqlite3_get_autocommit(SQ(a)->db))
		sqlite3_exec(SQ(a)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Opens a transaction unless one is already open (*opened tells which);
 * returns 0 or -1. */
static int in_tx(struct archive *a, int *opened)
{
	*opened = 0;
	if (!sqlite3_get_autocommit(SQ(a)->db))
		return 0;
	if (sq_begin(a) != 0)
		return -1;
	*opened = 1;
	return 0;
}

/* Ends what in_tx opened: commits when r >= 0, else rolls back;
 * returns r, or -1 when the commit failed. */
static int end_tx(struct archive *a, int opened, int r)
{
	if (!opened)
		return r;
	if (r < 0) {
		sq_rollback(a);
		return r;
	}
	if (sq_commit(a) != 0)
		return -1;
	return r;
}

/* ---- helpers for the other files of db/ (archive_int.h) ------------- */

sqlite3_stmt *ar_prep(struct archive *a, const char *sql) { return prep(a, sql); }
void ar_bind_text(sqlite3_stmt *st, int i, const char *s) { bind_text(st, i, s); }
char *ar_col_str(sqlite3_stmt *st, int i) { return col_str(st, i); }
int ar_exec_done(struct archive *a, sqlite3_stmt *st, const char *what)
{
	return exec_done(a, st, what);
}
int ar_tx_open(struct archive *a, int *opened) { return in_tx(a, opened); }
int ar_tx_close(struct archive *a, int opened, int r) { return end_tx(a, opened, r); }
int ar_exists(struct archive *a, int64_t id) { return exists(a, id); }
