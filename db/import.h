/* import.h — files and directories into the archive.
 *
 * Each file is read, recognised by db/formats/doc.h's readers and stored in its
 * own nested transaction (a SAVEPOINT; the enclosing transaction commits
 * every 2 s, 64 MB or 200 files), so a bad file never stops the others
 * and a crash leaves no half record: at worst the last group's whole
 * files are missing, and the next import adds them. Identical bytes (sha256) are skipped; a changed file
 * updates its record (matched by source path, else by identical text) and
 * adds its summary as a new version when no version has that body.
 */
#ifndef PRECIS_IMPORT_H
#define PRECIS_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "db/archive.h"
#include "db/formats/doc.h"

/* What import tells its caller as it goes (nothing in db/ prints: the
 * caller shows these, made safe for a terminal). Paths and messages are
 * raw bytes from the file system and the files: never print them as is. */
enum import_event_kind {
	IMPORT_EV_BEGIN,      /* the walk is done: files_total, bytes_total set */
	IMPORT_EV_FILE,       /* path is about to be read */
	IMPORT_EV_DONE,       /* path was handled: outcome (reason in message
	                         when it failed); also for paths the walk could
	                         not read, before the first IMPORT_EV_FILE */
	IMPORT_EV_WARNING,    /* about path: message (only when opts.warnings) */
	IMPORT_EV_END,        /* finished or stopped (see import_paths) */
};

enum import_outcome {
	IMPORT_NEW,           /* a new record */
	IMPORT_UPDATED,       /* an existing record updated from a changed file */
	IMPORT_SKIPPED,       /* identical content already in the archive */
	IMPORT_FAILED,        /* not imported: message says why */
};

struct import_event {
	enum import_event_kind kind;
	const char *path;             /* the file; NULL for BEGIN and END */
	const char *message;          /* failure reason or warning, else NULL */
	enum import_outcome outcome;  /* IMPORT_EV_DONE */
	size_t files_done, files_total;
	double bytes_done, bytes_total;
};

typedef void (*import_event_fn)(void *ctx, const struct import_event *ev);

struct import_opts {
	import_event_fn on_event;     /* NULL: nothing reported */
	void *ctx;                    /* passed to on_event */
	int warnings;                 /* report warnings (invalid UTF-8 replaced, …) */
	struct doc_opts doc;          /* reading options (which language of a
	                                 two-language file is the transcript) */
};

struct import_stats {
	long imported;   /* new records, and changed files updated */
	long updated;    /* of imported: existing records updated */
	long skipped;    /* identical content already in the archive */
	long failed;     /* files that could not be imported */
	long untried;    /* files never tried because the import stopped */
	double bytes;    /* bytes read */
};

/* Imports every path (files; directories recursively, hidden entries and
 * media files skipped, .info.json read beside its transcript). Returns 0
 * when the walk finished (st says how each file went), or -1 when the
 * archive itself failed (locked, read-only, disk full): the reason is in
 * ar_error(a), the files of the group being written count as failed and
 * the remaining ones as untried. */
int import_paths(struct archive *a, char *const *paths, int npaths,
                 const struct import_opts *o, struct import_stats *st);

/* Imports one file held in memory (e.g. a compiled-in sample); name is
 * shown in messages and used as the title hint, source_path is stored.
 * Same return values as import_paths. */
int import_buffer(struct archive *a, const char *name, const char *source_path,
                  const char *buf, size_t len, const struct import_opts *o,
                  struct import_stats *st);

/* Lowercase hex sha256 of buf into out (65 bytes): 0, or -1 when
 * libcrypto fails (out is then ""; an import reports such a file as
 * failed, "cannot compute its SHA-256: …"). */
int import_sha256_hex(const void *buf, size_t len, char out[65]);

#endif
