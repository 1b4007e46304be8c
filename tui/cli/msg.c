/* msg.c — error, usage and progress messages of the command line.
 *
 * Every message is formatted whole and then passed through the one
 * sanitiser (render/sanitize.h, rs_clean_msg): a file name, argument or
 * piece of archive text inside it can neither send an escape sequence to
 * the terminal nor start a line of its own. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/sanitize.h"
#include "tui/cli/cli.h"

/* Writes prefix, then fmt/ap made safe, then a newline, to f. */
static void put_clean(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char small[512];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	char *text = small;
	if (n < 0) {
		n = 0;
		small[0] = '\0';
	} else if ((size_t)n >= sizeof small) {
		text = malloc((size_t)n + 1);
		if (text)
			vsnprintf(text, (size_t)n + 1, fmt, ap);
		else {
			text = small;              /* keep the part that fit */
			n = (int)sizeof small - 1;
		}
	}
	size_t len;
	char *clean = rs_clean_msg(text, (size_t)n, &len);
	if (text != small)
		free(text);
	fputs(prefix, f);
	fwrite(clean, 1, len, f);
	fputc('\n', f);
	fflush(f);
	free(clean);
}

void cli_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_clean(f, "", fmt, ap);
	va_end(ap);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_clean(stderr, "precis: ", fmt, ap);
	va_end(ap);
	return 1;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_clean(stderr, "precis: ", fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;
	snprintf(prefix, sizeof prefix, "precis%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	put_clean(stderr, prefix, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'precis%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return 2;
}

int cli_option_error(const char *cmd, int ch, char **argv)
{
	/* getopt itself prints nothing (opterr = 0 in main): its messages
	 * would echo the argument raw. A long option is named as typed (up
	 * to any '='); a short one by its letter. */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (arg && !strncmp(arg, "--", 2)) {
		const char *eq = strchr(arg, '=');
		int n = eq ? (int)(eq - arg) : (int)strlen(arg);
		if (ch == ':')
			return cli_usage_error(cmd, "option '%.*s' needs a value", n, arg);
		if (eq && optopt)
			return cli_usage_error(cmd, "option '%.*s' takes no value", n, arg);
		return cli_usage_error(cmd, "unknown option '%.*s'", n, arg);
	}
	if (ch == ':')
		return cli_usage_error(cmd, "option '-%c' needs a value", optopt);
	return cli_usage_error(cmd, "unknown option '-%c'", optopt);
}
