/* tokenizer.c — precis's search tokens, the same for every engine (the
 * SQLite engine's FTS5 tokenizer "precis", db/sqlite/fts_tokenizer.c;
 * the PostgreSQL engine's passages): words for alphabetic scripts,
 * overlapping bigrams (plus unigrams) for CJK.
 *
 * Chinese and Japanese have no spaces between words, so a word tokenizer
 * sees a whole sentence as one token. Indexing every pair of adjacent CJK
 * characters makes any phrase of two or more characters a phrase of
 * bigrams, answered from the index; a unigram colocated with each bigram
 * (and one for the last character of a run) answers single-character
 * queries with one term lookup instead of a prefix scan. See
 * docs/archive.md for the measurements behind this choice.
 *
 * Traditional Chinese characters are folded to simplified ones (db/t2s.h,
 * as evidence folds them) in what is indexed and in queries alike, so
 * 台积电 finds 台積電 and the other way round. An archive indexed before
 * the folding is re-indexed by schema migration 10 (db/sqlite/schema.c).
 */
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "db/search_int.h"
#include "db/t2s.h"
#include "render/utf8.h"

#define TOK_MAX 64   /* bytes kept of one word; longer words are cut */

enum cls { C_SEP, C_WORD, C_CJK };

static int is_cjk(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3134F) || c == 0x3005 || c == 0x3007;
}

static enum cls classify(int32_t c)
{
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return C_WORD;
		return C_SEP;
	}
	if (is_cjk(c))
		return C_CJK;
	switch (utf8proc_category((utf8proc_int32_t)c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_WORD;
	default:
		return C_SEP;
	}
}

/* Appends the casefolded, accent-stripped, compatibility-mapped form of
 * c to buf (capacity TOK_MAX) and returns the new length. */
static int fold_append(char *buf, int len, int32_t c)
{
	if (c < 0x80) {
		if (len < TOK_MAX)
			buf[len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		return len;
	}
	utf8proc_int32_t out[8];
	int last = 0;
	utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)c, out, 8,
		UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE,
		&last);
	if (k < 0 || k > 8) {
		out[0] = (utf8proc_int32_t)c;
		k = 1;
	}
	for (utf8proc_ssize_t j = 0; j < k; j++) {
		char enc[4];
		int m = (int)utf8_encode(out[j], enc);
		if (len + m > TOK_MAX)
			return len;
		memcpy(buf + len, enc, (size_t)m);
		len += m;
	}
	return len;
}

/* A run of CJK characters, folded: their UTF-8 one after another in
 * ub (a bigram is two neighbours, so a slice), where character i is
 * ub[uo[i] .. uo[i + 1]); off[i] is where it starts in the text. */
enum { RUN = 256 };
struct run {
	int off[RUN + 1];
	int uo[RUN + 1];
	char ub[4 * RUN + 4];
	int cnt;
};

/* The unigram of character i (colocated with the bigram there or not). */
static int emit_one(tok_emit_fn emit, void *ctx, int colocated, const struct run *r, int i)
{
	return emit(ctx, colocated, r->ub + r->uo[i], r->uo[i + 1] - r->uo[i], r->off[i], r->off[i + 1]);
}

/* The bigram of characters i and i + 1. */
static int emit_two(tok_emit_fn emit, void *ctx, const struct run *r, int i)
{
	return emit(ctx, 0, r->ub + r->uo[i], r->uo[i + 2] - r->uo[i], r->off[i], r->off[i + 2]);
}

/* Emits the tokens of the run (r->off[r->cnt] is its end). */
static int emit_cjk(const struct run *r, int query, tok_emit_fn emit, void *ctx)
{
	int rc, cnt = r->cnt;
	if (cnt == 1)
		return emit_one(emit, ctx, 0, r, 0);
	for (int i = 0; i + 1 < cnt; i++) {
		if ((rc = emit_two(emit, ctx, r, i)))
			return rc;
		if (!query && (rc = emit_one(emit, ctx, 1, r, i)))
			return rc;
	}
	if (!query)
		return emit_one(emit, ctx, 0, r, cnt - 1);
	return 0;
}

/* Adds the character c written as s[at .. end) to the run, folded. */
static void run_add(struct run *r, const char *s, int at, int end, int32_t c)
{
	int i = r->cnt++;
	r->off[i] = at;
	uint32_t f = t2s_fold((uint32_t)c);
	int len;
	if (f == (uint32_t)c && end - at <= 4) {   /* most characters: as written */
		len = end - at;
		memcpy(r->ub + r->uo[i], s + at, (size_t)len);
	} else {
		len = (int)utf8_encode((int32_t)f, r->ub + r->uo[i]);
	}
	r->uo[i + 1] = r->uo[i] + len;
}

/* Query mode's emitter: a CJK run of two or more characters followed by
 * another token of the same query text owes the index's unigram of its
 * last character first. A document has that unigram at the position
 * after the run's last bigram (emit_cjk), so without it the phrase
 * "觉得 他是" — bigrams 觉得, 他是 — looked for 他是 one position too early
 * and never matched "我并不觉得 他是…" (nor "真正拿 Grok4"); with it the
 * positions are those of the document, and of "觉得他是" too (there the
 * unigram 得 sits at 得他's position). The unigram is kept folded, as
 * the run had it (the run's buffer is reused by the next run). */
struct qemit {
	tok_emit_fn emit;
	void *ctx;
	int pending, p0, p1;     /* the owed unigram, at s[p0..p1) */
	int len;
	char tok[8];             /* its folded UTF-8 */
};

static int qemit_fn(void *ctx, int colocated, const char *tok, int len, int start, int end)
{
	struct qemit *q = ctx;
	if (q->pending) {
		q->pending = 0;
		int rc = q->emit(q->ctx, 0, q->tok, q->len, q->p0, q->p1);
		if (rc)
			return rc;
	}
	return q->emit(q->ctx, colocated, tok, len, start, end);
}

int tok_scan(const char *s, int n, int query_mode, tok_emit_fn emit, void *ctx)
{
	struct qemit qe = { emit, ctx, 0, 0, 0, 0, { 0 } };
	if (query_mode) {
		emit = qemit_fn;
		ctx = &qe;
	}
	char word[TOK_MAX + 4];
	int wlen = 0, wstart = -1, wend = 0;
	/* the CJK run, flushed in chunks so no buffer grows with the input */
	struct run r;
	r.cnt = 0;
	r.uo[0] = 0;
	int i = 0, rc = 0;

	while (i <= n) {
		int at = i;
		int32_t c = 0;
		enum cls k = C_SEP;
		if (i < n) {
			i += (int)utf8_next(s + i, (size_t)(n - i), &c);
			k = classify(c);
		} else {
			i++;   /* the end flushes whatever is pending */
		}
		if (k != C_WORD && wstart >= 0) {
			if (wlen > 0 && (rc = emit(ctx, 0, word, wlen, wstart, wend)))
				return rc;
			wstart = -1;
			wlen = 0;
		}
		if (k != C_CJK && r.cnt > 0) {
			r.off[r.cnt] = at;
			if ((rc = emit_cjk(&r, query_mode, emit, ctx)))
				return rc;
			if (query_mode && r.cnt > 1) {
				/* owed only if another token follows (qemit_fn); a
				 * run of one character was that unigram itself */
				int last = r.cnt - 1;
				qe.pending = 1;
				qe.p0 = r.off[last];
				qe.p1 = r.off[r.cnt];
				qe.len = r.uo[r.cnt] - r.uo[last];
				memcpy(qe.tok, r.ub + r.uo[last], (size_t)qe.len);
			}
			r.cnt = 0;
		}
		if (k == C_WORD) {
			if (wstart < 0)
				wstart = at;
			wlen = fold_append(word, wlen, c);
			wend = i;
		} else if (k == C_CJK) {
			if (r.cnt == RUN) {
				/* Emit all but the last character as a run whose
				 * tail bigram reaches into the next chunk. */
				r.off[r.cnt] = at;
				for (int j = 0; j + 1 < r.cnt; j++) {
					rc = emit_two(emit, ctx, &r, j);
					if (!rc && !query_mode)
						rc = emit_one(emit, ctx, 1, &r, j);
					if (rc)
						return rc;
				}
				int last = r.cnt - 1, len = r.uo[r.cnt] - r.uo[last];
				memmove(r.ub, r.ub + r.uo[last], (size_t)len);
				r.off[0] = r.off[last];
				r.uo[0] = 0;
				r.uo[1] = len;
				r.cnt = 1;
			}
			run_add(&r, s, at, i, c);
		}
	}
	return 0;
}
