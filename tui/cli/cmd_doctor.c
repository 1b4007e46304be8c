/* cmd_doctor.c — `precis doctor [--model M] [--api-base URL] [--prompt
 * NAME]`: checks the LLM configuration and the endpoint, one line per
 * check, each problem with how to fix it. Exit 0 only when a summary
 * could be made (the model answered). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/llm.h"
#include "net/prompt.h"
#include "tui/app/app.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/config.h"
#include "tui/llm_conf.h"

/* One result line: "ok   …", "warn …", "FAIL …" (text made safe). */
static void line(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(const char *tag, const char *fmt, ...)
{
	char buf[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	printf("%-5s", tag);
	cli_put_field(stdout, buf, 0);
	fputc('\n', stdout);
}

int cmd_doctor(struct cli *c, int argc, char **argv)
{
	struct llm_flags fl = { 0 };
	int ch;
	while ((ch = cli_getopt(CMD_DOCTOR, argc, argv)) != -1) {
		switch (ch) {
		case OPT_DOCTOR_MODEL: fl.model = optarg; break;
		case OPT_DOCTOR_API_BASE: fl.api_base = optarg; break;
		case OPT_DOCTOR_PROMPT: fl.prompt = optarg; break;
		default:
			return cli_opt_exit(CMD_DOCTOR, ch);
		}
	}
	if (optind < argc)
		return cli_usage_error("doctor", "unexpected argument '%s'", argv[optind]);
	(void)c;
	int bad = 0;
	struct cfg *cf = cfg_load(NULL);
	struct llm_config lc;
	llm_conf_load(cf, &fl, &lc);
	/* every section, read by its own reader as precis reads it: every
	 * line something would ignore is listed, not only [llm]'s */
	app_config_check(cf);
	cli_import_config(cf);
	cfg_check_unused(cf, NULL);   /* sections nobody reads */
	const char *const *msgs;
	size_t nm = cfg_messages(cf, &msgs);
	if (cfg_path(cf)[0] && cfg_mode(cf))
		line(nm ? "warn" : "ok", "config file %s%s", cfg_path(cf),
		     nm == 1 ? ": 1 line ignored" : nm ? ": lines ignored (below)" : "");
	else
		line("ok", "no config file (%s); settings from the environment",
		     cfg_path(cf)[0] ? cfg_path(cf) : "~/.config/precis/config");
	for (size_t i = 0; i < nm; i++)
		line("warn", "%s", msgs[i]);
	cfg_free(cf);

	char why[600];
	if (!llm_conf_ready(&lc, why, sizeof why)) {
		line("FAIL", "%s", why);
		llm_config_free(&lc);
		return 1;
	}
	char url[600];
	llm_safe_url(&lc, url, sizeof url);
	line("ok", "endpoint %s, model %s", url, lc.model);
	if (lc.api_key[0])
		line("ok", "API key from %s (%zu characters, not shown)", lc.key_source, strlen(lc.api_key));
	else
		line("ok", "no API key (fine for a local server; else set PRECIS_API_KEY)");
	struct prompt p;
	char err[600];
	if (prompt_load(lc.prompts_dir[0] ? lc.prompts_dir : NULL, lc.prompt, &p, err, sizeof err) != 0) {
		line("FAIL", "prompt: %s", err);
		bad = 1;
	} else {
		line("ok", "prompt '%s' (%s)", p.name, p.source);
		prompt_free(&p);
	}
	line("ok", "context %ld tokens, up to %ld for the answer, %d request%s at once", lc.context,
	     lc.max_output, lc.parallel, lc.parallel == 1 ? "" : "s");

	char **ids;
	size_t n;
	if (llm_list_models(&lc, &ids, &n, err, sizeof err) != 0) {
		line("FAIL", "GET /models: %s", err);
		bad = 1;
		/* the completion below says more about what is wrong */
	} else {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found |= !strcmp(ids[i], lc.model);
		if (found) {
			line("ok", "the server lists model %s (%zu model%s)", lc.model, n, n == 1 ? "" : "s");
		} else {
			char some[300] = "";
			for (size_t i = 0; i < n && i < 5; i++)
				snprintf(some + strlen(some), sizeof some - strlen(some), "%s%s", i ? ", " : "", ids[i]);
			line("warn", "the server does not list model %s (it lists %zu%s%s%s): check [llm] model "
			     "(some servers accept any name)", lc.model, n, n ? ": " : "", some,
			     n > 5 ? ", …" : "");
		}
		for (size_t i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
	}
	char reply[64];
	long ms = 0;
	int choices = 0;
	if (llm_ping(&lc, reply, sizeof reply, &ms, &choices, err, sizeof err) != 0) {
		line("FAIL", "test completion: %s", err);
		bad = 2;
	} else {
		line("ok", "test completion: %s answered in %.1f s (\"%s\")", lc.model, ms / 1000.0, reply);
		if (choices > 1)
			line("warn", "the server sent %d answers (choices) to one request: precis reads "
			     "only the first (does [llm] extra_body or a proxy set n?)", choices);
		if (!strcasestr(reply, "ok"))
			line("warn", "the model was asked to reply \"ok\" and did not: check that [llm] "
			     "model is a chat model");
		if (bad == 1)
			bad = 0;   /* /models is optional; the model answers */
	}
	if (strstr(lc.base_url, ":11434") || strcasestr(lc.base_url, "ollama"))
		line("note", "Ollama's /v1 cuts prompts longer than its num_ctx (2048–4096 by default) "
		     "without an error: raise it (README, 'Ollama') and set [llm] context to match");
	llm_config_free(&lc);
	if (bad)
		line("FAIL", "summaries cannot be made until the problems above are fixed");
	else
		line("ok", "summaries can be made");
	return bad ? 1 : 0;
}
