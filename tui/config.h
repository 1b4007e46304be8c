/* config.h — precis's configuration file: an INI file read with inih.
 *
 * One file, $XDG_CONFIG_HOME/precis/config (default
 * ~/.config/precis/config), read once at start by whoever needs it: the
 * app takes [ui], [colors] and [keys], the LLM client [llm]. Each consumer
 * asks for its own keys; a key nobody asked for is reported as unknown
 * (cfg_check_unused) with its line number, so a typo is never silent.
 * A bad line or value gives one message "PATH:LINE: reason" and the
 * default is used: a broken config never stops precis.
 *
 *     [ui]
 *     stack_below = 100     ; columns under which the reader stacks panes
 *     [keys]
 *     list.quit = Q
 *
 * Values are strings; the typed getters check them. Section and key names
 * are case-insensitive. Lines may be at most CFG_MAX_LINE bytes.
 */
#ifndef PRECIS_TUI_CONFIG_H
#define PRECIS_TUI_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

#define CFG_MAX_LINE 197

struct cfg;

/* One key = value line of the file. */
struct cfg_entry {
	const char *section;    /* "" before any [section] */
	const char *key;
	const char *value;
	int line;               /* 1-based */
	int used;               /* a consumer asked for it */
};

/* The default path into buf: $XDG_CONFIG_HOME/precis/config, else
 * $HOME/.config/precis/config. Returns buf, or NULL when neither is set. */
const char *cfg_default_path(char *buf, size_t n);

/* Reads the file at path (NULL: the default path). A missing file is an
 * empty configuration; an unreadable or malformed one gives messages (see
 * cfg_messages) and keeps what could be read. Never NULL. */
struct cfg *cfg_load(const char *path);
/* Reads configuration text held in memory (tests, built-in defaults);
 * name is used in messages. Never NULL. */
struct cfg *cfg_load_string(const char *text, const char *name);
void cfg_free(struct cfg *c);

/* The file's path ("" when none), and its permission bits (0 when the
 * file does not exist): the LLM client warns when a file holding an API
 * key can be read by others. */
const char *cfg_path(const struct cfg *c);
mode_t cfg_mode(const struct cfg *c);

/* The value of section.key (the last one when repeated), or NULL. Marks it
 * used. */
const char *cfg_get(struct cfg *c, const char *section, const char *key);
/* The entry of section.key, or NULL. Marks it used. */
const struct cfg_entry *cfg_entry(struct cfg *c, const char *section, const char *key);

/* Typed getters: return the value, or def when the key is absent or its
 * value is bad (then a message names the line and the accepted values). */
long cfg_get_int(struct cfg *c, const char *section, const char *key,
                 long def, long min, long max);
double cfg_get_double(struct cfg *c, const char *section, const char *key,
                      double def, double min, double max);
/* yes/no, true/false, on/off, 1/0. */
int cfg_get_bool(struct cfg *c, const char *section, const char *key, int def);
/* One of the NULL-terminated names; returns its index, or def. */
int cfg_get_enum(struct cfg *c, const char *section, const char *key,
                 const char *const *names, int def);

/* Every entry of a section, in file order (e.g. all key bindings); marks
 * them used. Returns the count; *out points into c. */
size_t cfg_section(struct cfg *c, const char *section, const struct cfg_entry ***out);

/* The distinct names of the sections beginning with prefix (case-
 * insensitive), in file order ("llm." gives "llm.qwen3:8b", …). Returns
 * the count; *out is malloc'd (the caller frees it, not its strings,
 * which belong to c). */
size_t cfg_section_names(struct cfg *c, const char *prefix, const char ***out);

/* Adds a message about entry e ("PATH:LINE: …"), or about the file when e
 * is NULL. */
void cfg_warn(struct cfg *c, const struct cfg_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds a message for each entry of the named sections (NULL-terminated
 * list; NULL: every section) that nobody asked for: "unknown key". Call
 * once every consumer of those sections has read its keys. */
void cfg_check_unused(struct cfg *c, const char *const *sections);

/* The messages so far, in line order (each one line, no newline, safe to
 * print: file text is passed through render/sanitize.h). */
size_t cfg_messages(const struct cfg *c, const char *const **out);
/* The line message i is about (0: the file as a whole). */
int cfg_message_line(const struct cfg *c, size_t i);

/* Sets section.key = value in the file at path, keeping every other line
 * (comments included) as it is: the key's last line is rewritten in
 * place, or the key is added at the end of its section (the section is
 * added when missing). The file and its directory are created when
 * missing (mode 0600). Written to a temporary file and renamed, so a crash
 * leaves the old or the new file. Returns 0, or -1 with a reason in err. */
int cfg_store(const char *path, const char *section, const char *key,
              const char *value, char *err, size_t errlen);

#endif
