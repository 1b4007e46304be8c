/* llm.h — summaries by an LLM over the OpenAI-compatible Chat Completions
 * API: the public face of net/.
 *
 * The engine runs summary jobs stored in the archive (db/archive.h, "LLM
 * jobs"): it plans each (one request when the transcript fits, else notes
 * on chunks, collapsed and reduced), sends up to `parallel` requests at
 * once over libcurl, streams, retries what is worth retrying, checks the
 * answer (one repair request), and writes the result through db/ as a new
 * summary version. It never blocks: llm_engine_step() waits on the
 * network for at most the time it is given, so a command-line loop or an
 * app's worker thread can drive it. No ncurses, no output: what happens is
 * reported through a callback. The API key is never written anywhere, and
 * every message is scrubbed of it.
 */
#ifndef PRECIS_NET_LLM_H
#define PRECIS_NET_LLM_H

#include <stddef.h>
#include <stdint.h>

#include "db/archive.h"
#include "net/chat.h"

#define LLM_MAX_HEADERS 16

struct llm_config {
	char base_url[512];        /* ".../v1", no trailing slash; "" when not set */
	char model[128];
	char api_key[512];         /* "" when none; never printed */
	char key_source[64];       /* where the key came from (printable) */
	char prompt[64];           /* prompt name */
	char prompts_dir[1024];    /* where NAME.prompt files are; "" none */
	long context;              /* the model's context window, tokens */
	long max_output;           /* tokens allowed for the summary */
	long chunk_tokens;         /* target size of a chunk (map step) */
	long overlap_tokens;
	int parallel;              /* requests at once */
	long connect_timeout_s;
	long idle_timeout_s;       /* no new text for this long: give up */
	int retries;               /* retries of a transient failure */
	double retry_base_s;       /* first backoff; doubles each time */
	long retry_max_s;          /* cap of the backoff and of Retry-After */
	int stream;
	int stream_usage;          /* send stream_options.include_usage */
	enum chat_maxtok max_param;
	int send_temperature;
	double temperature;
	char *headers[LLM_MAX_HEADERS];   /* "Name: value" (may hold secrets) */
	int nheaders;
	char extra_body[1024];     /* JSON object merged into requests */
	char bad_header[160];      /* why a header = line was refused ("" none) */
};

/* Defaults of everything but the endpoint, model and key. */
void llm_config_defaults(struct llm_config *c);
void llm_config_free(struct llm_config *c);
/* Sets a header "Name: value" (replacing one of the same name). 0, or -1
 * when it is malformed or there are too many, or -2 when its name or value
 * holds a control character (then c->bad_header says which; the settings
 * are refused by llm_config_check). */
int llm_config_header(struct llm_config *c, const char *line);
/* 0 when every setting that goes into a request line or header can go
 * there: no control character (but tab in a header's value) in the API
 * key, the model name, the base URL or a header. Else -1 and one line in
 * msg naming the setting (never the key itself). */
int llm_config_check(const struct llm_config *c, char *msg, size_t n);
/* Replaces every occurrence of a secret in s (in place) with "***": the
 * API key, and the password and the query values of the base URL.
 * Returns s. */
char *llm_scrub(const struct llm_config *c, char *s);
/* The base URL for messages and for anything stored (the jobs' batch
 * key): user-info removed, query values shown as ***, no fragment. */
const char *llm_safe_url(const struct llm_config *c, char *buf, size_t n);
/* The same for any URL u (into buf). */
const char *llm_redact_url(const char *u, char *buf, size_t n);

/* Token budgets derived from the configuration (what a request may
 * hold). Exposed for the confirmation prompt and tests. */
struct llm_plan {
	long transcript_tokens;    /* estimate */
	int single;                /* one request suffices */
	int chunks;                /* pieces of the map step (0 when single) */
	int requests;              /* expected requests (map + collapse + reduce) */
	long prompt_tokens;        /* estimated tokens sent in all */
	long chunk_budget;         /* tokens of transcript per chunk */
};
/* Plans a summary of text with prompt name cfg->prompt. 0, or -1 with a
 * reason in err (prompt file broken, context too small). */
int llm_plan_text(const struct llm_config *cfg, const char *text, size_t len,
                  struct llm_plan *plan, char *err, size_t errlen);

/* ---- the engine ------------------------------------------------------ */

enum llm_event {
	LLM_EV_STARTED,    /* a job was claimed and planned */
	LLM_EV_PROGRESS,   /* stage, chunks or tokens changed */
	LLM_EV_TEXT,       /* the final answer grew (text, text_len) */
	LLM_EV_FINISHED,   /* done, failed or cancelled (or released: state queued) */
};

/* What a job is doing, as the callback sees it. Pointers are valid only
 * during the call. */
struct llm_status {
	int64_t job_id, transcript_id;
	enum ar_job_state state;
	const char *stage;         /* "planning", "notes 3/12", "summary", "repair",
	                              "waiting 8 s (503 Service Unavailable)" */
	int chunks_done, chunks_total;
	long tokens_in, tokens_out;
	int64_t elapsed_ms;
	const char *text;          /* visible text of the final answer so far */
	size_t text_len;
	int text_reset;            /* text was replaced, not extended */
	const char *error;         /* FINISHED, not done: the reason (one line) */
	const char *warning;       /* FINISHED done: the map's problems, or NULL */
	int64_t summary_id;        /* FINISHED done: the new version */
	int requests;              /* requests sent so far (retries included) */
};

typedef void (*llm_event_fn)(void *ctx, enum llm_event ev, const struct llm_status *s);

struct llm_engine;

/* A new engine on archive a (opened for writing; used only from the
 * thread that calls llm_engine_step). cfg is copied. Returns NULL with a
 * reason in err when libcurl cannot start. */
struct llm_engine *llm_engine_new(const struct llm_config *cfg, struct archive *a,
                                  llm_event_fn fn, void *ctx, char *err, size_t errlen);
/* Ends every active job as released (back to the queue) and frees e. */
void llm_engine_free(struct llm_engine *e);

/* Claims job job_id and starts it. Returns 0, 1 when the job is not to
 * be taken (done, cancelled, or another process owns it), -1 with err. */
int llm_engine_start(struct llm_engine *e, int64_t job_id, char *err, size_t errlen);
/* Works for at most timeout_ms (0: only what is ready). Returns the
 * number of jobs still active. */
int llm_engine_step(struct llm_engine *e, int timeout_ms);
int llm_engine_active(const struct llm_engine *e);
/* Cancels a job: its requests stop, it ends "cancelled", its summary is
 * untouched. Thread-safe (takes effect in the next step). */
void llm_engine_cancel(struct llm_engine *e, int64_t job_id);
/* Gives every active job back to the queue (Ctrl-C): running the command
 * again resumes them. Thread-safe. */
void llm_engine_interrupt(struct llm_engine *e);
/* Makes a llm_engine_step() that is waiting return now. Thread-safe. */
void llm_engine_wakeup(struct llm_engine *e);

/* ---- checks (precis doctor) ------------------------------------------ */

/* GET {base}/models: the model ids (malloc'd array of malloc'd strings).
 * 0, or -1 with a one-line reason in err. */
int llm_list_models(const struct llm_config *cfg, char ***ids, size_t *n,
                    char *err, size_t errlen);
/* One tiny completion (not streamed unless cfg->stream). Returns 0 with
 * the answer's first bytes in reply, or -1 with a reason in err. *choices
 * (when not NULL) gets how many choices the server sent (only the first
 * is read; more than 1 means it sends several unasked). */
int llm_ping(const struct llm_config *cfg, char *reply, size_t replylen,
             long *ms, int *choices, char *err, size_t errlen);

#endif
