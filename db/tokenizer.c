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

/* One or two folded characters as a token's text; returns its length. */
static int tok_text(char *buf, const int32_t *cp, int k)
{
	int len = 0;
	for (int j = 0; j < k; j++)
		len += (int)utf8_encode(cp[j], buf + len);
	return len;
}

/* The unigram of character i of a run (cp: folded code points, off: byte
 * offsets in s, off[i + 1] its end). */
static int emit_one(tok_emit_fn emit, void *ctx, int colocated, const int32_t *cp,
                    const int *off, int i)
{
	char t[8];
	return emit(ctx, colocated, t, tok_text(t, cp + i, 1), off[i], off[i + 1]);
}

/* The bigram of characters i and i + 1 (off[i + 2] its end). */
static int emit_two(tok_emit_fn emit, void *ctx, const int32_t *cp, const int *off, int i)
{
	char t[16];
	return emit(ctx, 0, t, tok_text(t, cp + i, 2), off[i], off[i + 2]);
}

/* Emits the tokens of one CJK run of cnt folded characters cp[] starting
 * at the byte offsets off[0..cnt] (off[cnt] is the end of the run). */
static int emit_cjk(const int32_t *cp, const int *off, int cnt, int query,
                    tok_emit_fn emit, void *ctx)
{
	int rc;
	if (cnt == 1)
		return emit_one(emit, ctx, 0, cp, off, 0);
	for (int i = 0; i + 1 < cnt; i++) {
		if ((rc = emit_two(emit, ctx, cp, off, i)))
			return rc;
		if (!query && (rc = emit_one(emit, ctx, 1, cp, off, i)))
			return rc;
	}
	if (!query)
		return emit_one(emit, ctx, 0, cp, off, cnt - 1);
	return 0;
}

int tok_scan(const char *s, int n, int query_mode, tok_emit_fn emit, void *ctx)
{
	char word[TOK_MAX + 4];
	int wlen = 0, wstart = -1, wend = 0;
	/* CJK run: byte offsets of its characters, flushed in chunks so no
	 * buffer grows with the input. */
	enum { RUN = 256 };
	int off[RUN + 1];
	int32_t cp[RUN + 1];   /* the run's characters, folded */
	int cnt = 0;
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
		if (k != C_CJK && cnt > 0) {
			off[cnt] = at;
			if ((rc = emit_cjk(cp, off, cnt, query_mode, emit, ctx)))
				return rc;
			cnt = 0;
		}
		if (k == C_WORD) {
			if (wstart < 0)
				wstart = at;
			wlen = fold_append(word, wlen, c);
			wend = i;
		} else if (k == C_CJK) {
			if (cnt == RUN) {
				/* Emit all but the last character as a run whose
				 * tail bigram reaches into the next chunk. */
				off[cnt] = at;
				for (int j = 0; j + 1 < cnt; j++) {
					rc = emit_two(emit, ctx, cp, off, j);
					if (!rc && !query_mode)
						rc = emit_one(emit, ctx, 1, cp, off, j);
					if (rc)
						return rc;
				}
				off[0] = off[cnt - 1];
				cp[0] = cp[cnt - 1];
				cnt = 1;
			}
			cp[cnt] = (int32_t)t2s_fold((uint32_t)c);
			off[cnt++] = at;
		}
	}
	return 0;
}
