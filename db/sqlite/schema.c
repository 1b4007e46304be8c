/* schema.c — numbered schema migrations, applied in order at open.
 *
 * PRAGMA user_version holds the number of migrations applied. Each
 * migration runs in its own transaction with the version bump, so an
 * interrupted upgrade leaves the archive at the previous version. Never
 * edit a published migration: append a new one.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "db/sqlite/archive_int.h"

/* Migration 9's derived review state of transcript ID (an SQL
 * expression): first the review shown (the latest of the current
 * version; else the latest of all, when it approved or flagged), then the
 * state from it. Two statements, so the second reads the first's
 * review_id. */
#define REVIEW_PICK(ID) \
	"  UPDATE transcripts SET review_id = coalesce(" \
	"    (SELECT r.id FROM reviews r WHERE r.transcript_id = transcripts.id" \
	"      AND r.summary_id IS transcripts.current_summary_id ORDER BY r.id DESC LIMIT 1)," \
	"    (SELECT CASE WHEN r.verdict <> 'cleared' THEN r.id END FROM reviews r" \
	"      WHERE r.transcript_id = transcripts.id ORDER BY r.id DESC LIMIT 1))" \
	"  WHERE id = " ID ";"
#define REVIEW_STATE(ID) \
	"  UPDATE transcripts SET" \
	"    review_state = coalesce((SELECT CASE WHEN r.summary_id IS transcripts.current_summary_id" \
	"      AND r.verdict <> 'cleared' THEN r.verdict END FROM reviews r" \
	"      WHERE r.id = transcripts.review_id), 'unreviewed')," \
	"    review_changed = coalesce((SELECT r.summary_id IS NOT transcripts.current_summary_id" \
	"      FROM reviews r WHERE r.id = transcripts.review_id), 0)," \
	"    reviewed_at = (SELECT CASE WHEN r.verdict <> 'cleared' THEN r.created_at END" \
	"      FROM reviews r WHERE r.id = transcripts.review_id)" \
	"  WHERE id = " ID ";"

static const char *const migrations[] = {
	/* 1: transcripts, texts, paragraphs, versioned summaries, search. */
	"CREATE TABLE transcripts("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  url TEXT, video_id TEXT, channel TEXT,"
	"  recorded_at TEXT,"
	"  duration_s INTEGER,"
	"  language TEXT,"
	"  format TEXT NOT NULL,"
	"  source_path TEXT,"
	"  content_hash TEXT NOT NULL UNIQUE,"
	"  text_hash TEXT NOT NULL,"
	"  text_bytes INTEGER NOT NULL DEFAULT 0,"
	"  imported_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  current_summary_id INTEGER REFERENCES summaries(id),"
	"  review_state TEXT NOT NULL DEFAULT 'unreviewed'"
	"    CHECK(review_state IN ('unreviewed','approved','flagged')),"
	"  reviewed_at TEXT);"
	"CREATE INDEX transcripts_text_hash ON transcripts(text_hash);"
	"CREATE INDEX transcripts_source ON transcripts(source_path);"
	"CREATE INDEX transcripts_recorded ON transcripts(recorded_at);"
	"CREATE INDEX transcripts_imported ON transcripts(imported_at);"
	/* The text lives apart so listings never read past the first page
	 * of a row. */
	"CREATE TABLE texts("
	"  transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id),"
	"  text TEXT NOT NULL);"
	"CREATE TABLE paragraphs("
	"  transcript_id INTEGER NOT NULL REFERENCES transcripts(id),"
	"  seq INTEGER NOT NULL,"
	"  offset INTEGER NOT NULL,"
	"  start_s REAL NOT NULL,"
	"  PRIMARY KEY(transcript_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE summaries("
	"  id INTEGER PRIMARY KEY,"
	"  transcript_id INTEGER NOT NULL REFERENCES transcripts(id),"
	"  version INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  mermaid TEXT,"
	"  origin TEXT NOT NULL CHECK(origin IN ('imported','llm','edited')),"
	"  model TEXT, prompt_name TEXT,"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE(transcript_id, version));"
	/* Versions are append-only. */
	"CREATE TRIGGER summaries_no_delete BEFORE DELETE ON summaries BEGIN"
	"  SELECT RAISE(ABORT, 'summary versions are never deleted'); END;"
	"CREATE TRIGGER summaries_no_update BEFORE UPDATE ON summaries BEGIN"
	"  SELECT RAISE(ABORT, 'summary versions are never changed'); END;"
	/* A new version becomes current: exactly one current per transcript
	 * that has any, by construction (one column). */
	"CREATE TRIGGER summaries_current AFTER INSERT ON summaries BEGIN"
	"  UPDATE transcripts SET current_summary_id = NEW.id WHERE id = NEW.transcript_id; END;"
	"CREATE TRIGGER transcripts_current_check BEFORE UPDATE OF current_summary_id ON transcripts"
	"  WHEN (NEW.current_summary_id IS NULL AND OLD.current_summary_id IS NOT NULL)"
	"    OR (NEW.current_summary_id IS NOT NULL AND"
	"        (SELECT transcript_id FROM summaries WHERE id = NEW.current_summary_id) IS NOT NEW.id)"
	"  BEGIN SELECT RAISE(ABORT, 'the current summary must be a version of this transcript'); END;"
	/* Full-text index over title, text and current summary; the view is
	 * its external content (used by 'rebuild' and 'integrity-check'). */
	"CREATE VIEW search_src AS"
	"  SELECT t.id AS id, t.title AS title, x.text AS text, s.body AS summary"
	"  FROM transcripts t JOIN texts x ON x.transcript_id = t.id"
	"  LEFT JOIN summaries s ON s.id = t.current_summary_id;"
	"CREATE VIRTUAL TABLE fts USING fts5(title, text, summary,"
	"  content='search_src', content_rowid='id', tokenize='precis');"
	"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(10.0, 1.0, 3.0)');"
	"CREATE TRIGGER texts_ai AFTER INSERT ON texts BEGIN"
	"  INSERT INTO fts(rowid, title, text, summary)"
	"    SELECT id, title, text, summary FROM search_src WHERE id = NEW.transcript_id; END;"
	"CREATE TRIGGER texts_au AFTER UPDATE OF text ON texts BEGIN"
	"  INSERT INTO fts(fts, rowid, title, text, summary)"
	"    SELECT 'delete', t.id, t.title, OLD.text, s.body FROM transcripts t"
	"    LEFT JOIN summaries s ON s.id = t.current_summary_id WHERE t.id = OLD.transcript_id;"
	"  INSERT INTO fts(rowid, title, text, summary)"
	"    SELECT id, title, text, summary FROM search_src WHERE id = NEW.transcript_id; END;"
	"CREATE TRIGGER texts_ad AFTER DELETE ON texts BEGIN"
	"  INSERT INTO fts(fts, rowid, title, text, summary)"
	"    SELECT 'delete', t.id, t.title, OLD.text, s.body FROM transcripts t"
	"    LEFT JOIN summaries s ON s.id = t.current_summary_id WHERE t.id = OLD.transcript_id; END;"
	"CREATE TRIGGER transcripts_au AFTER UPDATE OF title, current_summary_id ON transcripts"
	"  WHEN OLD.title IS NOT NEW.title OR OLD.current_summary_id IS NOT NEW.current_summary_id"
	"  BEGIN"
	"  INSERT INTO fts(fts, rowid, title, text, summary)"
	"    SELECT 'delete', OLD.id, OLD.title, x.text,"
	"      (SELECT body FROM summaries WHERE id = OLD.current_summary_id)"
	"    FROM texts x WHERE x.transcript_id = OLD.id;"
	"  INSERT INTO fts(rowid, title, text, summary)"
	"    SELECT id, title, text, summary FROM search_src WHERE id = NEW.id; END;",
	/* 2: evidence per summary version (db/sqlite/archive_evidence.c): counts for
	 * the listing, per-line results as JSON; dropped when the text changes. */
	"CREATE TABLE evidence("
	"  summary_id INTEGER PRIMARY KEY REFERENCES summaries(id),"
	"  method INTEGER NOT NULL,"
	"  claims INTEGER NOT NULL,"
	"  supported INTEGER NOT NULL, weak INTEGER NOT NULL, unsupported INTEGER NOT NULL,"
	"  lines TEXT NOT NULL);"
	"CREATE TRIGGER texts_evidence AFTER UPDATE OF text ON texts BEGIN"
	"  DELETE FROM evidence WHERE summary_id IN"
	"    (SELECT id FROM summaries WHERE transcript_id = NEW.transcript_id); END;",

	/* 3: LLM summaries (issue 8). Where a title came from, and the
	 * model's title shown instead of a guessed one (the import's title
	 * kept in import_title); per-version status, usage and warnings;
	 * jobs that survive a crash, grouped in batches so that running a
	 * command again resumes it; notes of finished chunks so a resumed
	 * job redoes none. A failed version is never current. */
	"ALTER TABLE transcripts ADD COLUMN title_source TEXT"
	"  CHECK(title_source IN ('header','info_json','file_name','guessed'));"
	"ALTER TABLE transcripts ADD COLUMN import_title TEXT;"
	"ALTER TABLE transcripts ADD COLUMN llm_title TEXT;"
	/* Archives from before: a title that the text begins with was
	 * guessed from the opening words; the rest stays unknown (NULL). */
	"UPDATE transcripts SET title_source = 'guessed' WHERE title_source IS NULL AND length(title) > 0 AND"
	"  substr(ltrim((SELECT substr(text, 1, 2000) FROM texts WHERE transcript_id = id),"
	"    ' ' || char(9, 10, 13, 12288)), 1, length(title)) = title;"
	"ALTER TABLE summaries ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'"
	"  CHECK(status IN ('ok','failed'));"
	"ALTER TABLE summaries ADD COLUMN title TEXT;"
	"ALTER TABLE summaries ADD COLUMN tokens_in INTEGER;"
	"ALTER TABLE summaries ADD COLUMN tokens_out INTEGER;"
	"ALTER TABLE summaries ADD COLUMN duration_ms INTEGER;"
	"ALTER TABLE summaries ADD COLUMN warning TEXT;"
	"ALTER TABLE summaries ADD COLUMN job_id INTEGER;"
	"DROP TRIGGER IF EXISTS summaries_current;"
	"CREATE TRIGGER summaries_current AFTER INSERT ON summaries WHEN NEW.status = 'ok' BEGIN"
	"  UPDATE transcripts SET current_summary_id = NEW.id WHERE id = NEW.transcript_id; END;"
	"DROP TRIGGER IF EXISTS transcripts_current_check;"
	"CREATE TRIGGER transcripts_current_check BEFORE UPDATE OF current_summary_id ON transcripts"
	"  WHEN (NEW.current_summary_id IS NULL AND OLD.current_summary_id IS NOT NULL)"
	"    OR (NEW.current_summary_id IS NOT NULL AND"
	"        ((SELECT transcript_id FROM summaries WHERE id = NEW.current_summary_id) IS NOT NEW.id"
	"         OR (SELECT status FROM summaries WHERE id = NEW.current_summary_id) = 'failed'))"
	"  BEGIN SELECT RAISE(ABORT, 'the current summary must be a finished version of this transcript'); END;"
	"CREATE TABLE IF NOT EXISTS batches("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  finished_at TEXT);"
	"CREATE INDEX IF NOT EXISTS batches_key ON batches(key);"
	"CREATE TABLE IF NOT EXISTS jobs("
	"  id INTEGER PRIMARY KEY,"
	"  transcript_id INTEGER NOT NULL REFERENCES transcripts(id),"
	"  batch_id INTEGER REFERENCES batches(id),"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK(state IN ('queued','running','done','failed','cancelled')),"
	"  model TEXT NOT NULL,"
	"  prompt_name TEXT NOT NULL,"
	"  error TEXT,"
	"  summary_id INTEGER REFERENCES summaries(id),"
	"  owner_host TEXT, owner_pid INTEGER, heartbeat_at INTEGER,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  stage TEXT,"
	"  chunks_done INTEGER NOT NULL DEFAULT 0,"
	"  chunks_total INTEGER NOT NULL DEFAULT 0,"
	"  tokens_in INTEGER NOT NULL DEFAULT 0,"
	"  tokens_out INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT);"
	"CREATE INDEX IF NOT EXISTS jobs_transcript ON jobs(transcript_id);"
	"CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);"
	"CREATE INDEX IF NOT EXISTS jobs_batch ON jobs(batch_id);"
	"CREATE TABLE IF NOT EXISTS job_notes("
	"  job_id INTEGER NOT NULL REFERENCES jobs(id),"
	"  key TEXT NOT NULL,"
	"  output TEXT NOT NULL,"
	"  tokens_in INTEGER, tokens_out INTEGER,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY(job_id, key)) WITHOUT ROWID;",
	/* 4: the reason given when flagging (its own table: idempotent, no
	 * ALTER); indexes on the app's list orders (keyset paging reads only
	 * the rows on screen) and on the review state (the header's counts
	 * come from this small index). */
	"CREATE TABLE IF NOT EXISTS review_reasons("
	"  transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id),"
	"  reason TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS transcripts_list_date ON transcripts(coalesce(recorded_at, ''), imported_at, id);"
	"CREATE INDEX IF NOT EXISTS transcripts_list_title ON transcripts(title COLLATE NOCASE, id);"
	"CREATE INDEX IF NOT EXISTS transcripts_list_duration ON transcripts(coalesce(duration_s, -1), id);"
	"CREATE INDEX IF NOT EXISTS transcripts_review ON transcripts(review_state, current_summary_id IS NULL);",
	/* 5: the list header's counts kept by triggers, so the app reads
	 * six rows instead of scanning an index of every transcript (100 ms
	 * at 100,000 under load, 20 ms of CPU). */
	"CREATE TABLE IF NOT EXISTS list_counts("
	"  review_state TEXT NOT NULL, unsummarized INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  PRIMARY KEY(review_state, unsummarized)) WITHOUT ROWID;"
	"DELETE FROM list_counts;"
	"INSERT INTO list_counts SELECT review_state, current_summary_id IS NULL, count(*)"
	"  FROM transcripts GROUP BY review_state, current_summary_id IS NULL;"
	"DROP TRIGGER IF EXISTS list_counts_ins;"
	"CREATE TRIGGER list_counts_ins AFTER INSERT ON transcripts BEGIN"
	"  INSERT INTO list_counts VALUES(NEW.review_state, NEW.current_summary_id IS NULL, 1)"
	"    ON CONFLICT(review_state, unsummarized) DO UPDATE SET n = n + 1; END;"
	"DROP TRIGGER IF EXISTS list_counts_del;"
	"CREATE TRIGGER list_counts_del AFTER DELETE ON transcripts BEGIN"
	"  UPDATE list_counts SET n = n - 1 WHERE review_state = OLD.review_state"
	"    AND unsummarized = (OLD.current_summary_id IS NULL); END;"
	"DROP TRIGGER IF EXISTS list_counts_upd;"
	"CREATE TRIGGER list_counts_upd AFTER UPDATE OF review_state, current_summary_id ON transcripts"
	"  WHEN OLD.review_state IS NOT NEW.review_state"
	"    OR (OLD.current_summary_id IS NULL) IS NOT (NEW.current_summary_id IS NULL) BEGIN"
	"  UPDATE list_counts SET n = n - 1 WHERE review_state = OLD.review_state"
	"    AND unsummarized = (OLD.current_summary_id IS NULL);"
	"  INSERT INTO list_counts VALUES(NEW.review_state, NEW.current_summary_id IS NULL, 1)"
	"    ON CONFLICT(review_state, unsummarized) DO UPDATE SET n = n + 1; END;",
	/* 6: the second language of a two-language source (SRT/SBV '#' lines
	 * in cues, timed JSON with an original and a translation): the one
	 * that did not go into the transcript. A table of its own, so that
	 * single-language transcripts have no row and reading the text never
	 * walks past it; not searched. */
	"CREATE TABLE IF NOT EXISTS second_texts("
	"  transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id),"
	"  text TEXT NOT NULL);",
	/* 7: the unsupported count of the current summary's evidence (method
	 * 2, EV_METHOD) stored on the transcript and kept by the evidence
	 * writes, the current summary's changes and the text's (which drop
	 * the evidence): the list's evidence sort reads an index instead of
	 * looking up every row's evidence and sorting them all, and the
	 * summaries missing evidence are a small partial index. NULL: not
	 * known (no summary, or its evidence not computed). */
	"ALTER TABLE transcripts ADD COLUMN unsupported INTEGER;"
	"UPDATE transcripts SET unsupported = (SELECT e.unsupported FROM evidence e"
	"  WHERE e.summary_id = transcripts.current_summary_id AND e.method = 2)"
	"  WHERE current_summary_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS transcripts_list_unsupported ON transcripts(coalesce(unsupported, -1), id);"
	"CREATE INDEX IF NOT EXISTS transcripts_evidence_missing ON transcripts(current_summary_id)"
	"  WHERE unsupported IS NULL AND current_summary_id IS NOT NULL;"
	"DROP TRIGGER IF EXISTS evidence_unsupported_ins;"
	"CREATE TRIGGER evidence_unsupported_ins AFTER INSERT ON evidence BEGIN"
	"  UPDATE transcripts SET unsupported = CASE WHEN NEW.method = 2 THEN NEW.unsupported END"
	"    WHERE id = (SELECT transcript_id FROM summaries WHERE id = NEW.summary_id)"
	"    AND current_summary_id = NEW.summary_id; END;"
	"DROP TRIGGER IF EXISTS evidence_unsupported_upd;"
	"CREATE TRIGGER evidence_unsupported_upd AFTER UPDATE ON evidence BEGIN"
	"  UPDATE transcripts SET unsupported = CASE WHEN NEW.method = 2 THEN NEW.unsupported END"
	"    WHERE id = (SELECT transcript_id FROM summaries WHERE id = NEW.summary_id)"
	"    AND current_summary_id = NEW.summary_id; END;"
	"DROP TRIGGER IF EXISTS evidence_unsupported_del;"
	"CREATE TRIGGER evidence_unsupported_del AFTER DELETE ON evidence BEGIN"
	"  UPDATE transcripts SET unsupported = NULL"
	"    WHERE id = (SELECT transcript_id FROM summaries WHERE id = OLD.summary_id)"
	"    AND current_summary_id = OLD.summary_id; END;"
	"DROP TRIGGER IF EXISTS transcripts_unsupported;"
	"CREATE TRIGGER transcripts_unsupported AFTER UPDATE OF current_summary_id ON transcripts"
	"  WHEN OLD.current_summary_id IS NOT NEW.current_summary_id BEGIN"
	"  UPDATE transcripts SET unsupported = (SELECT e.unsupported FROM evidence e"
	"    WHERE e.summary_id = NEW.current_summary_id AND e.method = 2) WHERE id = NEW.id; END;",
	/* 8: the encoding the imported bytes were read in ("UTF-8",
	 * "WINDOWS-1252" as detected, "UTF-16", …), shown by show --meta;
	 * NULL for transcripts imported before precis recorded it. */
	"ALTER TABLE transcripts ADD COLUMN encoding TEXT;",
	/* 9: reviews (docs/review.md). A review is a row of its own, of the
	 * summary version it was made on, with its reviewer and time; rows
	 * are never changed or deleted. The transcript's review state is
	 * derived from them — the latest review of the current version, else
	 * "changed" when an earlier version was approved or flagged — and
	 * stored (review_state, review_changed, review_id: the review shown)
	 * by triggers on the two things that change it, a review added and
	 * the current version changed. Existing reviews become reviews of the
	 * version current now, at their time, by an unknown reviewer. The
	 * header's counts gain the changed column. */
	"CREATE TABLE IF NOT EXISTS reviews("
	"  id INTEGER PRIMARY KEY,"
	"  transcript_id INTEGER NOT NULL REFERENCES transcripts(id),"
	"  summary_id INTEGER REFERENCES summaries(id),"
	"  verdict TEXT NOT NULL CHECK(verdict IN ('approved','flagged','cleared')),"
	"  reason TEXT,"
	"  reviewer TEXT,"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS reviews_transcript ON reviews(transcript_id, summary_id, id);"
	"ALTER TABLE transcripts ADD COLUMN review_id INTEGER REFERENCES reviews(id);"
	"ALTER TABLE transcripts ADD COLUMN review_changed INTEGER NOT NULL DEFAULT 0;"
	"INSERT INTO reviews(transcript_id, summary_id, verdict, reason, reviewer, created_at)"
	"  SELECT t.id, t.current_summary_id, t.review_state,"
	"    (SELECT r.reason FROM review_reasons r WHERE r.transcript_id = t.id AND r.reason <> ''),"
	"    NULL, coalesce(t.reviewed_at, t.updated_at)"
	"  FROM transcripts t WHERE t.review_state IN ('approved', 'flagged')"
	"    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.transcript_id = t.id) ORDER BY t.id;"
	"UPDATE transcripts SET review_id = (SELECT max(r.id) FROM reviews r"
	"  WHERE r.transcript_id = transcripts.id), review_changed = 0"
	"  WHERE review_state IN ('approved', 'flagged') AND review_id IS NULL;"
	"DROP TABLE IF EXISTS review_reasons;"
	"CREATE INDEX IF NOT EXISTS transcripts_review_changed ON transcripts(review_changed)"
	"  WHERE review_changed = 1;"
	"DROP TRIGGER IF EXISTS reviews_no_update;"
	"CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN"
	"  SELECT RAISE(ABORT, 'reviews are never changed'); END;"
	"DROP TRIGGER IF EXISTS reviews_no_delete;"
	"CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN"
	"  SELECT RAISE(ABORT, 'reviews are never deleted'); END;"
	"DROP TRIGGER IF EXISTS reviews_check;"
	"CREATE TRIGGER reviews_check BEFORE INSERT ON reviews"
	"  WHEN (NEW.summary_id IS NOT NULL AND"
	"        ((SELECT transcript_id FROM summaries WHERE id = NEW.summary_id) IS NOT NEW.transcript_id"
	"         OR (SELECT status FROM summaries WHERE id = NEW.summary_id) = 'failed'))"
	"    OR (NEW.verdict = 'approved' AND NEW.summary_id IS NULL)"
	"  BEGIN SELECT RAISE(ABORT, 'a review is of a finished version of its transcript, and an approval needs one'); END;"
	/* the review shown: the latest of the current version, else the
	 * latest of all when it approved or flagged (changed since) */
	/* a review of the current version (what ar_review_add writes) is
	 * the one shown; of another version (written by other means), the
	 * state is derived in full */
	"DROP TRIGGER IF EXISTS reviews_state;"
	"CREATE TRIGGER reviews_state AFTER INSERT ON reviews BEGIN"
	"  UPDATE transcripts SET review_id = NEW.id,"
	"    review_state = CASE WHEN NEW.verdict = 'cleared' THEN 'unreviewed' ELSE NEW.verdict END,"
	"    review_changed = 0,"
	"    reviewed_at = CASE WHEN NEW.verdict = 'cleared' THEN NULL ELSE NEW.created_at END"
	"  WHERE id = NEW.transcript_id AND current_summary_id IS NEW.summary_id;"
	REVIEW_PICK("NEW.transcript_id AND current_summary_id IS NOT NEW.summary_id")
	REVIEW_STATE("NEW.transcript_id AND current_summary_id IS NOT NEW.summary_id")
	"END;"
	"DROP TRIGGER IF EXISTS transcripts_review_version;"
	"CREATE TRIGGER transcripts_review_version AFTER UPDATE OF current_summary_id ON transcripts"
	"  WHEN OLD.current_summary_id IS NOT NEW.current_summary_id BEGIN"
	REVIEW_PICK("NEW.id")
	REVIEW_STATE("NEW.id")
	"END;"
	/* the header's counts, by review state, changed and summarized: a
	 * table of its own name (review_counts), so that migration 5 can run
	 * again over this archive (an archive set back to an older version
	 * is upgraded again) without meeting a table of another shape */
	"DROP TRIGGER IF EXISTS list_counts_ins;"
	"DROP TRIGGER IF EXISTS list_counts_del;"
	"DROP TRIGGER IF EXISTS list_counts_upd;"
	"DROP TABLE IF EXISTS list_counts;"
	"DROP TRIGGER IF EXISTS review_counts_ins;"
	"DROP TRIGGER IF EXISTS review_counts_del;"
	"DROP TRIGGER IF EXISTS review_counts_upd;"
	"DROP TABLE IF EXISTS review_counts;"
	"CREATE TABLE review_counts("
	"  review_state TEXT NOT NULL, changed INTEGER NOT NULL, unsummarized INTEGER NOT NULL,"
	"  n INTEGER NOT NULL, PRIMARY KEY(review_state, changed, unsummarized)) WITHOUT ROWID;"
	"INSERT INTO review_counts SELECT review_state, review_changed, current_summary_id IS NULL, count(*)"
	"  FROM transcripts GROUP BY review_state, review_changed, current_summary_id IS NULL;"
	"CREATE TRIGGER review_counts_ins AFTER INSERT ON transcripts BEGIN"
	"  INSERT INTO review_counts VALUES(NEW.review_state, NEW.review_changed,"
	"    NEW.current_summary_id IS NULL, 1)"
	"    ON CONFLICT(review_state, changed, unsummarized) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER review_counts_del AFTER DELETE ON transcripts BEGIN"
	"  UPDATE review_counts SET n = n - 1 WHERE review_state = OLD.review_state"
	"    AND changed = OLD.review_changed AND unsummarized = (OLD.current_summary_id IS NULL); END;"
	"CREATE TRIGGER review_counts_upd AFTER UPDATE OF review_state, review_changed, current_summary_id"
	"  ON transcripts"
	"  WHEN OLD.review_state IS NOT NEW.review_state OR OLD.review_changed IS NOT NEW.review_changed"
	"    OR (OLD.current_summary_id IS NULL) IS NOT (NEW.current_summary_id IS NULL) BEGIN"
	"  UPDATE review_counts SET n = n - 1 WHERE review_state = OLD.review_state"
	"    AND changed = OLD.review_changed AND unsummarized = (OLD.current_summary_id IS NULL);"
	"  INSERT INTO review_counts VALUES(NEW.review_state, NEW.review_changed,"
	"    NEW.current_summary_id IS NULL, 1)"
	"    ON CONFLICT(review_state, changed, unsummarized) DO UPDATE SET n = n + 1; END;",
	/* 10: the search tokens fold traditional Chinese to simplified
	 * (db/tokenizer.c, db/t2s.h): the index of an archive made before is
	 * built again from its content (the search_src view) with the
	 * folding tokenizer, so old and new transcripts are found alike. */
	"INSERT INTO fts(fts) VALUES('rebuild');",
	/* 11: one summary of a transcript at a time (issue 19): whatever
	 * summarizes a transcript claims it first (db/sqlite/jobs.c, "claims"):
	 * its owner (host, pid, job) and a lease (Unix time) it renews while it
	 * works; a claim past its lease, or whose owner on this host is gone,
	 * is taken over. A row per transcript being summarized, deleted when
	 * the work ends. */
	"CREATE TABLE IF NOT EXISTS claims("
	"  transcript_id INTEGER PRIMARY KEY,"
	"  job_id INTEGER,"
	"  owner_host TEXT NOT NULL,"
	"  owner_pid INTEGER NOT NULL,"
	"  claimed_at TEXT NOT NULL,"
	"  lease_until INTEGER NOT NULL);",
};

/* Migration 7's triggers hold the evidence method: a new method needs a
 * migration that writes them again with it (and recomputes the column). */
_Static_assert(EV_METHOD == 2, "migration 7 keeps the unsupported count of evidence method 2");

#define NMIG ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(sizeof migrations / sizeof migrations[0] == AR_SCHEMA_VERSION,
               "AR_SCHEMA_VERSION must equal the number of migrations");

/* Returns the user_version of db, or -1 on error. */
static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* If sql (one statement) is "ALTER TABLE t ADD COLUMN c …", puts t and
 * c in the buffers and returns 1. */
static int alter_add_column(const char *sql, char *t, size_t tn, char *c, size_t cn)
{
	char w[5][64];
	int n = sscanf(sql, " %63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4]);
	if (n < 5 || strcasecmp(w[0], "ALTER") || strcasecmp(w[1], "TABLE") ||
	    strcasecmp(w[3], "ADD"))
		return 0;
	const char *col = w[4];
	if (!strcasecmp(col, "COLUMN")) {
		if (sscanf(sql, " %*s %*s %*s %*s %*s %63s", w[4]) != 1)
			return 0;
		col = w[4];
	}
	snprintf(t, tn, "%s", w[2]);
	snprintf(c, cn, "%s", col);
	return 1;
}

/* 1 when table t has column c. */
static int has_column(sqlite3 *db, const char *t, const char *c)
{
	sqlite3_stmt *st;
	int r = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1,
	                       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c, -1, SQLITE_STATIC);
	r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return r;
}

/* Runs the statements of one migration in order. A column a migration
 * adds that is already there is not added again, so a migration (written
 * with IF [NOT] EXISTS elsewhere) can run over an archive that already
 * has part of it. Returns an SQLite code, the message in *msg. */
static int run_migration(sqlite3 *db, const char *sql, char **msg)
{
	const char *p = sql;
	while (p && *p) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(db, p, -1, &st, &tail);
		char t[64], c[64];
		if (rc != SQLITE_OK) {
			/* the column is there: skip this ALTER, read on */
			if (alter_add_column(p, t, sizeof t, c, sizeof c) && has_column(db, t, c)) {
				const char *semi = strchr(p, ';');
				p = semi ? semi + 1 : NULL;
				continue;
			}
			*msg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
			return rc;
		}
		if (!st)
			break;   /* only whitespace or comments were left */
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			*msg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
			return rc;
		}
		p = tail;
	}
	return SQLITE_OK;
}

int schema_migrate(sqlite3 *db, char *err, size_t errlen)
{
	return schema_migrate_to(db, NMIG, err, errlen);
}

int schema_migrate_to(sqlite3 *db, int target, char *err, size_t errlen)
{
	if (target > NMIG)
		target = NMIG;
	/* Take the write lock first so two processes opening a new archive
	 * at once do not both run migration 1. */
	for (;;) {
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(db));
			return -1;
		}
		int v = user_version(db);
		if (v < 0) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(db));
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (v >= target) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			return 0;
		}
		char *msg = NULL;
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (run_migration(db, migrations[v], &msg) != SQLITE_OK ||
		    sqlite3_exec(db, bump, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "schema migration %d failed: %s", v + 1,
			         msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
}
