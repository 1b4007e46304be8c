/* keymap.h — every action of the app, declared once, and the keys bound
 * to them.
 *
 * APP_ACTIONS lists each action with its config name, the contexts
 * (views) it is valid in, a footer priority and its help text: the enum,
 * dispatch, the footer hints, the `?` help overlay and the README key table
 * (`precis --keymap-markdown`, checked by tests/cli/keys.sh) all come from
 * it. Default bindings are INI text compiled in and read by the same
 * parser as the user's `[keys]` section:
 *
 *     [keys]
 *     list.quit = Q            ; context.action = key [key…]
 *     reader.copy = Y C-y
 *
 * A user line replaces the default keys of that action in that context
 * (and takes those keys away from any other action there). Key names: a
 * character (`j`, `?`, `算`), `C-x` (Ctrl), `S-Tab`, `Enter`, `Esc`, `Tab`,
 * `Space`, `Backspace`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`,
 * `Home`, `End`, `Del`, `F1`…`F12`. Bindings of the context `global` apply
 * in every view unless the view binds the key itself.
 *
 * Adding an action (e.g. the LLM client's cancel `c`): one line in
 * APP_ACTIONS, one in default_keys (keymap.c), handle it in the view's
 * request(); the help, footer and README table follow.
 */
#ifndef PRECIS_TUI_APP_KEYMAP_H
#define PRECIS_TUI_APP_KEYMAP_H

#include <stddef.h>
#include <stdio.h>

struct cfg;

/* Contexts: one per kind of view, plus global. */
enum key_ctx {
	KC_GLOBAL = 1u << 0,
	KC_LIST = 1u << 1,
	KC_READER = 1u << 2,
	KC_MAP = 1u << 3,
	KC_SEARCH = 1u << 4,
	KC_VERSIONS = 1u << 5,
	KC_HELP = 1u << 6,
	KC_NODE = 1u << 7,      /* the node details of the map */
	KC_JOBS = 1u << 8,      /* the LLM jobs (w) */
	KC_DIFF = 1u << 9,      /* what changed between summary versions (D) */
	KC_REVIEWS = 1u << 10,  /* the review history of a transcript (H) */
};
#define KC_COUNT 11
#define KC_MOVE (KC_LIST | KC_READER | KC_MAP | KC_SEARCH | KC_VERSIONS | KC_HELP | KC_NODE | \
                 KC_JOBS | KC_DIFF | KC_REVIEWS)

/* A(ID, "config-name", contexts, footer priority (0: not in the footer,
 * smaller first), "help text") */
#define APP_ACTIONS(A) \
	A(QUIT_ALL,     "quit-all",      KC_GLOBAL, 0, "quit precis from anywhere") \
	A(BACK,         "quit",          KC_GLOBAL, 9, "go back; quit from the list") \
	A(HELP,         "help",          KC_GLOBAL, 8, "show the keys (this screen)") \
	A(REDRAW,       "redraw",        KC_GLOBAL, 0, "redraw the screen") \
	A(SUSPEND,      "suspend",       KC_GLOBAL, 0, "suspend precis (fg resumes)") \
	A(MOVE_DOWN,    "down",          KC_MOVE, 0, "move down one line") \
	A(MOVE_UP,      "up",            KC_MOVE, 0, "move up one line") \
	A(PAGE_DOWN,    "page-down",     KC_MOVE, 0, "move down one page") \
	A(PAGE_UP,      "page-up",       KC_MOVE, 0, "move up one page") \
	A(HALF_DOWN,    "half-down",     KC_READER | KC_MAP | KC_HELP | KC_DIFF, 0, "move down half a page") \
	A(HALF_UP,      "half-up",       KC_READER | KC_MAP | KC_HELP | KC_DIFF, 0, "move up half a page") \
	A(FIRST,        "first",         KC_MOVE, 0, "go to the top") \
	A(LAST,         "last",          KC_MOVE, 0, "go to the bottom") \
	A(MOVE_LEFT,    "left",          KC_MAP, 0, "pan left") \
	A(MOVE_RIGHT,   "right",         KC_MAP, 0, "pan right") \
	A(LINE_START,   "leftmost",      KC_MAP, 0, "pan to the left edge") \
	A(LINE_END,     "rightmost",     KC_MAP, 0, "pan to the right edge") \
	A(OPEN,         "open",          KC_LIST | KC_SEARCH | KC_READER | KC_VERSIONS | KC_MAP | KC_NODE | KC_JOBS | KC_REVIEWS, 1, "open the selection (reader: the map under the placeholder; map: node details; versions: make current; jobs: the transcript; reviews: that version's summary against the current)") \
	A(SEARCH,       "search",        KC_LIST | KC_SEARCH, 2, "search the archive (search view: edit the query)") \
	A(SORT,         "sort",          KC_LIST, 3, "cycle the sort: date, title, duration, imported, unsupported") \
	A(REVERSE,      "reverse",       KC_LIST, 0, "reverse the sort (the header shows the direction)") \
	A(FILTER,       "filter",        KC_LIST, 4, "cycle the filter: all, unsummarized, summarized, unreviewed, changed, approved, flagged") \
	A(LIMIT,        "limit",         KC_LIST, 0, "show only rows whose title, channel or URL hold every word typed, as you type (Enter keeps it, Esc puts the last one back, empty: all)") \
	A(REFRESH,      "refresh",       KC_LIST | KC_SEARCH | KC_JOBS | KC_READER, 0, "re-read the archive (other processes' changes also show by themselves within a second; reader: show the current summary version)") \
	A(NEXT_UNREVIEWED, "next-unreviewed", KC_LIST | KC_READER, 6, "go to the next transcript with a summary to review (in the list's order and pattern)") \
	A(PREV_UNREVIEWED, "prev-unreviewed", KC_LIST | KC_READER, 0, "go to the previous transcript with a summary to review") \
	A(APPROVE,      "approve",       KC_LIST | KC_READER, 5, "review: approve the summary shown (reader: then open the next to review, unless [review] advance = no; list: the row, or the tagged rows)") \
	A(FLAG,         "flag",          KC_LIST | KC_READER, 5, "review: flag, with an optional one-line reason (reader: then the next to review; list: the row, or the tagged rows)") \
	A(APPROVE_STAY, "approve-stay",  KC_READER, 0, "review: approve and stay on this transcript") \
	A(FLAG_STAY,    "flag-stay",     KC_READER, 0, "review: flag and stay on this transcript") \
	A(CLEAR_REVIEW, "unreview",      KC_LIST | KC_READER, 0, "review: clear the review of the current version (list: the row, or the tagged rows)") \
	A(REVIEWS,      "reviews",       KC_LIST | KC_READER, 0, "every review of every summary version: who, when, verdict, reason") \
	A(TAG,          "tag",           KC_LIST, 0, "tag or untag the row and move down; with rows tagged, a, x, - and r act on them") \
	A(TAG_ALL,      "tag-all",       KC_LIST, 0, "tag every row the list shows (its filter and pattern)") \
	A(UNTAG_ALL,    "untag-all",     KC_LIST, 0, "untag every row") \
	A(FOCUS_NEXT,   "focus",         KC_READER, 2, "switch the focused pane") \
	A(FOCUS_LEFT,   "focus-transcript", KC_READER, 0, "focus the transcript pane") \
	A(FOCUS_RIGHT,  "focus-summary", KC_READER, 0, "focus the summary pane") \
	A(FIND,         "find",          KC_READER | KC_MAP, 3, "find in the focused pane (map: a node by its label)") \
	A(FIND_NEXT,    "find-next",     KC_READER | KC_MAP, 0, "next hit") \
	A(FIND_PREV,    "find-prev",     KC_READER | KC_MAP, 0, "previous hit") \
	A(SECTION_NEXT, "next-section",  KC_READER, 0, "next summary section") \
	A(SECTION_PREV, "prev-section",  KC_READER, 0, "previous summary section") \
	A(OPEN_URL,     "open-url",      KC_READER | KC_LIST, 0, "open the URL at the time of the top line (and show it as a link)") \
	A(TOGGLE_LAYOUT,"layout",        KC_READER | KC_DIFF, 0, "panes side by side / stacked (remembered); diff: inline / side by side") \
	A(SPLIT_LESS,   "split-left",    KC_READER, 0, "move the split left/up (remembered)") \
	A(SPLIT_MORE,   "split-right",   KC_READER, 0, "move the split right/down (remembered)") \
	A(COPY,         "copy",          KC_READER | KC_MAP, 0, "copy the focused pane (OSC 52, or the copy command); map: its Mermaid source") \
	A(EDIT,         "edit",          KC_READER | KC_LIST, 0, "edit the summary in $VISUAL/$EDITOR (a new version)") \
	A(VERSIONS,     "versions",      KC_READER | KC_LIST, 7, "list the summary versions, choose the current one") \
	A(RESUMMARIZE,  "resummarize",   KC_READER | KC_JOBS | KC_LIST, 0, "summarize again with the LLM (asks first; runs in the background; list: the row, or the tagged rows; jobs: resume one left unfinished)") \
	A(CANCEL_JOB,   "cancel",        KC_READER | KC_JOBS, 0, "cancel the summary being written (jobs: the selected job); the old summary stays") \
	A(JOBS,         "jobs",          KC_LIST | KC_READER, 0, "the LLM jobs: queued, running with progress, done, failed with the reason") \
	A(DIFF,         "diff",          KC_READER | KC_VERSIONS, 0, "what changed from the previous summary version, word by word (versions: from the chosen one to the current)") \
	A(MAP,          "map",           KC_READER | KC_LIST, 4, "open the concept map") \
	A(TOGGLE_ASCII, "ascii",         KC_MAP, 0, "Unicode / ASCII drawing") \
	A(NODE_NEXT,    "next-node",     KC_MAP, 1, "focus the next node in reading order") \
	A(NODE_PREV,    "prev-node",     KC_MAP, 0, "focus the previous node") \
	A(OUTLINE,      "outline",       KC_MAP, 5, "the map as an outline / as a drawing") \
	A(EVIDENCE,     "evidence",      KC_MAP, 6, "the focused node's evidence in the reader (transcript passages)")

enum action {
	ACT_NONE = 0,
#define A_ENUM(id, name, ctx, hint, help) ACT_##id,
	APP_ACTIONS(A_ENUM)
#undef A_ENUM
	ACT_COUNT
};

/* Keys: a Unicode code point, or KEY_SPECIAL + a curses key code. */
#define KEY_SPECIAL 0x110000
#define KEYC(c) ((c) & 0x1f)          /* Ctrl + letter */
enum { K_ESC = 27, K_TAB = 9, K_ENTER = 13, K_BACKSPACE = 127 };

/* The title of a context in the help ("Reader"), NULL when unknown. */
const char *keymap_ctx_title(unsigned ctx);

/* The first key bound to action a in context ctx (else in global), as its
 * name ("c", "C-x"), "?" when none; in one of 8 rotating static buffers,
 * so a message may name several. */
const char *keymap_key(unsigned ctx, enum action a);

/* Loads the built-in bindings, then cfg's [keys] (messages go to cfg).
 * cfg may be NULL. Call once before keymap_lookup. */
void keymap_init(struct cfg *cfg);
void keymap_free(void);

/* The action bound to key in context ctx (then global), or ACT_NONE. */
enum action keymap_lookup(unsigned ctx, int key);


/* A key's name ("j", "C-u", "PgDn") into buf; returns buf. */
const char *keyname_of(int key, char *buf, size_t n);

/* The footer hint line for ctx ("Enter open  / search  …"), at most
 * width cells, into buf: the actions of ctx with a footer priority, by
 * priority, each named by the first key bound to it. */
void keymap_footer(unsigned ctx, int width, char *buf, size_t n);
/* The same for the na actions acts, in that order (a view's footer hook
 * that names its own choice); an action bound to no key is left out. */
void keymap_footer_of(unsigned ctx, const enum action *acts, size_t na, int width, char *buf,
                      size_t n);

/* Help text lines for the help overlay: one heading per context, one
 * line per bound action. Returns a malloc'd array of malloc'd lines
 * (NULL-terminated); *heading[i] is 1 for the headings. */
char **keymap_help_lines(int **heading, size_t *n);

/* Writes the key table as Markdown (the README's). */
void keymap_markdown(FILE *f);
/* Writes the key table as man(7) text (docs/precis.1's KEYS part): a
 * subsection per view, a tagged paragraph per action. */
void keymap_man(FILE *f);

#endif
