/* t2s.h — traditional Chinese characters folded to simplified, one code
 * point to one (db/t2s_table.c, from Unihan): what lets 台积电 find 台積電
 * in the archive's search (db/tokenizer.c) and in evidence
 * (db/evidence_scan.c). */
#ifndef PRECIS_DB_T2S_H
#define PRECIS_DB_T2S_H

#include <stdint.h>

/* The simplified form of c; c itself when it has none. Thread-safe; the
 * first call builds a 54 KB direct map of U+3400..U+9FFF (the rest is a
 * binary search of the table). */
uint32_t t2s_fold(uint32_t c);

#endif
