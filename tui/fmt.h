/* fmt.h — how the command line and the app write a transcript's length
 * and date: one format for both. */
#ifndef PRECIS_TUI_FMT_H
#define PRECIS_TUI_FMT_H

#include <stddef.h>

/* How a summary version kept from a failed or cut-off run is marked, in
 * the app and on the command line alike. */
#define FMT_FAILED_PARTIAL "failed (partial)"

/* "1:02:03", "56:04", or "-" when unknown (s < 0). */
void fmt_duration(long s, char *buf, size_t n);
/* The date part of an ISO 8601 time ("2025-07-11"), or "-"; anything but
 * printable ASCII in it (archive text) becomes '?'. */
void fmt_date(const char *iso, char *buf, size_t n);

#endif
