/* keymap.c — the action table, key names, default and configured
 * bindings, and everything generated from them (footer, help, README). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "render/width.h"
#include "tui/app/keymap.h"
#include "tui/config.h"

static const struct {
	const char *name;
	unsigned ctx;
	int hint;
	const char *help;
} actions[ACT_COUNT] = {
	[ACT_NONE] = { "none", 0, 0, "" },
#define A_ROW(id, nm, cx, hi, hl) [ACT_##id] = { nm, cx, hi, hl },
	APP_ACTIONS(A_ROW)
#undef A_ROW
};

/* The default bindings: read by the same parser as the user's file. */
static const char default_keys[] =
"[keys]\n"
"global.quit-all = Q C-c\n"
"global.quit = q\n"
"global.help = ? F1\n"
"global.redraw = C-l\n"
"global.suspend = C-z\n"
"list.down = j Down C-n\n"
"list.up = k Up C-p\n"
"list.page-down = PgDn Space C-f\n"
"list.page-up = PgUp b C-b\n"
"list.first = g Home\n"
"list.last = G End\n"
"list.open = Enter\n"
"list.search = /\n"
"list.sort = s\n"
"list.filter = f\n"
"list.refresh = R\n"
"list.next-unreviewed = ]\n"
"list.prev-unreviewed = [\n"
"list.approve = a\n"
"list.flag = x\n"
"list.unreview = -\n"
"list.jobs = w\n"
"list.reverse = S\n"
"list.limit = l \\\n"
"list.tag = t\n"
"list.tag-all = T\n"
"list.untag-all = U\n"
"list.reviews = H\n"
"list.resummarize = r\n"
"list.edit = e\n"
"list.map = m\n"
"list.versions = V\n"
"list.open-url = o\n"
"reader.quit = q Esc\n"
"reader.down = j Down C-n\n"
"reader.up = k Up C-p\n"
"reader.page-down = Space PgDn C-f\n"
"reader.page-up = b PgUp C-b\n"
"reader.half-down = d C-d\n"
"reader.half-up = u C-u\n"
"reader.first = g Home\n"
"reader.last = G End\n"
"reader.focus = Tab S-Tab\n"
"reader.focus-transcript = h Left\n"
"reader.focus-summary = l Right\n"
"reader.find = /\n"
"reader.find-next = n\n"
"reader.find-prev = N\n"
"reader.next-section = ]\n"
"reader.prev-section = [\n"
"reader.open-url = o\n"
"reader.layout = |\n"
"reader.split-left = <\n"
"reader.split-right = >\n"
"reader.copy = y\n"
"reader.edit = e\n"
"reader.versions = V\n"
"reader.resummarize = r\n"
"reader.cancel = c\n"
"reader.jobs = w\n"
"reader.diff = D\n"
"reader.map = m\n"
"reader.open = Enter\n"
"reader.approve = a\n"
"reader.flag = x\n"
"reader.approve-stay = A\n"
"reader.flag-stay = X\n"
"reader.unreview = -\n"
"reader.reviews = H\n"
"reader.refresh = R\n"
"reader.next-unreviewed = J\n"
"reader.prev-unreviewed = K\n"
"map.quit = q Esc\n"
"map.down = j Down\n"
"map.up = k Up\n"
"map.left = h Left\n"
"map.right = l Right\n"
"map.page-down = PgDn Space\n"
"map.page-up = PgUp b\n"
"map.half-down = d\n"
"map.half-up = u\n"
"map.first = g Home\n"
"map.last = G End\n"
"map.leftmost = 0\n"
"map.rightmost = $\n"
"map.ascii = A\n"
"map.next-node = Tab\n"
"map.prev-node = S-Tab\n"
"map.find = /\n"
"map.find-next = n\n"
"map.find-prev = N\n"
"map.open = Enter\n"
"map.outline = o\n"
"map.evidence = e\n"
"map.copy = y\n"
"node.quit = q Esc\n"
"node.down = j Down Tab\n"
"node.up = k Up S-Tab\n"
"node.page-down = PgDn Space\n"
"node.page-up = PgUp b\n"
"node.first = g Home\n"
"node.last = G End\n"
"node.open = Enter\n"
"search.quit = q Esc\n"
"search.down = j Down C-n\n"
"search.up = k Up C-p\n"
"search.page-down = PgDn Space\n"
"search.page-up = PgUp b\n"
"search.first = g Home\n"
"search.last = G End\n"
"search.open = Enter\n"
"search.search = /\n"
"search.refresh = R\n"
"versions.quit = q Esc\n"
"versions.down = j Down\n"
"versions.up = k Up\n"
"versions.page-down = PgDn Space\n"
"versions.page-up = PgUp b\n"
"versions.first = g Home\n"
"versions.last = G End\n"
"versions.open = Enter\n"
"versions.diff = D\n"
"jobs.quit = q Esc\n"
"jobs.down = j Down C-n\n"
"jobs.up = k Up C-p\n"
"jobs.page-down = PgDn Space\n"
"jobs.page-up = PgUp b\n"
"jobs.first = g Home\n"
"jobs.last = G End\n"
"jobs.open = Enter\n"
"jobs.cancel = c\n"
"jobs.resummarize = r\n"
"jobs.refresh = R\n"
"diff.quit = q Esc\n"
"diff.down = j Down C-n\n"
"diff.up = k Up C-p\n"
"diff.page-down = PgDn Space\n"
"diff.page-up = PgUp b\n"
"diff.half-down = d\n"
"diff.half-up = u\n"
"diff.first = g Home\n"
"diff.last = G End\n"
"diff.layout = | Tab\n"
"reviews.quit = q Esc H\n"
"reviews.down = j Down\n"
"reviews.up = k Up\n"
"reviews.page-down = PgDn Space\n"
"reviews.page-up = PgUp b\n"
"reviews.first = g Home\n"
"reviews.last = G End\n"
"reviews.open = Enter D\n"
"help.quit = q Esc ?\n"
"help.down = j Down Enter\n"
"help.up = k Up\n"
"help.page-down = Space PgDn\n"
"help.page-up = b PgUp\n"
"help.half-down = d\n"
"help.half-up = u\n"
"help.first = g Home\n"
"help.last = G End\n";

struct binding {
	unsigned ctx;
	int key;
	enum action act;
};

static struct binding *binds;
static size_t nbinds, capbinds;

static const struct { unsigned ctx; const char *name, *title; } contexts[] = {
	{ KC_GLOBAL, "global", "Everywhere" },
	{ KC_LIST, "list", "List" },
	{ KC_READER, "reader", "Reader" },
	{ KC_MAP, "map", "Concept map" },
	{ KC_NODE, "node", "Node details (map)" },
	{ KC_SEARCH, "search", "Archive search" },
	{ KC_VERSIONS, "versions", "Summary versions" },
	{ KC_JOBS, "jobs", "LLM jobs" },
	{ KC_DIFF, "diff", "Summary changes" },
	{ KC_REVIEWS, "reviews", "Review history" },
	{ KC_HELP, "help", "Help" },
};
#define NCTX (sizeof contexts / sizeof contexts[0])

/* Name of a context ("list", "reader", …), "?" when unknown. */
static const char *keymap_ctx_name(unsigned ctx)
{
	for (size_t i = 0; i < NCTX; i++)
		if (contexts[i].ctx == ctx)
			return contexts[i].name;
	return "?";
}

const char *keymap_ctx_title(unsigned ctx)
{
	for (size_t i = 0; i < NCTX; i++)
		if (contexts[i].ctx == ctx)
			return contexts[i].title;
	return NULL;
}

/* Parses an action's config name; ACT_NONE when unknown. */
static enum action action_parse(const char *name)
{
	for (int i = 1; i < ACT_COUNT; i++)
		if (!strcmp(actions[i].name, name))
			return (enum action)i;
	return ACT_NONE;
}

static const struct { const char *name; int key; } special[] = {
	{ "Enter", K_ENTER }, { "Esc", K_ESC }, { "Tab", K_TAB }, { "Space", ' ' },
	{ "Backspace", K_BACKSPACE }, { "S-Tab", KEY_SPECIAL + KEY_BTAB },
	{ "Up", KEY_SPECIAL + KEY_UP }, { "Down", KEY_SPECIAL + KEY_DOWN },
	{ "Left", KEY_SPECIAL + KEY_LEFT }, { "Right", KEY_SPECIAL + KEY_RIGHT },
	{ "PgUp", KEY_SPECIAL + KEY_PPAGE }, { "PgDn", KEY_SPECIAL + KEY_NPAGE },
	{ "Home", KEY_SPECIAL + KEY_HOME }, { "End", KEY_SPECIAL + KEY_END },
	{ "Del", KEY_SPECIAL + KEY_DC }, { "Ins", KEY_SPECIAL + KEY_IC },
};

const char *keyname_of(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i].key == key)
			return snprintf(buf, n, "%s", special[i].name), buf;
	if (key >= KEY_SPECIAL + KEY_F(1) && key <= KEY_SPECIAL + KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_SPECIAL - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "C-%c", 'a' + key - 1);
	else if (key >= KEY_SPECIAL)
		snprintf(buf, n, "<%d>", key - KEY_SPECIAL);
	else if (key >= 0x80) {
		/* UTF-8 of the code point */
		unsigned c = (unsigned)key;
		char u[5] = { 0 };
		if (c < 0x800) { u[0] = (char)(0xc0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3f)); }
		else if (c < 0x10000) { u[0] = (char)(0xe0 | c >> 12); u[1] = (char)(0x80 | (c >> 6 & 0x3f)); u[2] = (char)(0x80 | (c & 0x3f)); }
		else { u[0] = (char)(0xf0 | c >> 18); u[1] = (char)(0x80 | (c >> 12 & 0x3f)); u[2] = (char)(0x80 | (c >> 6 & 0x3f)); u[3] = (char)(0x80 | (c & 0x3f)); }
		snprintf(buf, n, "%s", u);
	} else
		snprintf(buf, n, "%c", key);
	return buf;
}

/* Parses one key name; returns the key or -1. */
static int keyname_parse(const char *s)
{
	size_t len = strlen(s);
	if (!len)
		return -1;
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (!strcasecmp(special[i].name, s))
			return special[i].key;
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && len == 3 && isalpha((unsigned char)s[2]))
		return KEYC(tolower((unsigned char)s[2]));
	if ((s[0] == 'F' || s[0] == 'f') && len >= 2 && len <= 3 && isdigit((unsigned char)s[1])) {
		int k = atoi(s + 1);
		if (k >= 1 && k <= 12)
			return KEY_SPECIAL + KEY_F(k);
	}
	int32_t cp;
	size_t used = rw_decode(s, len, &cp);
	if (used == len && cp > 32 && cp != 127 && cp != 0xfffd)
		return cp;
	return -1;
}

static void bind_add(unsigned ctx, int key, enum action a)
{
	if (nbinds == capbinds) {
		capbinds = capbinds ? capbinds * 2 : 256;
		binds = xreallocarray(binds, capbinds, sizeof *binds);
	}
	binds[nbinds++] = (struct binding){ ctx, key, a };
}

/* Removes bindings of ctx whose action is a or whose key is key (-1/ACT_NONE: any). */
static void bind_remove(unsigned ctx, enum action a, int key)
{
	size_t k = 0;
	for (size_t i = 0; i < nbinds; i++) {
		struct binding *b = &binds[i];
		if (b->ctx == ctx && ((a != ACT_NONE && b->act == a) || (key >= 0 && b->key == key)))
			continue;
		binds[k++] = *b;
	}
	nbinds = k;
}

static unsigned ctx_parse(const char *s, size_t n)
{
	for (size_t i = 0; i < NCTX; i++)
		if (strlen(contexts[i].name) == n && !strncasecmp(contexts[i].name, s, n))
			return contexts[i].ctx;
	return 0;
}

/* Applies the [keys] section of c; user != 0 reports bad lines. */
static void load_section(struct cfg *c, int user)
{
	const struct cfg_entry **e;
	size_t n = cfg_section(c, "keys", &e);
	for (size_t i = 0; i < n; i++) {
		const char *dot = strchr(e[i]->key, '.');
		unsigned ctx = dot ? ctx_parse(e[i]->key, (size_t)(dot - e[i]->key)) : 0;
		if (!ctx) {
			char names[200];
			size_t k = 0;
			for (size_t j = 0; j < NCTX && k < sizeof names; j++)
				k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", j ? ", " : "", contexts[j].name);
			cfg_warn(c, e[i], "'%s': want CONTEXT.ACTION with CONTEXT one of %s", e[i]->key, names);
			continue;
		}
		enum action a = action_parse(dot + 1);
		if (a == ACT_NONE) {
			cfg_warn(c, e[i], "unknown action '%s' (see the help screen, ?)", dot + 1);
			continue;
		}
		if (ctx != KC_GLOBAL && !(actions[a].ctx & (ctx | KC_GLOBAL))) {
			cfg_warn(c, e[i], "action '%s' does nothing in %s", dot + 1, keymap_ctx_name(ctx));
			continue;
		}
		/* parse every key first: a bad one keeps the old binding */
		int keys[16], nk = 0, bad = 0;
		char buf[CFG_MAX_LINE + 1];
		snprintf(buf, sizeof buf, "%s", e[i]->value);
		for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			int k = keyname_parse(t);
			if (k < 0) {
				cfg_warn(c, e[i], "unknown key name '%s'", t);
				bad = 1;
				break;
			}
			if (nk < 16)
				keys[nk++] = k;
		}
		if (bad)
			continue;
		/* Ctrl-C quits outside a prompt whatever this file says: C-c
		 * given another job is left out of the line, and said */
		int kept = 0;
		for (int k = 0; k < nk; k++) {
			if (keys[k] == KEYC('c') && a != ACT_QUIT_ALL) {
				if (user)
					cfg_warn(c, e[i], "C-c always quits (it cancels a prompt): not bound to '%s'%s",
					         actions[a].name, nk > 1 ? "" : " (line ignored)");
				continue;
			}
			keys[kept++] = keys[k];
		}
		if (nk && !kept)
			continue;
		nk = kept;
		bind_remove(ctx, a, -1);
		for (int k = 0; k < nk; k++) {
			bind_remove(ctx, ACT_NONE, keys[k]);
			bind_add(ctx, keys[k], a);
		}
	}
}

void keymap_init(struct cfg *cfg)
{
	keymap_free();
	struct cfg *d = cfg_load_string(default_keys, "built-in keys");
	load_section(d, 0);
	cfg_free(d);
	if (cfg)
		load_section(cfg, 1);
	/* Ctrl-C quits whatever [keys] did to quit-all (global.quit-all = j
	 * used to unbind it silently): the help and the footer list it */
	if (keymap_lookup(KC_GLOBAL, KEYC('c')) == ACT_NONE)
		bind_add(KC_GLOBAL, KEYC('c'), ACT_QUIT_ALL);
}

void keymap_free(void)
{
	free(binds);
	binds = NULL;
	nbinds = capbinds = 0;
}

enum action keymap_lookup(unsigned ctx, int key)
{
	for (size_t i = 0; i < nbinds; i++)
		if (binds[i].ctx == ctx && binds[i].key == key)
			return binds[i].act;
	for (size_t i = 0; i < nbinds; i++)
		if (binds[i].ctx == KC_GLOBAL && binds[i].key == key)
			return binds[i].act;
	return ACT_NONE;
}

/* The keys bound to a in ctx, names joined by sep into buf (the first
 * only when first_only); "" when none. Returns buf. */
static const char *keymap_keys(unsigned ctx, enum action a, int first_only,
                               const char *sep, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	for (int pass = 0; pass < 2; pass++) {
		unsigned c = pass ? KC_GLOBAL : ctx;
		if (pass && (ctx == KC_GLOBAL || k))
			break;
		for (size_t i = 0; i < nbinds; i++) {
			if (binds[i].ctx != c || binds[i].act != a)
				continue;
			/* a global key the view rebinds is not this action there */
			if (pass && keymap_lookup(ctx, binds[i].key) != a)
				continue;
			char kn[32];
			keyname_of(binds[i].key, kn, sizeof kn);
			int w = snprintf(buf + k, n - k, "%s%s", k ? sep : "", kn);
			if (w < 0 || (size_t)w >= n - k)
				return buf;
			k += (size_t)w;
			if (first_only)
				return buf;
		}
	}
	return buf;
}

const char *keymap_key(unsigned ctx, enum action a)
{
	static char bufs[8][32];
	static int next;
	char *b = bufs[next];
	next = (next + 1) % 8;
	keymap_keys(ctx, a, 1, "", b, sizeof bufs[0]);
	if (!b[0])
		snprintf(b, sizeof bufs[0], "(unbound)");
	return b;
}

void keymap_footer_of(unsigned ctx, const enum action *acts, size_t na, int width, char *buf,
                      size_t n)
{
	size_t k = 0;
	int used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < na; i++) {
		char keys[64];
		keymap_keys(ctx, acts[i], 1, "", keys, sizeof keys);
		if (!keys[0])
			continue;
		char item[128];
		snprintf(item, sizeof item, "%s%s %s", k ? "  " : "", keys, actions[acts[i]].name);
		int w = rw_swidth(item);
		if (used + w > width || k + strlen(item) + 1 > n)
			return;
		memcpy(buf + k, item, strlen(item) + 1);
		k += strlen(item);
		used += w;
	}
}

void keymap_footer(unsigned ctx, int width, char *buf, size_t n)
{
	enum action acts[ACT_COUNT];
	size_t na = 0;
	for (int pri = 1; pri <= 9; pri++)
		for (int a = 1; a < ACT_COUNT; a++)
			if (actions[a].hint == pri && (actions[a].ctx & (ctx | KC_GLOBAL)))
				acts[na++] = (enum action)a;
	keymap_footer_of(ctx, acts, na, width, buf, n);
}

char **keymap_help_lines(int **heading, size_t *n)
{
	size_t cap = 64, k = 0;
	char **lines = xreallocarray(NULL, cap, sizeof *lines);
	int *head = xreallocarray(NULL, cap, sizeof *head);
	for (size_t c = 0; c < NCTX; c++) {
		if (contexts[c].ctx == KC_HELP)
			continue;
		int first = 1;
		for (int a = 1; a < ACT_COUNT; a++) {
			char keys[128];
			/* only the context's own bindings (global ones listed once) */
			size_t kk = 0;
			keys[0] = 0;
			for (size_t i = 0; i < nbinds; i++)
				if (binds[i].ctx == contexts[c].ctx && binds[i].act == (enum action)a) {
					char kn[32];
					keyname_of(binds[i].key, kn, sizeof kn);
					kk += (size_t)snprintf(keys + kk, sizeof keys - kk, "%s%s", kk ? " " : "", kn);
					if (kk >= sizeof keys)
						break;
				}
			if (!keys[0])
				continue;
			if (k + 3 >= cap) {
				cap *= 2;
				lines = xreallocarray(lines, cap, sizeof *lines);
				head = xreallocarray(head, cap, sizeof *head);
			}
			if (first) {
				if (k) {
					lines[k] = xstrdup("");
					head[k++] = 0;
				}
				lines[k] = xstrdup(contexts[c].title);
				head[k++] = 1;
				first = 0;
			}
			char line[512];
			int pad = 18 - rw_swidth(keys);
			snprintf(line, sizeof line, "  %s%*s %s", keys, pad > 0 ? pad : 1, "", actions[a].help);
			lines[k] = xstrdup(line);
			head[k++] = 0;
		}
	}
	lines[k] = NULL;
	*heading = head;
	*n = k;
	return lines;
}

void keymap_markdown(FILE *f)
{
	fputs("| view | keys | action | what it does |\n|---|---|---|---|\n", f);
	for (size_t c = 0; c < NCTX; c++)
		for (int a = 1; a < ACT_COUNT; a++) {
			char keys[256];
			size_t kk = 0;
			keys[0] = 0;
			for (size_t i = 0; i < nbinds; i++)
				if (binds[i].ctx == contexts[c].ctx && binds[i].act == (enum action)a) {
					char kn[32];
					keyname_of(binds[i].key, kn, sizeof kn);
					const char *q = strchr(kn, '|') ? "\\|" : kn;
					kk += (size_t)snprintf(keys + kk, sizeof keys - kk, "%s`%s`", kk ? " " : "", q);
					if (kk >= sizeof keys)
						break;
				}
			if (keys[0])
				fprintf(f, "| %s | %s | `%s` | %s |\n", contexts[c].name, keys,
				        actions[a].name, actions[a].help);
		}
}

/* Writes s for roff: backslashes and hyphens escaped, and a leading
 * period or apostrophe kept from reading as a request. */
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

void keymap_man(FILE *f)
{
	for (size_t c = 0; c < NCTX; c++) {
		int first = 1;
		for (int a = 1; a < ACT_COUNT; a++) {
			int any = 0;
			for (size_t i = 0; i < nbinds; i++) {
				if (binds[i].ctx != contexts[c].ctx || binds[i].act != (enum action)a)
					continue;
				if (first) {
					fputs(".SS ", f);
					roff_put(f, contexts[c].title);
					fputc('\n', f);
					first = 0;
				}
				char kn[32];
				keyname_of(binds[i].key, kn, sizeof kn);
				fputs(any ? ", \\fB" : ".TP\n\\fB", f);
				roff_put(f, kn);
				fputs("\\fR", f);
				any = 1;
			}
			if (any) {
				fputc('\n', f);
				roff_put(f, actions[a].help);
				fputc('\n', f);
			}
		}
	}
}

