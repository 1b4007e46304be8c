/* worddiff.h — what changed between two versions of a text, word by word,
 * CJK included (for the app's version comparison). No ncurses.
 *
 * Tokens: a run of letters, digits and marks (a Latin word, "GPT-4" is
 * three), one CJK character (ideographs, kana, hangul: Chinese has no
 * spaces, so every character is its own word), a run of whitespace, or
 * one other character (punctuation). Lines are compared first; within a
 * run of changed lines the tokens are aligned (longest common
 * subsequence), so a rewritten sentence shows its kept words as kept.
 * Work and memory stay bounded: blocks too large to align word by word
 * show as deleted and inserted whole.
 */
#ifndef PRECIS_RENDER_WORDDIFF_H
#define PRECIS_RENDER_WORDDIFF_H

#include <stddef.h>

enum wd_op { WD_SAME = 0, WD_DEL, WD_INS };

/* One piece of the merged text: its bytes come from the old text (SAME,
 * DEL) or the new one (INS). */
struct wd_span {
	enum wd_op op;
	size_t off, len;
};

struct wd_result {
	struct wd_span *spans;   /* in reading order: kept, deleted before inserted */
	size_t n;
	size_t deleted, inserted;   /* tokens, not counting whitespace */
};

/* Compares a[0..an) (old) with b[0..bn) (new). Always succeeds. */
void wd_diff(const char *a, size_t an, const char *b, size_t bn, struct wd_result *out);
void wd_free(struct wd_result *r);

#endif
