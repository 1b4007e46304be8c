/* import.c — walk paths, read files, store each in its own transaction. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/engine.h"
#include "db/crypto_dl.h"
#include "db/formats/doc.h"
#include "db/import.h"

#define MAX_FILE ((size_t)1 << 30)   /* 1 GiB: larger is not a transcript */

/* ---- sha256 (OpenSSL's EVP interface, loaded on first use) -------------- */

/* Puts why libcrypto failed at step into why (when why is not NULL),
 * with libcrypto's own reason when it gave one, and returns -1. */
static int sha_fail(const char *step, char *why, size_t whylen)
{
	char reason[256] = "";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, reason, sizeof reason);
	ERR_clear_error();
	if (why)
		snprintf(why, whylen, "cannot compute its SHA-256: libcrypto's %s failed%s%s",
		         step, *reason ? ": " : "", reason);
	return -1;
}

/* A new SHA-256 context, or NULL with the reason in why (libcrypto cannot
 * be loaded, or has no SHA-256). Out of memory exits through xoom
 * (render/alloc.h). */
static EVP_MD_CTX *sha_new(char *why, size_t whylen)
{
	char lerr[300];
	if (crypto_dl_load(lerr, sizeof lerr) != 0) {
		if (why)
			snprintf(why, whylen, "cannot compute its SHA-256: %s", lerr);
		return NULL;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c)
		xoom(SIZE_MAX);
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		sha_fail("EVP_DigestInit_ex", why, whylen);
		return NULL;
	}
	return c;
}

/* Hashes data[0..n) into c: 0, or -1 with the reason in why. */
static int sha_update(EVP_MD_CTX *c, const void *data, size_t n, char *why, size_t whylen)
{
	return EVP_DigestUpdate(c, data, n) == 1 ? 0 : sha_fail("EVP_DigestUpdate", why, whylen);
}

/* Writes the lowercase hex digest into out and frees the context: 0, or
 * -1 with the reason in why (out is then ""). */
static int sha_final_hex(EVP_MD_CTX *c, char out[65], char *why, size_t whylen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex(c, md, &n) == 1 && n == 32;
	EVP_MD_CTX_free(c);
	out[0] = '\0';
	if (!ok)
		return sha_fail("EVP_DigestFinal_ex", why, whylen);
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* import_sha256_hex() with the reason of a failure in why. */
static int sha256_hex(const void *buf, size_t len, char out[65], char *why, size_t whylen)
{
	out[0] = '\0';
	EVP_MD_CTX *c = sha_new(why, whylen);
	if (!c)
		return -1;
	if (sha_update(c, buf, len, why, whylen) != 0) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	return sha_final_hex(c, out, why, whylen);
}

int import_sha256_hex(const void *buf, size_t len, char out[65])
{
	return sha256_hex(buf, len, out, NULL, 0);
}

/* ---- events ------------------------------------------------------------ */

/* One import run: counters for the caller's progress display, and the
 * group commit in progress. */
struct progress {
	const struct import_opts *o;
	double total_bytes, done_bytes;
	size_t total_files, done_files;
	struct timespec batch_start;   /* group commit (see batch_open) */
	long batch_files;
	double batch_bytes;
};

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Tells the caller about kind (path and message may be NULL). */
static void emit(struct progress *p, enum import_event_kind kind, const char *path,
                 const char *message, enum import_outcome outcome)
{
	if (!p->o || !p->o->on_event)
		return;
	struct import_event ev = {
		.kind = kind, .path = path, .message = message, .outcome = outcome,
		.files_done = p->done_files, .files_total = p->total_files,
		.bytes_done = p->done_bytes, .bytes_total = p->total_bytes,
	};
	p->o->on_event(p->o->ctx, &ev);
}

static void warn(struct progress *p, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports a warning about path (when warnings are wanted). */
static void warn(struct progress *p, const char *path, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	if (!p->o || !p->o->warnings || !p->o->on_event)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	emit(p, IMPORT_EV_WARNING, path, msg, IMPORT_FAILED);
}

/* ---- one file ---------------------------------------------------------- */

/* Reads a whole regular file. Returns 0, or -1 with a reason in err. */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);   /* a FIFO must not hang us */
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -1;
	}
	if ((uint64_t)sb.st_size > MAX_FILE) {
		snprintf(err, errlen, "file too large (%lld MB; the limit is %zu MB)",
		         (long long)(sb.st_size >> 20), MAX_FILE >> 20);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)sb.st_size + 1, n = 0;
	char *p = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > MAX_FILE) {
				snprintf(err, errlen, "file too large (grew while reading)");
				free(p);
				close(fd);
				return -1;
			}
			cap *= 2;
			p = xrealloc(p, cap);
		}
		ssize_t k = read(fd, p + n, cap - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s", strerror(errno));
			free(p);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	*buf = p;
	*len = n;
	return 0;
}

enum outcome { OK_NEW, OK_UPDATED, SKIPPED, FAILED, FATAL };

/* Group commit. Each file is stored inside its own SAVEPOINT, a nested
 * transaction: a failing file is undone alone, and no part of a file is
 * ever committed without the rest of it. The enclosing transaction is
 * committed every 2 s, 64 MB or 200 files, whichever comes first, and at
 * the end. FTS5 writes (and later merges) one index segment per commit;
 * committing every file cost 36 % more CPU and twice the wall time on
 * 1,000 transcripts (docs/archive.md). A crash loses only whole files of
 * the last group, which the next import adds again. */
#define BATCH_SECONDS 2.0
#define BATCH_BYTES (64.0 * 1024 * 1024)
#define BATCH_FILES 200

/* Opens the group transaction if none is open. 0 or -1. */
static int batch_open(struct archive *a, struct progress *p)
{
	if (ar_in_transaction(a))
		return 0;
	if (ar_begin(a) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &p->batch_start);
	p->batch_files = 0;
	p->batch_bytes = 0;
	return 0;
}

/* Commits the group when force, or when it is old or big enough.
 * Returns 0, or -1 when the commit failed (its files are then lost and
 * *lost says how many). */
static int batch_commit(struct archive *a, struct progress *p, int force, long *lost)
{
	*lost = 0;
	if (!ar_in_transaction(a))
		return 0;
	if (!force && since(&p->batch_start) < BATCH_SECONDS &&
	    p->batch_bytes < BATCH_BYTES && p->batch_files < BATCH_FILES)
		return 0;
	if (ar_commit(a) != 0) {
		*lost = p->batch_files;
		p->batch_files = 0;
		return -1;
	}
	p->batch_files = 0;
	p->batch_bytes = 0;
	return 0;
}

/* Stores one file's bytes. path: shown in messages; source: stored.
 * A failure's reason goes to why. */
static enum outcome store(struct archive *a, struct progress *p, const char *path,
                          const char *source, char *buf, size_t len,
                          const char *info, size_t info_len, char *why, size_t whylen)
{
	char hash[65], thash[65], err[300];
	/* the file's bytes, and its .info.json's when there is one */
	EVP_MD_CTX *s = sha_new(why, whylen);
	if (!s)
		return FAILED;
	if (sha_update(s, buf, len, why, whylen) != 0 ||
	    (info && (sha_update(s, "\0info.json\0", 11, why, whylen) != 0 ||
	              sha_update(s, info, info_len, why, whylen) != 0))) {
		EVP_MD_CTX_free(s);
		return FAILED;
	}
	if (sha_final_hex(s, hash, why, whylen) != 0)
		return FAILED;

	int64_t id;
	int r = ar_find_by_hash(a, hash, &id);   /* fast path, no lock taken */
	if (r < 0)
		return FATAL;
	if (r == 0)
		return SKIPPED;

	struct doc d;
	memset(&d, 0, sizeof d);
	if (doc_parse_opts(buf, len, path, &p->o->doc, &d, err, sizeof err) != 0) {
		snprintf(why, whylen, "%s", err);
		return FAILED;
	}
	if (info && doc_apply_info_json(&d, info, info_len, err, sizeof err) != 0)
		warn(p, path, "ignoring its .info.json: %s", err);
	if (d.charset && d.charset_detected)
		warn(p, path, "not UTF-8: read as %s (detected)", d.charset);
	if (d.invalid_utf8)
		warn(p, path, "%zu invalid %s sequence%s replaced with U+FFFD",
		     d.invalid_utf8, d.charset && d.charset_detected ? d.charset : "UTF-8",
		     d.invalid_utf8 == 1 ? "" : "s");
	if (d.note)
		warn(p, path, "%s", d.note);   /* an unusual shape, read as said */
	if (d.nul_bytes)
		warn(p, path, "%zu NUL byte%s removed", d.nul_bytes, d.nul_bytes == 1 ? "" : "s");

	if (sha256_hex(d.text ? d.text : "", d.text_len, thash, why, whylen) != 0) {
		doc_free(&d);
		return FAILED;
	}
	struct ar_import_info ii = { source, hash, thash };
	enum outcome out = OK_NEW;
	if (batch_open(a, p) != 0 || ar_savepoint(a) != 0) {
		doc_free(&d);
		return FATAL;
	}
	/* Again under the write lock: another process may have stored the
	 * same bytes since the first look (two imports of one file). */
	r = ar_find_by_hash(a, hash, &id);
	if (r == 0) {
		doc_free(&d);
		return ar_savepoint_release(a) == 0 ? SKIPPED : FATAL;
	}
	if (r == 1)
		r = ar_find_same(a, source, thash, &id);
	if (r == 0) {
		int added;
		r = ar_update_doc(a, id, &d, &ii, &added);
		out = OK_UPDATED;
	} else if (r == 1) {
		r = ar_insert_doc(a, &d, &ii, &id);
	}
	doc_free(&d);
	if (r != 0) {
		ar_savepoint_undo(a);
		return FATAL;
	}
	if (ar_savepoint_release(a) != 0)
		return FATAL;
	p->batch_files++;
	p->batch_bytes += (double)len;
	return out;
}

/* Returns 1 when some transcript in the directory of info_path would
 * read info_path as its metadata. */
static int info_claimed(const char *info_path)
{
	char *copy = xstrdup(info_path);
	char *dir = dirname(copy);
	DIR *dh = opendir(dir);
	int claimed = 0;
	if (dh) {
		struct dirent *e;
		while (!claimed && (e = readdir(dh))) {
			if (e->d_name[0] == '.')
				continue;
			size_t n = strlen(dir) + strlen(e->d_name) + 2;
			char *p = xmalloc(n);
			snprintf(p, n, "%s/%s", dir, e->d_name);
			if (!doc_is_info_json(p)) {
				char *j = doc_info_json_path(p);
				struct stat sb;
				if (j && !strcmp(j, info_path) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
					claimed = 1;
				free(j);
			}
			free(p);
		}
		closedir(dh);
	}
	free(copy);
	return claimed;
}

static void count(struct import_stats *st, enum outcome o)
{
	switch (o) {
	case OK_NEW: st->imported++; break;
	case OK_UPDATED: st->imported++; st->updated++; break;
	case SKIPPED: st->skipped++; break;
	case FAILED: st->failed++; break;
	case FATAL: break;
	}
}

/* Imports one file from disk; a failure's reason goes to why. */
static enum outcome import_file(struct archive *a, struct progress *p, const char *path,
                                char *why, size_t whylen)
{
	char err[300];
	if (doc_is_info_json(path)) {
		if (info_claimed(path))
			return SKIPPED;   /* read with its transcript; not counted */
		snprintf(why, whylen, "yt-dlp .info.json without a transcript (metadata only)");
		return FAILED;
	}
	char *buf;
	size_t len;
	if (read_file(path, &buf, &len, err, sizeof err) != 0) {
		snprintf(why, whylen, "%s", err);
		return FAILED;
	}
	p->done_bytes += (double)len;

	char *info = NULL;
	size_t info_len = 0;
	char *ip = doc_info_json_path(path);
	if (ip && access(ip, R_OK) == 0 && read_file(ip, &info, &info_len, err, sizeof err) != 0)
		warn(p, path, "cannot read %s: %s", ip, err);
	free(ip);

	char real[PATH_MAX];
	const char *source = realpath(path, real) ? real : path;
	enum outcome o = store(a, p, path, source, buf, len, info, info_len, why, whylen);
	free(buf);
	free(info);
	return o;
}

static enum import_outcome public_outcome(enum outcome o)
{
	switch (o) {
	case OK_NEW: return IMPORT_NEW;
	case OK_UPDATED: return IMPORT_UPDATED;
	case SKIPPED: return IMPORT_SKIPPED;
	default: return IMPORT_FAILED;
	}
}

/* ---- walking ----------------------------------------------------------- */

struct filelist {
	char **v;
	size_t n, cap;
	double bytes;
};

static void fl_add(struct filelist *fl, const char *path, double size)
{
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 64;
		fl->v = xrealloc(fl->v, fl->cap * sizeof *fl->v);
	}
	fl->v[fl->n++] = xstrdup(path);
	fl->bytes += size;
}

/* Files that are never transcripts, skipped quietly in directory walks
 * (a yt-dlp folder holds videos, audio and thumbnails beside subtitles). */
static int ignored_in_walk(const char *name)
{
	static const char *const ext[] = {
		".mp4", ".mkv", ".webm", ".mov", ".avi", ".flv", ".m4v", ".mp3", ".m4a",
		".opus", ".ogg", ".wav", ".flac", ".aac", ".jpg", ".jpeg", ".png", ".webp",
		".gif", ".part", ".ytdl", ".db", ".db-wal", ".db-shm", ".sqlite", ".tsv",
		".description", ".log",
	};
	const char *dot = strrchr(name, '.');
	if (!dot)
		return 0;
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (!strcasecmp(dot, ext[i]))
			return 1;
	return 0;
}

struct seen_dir {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct filelist files;
	struct filelist errors;      /* paths the walk could not read … */
	struct filelist error_why;   /* … and why */
	struct seen_dir *dirs;
	size_t ndirs, capdirs;
};

static void walk_error(struct walk *w, const char *path, const char *reason)
{
	fl_add(&w->errors, path, 0);
	fl_add(&w->error_why, reason, 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the files under dir (sorted by name, recursively). */
static void walk_dir(struct walk *w, const char *dir, const struct stat *dsb, int depth)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].dev == dsb->st_dev && w->dirs[i].ino == dsb->st_ino)
			return;   /* a symlink loop or a directory given twice */
	if (w->ndirs == w->capdirs) {
		w->capdirs = w->capdirs ? w->capdirs * 2 : 16;
		w->dirs = xrealloc(w->dirs, w->capdirs * sizeof *w->dirs);
	}
	w->dirs[w->ndirs++] = (struct seen_dir){ dsb->st_dev, dsb->st_ino };
	if (depth > 64) {
		walk_error(w, dir, "directories nested too deeply");
		return;
	}
	DIR *dh = opendir(dir);
	if (!dh) {
		walk_error(w, dir, strerror(errno));
		return;
	}
	struct filelist names = { 0 };
	struct dirent *e;
	while ((e = readdir(dh)))
		if (e->d_name[0] != '.')
			fl_add(&names, e->d_name, 0);
	closedir(dh);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		size_t n = strlen(dir) + strlen(names.v[i]) + 2;
		char *p = xmalloc(n);
		snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
		struct stat sb;
		if (stat(p, &sb) != 0)
			walk_error(w, p, strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			walk_dir(w, p, &sb, depth + 1);
		else if (S_ISREG(sb.st_mode) && !ignored_in_walk(names.v[i]))
			fl_add(&w->files, p, (double)sb.st_size);
		free(p);
		free(names.v[i]);
	}
	free(names.v);
}

static void fl_free(struct filelist *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->v[i]);
	free(fl->v);
	memset(fl, 0, sizeof *fl);
}

int import_paths(struct archive *a, char *const *paths, int npaths,
                 const struct import_opts *o, struct import_stats *st)
{
	struct walk w;
	memset(&w, 0, sizeof w);
	for (int i = 0; i < npaths; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) != 0)
			walk_error(&w, paths[i], strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			walk_dir(&w, paths[i], &sb, 0);
		else
			fl_add(&w.files, paths[i], (double)sb.st_size);
	}
	struct progress p = { .o = o, .total_bytes = w.files.bytes, .total_files = w.files.n };
	emit(&p, IMPORT_EV_BEGIN, NULL, NULL, IMPORT_NEW);
	for (size_t i = 0; i < w.errors.n; i++) {
		emit(&p, IMPORT_EV_DONE, w.errors.v[i], w.error_why.v[i], IMPORT_FAILED);
		st->failed++;
	}
	int r = 0;
	long lost = 0;
	size_t i;
	char why[400];
	for (i = 0; i < w.files.n; i++) {
		const char *path = w.files.v[i];
		emit(&p, IMPORT_EV_FILE, path, NULL, IMPORT_NEW);
		why[0] = '\0';
		enum outcome oc = import_file(a, &p, path, why, sizeof why);
		if (oc == FATAL) {
			r = -1;
			break;
		}
		p.done_files++;
		/* An .info.json read with its transcript is not a file of its own. */
		if (!(oc == SKIPPED && doc_is_info_json(path))) {
			count(st, oc);
			emit(&p, IMPORT_EV_DONE, path, oc == FAILED ? why : NULL, public_outcome(oc));
		}
		if (batch_commit(a, &p, 0, &lost) != 0) {
			r = -1;
			i++;
			break;
		}
	}
	if (r == 0 && batch_commit(a, &p, 1, &lost) != 0)
		r = -1;
	if (r != 0) {
		/* Keep the whole files stored before the failure if possible. */
		char keep[sizeof a->err];
		memcpy(keep, a->err, sizeof keep);
		if (lost == 0 && batch_commit(a, &p, 1, &lost) != 0)
			ar_rollback(a);
		memcpy(a->err, keep, sizeof keep);
		st->imported -= lost;
		st->failed += lost;
		st->untried += (long)(w.files.n - i);
	}
	st->bytes += p.done_bytes;
	emit(&p, IMPORT_EV_END, NULL, NULL, IMPORT_NEW);
	fl_free(&w.files);
	fl_free(&w.errors);
	fl_free(&w.error_why);
	free(w.dirs);
	return r;
}

int import_buffer(struct archive *a, const char *name, const char *source_path,
                  const char *buf, size_t len, const struct import_opts *o,
                  struct import_stats *st)
{
	struct progress p = { .o = o, .total_bytes = (double)len, .total_files = 1 };
	char why[400] = "";
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = 0;
	emit(&p, IMPORT_EV_FILE, name, NULL, IMPORT_NEW);
	enum outcome oc = store(a, &p, name, source_path, copy, len, NULL, 0, why, sizeof why);
	free(copy);
	long lost = 0;
	if (oc == FATAL || batch_commit(a, &p, 1, &lost) != 0) {
		ar_rollback(a);
		st->untried++;
		return -1;
	}
	p.done_files = 1;
	p.done_bytes = (double)len;
	count(st, oc);
	emit(&p, IMPORT_EV_DONE, name, oc == FAILED ? why : NULL, public_outcome(oc));
	st->bytes += (double)len;
	return 0;
}
