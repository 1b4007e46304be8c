/* options.c — the option parser of every command and everything written
 * from the one table of commands and options (tui/cli/options.h): the
 * --help texts, the README's table, the man page's synopsis and option
 * lists, the bash and zsh completions. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/cli/cli.h"
#include "tui/cli/options.h"

static const struct cmd_row {
	const char *name;
	unsigned flags;
	const char *args, *what, *more;
} cmds[CMD_COUNT] = {
#define C_ROW(id, nm, fl, ar, wh, mo) [CMD_##id] = { nm, fl, ar, wh, mo },
	CLI_COMMANDS(C_ROW)
#undef C_ROW
};

static const struct opt_row {
	enum cli_cmd cmd;
	enum cli_opt id;
	const char *name;
	int sh;
	const char *arg;
	int group;
	const char *values, *help;
} opts[] = {
#define O_ROW(c, i, nm, s, a, g, v, h) { CMD_##c, OPT_##c##_##i, nm, s, a, g, v, h },
	CLI_OPTIONS(O_ROW)
#undef O_ROW
};
#define NOPTS (sizeof opts / sizeof opts[0])

const char *cli_cmd_name(enum cli_cmd cmd)
{
	return (unsigned)cmd < CMD_COUNT ? cmds[cmd].name : "";
}

/* ---- parsing -------------------------------------------------------- */

/* 1 when v is one of the space-separated words of list (any case). */
static int in_values(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ' ');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && !strncasecmp(p, v, n))
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* The words of list joined as "a, b or c" into buf. */
static const char *values_text(const char *list, const char *last_sep, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	int count = 0;
	for (const char *p = list; *p; p++)
		count += *p != ' ' && (p == list || p[-1] == ' ');
	int i = 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ' ');
		int len = e ? (int)(e - p) : (int)strlen(p);
		const char *sep = i == 0 ? "" : i == count - 1 ? last_sep : ", ";
		int w = snprintf(buf + k, n - k, "%s%.*s", sep, len, p);
		if (w < 0 || (size_t)w >= n - k)
			break;
		k += (size_t)w;
		i++;
		p += len;
		while (*p == ' ')
			p++;
	}
	return buf;
}

int cli_getopt(enum cli_cmd cmd, int argc, char **argv)
{
	static struct option longopts[64];
	static char shorts[160];
	static int built = -1;
	if (built != (int)cmd) {
		size_t k = 0, s = 0;
		if (!(cmds[cmd].flags & CF_PERMUTE))
			shorts[s++] = '+';
		shorts[s++] = ':';
		for (size_t i = 0; i < NOPTS && k + 2 < sizeof longopts / sizeof longopts[0]; i++) {
			if (opts[i].cmd != cmd)
				continue;
			longopts[k++] = (struct option){ opts[i].name, opts[i].arg ? required_argument : no_argument,
			                                 NULL, (int)opts[i].id };
			if (opts[i].sh && s + 3 < sizeof shorts) {
				shorts[s++] = (char)opts[i].sh;
				if (opts[i].arg)
					shorts[s++] = ':';
			}
		}
		longopts[k++] = (struct option){ "help", no_argument, NULL, CLI_OPT_HELP };
		longopts[k] = (struct option){ 0, 0, 0, 0 };
		shorts[s++] = 'h';
		shorts[s] = 0;
		built = (int)cmd;
	}
	opterr = 0;   /* getopt would echo arguments raw: cli_option_error() */
	const char *cname = cmd == CMD_GLOBAL ? NULL : cmds[cmd].name;
	int ch = getopt_long(argc, argv, shorts, longopts, NULL);
	if (ch == -1)
		return -1;
	if (ch == 'h' || ch == CLI_OPT_HELP)
		return CLI_OPT_HELP;
	if (ch == '?' || ch == ':') {
		cli_option_error(cname, ch, argv);
		return CLI_OPT_FAILED;
	}
	const struct opt_row *o = NULL;
	for (size_t i = 0; i < NOPTS && !o; i++)
		if (opts[i].cmd == cmd && (ch < 256 ? opts[i].sh == ch : (int)opts[i].id == ch))
			o = &opts[i];
	if (!o) {
		cli_usage_error(cname, "bad option");
		return CLI_OPT_FAILED;
	}
	if (o->values && optarg && !in_values(o->values, optarg)) {
		char vt[300];
		cli_usage_error(cname, "--%s is one of %s (not '%s')", o->name,
		                values_text(o->values, " or ", vt, sizeof vt), optarg);
		return CLI_OPT_FAILED;
	}
	return (int)o->id;
}

int cli_opt_exit(enum cli_cmd cmd, int got)
{
	if (got == CLI_OPT_HELP) {
		if (cmd == CMD_GLOBAL)
			cli_usage(stdout);
		else
			cli_help(stdout, cmd);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (got == CLI_OPT_FAILED)
		return 2;
	return cli_usage_error(cmd == CMD_GLOBAL ? NULL : cmds[cmd].name, "bad option");
}

/* ---- help ----------------------------------------------------------- */

#define HELP_WIDTH 79

/* Writes text at column col (the cursor is at column at), wrapped at
 * HELP_WIDTH with later lines at column indent; ends with a newline. */
static void wrap(FILE *f, int at, int indent, const char *text)
{
	int col = at;
	const char *p = text;
	int first = 1;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		int len = (int)(e - p);
		if (!len)
			break;
		if (!first && col + 1 + len > HELP_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			first = 1;
		}
		if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)len, f);
		col += len;
		first = 0;
		p = e;
	}
	fputc('\n', f);
}

/* The synopsis of cmd's options ("[--json] [--limit N] [--a|--b]"). */
static void synopsis_opts(enum cli_cmd cmd, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	int done_group[16] = { 0 };
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_row *o = &opts[i];
		if (o->cmd != cmd || o->group < 0 || (cmd == CMD_GLOBAL && o->id != OPT_GLOBAL_DB))
			continue;
		if (o->group > 0 && o->group < 16) {
			if (done_group[o->group])
				continue;
			done_group[o->group] = 1;
			k += (size_t)snprintf(buf + k, n - k, "%s[", k ? " " : "");
			int first = 1;
			for (size_t j = i; j < NOPTS && k < n; j++)
				if (opts[j].cmd == cmd && opts[j].group == o->group) {
					k += (size_t)snprintf(buf + k, n - k, "%s--%s%s%s", first ? "" : "|", opts[j].name,
					                      opts[j].arg ? " " : "", opts[j].arg ? opts[j].arg : "");
					first = 0;
				}
			if (k < n)
				k += (size_t)snprintf(buf + k, n - k, "]");
		} else {
			k += (size_t)snprintf(buf + k, n - k, "%s[--%s%s%s]", k ? " " : "", o->name,
			                      o->arg ? " " : "", o->arg ? o->arg : "");
		}
		if (k >= n) {
			buf[n - 1] = 0;
			return;
		}
	}
}

/* "COMMAND ARGS [OPTIONS]" of cmd. */
static void synopsis(enum cli_cmd cmd, char *buf, size_t n)
{
	char o[1024];
	synopsis_opts(cmd, o, sizeof o);
	const char *args = cmds[cmd].args;
	if (cmds[cmd].flags & CF_PERMUTE)   /* "show ID [--json]" */
		snprintf(buf, n, "%s%s%s%s%s", cmds[cmd].name, args[0] ? " " : "", args, o[0] ? " " : "", o);
	else                                /* options before the arguments */
		snprintf(buf, n, "%s%s%s%s%s", cmds[cmd].name, o[0] ? " " : "", o, args[0] ? " " : "", args);
}

/* "-n, --limit N" of o. */
static void opt_label(const struct opt_row *o, char *buf, size_t n)
{
	char sh[8] = "";
	if (o->sh)
		snprintf(sh, sizeof sh, "-%c, ", o->sh);
	snprintf(buf, n, "%s--%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The option's help with its values ("…; one of a, b or c"). */
static void opt_help(const struct opt_row *o, char *buf, size_t n)
{
	char vt[300];
	if (o->values)
		snprintf(buf, n, "%s. %s: %s", o->help, o->arg, values_text(o->values, " or ", vt, sizeof vt));
	else
		snprintf(buf, n, "%s", o->help);
}

static void option_lines(FILE *f, enum cli_cmd cmd)
{
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_row *o = &opts[i];
		if (o->cmd != cmd || o->group == -2)
			continue;
		char label[128], help[1200];
		opt_label(o, label, sizeof label);
		opt_help(o, help, sizeof help);
		int w = fprintf(f, "  %s", label);
		if (w > 26) {
			fprintf(f, "\n%*s", 28, "");
			w = 28;
		} else {
			fprintf(f, "%*s", 28 - w, "");
			w = 28;
		}
		wrap(f, w, 28, help);
	}
	fprintf(f, "  %-26s", "-h, --help");
	wrap(f, 28, 28, "show this help");
}

void cli_help(FILE *f, enum cli_cmd cmd)
{
	char syn[1200];
	synopsis(cmd, syn, sizeof syn);
	fputs("usage: precis ", f);
	wrap(f, 14, 8, syn);
	wrap(f, 0, 0, cmds[cmd].what);
	if (cmds[cmd].more)
		wrap(f, 0, 0, cmds[cmd].more);
	fputs("\noptions:\n", f);
	option_lines(f, cmd);
}

void cli_usage(FILE *f)
{
	char syn[1200];
	synopsis(CMD_GLOBAL, syn, sizeof syn);
	fputs("usage: precis ", f);
	wrap(f, 14, 8, syn + 1);   /* GLOBAL's name is "" */
	fputc('\n', f);
	wrap(f, 0, 0, cmds[CMD_GLOBAL].what);
	fputs("\ncommands ('precis COMMAND --help' tells more of each):\n", f);
	for (int c = 1; c < CMD_COUNT; c++) {
		synopsis((enum cli_cmd)c, syn, sizeof syn);
		fputs("  ", f);
		wrap(f, 2, 6, syn);
		fputs("      ", f);
		wrap(f, 6, 6, cmds[c].what);
	}
	fputs("\noptions:\n", f);
	option_lines(f, CMD_GLOBAL);
}

/* ---- the README's table ---------------------------------------------- */

/* s with '|' as "\|" (a Markdown table cell). */
static void md_put(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
}

void cli_markdown(FILE *f)
{
	fputs("| command | option | what it does |\n|---|---|---|\n", f);
	for (int c = 0; c < CMD_COUNT; c++) {
		fputs("| `", f);
		md_put(f, c == CMD_GLOBAL ? "precis" : cmds[c].name);
		if (cmds[c].args[0]) {
			fputc(' ', f);
			md_put(f, cmds[c].args);
		}
		fputs("` | | ", f);
		md_put(f, cmds[c].what);
		fputs(" |\n", f);
		for (size_t i = 0; i < NOPTS; i++) {
			const struct opt_row *o = &opts[i];
			if ((int)o->cmd != c || o->group == -2)
				continue;
			fputs("| | ", f);
			if (o->sh)
				fprintf(f, "`-%c`, ", o->sh);
			fprintf(f, "`--%s%s%s`", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			fputs(" | ", f);
			md_put(f, o->help);
			if (o->values) {
				fprintf(f, ". %s: ", o->arg);
				int first = 1;
				for (const char *p = o->values; *p;) {
					const char *e = strchr(p, ' ');
					int len = e ? (int)(e - p) : (int)strlen(p);
					fprintf(f, "%s`%.*s`", first ? "" : ", ", len, p);
					first = 0;
					p += len;
					while (*p == ' ')
						p++;
				}
			}
			fputs(" |\n", f);
		}
		fputs("| | `-h`, `--help` | show this help |\n", f);
	}
}

/* ---- the man page ---------------------------------------------------- */

/* s for roff: backslashes and hyphens escaped, a leading period or
 * apostrophe kept from reading as a request. */
static void roff_put(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* A word lower-cased for roff (an argument name: italic). */
static void roff_lower(FILE *f, const char *s, size_t n)
{
	char buf[64];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[n] = 0;
	roff_put(f, buf);
}

/* The synopsis words of args: --x bold, "|" plain, the rest italic. */
static void man_args(FILE *f, const char *args)
{
	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		size_t n = (size_t)(e - p);
		if (!n)
			break;
		if (n == 1 && *p == '|') {
			fputs("|\n", f);
		} else if (n > 2 && !strncmp(p, "--", 2)) {
			char w[64];
			snprintf(w, sizeof w, "%.*s", (int)n, p);
			fputs(".B ", f);
			roff_put(f, w);
			fputc('\n', f);
		} else {
			size_t lb = 0, rb = 0;
			while (lb < n && p[lb] == '[')
				lb++;
			while (rb < n - lb && p[n - 1 - rb] == ']')
				rb++;
			size_t core = n - lb - rb;
			int dots = core > 3 && !strncmp(p + lb + core - 3, "...", 3);
			if (dots)
				core -= 3;
			/* [ roman, the name italic, ... ] roman */
			fputs(lb ? ".RI \"" : ".IR \"", f);
			if (lb) {
				fprintf(f, "%.*s\" \"", (int)lb, p);
			}
			roff_lower(f, p + lb, core);
			fputs("\" \"", f);
			if (dots)
				fputs("\\&...\\&", f);
			fprintf(f, "%.*s\"", (int)rb, p + n - rb);
			fputc('\n', f);
		}
		p = e;
	}
}

/* One option in a synopsis: .RB [ --name then .IR arg ] */
static void man_syn_opt(FILE *f, const struct opt_row *o, const char *open, const char *close)
{
	if (open[0])
		fprintf(f, ".RB %s \\-\\-", open);
	else
		fputs(".B \\-\\-", f);
	roff_put(f, o->name);
	if (o->arg) {
		fputs(close[0] ? "\n.IR " : "\n.I ", f);
		roff_lower(f, o->arg, strlen(o->arg));
	}
	if (close[0])
		fprintf(f, " %s", close);
	fputc('\n', f);
}

static void man_synopsis(FILE *f)
{
	for (int c = 0; c < CMD_COUNT; c++) {
		fputs(".SY precis\n", f);
		if (cmds[c].flags & CF_DB)
			fputs(".RB [ \\-\\-db\n.IR path ]\n", f);
		if (c == CMD_GLOBAL) {
			fputs(".YS\n", f);
			continue;
		}
		fputs(".B ", f);
		roff_put(f, cmds[c].name);
		fputc('\n', f);
		man_args(f, cmds[c].args);
		int done_group[16] = { 0 };
		for (size_t i = 0; i < NOPTS; i++) {
			const struct opt_row *o = &opts[i];
			if ((int)o->cmd != c || o->group < 0)
				continue;
			if (o->group > 0 && o->group < 16) {
				if (done_group[o->group])
					continue;
				done_group[o->group] = 1;
				size_t last = i;
				for (size_t j = i; j < NOPTS; j++)
					if ((int)opts[j].cmd == c && opts[j].group == o->group)
						last = j;
				int args = 0;
				for (size_t j = i; j < NOPTS; j++)
					args |= (int)opts[j].cmd == c && opts[j].group == o->group && opts[j].arg;
				if (!args) {   /* one line: [--a | --b] */
					fputs(".RB [", f);
					for (size_t j = i; j < NOPTS; j++)
						if ((int)opts[j].cmd == c && opts[j].group == o->group) {
							fputs(j == i ? " \\-\\-" : " | \\-\\-", f);
							roff_put(f, opts[j].name);
						}
					fputs(" ]\n", f);
					continue;
				}
				for (size_t j = i; j < NOPTS; j++)
					if ((int)opts[j].cmd == c && opts[j].group == o->group)
						man_syn_opt(f, &opts[j], j == i ? "[" : "|", j == last ? "]" : "");
			} else {
				man_syn_opt(f, o, "[", "]");
			}
		}
		fputs(".YS\n", f);
	}
	/* precis --help | --version | --completion shell */
	fputs(".SY precis\n.B \\-\\-help\n", f);
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].cmd == CMD_GLOBAL && opts[i].group >= 0 && opts[i].id != OPT_GLOBAL_DB) {
			fputs("|\n", f);
			man_syn_opt(f, &opts[i], "", "");
		}
	fputs(".YS\n", f);
}

/* The help sentence of o for the man page: capitalised, values in bold,
 * a period at the end. */
static void man_help(FILE *f, const struct opt_row *o)
{
	char h[1200];
	snprintf(h, sizeof h, "%s", o->help);
	h[0] = (char)toupper((unsigned char)h[0]);
	roff_put(f, h);
	if (o->values) {
		fputs(".\n.IR ", f);
		roff_lower(f, o->arg, strlen(o->arg));
		fputs(" :\n", f);
		int count = 0, i = 0;
		for (const char *p = o->values; *p; p++)
			count += *p != ' ' && (p == o->values || p[-1] == ' ');
		for (const char *p = o->values; *p; i++) {
			const char *e = strchr(p, ' ');
			int len = e ? (int)(e - p) : (int)strlen(p);
			char w[64];
			snprintf(w, sizeof w, "%.*s", len, p);
			fputs(i == count - 2 ? ".B " : ".BR ", f);
			roff_put(f, w);
			fputs(i == count - 1 ? " .\n" : i == count - 2 ? "\nor\n" : " ,\n", f);
			p += len;
			while (*p == ' ')
				p++;
		}
		return;
	}
	fputs(".\n", f);
}

int cli_man(FILE *f, const char *what)
{
	if (!strcmp(what, "synopsis")) {
		man_synopsis(f);
		return 0;
	}
	int cmd = -1;
	if (!strcmp(what, "global"))
		cmd = CMD_GLOBAL;
	for (int c = 1; c < CMD_COUNT && cmd < 0; c++)
		if (!strcmp(cmds[c].name, what))
			cmd = c;
	if (cmd < 0)
		return -1;
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_row *o = &opts[i];
		if ((int)o->cmd != cmd || o->group == -2)
			continue;
		fputs(".TP\n", f);
		if (o->sh)
			fprintf(f, "\\fB\\-%c\\fR, ", o->sh);
		fputs("\\fB\\-\\-", f);
		roff_put(f, o->name);
		fputs("\\fR", f);
		if (o->arg) {
			fputs(" \\fI", f);
			roff_lower(f, o->arg, strlen(o->arg));
			fputs("\\fR", f);
		}
		fputc('\n', f);
		man_help(f, o);
	}
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow the options.\n", f);
	return 0;
}

/* ---- completions ----------------------------------------------------- */

/* What completes an option's value or a command's arguments: "files",
 * a word list, or nothing. */
static int arg_is_path(const char *arg)
{
	return arg && (strstr(arg, "PATH") || strstr(arg, "FILE"));
}

static void bash_words(FILE *f, int cmd, int with_help)
{
	int first = 1;
	for (size_t i = 0; i < NOPTS; i++)
		if ((int)opts[i].cmd == cmd && opts[i].group != -2) {
			fprintf(f, "%s--%s", first ? "" : " ", opts[i].name);
			if (opts[i].sh)
				fprintf(f, " -%c", opts[i].sh);
			first = 0;
		}
	if (with_help)
		fprintf(f, "%s--help -h", first ? "" : " ");
}

static void bash_completion(FILE *f)
{
	fputs("# bash completion for precis, generated from its table of commands and\n"
	      "# options (precis --completion bash; tui/cli/options.h).\n"
	      "_precis()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal i cmd= w\n"
	      "\t# --opt=value: bash splits at '='\n"
	      "\tif [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tw=${COMP_WORDS[i]}\n"
	      "\t\tcase $w in\n", f);
	/* the global options that take a value skip it */
	int any = 0;
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].cmd == CMD_GLOBAL && opts[i].arg && opts[i].group != -2) {
			fprintf(f, "%s--%s", any ? "|" : "\t\t", opts[i].name);
			any = 1;
		}
	if (any)
		fputs(") [[ ${COMP_WORDS[i+1]} == = ]] && ((i++)); ((i++)) ;;\n", f);
	fputs("\t\t-*|=) ;;\n"
	      "\t\t*) cmd=$w; break ;;\n"
	      "\t\tesac\n"
	      "\tdone\n"
	      "\tcase $cmd:$prev in\n", f);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_row *o = &opts[i];
		if (!o->arg || o->group == -2)
			continue;
		const char *cn = cmds[o->cmd].name;
		fprintf(f, "\t%s:--%s", cn, o->name);
		if (o->sh)
			fprintf(f, "|%s:-%c", cn, o->sh);
		if (o->values)
			fprintf(f, ") COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n", o->values);
		else if (arg_is_path(o->arg))
			fputs(") compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
		else
			fputs(") COMPREPLY=(); return ;;\n", f);
	}
	fputs("\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tcase $cmd in\n", f);
	for (int c = 0; c < CMD_COUNT; c++) {
		fprintf(f, "\t\t%s) COMPREPLY=($(compgen -W '", c == CMD_GLOBAL ? "''" : cmds[c].name);
		bash_words(f, c, 1);
		fputs("' -- \"$cur\")) ;;\n", f);
	}
	fputs("\t\tesac\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tcase $cmd in\n"
	      "\t'') COMPREPLY=($(compgen -W '", f);
	for (int c = 1; c < CMD_COUNT; c++)
		fprintf(f, "%s%s", c > 1 ? " " : "", cmds[c].name);
	fputs(" help' -- \"$cur\")) ;;\n", f);
	for (int c = 1; c < CMD_COUNT; c++)
		if (arg_is_path(cmds[c].args))
			fprintf(f, "\t%s) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n",
			        cmds[c].name);
	fputs("\t*) COMPREPLY=() ;;\n"
	      "\tesac\n"
	      "}\n"
	      "complete -F _precis precis\n", f);
}

/* s for a zsh _arguments description: inside single quotes, no ']' or ':'. */
static void zsh_put(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else if (*s == ']' || *s == '[' || *s == ':' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

static void zsh_opt(FILE *f, const struct opt_row *o, const char *indent)
{
	char names[80];
	if (o->sh)
		snprintf(names, sizeof names, "'(-%c --%s)'{-%c%s,--%s%s}'", o->sh, o->name, o->sh,
		         o->arg ? "+" : "", o->name, o->arg ? "=" : "");
	else
		snprintf(names, sizeof names, "'--%s%s", o->name, o->arg ? "=" : "");
	fprintf(f, "%s%s[", indent, names);
	zsh_put(f, o->help);
	fputc(']', f);
	if (o->arg) {
		fputc(':', f);
		zsh_put(f, o->arg);
		fputc(':', f);
		if (o->values)
			fprintf(f, "(%s)", o->values);
		else if (arg_is_path(o->arg))
			fputs("_files", f);
		else
			fputs(" ", f);
	}
	fputs("' \\\n", f);
}

static void zsh_completion(FILE *f)
{
	fputs("#compdef precis\n"
	      "# zsh completion for precis, generated from its table of commands and\n"
	      "# options (precis --completion zsh; tui/cli/options.h).\n"
	      "_precis() {\n"
	      "\tlocal curcontext=$curcontext state line\n"
	      "\ttypeset -A opt_args\n"
	      "\t_arguments -C \\\n", f);
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].cmd == CMD_GLOBAL && opts[i].group != -2)
			zsh_opt(f, &opts[i], "\t\t");
	fputs("\t\t'(- *)'{-h,--help}'[show the help]' \\\n"
	      "\t\t'1:command:->command' \\\n"
	      "\t\t'*::argument:->argument'\n"
	      "\tcase $state in\n"
	      "\tcommand)\n"
	      "\t\tlocal -a commands\n"
	      "\t\tcommands=(\n", f);
	for (int c = 1; c < CMD_COUNT; c++) {
		fprintf(f, "\t\t\t'%s:", cmds[c].name);
		zsh_put(f, cmds[c].what);
		fputs("'\n", f);
	}
	fputs("\t\t)\n"
	      "\t\t_describe -t commands command commands ;;\n"
	      "\targument)\n"
	      "\t\tcase $line[1] in\n", f);
	for (int c = 1; c < CMD_COUNT; c++) {
		fprintf(f, "\t\t%s)\n\t\t\t_arguments \\\n", cmds[c].name);
		for (size_t i = 0; i < NOPTS; i++)
			if ((int)opts[i].cmd == c && opts[i].group != -2)
				zsh_opt(f, &opts[i], "\t\t\t\t");
		fputs("\t\t\t\t'(- *)'{-h,--help}'[show the help]'", f);
		if (arg_is_path(cmds[c].args))
			fputs(" \\\n\t\t\t\t'*:file:_files'", f);
		fputs(" ;;\n", f);
	}
	fputs("\t\tesac ;;\n"
	      "\tesac\n"
	      "}\n"
	      "_precis \"$@\"\n", f);
}

int cli_completion(FILE *f, const char *shell)
{
	if (!strcmp(shell, "bash"))
		bash_completion(f);
	else if (!strcmp(shell, "zsh"))
		zsh_completion(f);
	else
		return -1;
	return 0;
}
