/* chunk.h — token estimates without a tokenizer, and transcripts cut
 * into pieces that fit a model's context.
 *
 * The estimate is deliberately conservative: 0.6 tokens per CJK (and other
 * non-Latin) character, 0.3 per Latin character, plus 10 %. Real
 * tokenizers give about 0.5 and 0.25; overestimating only costs a few
 * more requests, underestimating costs a refused or silently truncated
 * one.
 *
 * Cuts fall on the best boundary in the last 40 % of the allowed length:
 * a blank line, then a line end, a sentence end (。！？；.!?), a clause
 * (，、,：), the spaces speech recognition leaves at pauses, and only
 * then a grapheme boundary (never inside a character or a cluster).
 * Consecutive pieces overlap a little, starting on a clean boundary.
 */
#ifndef PRECIS_NET_CHUNK_H
#define PRECIS_NET_CHUNK_H

#include <stddef.h>

/* Estimated tokens of s[0..n). */
long est_tokens(const char *s, size_t n);

/* How a cut was chosen, best first. */
enum cut_kind { CUT_END = 0, CUT_BLANK_LINE, CUT_LINE, CUT_SENTENCE, CUT_CLAUSE,
                CUT_SPACE, CUT_GRAPHEME };

struct chunk {
	size_t off, len;        /* bytes of the text */
	long tokens;            /* estimate */
	enum cut_kind cut;      /* how its end was chosen (CUT_END: end of text) */
};

/* Splits text[0..len) into pieces of at most max_tokens (estimated, but
 * never less than one grapheme), each after the first starting about
 * overlap_tokens before the previous one ended (at most half a piece).
 * Returns the count and the pieces in *out (malloc'd; one piece for a
 * text that fits, none for an empty one). */
size_t chunk_split(const char *text, size_t len, long max_tokens, long overlap_tokens,
                   struct chunk **out);

#endif
