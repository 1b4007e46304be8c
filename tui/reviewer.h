/* reviewer.h — who is reviewing (docs/review.md): `[review] name` of the
 * config file, else the login name. Shared by the app and `precis
 * review`. */
#ifndef PRECIS_TUI_REVIEWER_H
#define PRECIS_TUI_REVIEWER_H

#include <stddef.h>

struct cfg;

/* The reviewer's name into buf: explicit (a command-line --reviewer; may
 * be NULL), else [review] name of c (may be NULL), else the login name
 * (the password entry of the effective user, else $USER, $LOGNAME).
 * Made one line: control characters dropped, spaces at the ends trimmed,
 * at most 64 bytes (cut at a character boundary). "" when none is known.
 * Returns buf. */
char *reviewer_name(const char *explicit_name, struct cfg *c, char *buf, size_t n);

#endif
