/* config.c — the INI configuration file (tui/config.h), parsed by inih.
 *
 * inih reads through our own line reader over the file held in memory, so
 * the handler knows the line number of every key (Debian's inih is built
 * without INI_HANDLER_LINENO) and we see malformed lines inih would only
 * count. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ini.h>

#include "render/alloc.h"
#include "render/sanitize.h"
#include "tui/config.h"

#define CFG_FILE_MAX (1 << 20)   /* a config file is small; refuse more */

struct cfg {
	char *path;
	mode_t mode;
	struct cfg_entry *e;
	size_t n, cap;
	char **msg;                  /* in line order (0: the file itself, first) */
	int *msgline;
	size_t nmsg, msgcap;
	/* reader state */
	const char *text;
	size_t len, pos;
	int line;          /* line number of the line being read */
	const struct cfg_entry **view;   /* cfg_section()'s last answer */
};

static void add_msg(struct cfg *c, int line, const char *fmt, va_list ap)
{
	char body[512], raw[768];
	vsnprintf(body, sizeof body, fmt, ap);
	if (line > 0)
		snprintf(raw, sizeof raw, "%s:%d: %s", c->path, line, body);
	else
		snprintf(raw, sizeof raw, "%s: %s", c->path, body);
	if (c->nmsg == c->msgcap) {
		c->msgcap = c->msgcap ? c->msgcap * 2 : 8;
		c->msg = xrealloc(c->msg, c->msgcap * sizeof *c->msg);
		c->msgline = xrealloc(c->msgline, c->msgcap * sizeof *c->msgline);
	}
	/* kept in line order whichever reader found it first */
	size_t i = c->nmsg++;
	while (i > 0 && c->msgline[i - 1] > line) {
		c->msg[i] = c->msg[i - 1];
		c->msgline[i] = c->msgline[i - 1];
		i--;
	}
	c->msg[i] = rs_clean_line(raw, strlen(raw), NULL);
	c->msgline[i] = line;
}

static void msg_at(struct cfg *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void msg_at(struct cfg *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_msg(c, line, fmt, ap);
	va_end(ap);
}

void cfg_warn(struct cfg *c, const struct cfg_entry *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_msg(c, e ? e->line : 0, fmt, ap);
	va_end(ap);
}

const char *cfg_default_path(char *buf, size_t n)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && *x) {
		snprintf(buf, n, "%s/precis/config", x);
		return buf;
	}
	const char *h = getenv("HOME");
	if (!h || !*h)
		return NULL;
	snprintf(buf, n, "%s/.config/precis/config", h);
	return buf;
}

/* fgets() over c->text; checks each line it starts. */
static char *reader(char *str, int num, void *stream)
{
	struct cfg *c = stream;
	if (c->pos >= c->len || num < 2)
		return NULL;
	if (c->pos == 0 || c->text[c->pos - 1] == '\n') {
		c->line++;
		/* A line inih would skip without a word: not blank, not a
		 * comment, no [section], no '=' or ':'. */
		const char *s = c->text + c->pos;
		const char *nl = memchr(s, '\n', c->len - c->pos);
		size_t n = nl ? (size_t)(nl - s) : c->len - c->pos;
		size_t i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (c->pos == 0 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			i = 3;
		if (i < n && s[i] != ';' && s[i] != '#' && s[i] != '[' &&
		    !memchr(s + i, '=', n - i) && !memchr(s + i, ':', n - i))
			msg_at(c, c->line, "not 'key = value' or '[section]': line ignored");
		else if (i < n && s[i] == '[' && !memchr(s + i, ']', n - i))
			msg_at(c, c->line, "section name without ']': line ignored");
	}
	size_t room = (size_t)num - 1, k = 0;
	while (k < room && c->pos < c->len) {
		char ch = c->text[c->pos++];
		str[k++] = ch ? ch : ' ';
		if (ch == '\n')
			break;
	}
	str[k] = 0;
	return str;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct cfg *c = user;
	if (!key)   /* a section line (INI_CALL_HANDLER_ON_NEW_SECTION) */
		return 1;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->e = xrealloc(c->e, c->cap * sizeof *c->e);
	}
	struct cfg_entry *e = &c->e[c->n++];
	e->section = xstrdup(section ? section : "");
	e->key = xstrdup(key);
	e->value = xstrdup(value ? value : "");
	e->line = c->line;
	e->used = 0;
	return 1;
}

static struct cfg *parse(struct cfg *c, const char *text, size_t len)
{
	c->text = text;
	c->len = len;
	c->pos = 0;
	c->line = 0;
	/* Debian's inih keeps these as run-time switches. */
	ini_allow_multiline = 0;          /* an indented line is not a continuation */
	ini_use_stack = 0;
	ini_allow_realloc = 1;            /* long lines (a prompt path, a key) */
	ini_max_line = CFG_MAX_LINE + 3;
	int r = ini_parse_stream(reader, c, handler, c);
	if (r == -2)
		msg_at(c, 0, "out of memory while reading");
	/* r > 0 is the first bad line: already reported by reader(). */
	c->text = NULL;
	return c;
}

struct cfg *cfg_load_string(const char *text, const char *name)
{
	struct cfg *c = xrealloc(NULL, sizeof *c);
	memset(c, 0, sizeof *c);
	c->path = xstrdup(name ? name : "config");
	return parse(c, text, strlen(text));
}

struct cfg *cfg_load(const char *path)
{
	char buf[4096];
	struct cfg *c = xrealloc(NULL, sizeof *c);
	memset(c, 0, sizeof *c);
	if (!path)
		path = cfg_default_path(buf, sizeof buf);
	c->path = xstrdup(path ? path : "");
	if (!path)
		return c;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			msg_at(c, 0, "cannot read: %s (using defaults)", strerror(errno));
		return c;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		msg_at(c, 0, "not a regular file (using defaults)");
		close(fd);
		return c;
	}
	c->mode = sb.st_mode & 07777;
	if (sb.st_size > CFG_FILE_MAX) {
		msg_at(c, 0, "larger than 1 MB, not a configuration file (using defaults)");
		close(fd);
		return c;
	}
	char *text = xrealloc(NULL, (size_t)sb.st_size + 1);
	size_t got = 0;
	for (;;) {
		ssize_t r = read(fd, text + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == (size_t)sb.st_size)
			break;
	}
	close(fd);
	text[got] = 0;
	parse(c, text, got);
	free(text);
	return c;
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->e[i].section);
		free((char *)c->e[i].key);
		free((char *)c->e[i].value);
	}
	for (size_t i = 0; i < c->nmsg; i++)
		free(c->msg[i]);
	free(c->e);
	free(c->view);
	free(c->msg);
	free(c->msgline);
	free(c->path);
	free(c);
}

const char *cfg_path(const struct cfg *c) { return c->path; }
mode_t cfg_mode(const struct cfg *c) { return c->mode; }

const struct cfg_entry *cfg_entry(struct cfg *c, const char *section, const char *key)
{
	struct cfg_entry *found = NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!strcasecmp(c->e[i].section, section) && !strcasecmp(c->e[i].key, key)) {
			c->e[i].used = 1;
			found = &c->e[i];
		}
	return found;
}

const char *cfg_get(struct cfg *c, const char *section, const char *key)
{
	const struct cfg_entry *e = cfg_entry(c, section, key);
	return e ? e->value : NULL;
}

long cfg_get_int(struct cfg *c, const char *section, const char *key,
                 long def, long min, long max)
{
	const struct cfg_entry *e = cfg_entry(c, section, key);
	if (!e)
		return def;
	char *end;
	errno = 0;
	long v = strtol(e->value, &end, 10);
	if (errno || end == e->value || *end || v < min || v > max) {
		cfg_warn(c, e, "%s.%s wants a whole number from %ld to %ld, not '%s' (using %ld)",
		         section, key, min, max, e->value, def);
		return def;
	}
	return v;
}

double cfg_get_double(struct cfg *c, const char *section, const char *key,
                      double def, double min, double max)
{
	const struct cfg_entry *e = cfg_entry(c, section, key);
	if (!e)
		return def;
	char *end;
	errno = 0;
	double v = strtod(e->value, &end);
	if (errno || end == e->value || *end || !(v >= min && v <= max)) {
		cfg_warn(c, e, "%s.%s wants a number from %g to %g, not '%s' (using %g)",
		         section, key, min, max, e->value, def);
		return def;
	}
	return v;
}

int cfg_get_bool(struct cfg *c, const char *section, const char *key, int def)
{
	static const char *const names[] = { "no", "yes", "false", "true", "off", "on",
	                                     "0", "1", NULL };
	const struct cfg_entry *e = cfg_entry(c, section, key);
	if (!e)
		return def;
	for (int i = 0; names[i]; i++)
		if (!strcasecmp(e->value, names[i]))
			return i & 1;
	cfg_warn(c, e, "%s.%s wants yes or no, not '%s' (using %s)", section, key,
	         e->value, def ? "yes" : "no");
	return def;
}

int cfg_get_enum(struct cfg *c, const char *section, const char *key,
                 const char *const *names, int def)
{
	const struct cfg_entry *e = cfg_entry(c, section, key);
	if (!e)
		return def;
	char list[256] = "";
	for (int i = 0; names[i]; i++) {
		if (!strcasecmp(e->value, names[i]))
			return i;
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", names[i]);
	}
	cfg_warn(c, e, "%s.%s is one of %s, not '%s' (using %s)", section, key, list,
	         e->value, names[def]);
	return def;
}

size_t cfg_section(struct cfg *c, const char *section, const struct cfg_entry ***out)
{
	size_t k = 0;
	const struct cfg_entry **v = NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!strcasecmp(c->e[i].section, section)) {
			v = xrealloc(v, (k + 1) * sizeof *v);
			c->e[i].used = 1;
			v[k++] = &c->e[i];
		}
	/* The array is kept until the next call (one consumer at a time). */
	free(c->view);
	c->view = v;
	*out = v;
	return k;
}

size_t cfg_section_names(struct cfg *c, const char *prefix, const char ***out)
{
	size_t k = 0, pl = strlen(prefix);
	const char **v = NULL;
	for (size_t i = 0; i < c->n; i++) {
		const char *s = c->e[i].section;
		if (strncasecmp(s, prefix, pl) != 0)
			continue;
		int seen = 0;
		for (size_t j = 0; j < k && !seen; j++)
			seen = !strcasecmp(v[j], s);
		if (seen)
			continue;
		v = xrealloc(v, (k + 1) * sizeof *v);
		v[k++] = s;
	}
	*out = v;
	return k;
}

void cfg_check_unused(struct cfg *c, const char *const *sections)
{
	for (size_t i = 0; i < c->n; i++) {
		struct cfg_entry *e = &c->e[i];
		if (e->used)
			continue;
		int mine = !sections;
		for (size_t s = 0; sections && sections[s]; s++)
			if (!strcasecmp(sections[s], e->section))
				mine = 1;
		if (!mine)
			continue;
		if (*e->section)
			cfg_warn(c, e, "unknown key '%s' in [%s] (ignored)", e->key, e->section);
		else
			cfg_warn(c, e, "key '%s' outside any [section] (ignored)", e->key);
		e->used = 1;   /* said once */
	}
}

int cfg_message_line(const struct cfg *c, size_t i)
{
	return i < c->nmsg ? c->msgline[i] : 0;
}

size_t cfg_messages(const struct cfg *c, const char *const **out)
{
	*out = (const char *const *)c->msg;
	return c->nmsg;
}

/* ---- writing one key back ---------------------------------------------- */

/* Creates the directories above path (mkdir -p of its dirname). */
static int make_dirs(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return errno = ENAMETOOLONG, -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Section name of a "[name]" line, trimmed, into out; 0 when not one. */
static int section_line(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '[')
		return 0;
	const char *close = memchr(s + i, ']', n - i);
	if (!close)
		return 0;
	const char *a = s + i + 1, *b = close;
	while (a < b && (*a == ' ' || *a == '\t')) a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
	snprintf(out, cap, "%.*s", (int)(b - a), a);
	return 1;
}

/* 1 when the line sets key ("key = …" or "key: …"). */
static int key_line(const char *s, size_t n, const char *key)
{
	size_t i = 0, k = strlen(key);
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < k || strncasecmp(s + i, key, k))
		return 0;
	i += k;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && (s[i] == '=' || s[i] == ':');
}

int cfg_store(const char *path, const char *section, const char *key,
              const char *value, char *err, size_t errlen)
{
	if (strpbrk(value, "\n\r") || strpbrk(key, "\n\r=[]") || strpbrk(section, "\n\r[]")) {
		snprintf(err, errlen, "a configuration value must be one line");
		return -1;
	}
	/* The old text (none when the file is new). */
	char *old = NULL;
	size_t olen = 0;
	FILE *f = fopen(path, "rb");
	if (f) {
		char chunk[8192];
		size_t r;
		while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
			old = xrealloc(old, olen + r + 1);
			memcpy(old + olen, chunk, r);
			olen += r;
			if (olen > CFG_FILE_MAX)
				break;
		}
		fclose(f);
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* Where to write: the key's last line in the section, else the end of
	 * the section's last block, else a new section at the end. */
	size_t replace_at = (size_t)-1, replace_end = 0, insert_at = (size_t)-1;
	char cur[128] = "";
	int in = 0;
	for (size_t pos = 0; pos < olen;) {
		const char *nl = memchr(old + pos, '\n', olen - pos);
		size_t end = nl ? (size_t)(nl - old) + 1 : olen;
		const char *s = old + pos;
		size_t n = end - pos;
		if (section_line(s, n, cur, sizeof cur)) {
			in = !strcasecmp(cur, section);
		} else if (in) {
			if (key_line(s, n, key)) {
				replace_at = pos;
				replace_end = end;
			}
			size_t i = 0;
			while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				i++;
			if (i < n)
				insert_at = end;   /* after the section's last non-blank line */
		}
		pos = end;
	}
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof tmp) {
		snprintf(err, errlen, "path too long");
		free(old);
		return -1;
	}
	if (make_dirs(path) != 0) {
		snprintf(err, errlen, "cannot create the directory of %s: %s", path, strerror(errno));
		free(old);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(old);
		return -1;
	}
	if (replace_at != (size_t)-1) {
		fwrite(old, 1, replace_at, f);
		fprintf(f, "%s = %s\n", key, value);
		fwrite(old + replace_end, 1, olen - replace_end, f);
	} else if (insert_at != (size_t)-1) {
		fwrite(old, 1, insert_at, f);
		if (insert_at > 0 && old[insert_at - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s = %s\n", key, value);
		fwrite(old + insert_at, 1, olen - insert_at, f);
	} else {
		/* A section with no key lines yet, or no section: append. */
		if (olen)
			fwrite(old, 1, olen, f);
		if (olen && old[olen - 1] != '\n')
			fputc('\n', f);
		int have = 0;
		for (size_t pos = 0; pos < olen && !have;) {
			const char *nl = memchr(old + pos, '\n', olen - pos);
			size_t end = nl ? (size_t)(nl - old) + 1 : olen;
			if (section_line(old + pos, end - pos, cur, sizeof cur) && !strcasecmp(cur, section))
				have = 1;
			pos = end;
		}
		if (have) {
			/* The section exists but holds only blank lines or comments:
			 * the key goes right below its header. Rewrite from scratch. */
			rewind(f);
			if (ftruncate(fileno(f), 0) != 0) { /* rewritten below anyway */ }
			int done = 0;
			for (size_t pos = 0; pos < olen;) {
				const char *nl = memchr(old + pos, '\n', olen - pos);
				size_t end = nl ? (size_t)(nl - old) + 1 : olen;
				fwrite(old + pos, 1, end - pos, f);
				if (!done && section_line(old + pos, end - pos, cur, sizeof cur) &&
				    !strcasecmp(cur, section)) {
					if (old[end - 1] != '\n')
						fputc('\n', f);
					fprintf(f, "%s = %s\n", key, value);
					done = 1;
				}
				pos = end;
			}
		} else {
			fprintf(f, "%s[%s]\n%s = %s\n", olen ? "\n" : "", section, key, value);
		}
	}
	free(old);
	int bad = ferror(f);
	bad |= fflush(f) != 0;
	bad |= fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
