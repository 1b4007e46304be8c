/* t2s_table.h — traditional to simplified Chinese characters (one to one),
 * and the
 * common characters, generated from Unicode's Unihan data by
 * db/gen/gen_t2s.py. */
#ifndef PRECIS_T2S_TABLE_H
#define PRECIS_T2S_TABLE_H

#include <stdint.h>

struct t2s_pair {
	uint32_t trad, simp;
};

extern const struct t2s_pair t2s_table[];
extern const unsigned t2s_count;

/* Common Chinese characters (Unihan kFrequency 1–2), simplified, sorted. */
extern const uint32_t zh_common[];
extern const unsigned zh_common_count;

#endif
