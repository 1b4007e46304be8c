/* find.h — finding a query in a document, for highlighting and jumping.
 *
 * Matching is case-insensitive and compatibility-insensitive: text and
 * query are both folded per code point with utf8proc (compatibility
 * decomposition + case folding + removal of default-ignorable characters,
 * i.e. NFKC_Casefold up to composition), so "grok" finds "Grok" and
 * "ＧＲＯＫ", "ｶ" finds "カ", "ﬁ" finds "fi", and a soft hyphen or zero-width
 * space inside a word does not hide it. A match never ends between a base
 * and its combining mark ("e" does not find "é"). Hits are byte ranges in
 * the ORIGINAL text, ready for rl_line_at() / rl_col_at() and rl_cells().
 */
#ifndef PRECIS_RENDER_FIND_H
#define PRECIS_RENDER_FIND_H

#include <stddef.h>

#include "render/layout.h"

struct rf_index;

/* Folds text[0..len) once (the text itself is not kept). Never NULL. */
struct rf_index *rf_index_new(const char *text, size_t len);
void rf_index_free(struct rf_index *ix);

/* Every non-overlapping occurrence of query[0..qlen), in order. Returns the
 * count and a malloc'd array in *out (NULL when none; free it). An empty
 * query (after folding) finds nothing. */
size_t rf_find(const struct rf_index *ix, const char *query, size_t qlen,
               struct rl_range **out);

/* Index of the first hit at or after byte offset off (wrapping to 0), or
 * n when n == 0: "next match" from the reader's position. */
size_t rf_next_hit(const struct rl_range *hits, size_t n, size_t off);

#endif
