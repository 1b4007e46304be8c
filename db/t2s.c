/* t2s.c — traditional to simplified, one code point at a time
 * (db/t2s.h). Tokenizing folds every CJK character of every imported
 * text, so the common range is a direct map rather than a search. */
#include <pthread.h>

#include "db/t2s.h"
#include "db/t2s_table.h"

#define MAP_LO 0x3400u
#define MAP_HI 0xA000u

/* simplified form of MAP_LO + i when it is in the BMP, 0 when the
 * character has none; 0xFFFF: look it up in the table (a simplified
 * form outside the BMP) */
static uint16_t map[MAP_HI - MAP_LO];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
	for (unsigned i = 0; i < t2s_count; i++) {
		uint32_t t = t2s_table[i].trad, s = t2s_table[i].simp;
		if (t >= MAP_LO && t < MAP_HI)
			map[t - MAP_LO] = s < 0xFFFF ? (uint16_t)s : 0xFFFF;
	}
}

static uint32_t search(uint32_t c)
{
	unsigned lo = 0, hi = t2s_count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (t2s_table[mid].trad < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t2s_count && t2s_table[lo].trad == c ? t2s_table[lo].simp : c;
}

uint32_t t2s_fold(uint32_t c)
{
	if (c < MAP_LO)
		return c;
	if (c < MAP_HI) {
		pthread_once(&once, build);
		uint16_t s = map[c - MAP_LO];
		return !s ? c : s == 0xFFFF ? search(c) : s;
	}
	if (!t2s_count || c < t2s_table[0].trad || c > t2s_table[t2s_count - 1].trad)
		return c;
	return search(c);
}
