/* prompt.c — prompt templates: built-in default, files, placeholders
 * (net/prompt.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/prompt.h"
#include "net/util.h"
#include "render/incbin.h"

INCBIN(prompt_default, "data/prompts/default.prompt");

#define PROMPT_FILE_MAX (256 * 1024)

static const char *const part_names[PP_N] = {
	"system", "format", "summary", "notes", "collapse", "reduce", "repair",
};

/* The placeholder each part cannot do without. */
static const char *const part_needs[PP_N] = {
	NULL, NULL, "transcript", "chunk", "notes", "notes", "answer",
};

static const char *const var_names[] = {
	"transcript", "chunk", "notes", "answer", "problems", "title_hint",
	"language_hint", "part", "parts", "format", NULL,
};

/* The built-in default prompt file's text. */
static const char *prompt_builtin(size_t *len)
{
	if (len)
		*len = (size_t)(prompt_default_end - prompt_default);
	return prompt_default;
}

int prompt_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 63 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_' && name[i] != '.')
			return 0;
	return 1;
}

void prompt_free(struct prompt *p)
{
	for (int i = 0; i < PP_N; i++)
		free(p->part[i]);
	memset(p, 0, sizeof *p);
}

/* Trims blank lines at both ends of s[0..n) and returns a copy. */
static char *trimmed_copy(const char *s, size_t n)
{
	size_t a = 0;
	/* leading blank lines (keep the indentation of the first text line) */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			a = i + 1;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			break;
	}
	while (n > a && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s + a, n - a);
}

/* Checks the placeholders of a part: known names only. Returns 0 or -1
 * with err. */
static int check_vars(const char *t, const char *source, int line, enum prompt_part which,
                      char *err, size_t errlen)
{
	for (const char *p = strstr(t, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *e = strstr(p + 2, "}}");
		if (!e)
			break;
		size_t n = (size_t)(e - p - 2);
		int known = 0;
		for (int i = 0; var_names[i]; i++)
			if (strlen(var_names[i]) == n && !memcmp(var_names[i], p + 2, n))
				known = 1;
		if (!known) {
			snprintf(err, errlen, "%s:%d: unknown placeholder {{%.*s}} in [%s]", source, line,
			         (int)(n > 40 ? 40 : n), p + 2, part_names[which]);
			return -1;
		}
	}
	if (part_needs[which]) {
		char need[32];
		snprintf(need, sizeof need, "{{%s}}", part_needs[which]);
		if (!strstr(t, need)) {
			snprintf(err, errlen, "%s:%d: [%s] never uses %s", source, line,
			         part_names[which], need);
			return -1;
		}
	}
	return 0;
}

/* Reads the key = value lines of a [check] part. 0 or -1 with err. */
static int parse_check(const char *t, const char *source, int line0, struct prompt_check *c,
                       char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	const char *p = t;
	int line = line0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), p);
		char *s = buf;
		while (isspace((unsigned char)*s))
			s++;
		if (*s && *s != '#' && *s != ';') {
			char *eq = strchr(s, '=');
			if (!eq) {
				snprintf(err, errlen, "%s:%d: [check] wants key = value", source, line);
				return -1;
			}
			*eq = 0;
			char *k = s, *v = eq + 1;
			for (char *q = eq - 1; q >= k && isspace((unsigned char)*q); q--)
				*q = 0;
			while (isspace((unsigned char)*v))
				v++;
			for (char *q = v + strlen(v) - 1; q >= v && isspace((unsigned char)*q); q--)
				*q = 0;
			if (!strcasecmp(k, "sections")) {
				char *save = NULL;
				for (char *tok = strtok_r(v, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
					while (isspace((unsigned char)*tok))
						tok++;
					for (char *q = tok + strlen(tok) - 1; q >= tok && isspace((unsigned char)*q); q--)
						*q = 0;
					if (!*tok)
						continue;
					if (c->nsections == PROMPT_MAX_SECTIONS) {
						snprintf(err, errlen, "%s:%d: at most %d sections", source, line,
						         PROMPT_MAX_SECTIONS);
						return -1;
					}
					snprintf(c->sections[c->nsections++], sizeof c->sections[0], "%s", tok);
				}
			} else if (!strcasecmp(k, "mermaid")) {
				if (!strcasecmp(v, "required")) c->mermaid = 2;
				else if (!strcasecmp(v, "optional")) c->mermaid = 1;
				else if (!strcasecmp(v, "no")) c->mermaid = 0;
				else {
					snprintf(err, errlen, "%s:%d: mermaid = required, optional or no", source, line);
					return -1;
				}
			} else if (!strcasecmp(k, "title")) {
				if (!strcasecmp(v, "yes")) c->title = 1;
				else if (!strcasecmp(v, "no")) c->title = 0;
				else {
					snprintf(err, errlen, "%s:%d: title = yes or no", source, line);
					return -1;
				}
			} else {
				snprintf(err, errlen, "%s:%d: unknown key '%.40s' in [check] (sections, mermaid, title)",
				         source, line, k);
				return -1;
			}
		}
		line++;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* 64-bit FNV-1a over the parts, as hex. */
static void fingerprint(struct prompt *p)
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < PP_N; i++) {
		const char *s = p->part[i] ? p->part[i] : "";
		for (; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	snprintf(p->fingerprint, sizeof p->fingerprint, "%016llx", (unsigned long long)h);
}

/* Parses text into parts; parts absent stay NULL. check_seen tells
 * whether a [check] part was present. */
static int parse_parts(const char *text, size_t len, const char *source, struct prompt *p,
                       int *check_seen, char *err, size_t errlen)
{
	int cur = -1, cur_line = 0, line = 0;
	size_t body = 0;
	int in_check = 0;
	size_t pos = 0;
	*check_seen = 0;
	for (;;) {
		int at_end = pos >= len;
		const char *ls = text + pos;
		const char *nl = at_end ? NULL : memchr(ls, '\n', len - pos);
		size_t ln = at_end ? 0 : nl ? (size_t)(nl - ls) : len - pos;
		line++;
		/* a header: [name] alone on its line */
		int header = 0;
		char name[32] = "";
		if (!at_end && ln >= 3 && ls[0] == '[') {
			size_t e = ln;
			while (e > 0 && (ls[e - 1] == ' ' || ls[e - 1] == '\t' || ls[e - 1] == '\r'))
				e--;
			if (e >= 3 && ls[e - 1] == ']') {
				header = 1;
				for (size_t i = 1; i + 1 < e; i++)
					if (!islower((unsigned char)ls[i]) && ls[i] != '_')
						header = 0;
				if (header)
					snprintf(name, sizeof name, "%.*s", (int)(e - 2 < 31 ? e - 2 : 31), ls + 1);
			}
		}
		if (at_end || header) {
			/* close the part being read */
			if (cur >= 0 || in_check) {
				char *t = trimmed_copy(text + body, (size_t)(ls - text) - body);
				if (in_check) {
					*check_seen = 1;
					int r = parse_check(t, source, cur_line + 1, &p->check, err, errlen);
					free(t);
					if (r != 0)
						return -1;
				} else {
					if (check_vars(t, source, cur_line, (enum prompt_part)cur, err, errlen) != 0) {
						free(t);
						return -1;
					}
					free(p->part[cur]);
					p->part[cur] = t;
				}
			}
			if (at_end)
				break;
			cur = -1;
			in_check = 0;
			if (!strcmp(name, "check")) {
				in_check = 1;
			} else {
				for (int i = 0; i < PP_N; i++)
					if (!strcmp(name, part_names[i]))
						cur = i;
				if (cur < 0) {
					snprintf(err, errlen, "%s:%d: unknown section [%s] (system, format, summary, "
					         "notes, collapse, reduce, repair, check)", source, line, name);
					return -1;
				}
			}
			cur_line = line;
			body = (size_t)(ls - text) + ln + (nl ? 1 : 0);
		} else if (cur < 0 && !in_check) {
			/* before the first section: comments and blank lines only */
			size_t i = 0;
			while (i < ln && (ls[i] == ' ' || ls[i] == '\t' || ls[i] == '\r'))
				i++;
			if (i < ln && ls[i] != '#') {
				snprintf(err, errlen, "%s:%d: text before the first [section]", source, line);
				return -1;
			}
		}
		pos += ln + (nl ? 1 : 0);
		if (!nl)
			pos = len;
	}
	return 0;
}

/* Parses prompt text (the loader's); parts missing from text come from
 * the built-in default. 0 or -1 with err. */
static int prompt_parse(const char *text, size_t len, const char *source, struct prompt *p,
                        char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	snprintf(p->source, sizeof p->source, "%s", source);
	int check_seen = 0;
	if (parse_parts(text, len, source, p, &check_seen, err, errlen) != 0) {
		prompt_free(p);
		return -1;
	}
	/* parts the file left out come from the built-in default */
	if (text != prompt_default) {
		struct prompt d;
		size_t dl;
		const char *dt = prompt_builtin(&dl);
		int dcheck;
		memset(&d, 0, sizeof d);
		if (parse_parts(dt, dl, "built-in", &d, &dcheck, err, errlen) != 0) {
			prompt_free(&d);
			prompt_free(p);
			return -1;
		}
		for (int i = 0; i < PP_N; i++)
			if (!p->part[i]) {
				p->part[i] = d.part[i];
				d.part[i] = NULL;
			}
		if (!check_seen)
			p->check = d.check;
		prompt_free(&d);
	}
	for (int i = 0; i < PP_N; i++)
		if (!p->part[i])
			p->part[i] = xstrdup("");
	fingerprint(p);
	return 0;
}

int prompt_load(const char *dir, const char *name, struct prompt *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	if (!prompt_name_valid(name)) {
		snprintf(err, errlen, "'%.60s' is not a prompt name (letters, digits, '-', '_', '.')", name);
		return -1;
	}
	char path[1024] = "";
	FILE *f = NULL;
	if (dir && *dir) {
		snprintf(path, sizeof path, "%s/%s.prompt", dir, name);
		f = fopen(path, "rb");
		if (!f && errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	int r;
	if (f) {
		char *buf = xmalloc(PROMPT_FILE_MAX + 1);
		size_t n = fread(buf, 1, PROMPT_FILE_MAX + 1, f);
		int bad = ferror(f);
		fclose(f);
		if (bad || n > PROMPT_FILE_MAX) {
			snprintf(err, errlen, "%s: %s", path, bad ? "cannot read" : "larger than 256 KB");
			free(buf);
			return -1;
		}
		r = prompt_parse(buf, n, path, p, err, errlen);
		free(buf);
	} else if (!strcmp(name, "default")) {
		size_t n;
		const char *t = prompt_builtin(&n);
		r = prompt_parse(t, n, "built-in", p, err, errlen);
	} else {
		if (dir && *dir)
			snprintf(err, errlen, "no prompt named '%s' (no file %s; built in: default)", name, path);
		else
			snprintf(err, errlen, "no prompt named '%s' (built in: default)", name);
		return -1;
	}
	if (r == 0)
		snprintf(p->name, sizeof p->name, "%s", name);
	return r;
}

/* The value of placeholder name (n bytes), or NULL when unknown. */
static const char *var_value(const struct prompt *p, const struct prompt_vars *v,
                             const char *name, size_t n, char *num, size_t numlen)
{
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
	if (IS("transcript")) return v->transcript ? v->transcript : "";
	if (IS("chunk")) return v->chunk ? v->chunk : "";
	if (IS("notes")) return v->notes ? v->notes : "";
	if (IS("answer")) return v->answer ? v->answer : "";
	if (IS("problems")) return v->problems ? v->problems : "";
	if (IS("title_hint")) return v->title_hint ? v->title_hint : "";
	if (IS("language_hint")) return v->language_hint ? v->language_hint : "";
	if (IS("format")) return p->part[PP_FORMAT] ? p->part[PP_FORMAT] : "";
	if (IS("part")) { snprintf(num, numlen, "%d", v->part); return num; }
	if (IS("parts")) { snprintf(num, numlen, "%d", v->parts); return num; }
#undef IS
	return NULL;
}

char *prompt_render(const struct prompt *p, enum prompt_part which, const struct prompt_vars *v)
{
	const char *t = p->part[which] ? p->part[which] : "";
	struct buf b = { 0 };
	for (;;) {
		const char *o = strstr(t, "{{");
		const char *c = o ? strstr(o + 2, "}}") : NULL;
		if (!o || !c) {
			buf_puts(&b, t);
			break;
		}
		char num[24];
		const char *val = var_value(p, v, o + 2, (size_t)(c - o - 2), num, sizeof num);
		if (!val) {
			buf_put(&b, t, (size_t)(o - t) + 2);
			t = o + 2;
			continue;
		}
		buf_put(&b, t, (size_t)(o - t));
		buf_puts(&b, val);
		t = c + 2;
	}
	return buf_take(&b);
}
