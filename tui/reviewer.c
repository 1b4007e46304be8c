/* reviewer.c — the reviewer's name (tui/reviewer.h). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/config.h"
#include "tui/reviewer.h"

#define NAME_MAX_BYTES 64

/* Copies s into buf as one line (see reviewer_name); returns its length. */
static size_t clean(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	size_t cap = n - 1 < NAME_MAX_BYTES ? n - 1 : NAME_MAX_BYTES;
	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s && k < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			continue;
		buf[k++] = (char)c;
	}
	/* not inside a character: drop a cut sequence's lead and continuation bytes */
	if (*s && k == cap) {
		while (k && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
			k--;
		if (k && (unsigned char)buf[k - 1] >= 0xC0)
			k--;
	}
	while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
		k--;
	buf[k] = 0;
	return k;
}

char *reviewer_name(const char *explicit_name, struct cfg *c, char *buf, size_t n)
{
	if (!n)
		return buf;
	buf[0] = 0;
	if (explicit_name && clean(explicit_name, buf, n))
		return buf;
	const char *v = c ? cfg_get(c, "review", "name") : NULL;
	if (v && clean(v, buf, n))
		return buf;
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && clean(pw->pw_name, buf, n))
		return buf;
	const char *env[] = { "USER", "LOGNAME" };
	for (size_t i = 0; i < 2; i++) {
		v = getenv(env[i]);
		if (v && clean(v, buf, n))
			return buf;
	}
	return buf;
}
