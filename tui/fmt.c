/* fmt.c — a transcript's length and date as the command line and the app
 * show them. */
#include <stdio.h>

#include "tui/fmt.h"

void fmt_duration(long s, char *buf, size_t n)
{
	if (s < 0)
		snprintf(buf, n, "-");
	else if (s >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

void fmt_date(const char *iso, char *buf, size_t n)
{
	if (!iso || !*iso) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(buf, n, "%.10s", iso);
	for (char *p = buf; *p; p++)       /* archive text: nothing but ASCII */
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			*p = '?';
}
