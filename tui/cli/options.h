/* options.h — every command of the command line and every option it
 * takes, declared once.
 *
 * CLI_COMMANDS and CLI_OPTIONS feed the option parser of each command
 * (cli_getopt), `precis --help` and each `precis COMMAND --help`, the
 * README's command table (`precis --cli-markdown`), the man page's
 * SYNOPSIS and option lists (`precis --cli-man`), and the bash and zsh
 * completions (`precis --completion bash|zsh`, installed by `make
 * install`); tests/cli/cli_table.sh checks that the README and the man
 * page match and drives the bash completion.
 *
 * Adding an option (e.g. `list --reverse`): one line in CLI_OPTIONS,
 *
 *     O(LIST, REVERSE, "reverse", 'r', NULL, 0, NULL, "newest last")
 *
 * and its `case OPT_LIST_REVERSE:` in cmd_list(); then `make docs`
 * rewrites the README table and the man page from the table.
 * Adding a command (e.g. `precis review`): one line in CLI_COMMANDS,
 * a line per option, cmd_review() in tui/cli/cmd_review.c (declared in
 * cli.h) and its entry in tui/main.c's dispatch table.
 */
#ifndef PRECIS_TUI_CLI_OPTIONS_H
#define PRECIS_TUI_CLI_OPTIONS_H

#include <stdio.h>

/* Command flags. */
#define CF_PERMUTE 1u   /* options may come after the arguments */
#define CF_DB      2u   /* reads the archive (--db applies) */

/* C(ID, "name", flags, "arguments", "what it does", "more, for its --help")
 * GLOBAL is `precis` itself. */
#define CLI_COMMANDS(C) \
	C(GLOBAL,    "",          CF_DB, "[COMMAND [ARGS]]", \
	  "With no command, opens the archive (the full-screen app on a terminal, the listing otherwise).", NULL) \
	C(IMPORT,    "import",    CF_DB, "PATH...", \
	  "import transcript files and directories (recursively)", \
	  "A file with two languages (SRT '#' lines, a translated JSON field) keeps the main one in the " \
	  "transcript unless --transcript-language or [import] transcript_language says.") \
	C(LIST,      "list",      CF_DB, "", \
	  "list the archive, one transcript a line", \
	  "--state: unsummarized and summarized ask whether there is a summary; unreviewed (a summary " \
	  "nobody has reviewed) and changed (its summary changed since it was reviewed) ask about " \
	  "summarized ones; approved and flagged about the review.") \
	C(SHOW,      "show",      CF_DB | CF_PERMUTE, "ID", \
	  "one transcript: its metadata and current summary, or the part asked for", NULL) \
	C(SEARCH,    "search",    CF_DB | CF_PERMUTE, "QUERY...", \
	  "full-text search of transcripts, summaries and titles (CJK included)", \
	  "QUERY: words (all must occur), \"a phrase\", -exclude, a OR b, prefix*; traditional and " \
	  "simplified Chinese find each other.") \
	C(MERMAID,   "mermaid",   CF_PERMUTE, "[FILE|-]", \
	  "draw a Mermaid flowchart (or list it as an outline)", NULL) \
	C(SUMMARIZE, "summarize", CF_DB | CF_PERMUTE, "ID... | --missing | --state STATE", \
	  "new summaries by an LLM; run it again after an interruption to resume", \
	  "Settings come from [llm] in the config, then the environment, then these options; " \
	  "'precis doctor' checks them.") \
	C(REVIEW,    "review",    CF_DB | CF_PERMUTE, "ID[@VERSION]... --approve | --flag REASON | --clear", \
	  "review summaries from a script, refused when the version reviewed is no longer current", \
	  "ID@VERSION (12@3, or --version N for every ID without one) reviews only if that version " \
	  "is still the current one, as the app does with what is on screen; a bare ID reviews " \
	  "whatever is current now, and says which. All IDs in one transaction; exit status 1 when " \
	  "any was refused (each one named).") \
	C(DOCTOR,    "doctor",    CF_PERMUTE, "", \
	  "check the LLM settings and endpoint, one line per problem with its fix", \
	  "Exit status 0 when summaries can be made.") \
	C(JOBS,      "jobs",      CF_DB | CF_PERMUTE, "", \
	  "the LLM jobs: queued, running with progress, done, failed with the reason", NULL)

/* O(COMMAND, ID, "long name", 'short' or 0, "ARGUMENT" or NULL, group,
 *   "value value …" or NULL, "what it does")
 * group: 0 alone; options of one command with the same group > 0 are
 * alternatives ([--a|--b]); -1 is named in the command's arguments; -2
 * is hidden (the generators of the documentation: in no help, no
 * completion).
 * Values are checked by cli_getopt() and completed by the completions. */
#define CLI_OPTIONS(O) \
	O(GLOBAL, DB, "db", 0, "PATH", 0, NULL, \
	  "the archive to use (default $PRECIS_DB, else $XDG_DATA_HOME/precis/archive.db, else " \
	  "~/.local/share/precis/archive.db); a file name") \
	O(GLOBAL, VERSION, "version", 0, NULL, 0, NULL, "show the version") \
	O(GLOBAL, COMPLETION, "completion", 0, "SHELL", 0, "bash zsh", \
	  "print the completion script for SHELL (make install installs both)") \
	O(GLOBAL, KEYMAP_MD, "keymap-markdown", 0, NULL, -2, NULL, "the README's key table") \
	O(GLOBAL, KEYMAP_MAN, "keymap-man", 0, NULL, -2, NULL, "the man page's KEYS") \
	O(GLOBAL, CLI_MD, "cli-markdown", 0, NULL, -2, NULL, "the README's command table") \
	O(GLOBAL, CLI_MAN, "cli-man", 0, "PART", -2, NULL, "a part of the man page: synopsis or a command") \
	O(IMPORT, QUIET, "quiet", 'q', NULL, 0, NULL, \
	  "no warnings and no progress (failures are still named)") \
	O(IMPORT, LANGUAGE, "transcript-language", 0, "WHICH", 0, "main second both", \
	  "which language of a two-language file becomes the transcript") \
	O(LIST, JSON, "json", 0, NULL, 0, NULL, "a JSON array of records instead of text") \
	O(LIST, LIMIT, "limit", 'n', "N", 0, NULL, "at most N transcripts") \
	O(LIST, SORT, "sort", 0, "ORDER", 0, "date title duration imported unsupported", \
	  "the order (date, imported: newest first; duration: longest first; unsupported: most " \
	  "summary lines without evidence first)") \
	O(LIST, STATE, "state", 0, "STATE", 0, "unsummarized summarized unreviewed changed approved flagged", \
	  "only the transcripts in that state") \
	O(SHOW, CONTENT, "content", 0, NULL, 1, NULL, "the transcript text, wrapped") \
	O(SHOW, SUMMARY, "summary", 0, NULL, 1, NULL, \
	  "the current summary, its Markdown laid out (the concept map is one line)") \
	O(SHOW, MERMAID, "mermaid", 0, NULL, 1, NULL, "the current summary's Mermaid source") \
	O(SHOW, META, "meta", 0, NULL, 1, NULL, "the metadata only") \
	O(SHOW, VERSIONS, "versions", 0, NULL, 1, NULL, \
	  "every summary version, the current one marked *, a failed run's partial text marked " \
	  "'failed (partial)'") \
	O(SHOW, EVIDENCE, "evidence", 0, NULL, 1, NULL, \
	  "for each summary line, the transcript passages that support it (or that nothing does)") \
	O(SHOW, JSON, "json", 0, NULL, 0, NULL, "JSON instead of text") \
	O(SHOW, WIDTH, "width", 'w', "N", 0, NULL, \
	  "wrap at N columns (0: do not wrap; default: the terminal's width, no wrapping into a pipe)") \
	O(SHOW, SECOND, "second-language", 0, NULL, 0, NULL, \
	  "with --content: the other language of a two-language source (bilingual subtitles' '#' " \
	  "lines, a translation in timed JSON); --content --json always has it as second_text") \
	O(SHOW, RAW, "raw", 0, NULL, 0, NULL, \
	  "with --content, --summary or --mermaid: the stored bytes exactly, escape sequences " \
	  "included; refused when the output is a terminal") \
	O(SHOW, CANONICAL, "canonical", 0, NULL, 0, NULL, \
	  "with --mermaid: the concept map as Mermaid source that mermaid-js accepts (for GitHub, " \
	  "Obsidian, a Markdown page): the same nodes, labels, edges and subgraphs") \
	O(SEARCH, JSON, "json", 0, NULL, 0, NULL, "a JSON object with the query, the total and the results") \
	O(SEARCH, LIMIT, "limit", 'n', "N", 0, NULL, "at most N results (default 20)") \
	O(MERMAID, ASCII, "ascii", 'a', NULL, 1, NULL, "ASCII only") \
	O(MERMAID, UNICODE, "unicode", 'u', NULL, 1, NULL, "box drawing (the default)") \
	O(MERMAID, JSON, "json", 'j', NULL, 0, NULL, \
	  "the layout as JSON: nodes, edges with their cells, subgraphs, warnings") \
	O(MERMAID, OUTLINE, "outline", 'o', NULL, 0, NULL, \
	  "the map as indented text: each node with its outgoing edges, under its subgraph") \
	O(MERMAID, CANONICAL, "canonical", 0, NULL, 0, NULL, \
	  "print the diagram as Mermaid source that mermaid-js accepts (for GitHub, Obsidian, a " \
	  "Markdown page): the same nodes, labels, edges and subgraphs, every label quoted, ids it " \
	  "would misread renamed; no --json, --outline or --direction with it") \
	O(MERMAID, DIRECTION, "direction", 'd', "DIR", 0, "TD LR BT RL", \
	  "lay the graph out in this direction whatever the diagram says") \
	O(MERMAID, ID, "id", 'i', "ID", 0, NULL, "draw transcript ID's current concept map") \
	O(SUMMARIZE, MISSING, "missing", 0, NULL, -1, NULL, "every transcript without a summary") \
	O(SUMMARIZE, STATE, "state", 0, "STATE", -1, "unsummarized summarized unreviewed changed approved flagged", \
	  "every transcript in that state") \
	O(SUMMARIZE, MODEL, "model", 0, "M", 0, NULL, "the model name the server knows") \
	O(SUMMARIZE, PROMPT, "prompt", 0, "NAME", 0, NULL, \
	  "the prompt (default, or a file in the prompts directory)") \
	O(SUMMARIZE, JOBS, "jobs", 'j', "N", 0, NULL, "requests at once (1 to 64)") \
	O(SUMMARIZE, API_BASE, "api-base", 0, "URL", 0, NULL, "the API root, ending in /v1") \
	O(SUMMARIZE, CONTEXT, "context", 0, "N", 0, NULL, "the model's context window in tokens (at least 512)") \
	O(SUMMARIZE, DRY_RUN, "dry-run", 0, NULL, 0, NULL, \
	  "show the chunks, requests and estimated tokens; send nothing") \
	O(SUMMARIZE, JSON, "json", 0, NULL, 0, NULL, "report as JSON") \
	O(SUMMARIZE, QUIET, "quiet", 'q', NULL, 0, NULL, "no progress and no line per transcript") \
	O(REVIEW, APPROVE, "approve", 0, NULL, -1, NULL, "approve the summary (a transcript without one cannot be)") \
	O(REVIEW, FLAG, "flag", 0, "REASON", -1, NULL, "flag it, with a one-line reason (\"\" for none)") \
	O(REVIEW, CLEAR, "clear", 0, NULL, -1, NULL, "clear the review of the current version") \
	O(REVIEW, VERSION, "version", 0, "N", 0, NULL, \
	  "review only if version N is still the current one (each ID without @VERSION)") \
	O(REVIEW, REVIEWER, "reviewer", 0, "NAME", 0, NULL, \
	  "the reviewer recorded (default: [review] name in the config, else the login name)") \
	O(REVIEW, JSON, "json", 0, NULL, 0, NULL, \
	  "a JSON array: per ID its result, version, review id, reviewer and message") \
	O(DOCTOR, MODEL, "model", 0, "M", 0, NULL, "the model name the server knows") \
	O(DOCTOR, API_BASE, "api-base", 0, "URL", 0, NULL, "the API root, ending in /v1") \
	O(DOCTOR, PROMPT, "prompt", 0, "NAME", 0, NULL, "the prompt to check") \
	O(JOBS, ALL, "all", 0, NULL, 0, NULL, "every job (the newest 20 otherwise)") \
	O(JOBS, JSON, "json", 0, NULL, 0, NULL, "JSON instead of text") \
	O(JOBS, LIMIT, "limit", 0, "N", 0, NULL, "at most N jobs")

enum cli_cmd {
#define C_ENUM(id, name, flags, args, what, more) CMD_##id,
	CLI_COMMANDS(C_ENUM)
#undef C_ENUM
	CMD_COUNT
};

/* Option ids: what cli_getopt() returns, above every character. */
enum cli_opt {
	OPT_NONE = 1000,
#define O_ENUM(cmd, id, name, sh, arg, group, values, help) OPT_##cmd##_##id,
	CLI_OPTIONS(O_ENUM)
#undef O_ENUM
	OPT_END,
	CLI_OPT_HELP,       /* --help: cli_opt_exit() prints it */
	CLI_OPT_FAILED,     /* a usage error, already printed */
};

/* The name of a command ("" for GLOBAL). */
const char *cli_cmd_name(enum cli_cmd cmd);

/* The next option of cmd's argv (argv[0] is the command; set optind = 0
 * before the first call): an OPT_ id with optarg set, -1 at the end,
 * CLI_OPT_HELP, or CLI_OPT_FAILED after printing the usage error (an
 * unknown option, a missing value, a value not in the option's list). */
int cli_getopt(enum cli_cmd cmd, int argc, char **argv);
/* What a command returns for CLI_OPT_HELP (its help printed: 0) and
 * CLI_OPT_FAILED (2). */
int cli_opt_exit(enum cli_cmd cmd, int got);

/* `precis --help`, `precis COMMAND --help`. */
void cli_usage(FILE *f);
void cli_help(FILE *f, enum cli_cmd cmd);
/* The README's command table (Markdown). */
void cli_markdown(FILE *f);
/* The man page's parts: "synopsis" (the SYNOPSIS section's body), or a
 * command's name (its options as tagged paragraphs). 0, or -1 when what
 * is neither. */
int cli_man(FILE *f, const char *what);
/* The completion script for shell ("bash" or "zsh"); -1 when unknown. */
int cli_completion(FILE *f, const char *shell);

#endif
