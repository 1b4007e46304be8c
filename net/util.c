/* util.c — clock and UTF-8 tail helpers of net/ (net/util.h). */
#include <time.h>

#include "net/util.h"

int64_t net_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t net_utf8_trim(const char *s, size_t n)
{
	/* Step back over continuation bytes to the last lead byte and keep
	 * it only if its sequence is complete. */
	size_t i = n, k = 0;
	while (i > 0 && k < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		k++;
	}
	if (i == 0)
		return n;
	unsigned char c = (unsigned char)s[i - 1];
	size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (need == 1)
		return n;
	return k + 1 >= need ? n : i - 1;
}
