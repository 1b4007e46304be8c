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

struct import_opts {
	FILE *msg;       /* per-file errors and warnings ("PATH: reason") */
	int warnings;    /* print warnings (invalid UTF-8 replaced, …) */
	int progress;    /* draw a progress bar on msg (a terminal) */
};

struct import_stats {
	long imported;   /* new records, and changed files updated */
	long updated;    /* of imported: existing records updated */
	long skipped;    /* identical content already in the archive */
	long failed;     /* files that could not be imported */
	double bytes;    /* bytes read */
};

/* Imports every path (files; directories recursively, hidden entries and
 * media files skipped, .info.json read beside its transcript). Returns 0
 * when the walk finished (st says how each file went), or -1 when the
 * archive itself failed (locked, read-only, disk full): the reason is in
 * ar_error(a) and the remaining files were not tried. */
int import_paths(struct archive *a, char *const *paths, int npaths,
                 const struct import_opts *o, struct import_stats *st);

/* Imports one file held in memory (e.g. a compiled-in sample); name is
 * shown in messages and used as the title hint, source_path is stored.
 * Same return values as import_paths. */
int import_buffer(struct archive *a, const char *name, const char *source_path,
                  const char *buf, size_t len, const struct import_opts *o,
                  struct import_stats *st);

/* Lowercase hex sha256 of buf into out (65 bytes). */
void import_sha256_hex(const void *buf, size_t len, char out[65]);

#endif
