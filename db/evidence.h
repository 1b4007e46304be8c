/* evidence.h — which passages of a transcript support each line of its
 * summary, and which lines nothing supports.
 *
 * A summary is cut into checkable claims (ev_claims): outline points,
 * paragraph sentences, the core point, framework sentences and the labels
 * of the concept map's nodes; headings, blank lines, lead-ins ending in a
 * colon and the map itself are not claims. The transcript is cut into
 * passages of about 100–200 characters (ev_index_new): sentences and
 * clauses where there is punctuation, the pauses of speech recognition
 * (spaces between Chinese characters) and fixed windows where there is
 * neither; neighbouring passages overlap by half.
 *
 * Matching uses the archive's kind of tokens (CJK bigrams and unigrams,
 * casefolded accent-free Latin words) with what speech recognition writes
 * differently folded away: full-width forms, traditional characters,
 * spaced letters ("h l e" is HLE, "x AI" is XAI), numbers written with or
 * without a space before their unit ("100亿", "100 亿"), in Chinese
 * numerals ("一百亿", "百分之四十四") or with thousands separators. Each
 * term of a claim is weighted by how rare it is among this transcript's
 * passages (BM25's idf), numbers and Latin names inside Chinese text
 * more. A claim is
 *   supported  when its weighted terms, and its distinctive ones (numbers,
 *              names, rare words) in particular, are found together in one
 *              passage or two adjacent ones;
 *   none       when its distinctive terms are absent from the whole
 *              transcript, however often its common words occur;
 *   weak       otherwise.
 * docs/evidence.md has the method and the measurements behind it.
 *
 * Pure functions on text (no database, no terminal), and at the end the
 * results the archive stores per summary version (ar_evidence).
 */
#ifndef PRECIS_EVIDENCE_H
#define PRECIS_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "db/formats/doc.h"

/* Bumped whenever the results of the same inputs would change, so stored
 * evidence computed by an older method is recomputed. */
#define EV_METHOD 2
#define EV_STR_(x) #x
#define EV_STR(x) EV_STR_(x)
#define EV_METHOD_STR EV_STR(EV_METHOD)
#define EV_MAX_PASSAGES 5
/* Claims checked of one summary: the first ones in body order. A summary
 * has tens to a few hundred; a 20 MB one (an import's Description: made
 * of anything) had 289,000, whose stored results took the reader 460 MB
 * to load. Results with more (stored before) are computed again. */
#define EV_MAX_CLAIMS 2000

enum ev_verdict { EV_NONE = 0, EV_WEAK = 1, EV_SUPPORTED = 2 };
enum ev_kind { EV_TEXT = 0, EV_NODE = 1 };

/* "none", "weak", "supported". */
const char *ev_verdict_name(enum ev_verdict v);
/* "text", "node". */
const char *ev_kind_name(enum ev_kind k);

struct ev_claim {
	int line;              /* 1-based line of the summary body it starts on */
	size_t off;            /* byte offset in the body where it starts */
	enum ev_kind kind;
	char *node_id;         /* the map node (EV_NODE), else NULL */
	char *text;            /* plain text: Markdown and <br> removed, one line */
};

/* The checkable claims of a Markdown summary body, in body order, at most
 * EV_MAX_CLAIMS (the first). Always succeeds: returns 0 and sets *out
 * (free with ev_claims_free; NULL when *n is 0). */
int ev_claims(const char *body, size_t len, struct ev_claim **out, size_t *n);
void ev_claims_free(struct ev_claim *c, size_t n);

struct ev_passage {
	size_t off, len;       /* byte range in the transcript text */
	double start_s;        /* time of the paragraph it starts in; -1 unknown */
	double score;          /* share (0–1) of the claim's weight found in it */
};

struct ev_line {
	int line;              /* as in ev_claim */
	size_t off;
	enum ev_kind kind;
	char *node_id;         /* NULL unless EV_NODE */
	char *text;
	enum ev_verdict verdict;
	double score;          /* share (0–1) of the claim's weight found in the
	                          best pair of adjacent passages */
	double found;          /* share of the claim's weight found anywhere */
	int npass;             /* passages, best first (0 when none match) */
	struct ev_passage pass[EV_MAX_PASSAGES];
};

struct ev_result {
	struct ev_line *lines;
	size_t n;
	int supported, weak, unsupported;   /* counts by verdict */
};

/* A transcript cut into passages and indexed for matching. */
struct ev_index;

/* Indexes text[0..len) (any bytes; invalid UTF-8 is skipped over), with
 * paragraph start times (may be NULL/0) for the passages' times. Never
 * fails (aborts when out of memory). The text must outlive the index. */
struct ev_index *ev_index_new(const char *text, size_t len,
                              const struct doc_para *paras, size_t npara);
/* The same, keeping only the terms these claims can ask for (what
 * ev_compute does): about twice as fast; ev_match and ev_terms give the
 * same results for these claims, and less for others. */
struct ev_index *ev_index_new_for(const char *text, size_t len,
                                  const struct doc_para *paras, size_t npara,
                                  const struct ev_claim *claims, size_t nclaims);
void ev_index_free(struct ev_index *ix);
/* Number of passages. */
size_t ev_index_passages(const struct ev_index *ix);
/* Byte range of passage i (< ev_index_passages). */
void ev_index_passage(const struct ev_index *ix, size_t i, size_t *off, size_t *len);

/* Matches one claim (any bytes) against the transcript: fills verdict,
 * score and passages of *out; leaves its other fields alone. */
void ev_match(const struct ev_index *ix, const char *claim, size_t len, struct ev_line *out);

struct ev_range {
	size_t off, len;       /* bytes in the transcript text */
};
/* The places inside text[off..off+len) where terms of claim occur, sorted
 * and merged, for highlighting: up to max ranges into out; returns how
 * many were written. */
size_t ev_terms(const struct ev_index *ix, const char *claim, size_t clen,
                size_t off, size_t len, struct ev_range *out, size_t max);

/* Claims of body, each matched against text: returns 0 and fills *out
 * (free with ev_result_free). Never fails otherwise. */
int ev_compute(const char *body, size_t blen, const char *text, size_t tlen,
               const struct doc_para *paras, size_t npara, struct ev_result *out);
void ev_result_free(struct ev_result *r);

/* ---- stored in the archive (db/sqlite/archive_evidence.c) ------------------ */

struct archive;

/* The evidence of summary version summary_id: stored, or computed now
 * (and stored unless the archive is read-only). Returns 0 and fills *out
 * (free with ev_result_free), 1 when there is no such summary, -1. */
int ar_evidence(struct archive *a, int64_t summary_id, struct ev_result *out);
/* Computes and stores the evidence of transcript_id's current summary
 * unless it is stored (called when a version is added or made current,
 * and when the text changes). 0 or -1. */
int ar_evidence_refresh(struct archive *a, int64_t transcript_id);
/* Number of current summaries without stored evidence of this method. */
int ar_evidence_missing(struct archive *a, int64_t *n);
/* Computes and stores the missing ones, in one transaction; *done gets
 * how many. 0 or -1 (read-only archive, database error). */
int ar_evidence_fill(struct archive *a, int64_t *done);
/* The same for at most limit of them (≤ 0: all), for work done a little
 * at a time; *done < limit means none are left. */
int ar_evidence_fill_some(struct archive *a, int limit, int64_t *done);

#endif
