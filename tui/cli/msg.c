/* msg.c — error and usage messages of the command line, on stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "tui/cli/cli.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("precis: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "precis%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'precis --help'.\n", stderr);
	va_end(ap);
	return 2;
}
