/* jobs.c — LLM summary jobs, their batches and notes (db/archive.h, the
 * "LLM jobs" section). A job belongs to the process that runs it (host,
 * pid and a heartbeat); one whose process is gone — killed, crashed, its
 * machine rebooted — can be claimed again. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"
#include "render/alloc.h"

/* A heartbeat older than this means the owner is gone (another host, or a
 * pid reused on this one). Running jobs beat every few seconds. */
#define STALE_S 60

/* This machine's name (for job owners). */
static const char *host_name(void)
{
	static char host[256];
	if (!host[0] && gethostname(host, sizeof host - 1) != 0)
		snprintf(host, sizeof host, "localhost");
	return host;
}

/* 1 when the owner is this process. */
static int owner_is_me(const char *host, long pid)
{
	return host && !strcmp(host, host_name()) && pid == (long)getpid();
}

/* 1 when the owner (host, pid, last heartbeat) is gone. */
static int owner_gone(const char *host, long pid, int64_t heartbeat)
{
	if (!host)
		return 1;   /* given back to the queue */
	int64_t now = (int64_t)time(NULL);
	if (!strcmp(host, host_name())) {
		if (pid == (long)getpid())
			return 0;
		if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			return 1;
	}
	return now - heartbeat > STALE_S;
}

#define JOB_COLS \
	"j.id, j.transcript_id, coalesce(j.batch_id, 0), coalesce(j.summary_id, 0), j.state," \
	" t.title, j.model, j.prompt_name, j.error, j.stage, j.owner_host, j.owner_pid," \
	" coalesce(j.heartbeat_at, 0), j.attempts, j.chunks_done, j.chunks_total, j.tokens_in," \
	" j.tokens_out, j.created_at, j.started_at, j.finished_at"

static void job_from_row(sqlite3_stmt *st, struct ar_job *j)
{
	memset(j, 0, sizeof *j);
	j->id = sqlite3_column_int64(st, 0);
	j->transcript_id = sqlite3_column_int64(st, 1);
	j->batch_id = sqlite3_column_int64(st, 2);
	j->summary_id = sqlite3_column_int64(st, 3);
	j->state = ar_job_state_from((const char *)sqlite3_column_text(st, 4));
	j->title = ar_col_str(st, 5);
	j->model = ar_col_str(st, 6);
	j->prompt_name = ar_col_str(st, 7);
	j->error = ar_col_str(st, 8);
	j->stage = ar_col_str(st, 9);
	const char *host = (const char *)sqlite3_column_text(st, 10);
	long pid = (long)sqlite3_column_int64(st, 11);
	int64_t beat = sqlite3_column_int64(st, 12);
	if (host && (j->state == AR_JOB_RUNNING || j->state == AR_JOB_QUEUED)) {
		char o[320];
		snprintf(o, sizeof o, "%s:%ld", host, pid);
		j->owner = xstrdup(o);
	}
	if (j->state == AR_JOB_RUNNING || j->state == AR_JOB_QUEUED)
		j->orphaned = owner_gone(host, pid, beat);
	j->attempts = sqlite3_column_int(st, 13);
	j->chunks_done = sqlite3_column_int(st, 14);
	j->chunks_total = sqlite3_column_int(st, 15);
	j->tokens_in = (long)sqlite3_column_int64(st, 16);
	j->tokens_out = (long)sqlite3_column_int64(st, 17);
	j->created_at = ar_col_str(st, 18);
	j->started_at = ar_col_str(st, 19);
	j->finished_at = ar_col_str(st, 20);
}

/* Runs a one-job query with one id parameter. 0, 1, -1. */
static int one_job(struct archive *a, sqlite3_stmt *st, struct ar_job *out)
{
	int rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW)
		job_from_row(st, out);
	else if (rc == SQLITE_DONE)
		r = 1;
	else
		r = ar_fail_sql(a, "job");
	sqlite3_finalize(st);
	return r;
}

int sq_batch_open(struct archive *a, const char *key, int64_t *batch_id, int *resumed)
{
	*resumed = 0;
	sqlite3_stmt *st = ar_prep(a, "SELECT id FROM batches WHERE key = ?1 AND finished_at IS NULL"
	                              " ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	ar_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*batch_id = sqlite3_column_int64(st, 0);
		*resumed = 1;
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ar_fail_sql(a, "batch");
	char now[32];
	ar_now(now, sizeof now);
	st = ar_prep(a, "INSERT INTO batches(key, created_at) VALUES(?1, ?2)");
	if (!st)
		return -1;
	ar_bind_text(st, 1, key);
	ar_bind_text(st, 2, now);
	if (ar_exec_done(a, st, "new batch") != 0)
		return -1;
	*batch_id = sqlite3_last_insert_rowid(SQ(a)->db);
	return 0;
}

int sq_batch_finish(struct archive *a, int64_t batch_id)
{
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_stmt *st = ar_prep(a, "UPDATE batches SET finished_at = ?2 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, batch_id);
	ar_bind_text(st, 2, now);
	return ar_exec_done(a, st, "batch");
}

int sq_job_add(struct archive *a, int64_t transcript_id, int64_t batch_id,
               const char *model, const char *prompt_name, int64_t *job_id)
{
	char now[32];
	ar_now(now, sizeof now);
	/* The process that queues a job owns it until it runs it. */
	sqlite3_stmt *st = ar_prep(a, "INSERT INTO jobs(transcript_id, batch_id, model, prompt_name,"
	                              " created_at, owner_host, owner_pid, heartbeat_at)"
	                              " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
	                              " WHERE EXISTS(SELECT 1 FROM transcripts WHERE id = ?1)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, transcript_id);
	if (batch_id > 0)
		sqlite3_bind_int64(st, 2, batch_id);
	else
		sqlite3_bind_null(st, 2);
	ar_bind_text(st, 3, model);
	ar_bind_text(st, 4, prompt_name);
	ar_bind_text(st, 5, now);
	ar_bind_text(st, 6, host_name());
	sqlite3_bind_int64(st, 7, (int64_t)getpid());
	sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	if (ar_exec_done(a, st, "new job") != 0)
		return -1;
	if (sqlite3_changes(SQ(a)->db) == 0)
		return 1;
	*job_id = sqlite3_last_insert_rowid(SQ(a)->db);
	return 0;
}

int sq_job_get(struct archive *a, int64_t job_id, struct ar_job *out)
{
	sqlite3_stmt *st = ar_prep(a, "SELECT " JOB_COLS " FROM jobs j JOIN transcripts t"
	                              " ON t.id = j.transcript_id WHERE j.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	return one_job(a, st, out);
}

int sq_batch_job(struct archive *a, int64_t batch_id, int64_t transcript_id, struct ar_job *out)
{
	sqlite3_stmt *st = ar_prep(a, "SELECT " JOB_COLS " FROM jobs j JOIN transcripts t"
	                              " ON t.id = j.transcript_id WHERE j.batch_id = ?1"
	                              " AND j.transcript_id = ?2 ORDER BY j.id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, batch_id);
	sqlite3_bind_int64(st, 2, transcript_id);
	return one_job(a, st, out);
}

int sq_job_busy_elsewhere(struct archive *a, int64_t job_id)
{
	sqlite3_stmt *st = ar_prep(a, "SELECT state, owner_host, owner_pid, coalesce(heartbeat_at, 0)"
	                              " FROM jobs WHERE id = ?1");
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, job_id);
	int busy = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		enum ar_job_state s = ar_job_state_from((const char *)sqlite3_column_text(st, 0));
		const char *host = (const char *)sqlite3_column_text(st, 1);
		long pid = (long)sqlite3_column_int64(st, 2);
		busy = (s == AR_JOB_RUNNING || s == AR_JOB_QUEUED) && !owner_is_me(host, pid) &&
		       !owner_gone(host, pid, sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	return busy;
}

int sq_job_claim(struct archive *a, int64_t job_id)
{
	if (a->readonly)
		return ar_fail(a, "archive was opened read-only");
	/* Read the owner, decide, then take it only if nothing changed in
	 * between (another process may be claiming it at the same moment). */
	sqlite3_stmt *st = ar_prep(a, "SELECT state, owner_host, owner_pid, coalesce(heartbeat_at, 0)"
	                              " FROM jobs WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? ar_fail(a, "no job #%lld", (long long)job_id)
		                         : ar_fail_sql(a, "job");
	}
	enum ar_job_state s = ar_job_state_from((const char *)sqlite3_column_text(st, 0));
	char *host = ar_col_str(st, 1);
	long pid = (long)sqlite3_column_int64(st, 2);
	int64_t beat = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	int take = s == AR_JOB_FAILED ||
	           ((s == AR_JOB_QUEUED || s == AR_JOB_RUNNING) &&
	            (owner_is_me(host, pid) || owner_gone(host, pid, beat)));
	if (!take) {
		free(host);
		return 1;
	}
	st = ar_prep(a, "UPDATE jobs SET state = 'running', owner_host = ?2, owner_pid = ?3,"
	                " heartbeat_at = ?4, started_at = ?5, attempts = attempts + 1, finished_at = NULL,"
	                " stage = 'starting'"
	                " WHERE id = ?1 AND state = ?6 AND owner_host IS ?7 AND owner_pid IS ?8");
	if (!st) {
		free(host);
		return -1;
	}
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, host_name());
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	ar_bind_text(st, 5, now);
	ar_bind_text(st, 6, ar_job_state_name(s));
	ar_bind_text(st, 7, host);
	if (host)
		sqlite3_bind_int64(st, 8, pid);
	else
		sqlite3_bind_null(st, 8);
	int r = ar_exec_done(a, st, "claiming a job");
	free(host);
	if (r != 0)
		return -1;
	return sqlite3_changes(SQ(a)->db) == 1 ? 0 : 1;
}

int sq_job_progress(struct archive *a, int64_t job_id, const struct ar_job_progress *p)
{
	sqlite3_stmt *st = ar_prep(a, "UPDATE jobs SET stage = coalesce(?2, stage), chunks_done = ?3,"
	                              " chunks_total = ?4, tokens_in = ?5, tokens_out = ?6,"
	                              " heartbeat_at = ?7 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, p->stage);
	sqlite3_bind_int(st, 3, p->chunks_done);
	sqlite3_bind_int(st, 4, p->chunks_total);
	sqlite3_bind_int64(st, 5, p->tokens_in);
	sqlite3_bind_int64(st, 6, p->tokens_out);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	return ar_exec_done(a, st, "job progress");
}

int sq_job_heartbeat(struct archive *a, int64_t job_id)
{
	sqlite3_stmt *st = ar_prep(a, "UPDATE jobs SET heartbeat_at = ?2 WHERE id = ?1"
	                              " AND state = 'running'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	return ar_exec_done(a, st, "job heartbeat");
}

int sq_job_finish(struct archive *a, int64_t job_id, enum ar_job_state s,
                  const char *error, int64_t summary_id)
{
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_stmt *st = ar_prep(a, "UPDATE jobs SET state = ?2, error = ?3, summary_id = ?4,"
	                              " finished_at = ?5, stage = NULL WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, ar_job_state_name(s));
	ar_bind_text(st, 3, s == AR_JOB_DONE ? NULL : error);
	if (summary_id > 0)
		sqlite3_bind_int64(st, 4, summary_id);
	else
		sqlite3_bind_null(st, 4);
	ar_bind_text(st, 5, now);
	return ar_exec_done(a, st, "finishing a job");
}

int sq_job_release(struct archive *a, int64_t job_id, const char *why)
{
	sqlite3_stmt *st = ar_prep(a, "UPDATE jobs SET state = 'queued', error = ?2, stage = NULL,"
	                              " owner_host = NULL, owner_pid = NULL WHERE id = ?1"
	                              " AND state = 'running'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, why);
	return ar_exec_done(a, st, "releasing a job");
}

int sq_jobs_list(struct archive *a, const struct ar_job_query *q,
                 struct ar_job **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = ar_prep(a, "SELECT " JOB_COLS " FROM jobs j JOIN transcripts t"
	                              " ON t.id = j.transcript_id"
	                              " WHERE (?1 = 0 OR j.state IN ('queued','running'))"
	                              " AND (?2 = 0 OR j.transcript_id = ?2)"
	                              " ORDER BY j.id DESC LIMIT ?3");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, q && q->active_only);
	sqlite3_bind_int64(st, 2, q ? q->transcript_id : 0);
	sqlite3_bind_int64(st, 3, q && q->limit > 0 ? q->limit : -1);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(v, &cap, *n + 1, sizeof **v);
		job_from_row(st, &(*v)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ar_jobs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return ar_fail_sql(a, "jobs");
	}
	return 0;
}

int sq_job_note_get(struct archive *a, int64_t job_id, const char *key, char **text,
                    long *tokens_in, long *tokens_out)
{
	*text = NULL;
	sqlite3_stmt *st = ar_prep(a, "SELECT output, coalesce(tokens_in, -1), coalesce(tokens_out, -1)"
	                              " FROM job_notes WHERE job_id = ?1 AND key = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, key);
	int rc = sqlite3_step(st);
	int r = 1;
	if (rc == SQLITE_ROW) {
		*text = ar_col_str(st, 0);
		if (!*text)
			*text = xstrdup("");
		if (tokens_in)
			*tokens_in = (long)sqlite3_column_int64(st, 1);
		if (tokens_out)
			*tokens_out = (long)sqlite3_column_int64(st, 2);
		r = 0;
	} else if (rc != SQLITE_DONE) {
		r = ar_fail_sql(a, "job notes");
	}
	sqlite3_finalize(st);
	return r;
}

int sq_job_note_put(struct archive *a, int64_t job_id, const char *key, const char *text,
                    long tokens_in, long tokens_out)
{
	char now[32];
	ar_now(now, sizeof now);
	sqlite3_stmt *st = ar_prep(a, "INSERT OR IGNORE INTO job_notes(job_id, key, output, tokens_in,"
	                              " tokens_out, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job_id);
	ar_bind_text(st, 2, key);
	ar_bind_text(st, 3, text);
	if (tokens_in >= 0)
		sqlite3_bind_int64(st, 4, tokens_in);
	else
		sqlite3_bind_null(st, 4);
	if (tokens_out >= 0)
		sqlite3_bind_int64(st, 5, tokens_out);
	else
		sqlite3_bind_null(st, 5);
	ar_bind_text(st, 6, now);
	return ar_exec_done(a, st, "job notes");
}

/* ---- claims: one summary of a transcript at a time ---------------------
 * A row per transcript being summarized (migration 11): its owner and a
 * lease. Every change is one statement that checks what was read is
 * still there (compare and swap), so two processes claiming at the same
 * moment never both win, without holding a write lock between the read
 * and the write. */

/* Fills *holder from a claims row (job_id, owner_host, owner_pid,
 * lease_until) when holder is not NULL. */
static void claim_holder(struct ar_claim *holder, int64_t tid, int64_t job, const char *host,
                         long pid, int64_t lease)
{
	if (!holder)
		return;
	char o[320];
	snprintf(o, sizeof o, "%s:%ld", host ? host : "?", pid);
	holder->transcript_id = tid;
	holder->job_id = job;
	holder->owner = xstrdup(o);
	int64_t left = lease - (int64_t)time(NULL);
	holder->lease_left_s = left > 0 ? (long)left : 0;
}

int sq_claim_take(struct archive *a, int64_t tid, int64_t job_id, struct ar_claim *holder)
{
	if (a->readonly)
		return ar_fail(a, "archive was opened read-only");
	char now[32];
	ar_now(now, sizeof now);
	/* a claim released or taken over between the read and the write:
	 * look again (a few times: each round someone else changed it) */
	for (int round = 0; round < 8; round++) {
		int64_t t = (int64_t)time(NULL);
		sqlite3_stmt *st = ar_prep(a, "INSERT INTO claims(transcript_id, job_id, owner_host,"
		                              " owner_pid, claimed_at, lease_until) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
		                              " ON CONFLICT(transcript_id) DO NOTHING");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, tid);
		sqlite3_bind_int64(st, 2, job_id);
		ar_bind_text(st, 3, host_name());
		sqlite3_bind_int64(st, 4, (int64_t)getpid());
		ar_bind_text(st, 5, now);
		sqlite3_bind_int64(st, 6, t + AR_CLAIM_LEASE_S);
		if (ar_exec_done(a, st, "claiming a transcript") != 0)
			return -1;
		if (sqlite3_changes(SQ(a)->db) == 1)
			return 0;
		st = ar_prep(a, "SELECT coalesce(job_id, 0), owner_host, owner_pid, lease_until"
		                " FROM claims WHERE transcript_id = ?1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, tid);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				return ar_fail_sql(a, "claims");
			continue;   /* released meanwhile: insert again */
		}
		int64_t job = sqlite3_column_int64(st, 0);
		char *host = ar_col_str(st, 1);
		long pid = (long)sqlite3_column_int64(st, 2);
		int64_t lease = sqlite3_column_int64(st, 3);
		sqlite3_finalize(st);
		int mine = owner_is_me(host, pid);
		/* another job of this process (the app summarizing it already)
		 * holds it as surely as another process does, until its lease
		 * runs out (a process of the same pid before this one) */
		int take = mine ? job == job_id || lease < t
		                : lease < t || (host && !strcmp(host, host_name()) && pid > 0 &&
		                                pid != (long)getpid() && kill((pid_t)pid, 0) != 0 &&
		                                errno == ESRCH);
		if (!take) {
			claim_holder(holder, tid, job, host, pid, lease);
			free(host);
			return 1;
		}
		st = ar_prep(a, "UPDATE claims SET job_id = ?2, owner_host = ?3, owner_pid = ?4,"
		                " claimed_at = ?5, lease_until = ?6 WHERE transcript_id = ?1"
		                " AND owner_host IS ?7 AND owner_pid = ?8 AND lease_until = ?9");
		if (!st) {
			free(host);
			return -1;
		}
		sqlite3_bind_int64(st, 1, tid);
		sqlite3_bind_int64(st, 2, job_id);
		ar_bind_text(st, 3, host_name());
		sqlite3_bind_int64(st, 4, (int64_t)getpid());
		ar_bind_text(st, 5, now);
		sqlite3_bind_int64(st, 6, t + AR_CLAIM_LEASE_S);
		ar_bind_text(st, 7, host);
		sqlite3_bind_int64(st, 8, pid);
		sqlite3_bind_int64(st, 9, lease);
		int r = ar_exec_done(a, st, "claiming a transcript");
		free(host);
		if (r != 0)
			return -1;
		if (sqlite3_changes(SQ(a)->db) == 1)
			return 0;
	}
	return ar_fail(a, "transcript #%lld: its claim keeps changing hands", (long long)tid);
}

int sq_claim_renew(struct archive *a, int64_t tid)
{
	sqlite3_stmt *st = ar_prep(a, "UPDATE claims SET lease_until = ?2 WHERE transcript_id = ?1"
	                              " AND owner_host = ?3 AND owner_pid = ?4");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL) + AR_CLAIM_LEASE_S);
	ar_bind_text(st, 3, host_name());
	sqlite3_bind_int64(st, 4, (int64_t)getpid());
	if (ar_exec_done(a, st, "renewing a claim") != 0)
		return -1;
	return sqlite3_changes(SQ(a)->db) == 1 ? 0 : 1;
}

int sq_claim_release(struct archive *a, int64_t tid)
{
	sqlite3_stmt *st = ar_prep(a, "DELETE FROM claims WHERE transcript_id = ?1"
	                              " AND owner_host = ?2 AND owner_pid = ?3");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	ar_bind_text(st, 2, host_name());
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	return ar_exec_done(a, st, "releasing a claim");
}
