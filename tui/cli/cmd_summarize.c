/* cmd_summarize.c — `precis summarize ID... | --missing | --state STATE
 * [--model M] [--prompt NAME] [--jobs N] [--api-base URL] [--context N]
 * [--dry-run] [--json] [--quiet]`.
 *
 * The jobs of one command form a batch in the archive: interrupted
 * (Ctrl-C, kill -9, a crash) and run again with the same selection, model
 * and prompt, it resumes the batch — what finished is not redone, failed
 * jobs are tried again, chunks whose notes were stored are not sent again.
 * A progress line on stderr when it is a terminal; results on stdout. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "net/llm.h"
#include "net/prompt.h"
#include "render/alloc.h"
#include "render/buf.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/cli/json_out.h"
#include "tui/config.h"
#include "tui/llm_conf.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	if (interrupted) {
		/* a second Ctrl-C: leave now; the jobs stay resumable */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	interrupted = 1;
}

struct item {
	int64_t tid, job_id;
	int state;            /* 0 to run, 1 running, 2 finished (this run), 3 skipped */
	int busy;             /* skipped: another process runs it */
	enum ar_job_state result;
	int64_t summary_id;
	char error[400];
	long tokens_in, tokens_out;
	int64_t elapsed_ms;
};

struct run {
	struct cli *c;
	struct item *items;
	size_t n;
	int done, failed, cancelled, released, already;
	int quiet, json, bar;
	char stage[200];      /* the last progress, for the bar */
	int64_t stage_job;
	int chunks_done, chunks_total;
	int bar_shown;
	int64_t t0_ms;
};

static struct item *find_item(struct run *r, int64_t job_id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].job_id == job_id)
			return &r->items[i];
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void clear_bar(struct run *r)
{
	if (r->bar_shown) {
		fputs("\r\033[K", stderr);
		r->bar_shown = 0;
	}
}

/* The progress line: transcripts finished of all, the job in front, its
 * chunks, tokens, elapsed time; cut to the terminal's width. */
static void draw_bar(struct run *r)
{
	if (!r->bar)
		return;
	int finished = r->done + r->failed + r->cancelled + r->already;
	int total = (int)r->n;
	int width = cli_term_width(STDERR_FILENO);
	char head[160];
	int cells = 20;
	int filled = total ? finished * cells / total : 0;
	char barbuf[64];
	for (int i = 0; i < cells; i++)
		barbuf[i] = i < filled ? '#' : '-';
	barbuf[cells] = 0;
	long el = (long)((now_ms() - r->t0_ms) / 1000);
	long tokens = 0;   /* of every job so far, the running ones included */
	for (size_t i = 0; i < r->n; i++)
		tokens += r->items[i].tokens_in + r->items[i].tokens_out;
	snprintf(head, sizeof head, "[%s] %d/%d  %ld:%02ld  %.1fk tokens  ", barbuf, finished, total,
	         el / 60, el % 60, tokens / 1000.0);
	struct buf b = { 0 };
	buf_puts(&b, head);
	if (r->stage[0]) {
		struct item *it = find_item(r, r->stage_job);
		buf_printf(&b, "#%lld %s", it ? (long long)it->tid : 0LL, r->stage);
	}
	fputs("\r\033[K", stderr);
	cli_put_field(stderr, b.p, width > 10 ? width - 1 : 79);
	fflush(stderr);
	buf_free(&b);
	r->bar_shown = 1;
}

static void on_event(void *ctx, enum llm_event ev, const struct llm_status *s)
{
	struct run *r = ctx;
	struct item *it = find_item(r, s->job_id);
	if (ev == LLM_EV_PROGRESS || ev == LLM_EV_STARTED) {
		if (it) {
			it->tokens_in = s->tokens_in;
			it->tokens_out = s->tokens_out;
		}
		snprintf(r->stage, sizeof r->stage, "%s", s->stage ? s->stage : "");
		r->stage_job = s->job_id;
		draw_bar(r);
		return;
	}
	if (ev != LLM_EV_FINISHED || !it)
		return;
	it->state = 2;
	it->result = s->state;
	it->summary_id = s->summary_id;
	it->tokens_in = s->tokens_in;
	it->tokens_out = s->tokens_out;
	it->elapsed_ms = s->elapsed_ms;
	snprintf(it->error, sizeof it->error, "%s", s->error ? s->error : "");
	if (r->stage_job == s->job_id)
		r->stage[0] = 0;
	clear_bar(r);
	switch (s->state) {
	case AR_JOB_DONE:
		r->done++;
		if (!r->quiet && !r->json) {
			printf("#%lld done: %ld tokens in, %ld out, %.1f s", (long long)it->tid,
			       s->tokens_in, s->tokens_out, s->elapsed_ms / 1000.0);
			if (s->warning) {
				fputs(" (warning: ", stdout);
				cli_put_field(stdout, s->warning, 200);
				fputc(')', stdout);
			}
			fputc('\n', stdout);
			fflush(stdout);
		}
		break;
	case AR_JOB_FAILED:
	case AR_JOB_CANCELLED:
		if (s->state == AR_JOB_FAILED)
			r->failed++;
		else
			r->cancelled++;
		fprintf(stderr, "precis: #%lld failed: ", (long long)it->tid);
		cli_put_field(stderr, s->error ? s->error : "unknown reason", 0);
		fputc('\n', stderr);
		break;
	default:
		r->released++;
		break;
	}
	draw_bar(r);
}

/* A key naming this command's selection, model and prompt: the same
 * command run again finds its batch by it. */
static void batch_key(char *out, size_t n, const struct llm_config *lc, const char *sel,
                      const int64_t *ids, size_t nids)
{
	struct buf b = { 0 };
	/* stored in the archive: never the URL's user-info or query secrets */
	char url[600];
	llm_safe_url(lc, url, sizeof url);
	buf_printf(&b, "summarize|%s|%s|%s|%s", lc->model, lc->prompt, url, sel);
	for (size_t i = 0; i < nids; i++)
		buf_printf(&b, "%s%lld", i ? "," : ":", (long long)ids[i]);
	if (b.len < n) {
		snprintf(out, n, "%s", b.p);
	} else {
		uint64_t h = 1469598103934665603ULL;
		for (size_t i = 0; i < b.len; i++) {
			h ^= (unsigned char)b.p[i];
			h *= 1099511628211ULL;
		}
		snprintf(out, n, "summarize|%.60s|%016llx", lc->model, (unsigned long long)h);
	}
	buf_free(&b);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The plan of each selected transcript, without sending anything. */
static int dry_run(struct archive *a, const struct llm_config *lc, const int64_t *ids, size_t n,
                   int json)
{
	json_t *arr = json ? json_array() : NULL;
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char *text;
		size_t len;
		struct ar_meta m;
		if (ar_get_meta(a, ids[i], &m) != 0 || ar_get_text(a, ids[i], &text, &len) != 0) {
			bad = 1;
			continue;
		}
		struct llm_plan p;
		char err[400];
		if (llm_plan_text(lc, text, len, &p, err, sizeof err) != 0) {
			free(text);
			ar_meta_free(&m);
			json_decref(arr);
			return cli_error("%s", err);
		}
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(ids[i]));
			json_object_set_new(o, "title", cli_jstr(m.title));
			json_object_set_new(o, "transcript_tokens", json_integer(p.transcript_tokens));
			json_object_set_new(o, "single_request", json_boolean(p.single));
			json_object_set_new(o, "chunks", json_integer(p.chunks));
			json_object_set_new(o, "chunk_tokens", json_integer(p.chunk_budget));
			json_object_set_new(o, "requests", json_integer(p.requests));
			json_object_set_new(o, "prompt_tokens", json_integer(p.prompt_tokens));
			json_array_append_new(arr, o);
		} else {
			printf("#%lld  ~%ld tokens: ", (long long)ids[i], p.transcript_tokens);
			if (p.single)
				printf("one request");
			else
				printf("%d chunks of ≤%ld tokens, ~%d requests", p.chunks, p.chunk_budget,
				       p.requests);
			printf(", ~%ld prompt tokens  ", p.prompt_tokens);
			cli_put_field(stdout, m.title, 40);
			fputc('\n', stdout);
		}
		free(text);
		ar_meta_free(&m);
	}
	if (json)
		return cli_put_json(arr);
	return bad ? 1 : 0;
}

int cmd_summarize(struct cli *c, int argc, char **argv)
{
	struct llm_flags fl = { 0 };
	int missing = 0, dry = 0, json = 0, quiet = 0, ch;
	enum ar_state st = AR_ST_ANY;
	long v;
	while ((ch = cli_getopt(CMD_SUMMARIZE, argc, argv)) != -1) {
		switch (ch) {
		case OPT_SUMMARIZE_MISSING: missing = 1; break;
		case OPT_SUMMARIZE_STATE:
			if (ar_state_parse(optarg, &st) != 0)
				return cli_usage_error("summarize", "--state: '%s' is not a state", optarg);
			break;
		case OPT_SUMMARIZE_MODEL: fl.model = optarg; break;
		case OPT_SUMMARIZE_PROMPT: fl.prompt = optarg; break;
		case OPT_SUMMARIZE_API_BASE: fl.api_base = optarg; break;
		case OPT_SUMMARIZE_JOBS:
			if ((v = cli_parse_count(optarg)) < 1 || v > 64)
				return cli_usage_error("summarize", "--jobs wants a number from 1 to 64, not '%s'", optarg);
			fl.parallel = (int)v;
			break;
		case OPT_SUMMARIZE_CONTEXT:
			if ((v = cli_parse_count(optarg)) < 512)
				return cli_usage_error("summarize", "--context wants a number of tokens (≥ 512), not '%s'", optarg);
			fl.context = v;
			break;
		case OPT_SUMMARIZE_DRY_RUN: dry = 1; break;
		case OPT_SUMMARIZE_JSON: json = 1; break;
		case OPT_SUMMARIZE_QUIET: quiet = 1; break;
		default:
			return cli_opt_exit(CMD_SUMMARIZE, ch);
		}
	}
	int nsel = (optind < argc) + missing + (st != AR_ST_ANY);
	if (nsel == 0)
		return cli_usage_error("summarize", "which transcripts? give IDs, --missing or --state STATE");
	if (nsel > 1)
		return cli_usage_error("summarize", "give IDs, --missing or --state, not several");
	if (fl.prompt && !prompt_name_valid(fl.prompt))
		return cli_usage_error("summarize", "'%s' is not a prompt name", fl.prompt);

	size_t nids = 0, idcap = 0;
	int64_t *ids = NULL;
	for (int i = optind; i < argc; i++) {
		const char *s = argv[i][0] == '#' ? argv[i] + 1 : argv[i];
		char *end;
		errno = 0;
		long long id = strtoll(s, &end, 10);
		if (errno || end == s || *end || id <= 0) {
			free(ids);
			return cli_usage_error("summarize", "'%s' is not a transcript ID", argv[i]);
		}
		xgrow(&ids, &idcap, nids + 1, sizeof *ids);
		ids[nids++] = id;
	}

	/* settings: file, environment, flags */
	struct cfg *cf = cfg_load(NULL);
	struct llm_config lc;
	llm_conf_load(cf, &fl, &lc);
	const char *const *msgs;
	size_t nm = cfg_messages(cf, &msgs);
	for (size_t i = 0; i < nm; i++)
		cli_warn("%s", msgs[i]);   /* quotes the file: made safe */
	cfg_free(cf);
	char why[400];
	if (!dry && !llm_conf_ready(&lc, why, sizeof why)) {
		free(ids);
		llm_config_free(&lc);
		return cli_error("%s", why);
	}
	if (!lc.model[0])
		snprintf(lc.model, sizeof lc.model, "unknown");

	struct archive *a;
	int r = cli_open_archive(c, !dry, &a);
	if (r) {
		free(ids);
		llm_config_free(&lc);
		return r;
	}
	char sel[64];
	if (nids) {
		qsort(ids, nids, sizeof *ids, cmp_id);
		size_t k = 0;
		for (size_t i = 0; i < nids; i++)
			if (!k || ids[k - 1] != ids[i])
				ids[k++] = ids[i];
		nids = k;
		snprintf(sel, sizeof sel, "ids");
		for (size_t i = 0; i < nids; i++) {
			struct ar_meta m;
			int g = ar_get_meta(a, ids[i], &m);
			if (g != 0) {
				r = g < 0 ? cli_error("%s", ar_error(a))
				          : cli_error("no transcript #%lld", (long long)ids[i]);
				goto out;
			}
			ar_meta_free(&m);
		}
	} else {
		struct ar_list_query q = { .sort = AR_SORT_IMPORTED,
		                           .state = missing ? AR_ST_UNSUMMARIZED : st };
		struct ar_meta *rows;
		size_t n;
		if (ar_list(a, &q, &rows, &n) != 0) {
			r = cli_error("%s", ar_error(a));
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			xgrow(&ids, &idcap, nids + 1, sizeof *ids);
			ids[nids++] = rows[i].id;
		}
		ar_metas_free(rows, n);
		if (nids)
			qsort(ids, nids, sizeof *ids, cmp_id);
		snprintf(sel, sizeof sel, "%s", missing ? "missing" : ar_state_name(st));
	}
	if (dry) {
		r = dry_run(a, &lc, ids, nids, json);
		goto out;
	}

	struct run run = { .c = c, .quiet = quiet, .json = json, .bar = c->err_tty && !quiet,
	                   .t0_ms = now_ms() };
	char key[256];
	batch_key(key, sizeof key, &lc, sel, missing || st != AR_ST_ANY ? NULL : ids,
	          missing || st != AR_ST_ANY ? 0 : nids);
	int64_t batch;
	int resumed;
	if (ar_batch_open(a, key, &batch, &resumed) != 0) {
		r = cli_error("%s", ar_error(a));
		goto out;
	}
	run.items = xcalloc(nids ? nids : 1, sizeof *run.items);
	int elsewhere = 0;
	for (size_t i = 0; i < nids; i++) {
		struct item *it = &run.items[run.n++];
		it->tid = ids[i];
		struct ar_job j;
		int g = ar_batch_job(a, batch, ids[i], &j);
		if (g < 0) {
			r = cli_error("%s", ar_error(a));
			goto out_run;
		}
		if (g == 0 && j.state == AR_JOB_DONE) {
			it->state = 3;
			it->job_id = j.id;
			run.already++;
		} else if (g == 0 && j.state != AR_JOB_CANCELLED) {
			it->job_id = j.id;
			if (ar_job_busy_elsewhere(a, j.id)) {
				it->state = 3;
				it->busy = 1;
				elsewhere++;
			}
		} else if (ar_job_add(a, ids[i], batch, lc.model, lc.prompt, &it->job_id) != 0) {
			r = cli_error("%s", ar_error(a));
			if (g == 0)
				ar_job_free(&j);
			goto out_run;
		}
		if (g == 0)
			ar_job_free(&j);
	}
	if (resumed && !quiet)
		fprintf(stderr, "precis: resuming the unfinished run of this command: %d of %zu already done\n",
		        run.already, run.n);
	if (elsewhere)
		fprintf(stderr, "precis: %d transcript%s being summarized by another precis right now "
		        "(skipped)\n", elsewhere, elsewhere == 1 ? " is" : "s are");

	char err[400];
	struct llm_engine *e = llm_engine_new(&lc, a, on_event, &run, err, sizeof err);
	if (!e) {
		r = cli_error("%s", err);
		goto out_run;
	}
	struct sigaction sa = { 0 }, old_int, old_term;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	interrupted = 0;
	size_t next = 0;
	int stopping = 0;
	for (;;) {
		if (interrupted && !stopping) {
			stopping = 1;
			llm_engine_interrupt(e);
		}
		/* keep about as many jobs going as requests may run at once */
		while (!stopping && next < run.n && llm_engine_active(e) < lc.parallel) {
			struct item *it = &run.items[next++];
			if (it->state != 0)
				continue;
			it->state = 1;
			int s = llm_engine_start(e, it->job_id, err, sizeof err);
			if (s != 0) {
				it->state = 3;
				if (s < 0) {
					cli_warn("#%lld failed: %s", (long long)it->tid, err);
					run.failed++;
				} else {
					/* claimed by another precis since the list was made */
					if (!quiet)
						cli_warn("#%lld skipped: %s", (long long)it->tid, err);
					it->busy = 1;
					elsewhere++;
				}
			}
		}
		int active = llm_engine_step(e, 250);
		draw_bar(&run);
		if (!active && (stopping || next >= run.n))
			break;
	}
	llm_engine_free(e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	clear_bar(&run);

	int unfinished = 0;
	for (size_t i = 0; i < run.n; i++)
		unfinished += run.items[i].state < 2 || (run.items[i].state == 2 &&
		              run.items[i].result == AR_JOB_QUEUED);
	if (!stopping && run.failed == 0 && unfinished == 0 && !elsewhere)
		ar_batch_finish(a, batch);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < run.n; i++) {
			struct item *it = &run.items[i];
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(it->tid));
			json_object_set_new(o, "job_id", json_integer(it->job_id));
			const char *state = it->state == 3 ? (it->busy ? "busy" : "done_before")
			                  : it->state == 2 ? ar_job_state_name(it->result) : "queued";
			json_object_set_new(o, "state", json_string(state));
			json_object_set_new(o, "summary_id", it->summary_id ? json_integer(it->summary_id) : json_null());
			json_object_set_new(o, "error", it->error[0] ? cli_jstr(it->error) : json_null());
			json_object_set_new(o, "tokens_in", json_integer(it->tokens_in));
			json_object_set_new(o, "tokens_out", json_integer(it->tokens_out));
			json_object_set_new(o, "duration_s", json_real(it->elapsed_ms / 1000.0));
			json_array_append_new(arr, o);
		}
		cli_put_json(arr);
	}
	FILE *sum = json ? stderr : stdout;
	if (stopping) {
		fprintf(stderr, "precis: interrupted: run the same command again to resume\n");
		fprintf(sum, "done %d, failed %d, interrupted %d\n", run.done, run.failed, unfinished);
		r = 130;
	} else {
		if (run.already)
			fprintf(sum, "done %d, failed %d (%d done before)\n", run.done, run.failed, run.already);
		else
			fprintf(sum, "done %d, failed %d\n", run.done, run.failed);
		r = run.failed || run.cancelled ? 1 : 0;
	}
	fflush(sum);
out_run:
	free(run.items);
out:
	ar_close(a);
	free(ids);
	llm_config_free(&lc);
	return r;
}
